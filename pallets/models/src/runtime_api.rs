//! The `ModelsApi` runtime API: what clients (polkadot-js, the `lineage` CLI, the node's
//! `lineage_*` RPC) query without decoding storage themselves.

use alloc::vec::Vec;
use codec::Codec;
use lineage_primitives::{AttributionEntry, ModelId, ModelVersionId, Page, Taint};

use crate::{Lineage, ModelDetails, VersionDetails, VersionFilter};

sp_api::decl_runtime_apis! {
	/// Queries of models, versions, lineage, attribution and taint. Version 2 added `models`
	/// and `versions_where`: listings that return a `Page` examine at most `MAX_SCAN` ids a
	/// call; pass its `next` back as the cursor until it is `None`.
	pub trait ModelsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A model.
		fn model(id: ModelId) -> Option<ModelDetails<AccountId, Balance, BlockNumber>>;
		/// Up to `limit` versions of a model, after `start_after` (paged, bounded).
		fn versions(
			model: ModelId,
			start_after: Option<ModelVersionId>,
			limit: u32,
		) -> Vec<VersionDetails<AccountId, Balance, BlockNumber>>;
		/// A version, with its current owner and taint.
		fn version(id: ModelVersionId) -> Option<VersionDetails<AccountId, Balance, BlockNumber>>;
		/// A version's lineage: it and its ancestors with their input snapshots (bounded).
		fn lineage(id: ModelVersionId) -> Option<Lineage<AccountId>>;
		/// A version's attribution table: each dataset's share of its data revenue.
		fn attribution(id: ModelVersionId) -> Vec<AttributionEntry>;
		/// Why a version may not be used; `None` when it may (or does not exist).
		fn taint(id: ModelVersionId) -> Option<Taint>;
		/// Up to `limit` models in id order after `start_after`, only `owner`'s when given (paged,
		/// bounded).
		#[api_version(2)]
		fn models(
			owner: Option<AccountId>,
			start_after: Option<ModelId>,
			limit: u32,
		) -> Page<ModelDetails<AccountId, Balance, BlockNumber>, ModelId>;
		/// Up to `limit` versions in id order after `start_after` that `filter` selects: all, an
		/// owner's, those sharing a dataset's revenue (trained on it directly or through an
		/// ancestor), those trained on a snapshot (paged, bounded).
		#[api_version(2)]
		fn versions_where(
			filter: VersionFilter<AccountId>,
			start_after: Option<ModelVersionId>,
			limit: u32,
		) -> Page<VersionDetails<AccountId, Balance, BlockNumber>, ModelVersionId>;
	}
}
