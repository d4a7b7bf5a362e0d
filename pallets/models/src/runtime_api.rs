//! The `ModelsApi` runtime API: what clients (polkadot-js, the `lineage` CLI, the node's
//! `lineage_*` RPC) query without decoding storage themselves.

use alloc::vec::Vec;
use codec::Codec;
use lineage_primitives::{AttributionEntry, ModelId, ModelVersionId, Taint};

use crate::{Lineage, ModelDetails, VersionDetails};

sp_api::decl_runtime_apis! {
	/// Queries of models, versions, lineage, attribution and taint.
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
	}
}
