//! The `RewardsApi` runtime API: pending rewards, eras, supply and the schedule.

use alloc::vec::Vec;
use codec::Codec;
use lineage_primitives::{DatasetId, Page, SnapshotVersion};
use sp_runtime::Perbill;

use crate::{EraIndex, EraInfo, EraSummary, PendingRewards, PendingRewardsV2};

sp_api::decl_runtime_apis! {
	/// Queries of rewards, eras, supply and the schedule. Version 2 added `eras` (a `Page`:
	/// pass its `next` back as the cursor until it is `None`); version 3 lists a contributor's
	/// pending rewards per position (dataset and first snapshot).
	#[api_version(3)]
	pub trait RewardsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// What an account may claim: as model owner and provider, and per position (dataset and
		/// first snapshot) as contributor, in all and the emission part of it (paged over its
		/// positions, after `start_after`).
		fn pending(
			who: AccountId,
			start_after: Option<(DatasetId, SnapshotVersion)>,
			limit: u32,
		) -> PendingRewards<Balance>;
		/// Before version 3: per dataset, paged by dataset.
		#[changed_in(3)]
		fn pending(
			who: AccountId,
			start_after: Option<DatasetId>,
			limit: u32,
		) -> PendingRewardsV2<Balance>;
		/// The current era and its fees so far.
		fn era() -> EraInfo<Balance, BlockNumber>;
		/// The last era that ended: its fees, emission, which term bounded it, what the pool
		/// rate cap held back, and its rates.
		fn last_era() -> Option<(EraIndex, EraSummary<Balance>)>;
		/// Everything minted so far, and the cap.
		fn supply() -> (Balance, Balance);
		/// For the next `eras` eras (bounded): the schedule's emission and the matching rate
		/// (α plus the bootstrap rate) applied to the previous era's fees.
		fn projection(eras: u32) -> Vec<(EraIndex, Balance, Perbill)>;
		/// Up to `limit` ended eras after `start_after`, oldest first, each with its fees,
		/// emission and rates (paged, bounded).
		fn eras(
			start_after: Option<EraIndex>,
			limit: u32,
		) -> Page<(EraIndex, EraSummary<Balance>), EraIndex>;
	}
}
