//! The `ComputeApi` runtime API: jobs and their responsibility records, providers, quotes and
//! the market's concentration.

use codec::Codec;
use lineage_primitives::{JobId, ModelVersionId, Page};

use crate::{Job, JobFilter, MarketConcentration, Provider};

sp_api::decl_runtime_apis! {
	/// Queries of jobs, providers and the compute market. Version 2 added `jobs` and
	/// `providers`: listings that return a `Page` examine at most `MAX_SCAN` ids a call; pass its
	/// `next` back as the cursor until it is `None`.
	pub trait ComputeApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A job and its responsibility record.
		fn job(id: JobId) -> Option<Job<AccountId, Balance, BlockNumber>>;
		/// A provider.
		fn provider(who: AccountId) -> Option<Provider<AccountId, Balance, BlockNumber>>;
		/// What a job on `model_version` with `fee` costs: (escrow, record deposit, provider
		/// collateral); `None` for an unknown version.
		fn quote(model_version: ModelVersionId, fee: Balance) -> Option<(Balance, Balance, Balance)>;
		/// How concentrated bonds and fees are across operators and regions (largest holders,
		/// Herfindahl index, Nakamoto coefficient).
		fn concentration() -> MarketConcentration<AccountId, Balance>;
		/// Up to `limit` jobs on record that `filter` selects (open ones of a kind, a requester's,
		/// a provider's, a model version's, a dataset's), newest first, below the cursor `before`
		/// (paged, bounded). Ended jobs stay on record until their record deposit is reclaimed;
		/// older history is in the events.
		#[api_version(2)]
		fn jobs(
			filter: JobFilter<AccountId>,
			before: Option<JobId>,
			limit: u32,
		) -> Page<(JobId, Job<AccountId, Balance, BlockNumber>), JobId>;
		/// Up to `limit` registered providers after `start_after`, in storage order (paged,
		/// bounded).
		#[api_version(2)]
		fn providers(
			start_after: Option<AccountId>,
			limit: u32,
		) -> Page<(AccountId, Provider<AccountId, Balance, BlockNumber>), AccountId>;
	}
}
