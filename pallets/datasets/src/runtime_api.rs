//! The `DatasetsApi` runtime API: what clients (polkadot-js, the `lineage` CLI, the node's
//! `lineage_*` RPC) query without decoding storage themselves.

use alloc::vec::Vec;
use codec::Codec;
use lineage_primitives::{
	ContributionId, DatasetId, Page, Points, SnapshotRef, SnapshotStatus, SnapshotVersion,
};

use crate::{ContributionDetails, DatasetDetails, Snapshot};

sp_api::decl_runtime_apis! {
	/// Queries of datasets, contributions, points and snapshots. Version 2 added
	/// `owned_datasets`; version 3 `datasets` and `accepted_contributions`.
	///
	/// A listing that returns a `Page` examines at most `MAX_SCAN` ids a call: pass its `next`
	/// back as the cursor until it is `None`.
	#[api_version(2)]
	pub trait DatasetsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A dataset with its curators.
		fn dataset(id: DatasetId) -> Option<DatasetDetails<AccountId, Balance, BlockNumber>>;
		/// Up to `limit` snapshots of a dataset from version `from` on (paged, bounded).
		fn snapshots(
			dataset: DatasetId,
			from: SnapshotVersion,
			limit: u32,
		) -> Vec<(SnapshotVersion, Snapshot<BlockNumber>)>;
		/// Whether a snapshot may be used (`None`: no such snapshot).
		fn snapshot_status(snapshot: SnapshotRef) -> Option<SnapshotStatus>;
		/// A contribution.
		fn contribution(
			id: ContributionId,
		) -> Option<ContributionDetails<AccountId, Balance, BlockNumber>>;
		/// Points a contributor holds in a dataset.
		fn points(dataset: DatasetId, who: AccountId) -> Points;
		/// Up to `limit` contributions of an account, after `start_after` (paged, bounded).
		fn account_contributions(
			who: AccountId,
			start_after: Option<ContributionId>,
			limit: u32,
		) -> Vec<ContributionDetails<AccountId, Balance, BlockNumber>>;
		/// Up to `limit` datasets `owner` owns, after `start_after` (paged, bounded).
		#[api_version(2)]
		fn owned_datasets(
			owner: AccountId,
			start_after: Option<DatasetId>,
			limit: u32,
		) -> Vec<DatasetDetails<AccountId, Balance, BlockNumber>>;
		/// Up to `limit` datasets in id order after `start_after` (paged, bounded).
		#[api_version(3)]
		fn datasets(
			start_after: Option<DatasetId>,
			limit: u32,
		) -> Page<DatasetDetails<AccountId, Balance, BlockNumber>, DatasetId>;
		/// Up to `limit` of a dataset's accepted contributions in acceptance order (what its
		/// content root chains), after acceptance position `start_after` (paged, bounded).
		#[api_version(3)]
		fn accepted_contributions(
			dataset: DatasetId,
			start_after: Option<u32>,
			limit: u32,
		) -> Page<ContributionDetails<AccountId, Balance, BlockNumber>, u32>;
	}
}
