//! The `ComputeApi` runtime API: jobs and their responsibility records, providers, quotes and
//! the market's concentration.

use codec::Codec;
use lineage_primitives::{JobId, ModelVersionId};

use crate::{Job, MarketConcentration, Provider};

sp_api::decl_runtime_apis! {
	/// Queries of jobs, providers and the compute market.
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
	}
}
