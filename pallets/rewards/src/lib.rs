//! # Rewards
//!
//! The economics of Lineage: a capped, demand-backed emission paid by measured usage. Its governed
//! parameters (α, the bootstrap, the split, the schedule, the era length) come from the runtime's
//! parameter set (pallet-lineage-params) through `Config::Emission`.
//!
//! **Emission.** At the first block of each era this pallet mints, and nothing else does:
//! `budget(e) = min(schedule(e), α(e) × fees_paid(e − 1))`, never past `MaxSupply`. `schedule(e)`
//! is the governed `era_emission` halved every `halving_eras`; `α(e)` is the governed α plus a
//! bootstrap rate that decays linearly to zero over `bootstrap_eras` (`α + bootstrap ≤
//! protocol_fee`, checked where the parameters are set); `fees_paid` is what requesters paid for
//! jobs that settled in the era, as compute reports through [`RevenueSink`]. The budget is split
//! between data, models, compute and the treasury (governance shares), and **each pool is capped at
//! α(e) per unit of its own fees**: what a share would mint beyond that is held back (not minted,
//! reported per pool in the era's summary) and stays under `MaxSupply` for later eras. The data
//! pool goes to each dataset snapshot by the revenue it received, then to its contributors by
//! points (see below); the models pool to each owner by its builder parts; the compute pool to each
//! provider by its provider parts; the treasury's share is minted to `Config::Treasury`.
//! `MaxSupply` bounds what this pallet mints on top of the genesis supply; it is a constant of the
//! runtime, not a governed parameter, so no vote can raise it. The era transition does constant
//! work.
//!
//! **The invariant: no coalition profits from paying itself.** In every era, the emission any
//! account can claim is at most α(e) × the revenue it earned in that era — its provider part, its
//! builder part and its data revenue, each paid by some requester — because every pool's per-unit
//! rate is at most α(e) and a dataset's emission is shared by exactly the points its revenue is
//! shared by. A coalition that pays `X` for its own jobs loses the protocol fee `p × X` and gets
//! back at most `α(e) × (1 − p) × X < p × X` of emission, whatever any other account does. No
//! reward flows to what the chain cannot check: points stay inside their dataset (they split its
//! revenue, never emission across datasets), an open dataset credits each contribution as one
//! item, and a batch's claimed count earns points only when a curator, named in the record,
//! vouched for it. There is no points-based allowance to farm: the bootstrap raises the matching
//! rate of real payments.
//!
//! | who | gains by | bound | shown by |
//! |---|---|---|---|
//! | contributor | data revenue | its points' share of what requesters paid the dataset | `claims_pay_exactly_by_usage_and_points` |
//! | contributor | emission | α(e) × its data revenue of era e | `a_contributor_earns_emission_only_on_revenue_it_received`, runtime `coalitions_never_profit` |
//! | model owner | builder part, emission | α(e) × its builder part | `each_pool_is_capped_at_alpha_per_unit_of_its_fees` |
//! | provider | provider part, emission | α(e) × its provider part | `each_pool_is_capped_at_alpha_per_unit_of_its_fees` |
//! | any coalition | paying itself | ends poorer by ≥ (p − α(e)(1 − p)) × X | `self_dealing_never_pays_with_a_thin_pool`, runtime `coalitions_never_profit`, e2e `attacks.test.js` |
//! | forger of counts | a batch's `count` | one item in an open dataset; a curator vouches otherwise | datasets `a_batch_count_earns_points_only_when_a_curator_vouches_for_it`, runtime `a_forged_count_never_captures_emission`, e2e `attacks.test.js` |
//! | challenger / provider | slashes | half the other side's bond or collateral, as the arbiter decides; the rest to the treasury | compute `a_challenge_upheld_slashes_the_provider_and_refunds_the_requester`, `a_challenge_rejected_slashes_the_challenger_and_the_job_settles` |
//! | late contributor | points added after a snapshot | nothing from jobs on that snapshot: revenue goes to the live points of the snapshot a job used | `late_contributions_never_earn_from_jobs_on_earlier_snapshots`, `revenue_goes_exactly_to_the_points_of_the_snapshot_a_job_used`, runtime `coalitions_never_profit`, e2e `attacks.test.js` |
//! | withdrawer | consent withdrawal | loses its withdrawn points' unclaimed rewards; nobody else's share changes | `a_withdrawal_forfeits_the_withdrawers_share_and_nobody_elses`, `a_rival_who_contributes_once_and_withdraws_loses_only_its_own_share`, runtime `a_rival_who_contributes_once_and_withdraws_confiscates_nothing` |
//! | treasury | unshared revenue, forfeits, fees, slashes | what no live point receives, with its emission | `a_dataset_without_points_sends_its_revenue_to_the_treasury` |
//!
//! **Distribution by snapshot.** A job pays each dataset for the snapshot its model was trained
//! on, and that revenue, with the emission it backs, goes to the contributions that snapshot
//! holds, by their points: never to points added after it was taken. Points are kept in cohorts
//! by the first snapshot that holds them (a contributor's position is its points of one cohort,
//! claimed with `claim(dataset, first_snapshot)`); a snapshot holds the cohorts up to its
//! version. Two Fenwick trees per dataset over snapshot versions (the `tree` module) give a
//! snapshot's live points and a cohort's earnings per point in at most [`tree::TREE_DEPTH`]
//! nodes each (17: a dataset takes at most `MAX_SNAPSHOTS`, 65,535, snapshots), whatever the
//! number of contributors or snapshots. The open cohort (points added since the latest
//! snapshot, which earn nothing yet) stays out of the trees in one entry until its snapshot is
//! taken, so a contribution costs a few reads and writes, not a path. Revenue of an era is claimable
//! once the era has ended and its emission rate is known; a snapshot with no live points sends
//! its revenue, with its emission, to the treasury at the era transition (`RevenueUnshared` when
//! a job pays it, `UnsharedPaid` when it goes). A contributor who withdraws consent loses the
//! withdrawn points in every snapshot, and their part of what the position earned and has not
//! claimed goes to the treasury (`Forfeited`: settled rewards at the next era transition, the
//! current era's revenue with its emission): the other contributors keep every share they had,
//! and jobs accepted before the withdrawal settle in full, the snapshot's share going to its
//! remaining live points. Model owners and providers fold their era per account.
//!
//! Direct revenue (a dataset's share of a model's price, paid by compute into this pallet's
//! account) and emission are paid by claims from this pallet's account: contributors
//! `claim(dataset, first_snapshot)` (`Claimed` says how much of it is emission); model owners
//! and providers, paid their parts of a job at settlement, `claim_account()` their emission
//! (`AccountClaimed`).
//!
//! **History.** `Eras` keeps the summaries (and the rates claims read) of the last `EraHistory`
//! eras; each era transition prunes the oldest, at most [`MAX_ERAS_PRUNED`], so the era
//! transition does constant work and storage stays bounded whatever the chain's age (the indexer
//! keeps the whole history). A contributor, owner or provider who leaves rewards unsettled for
//! longer keeps the revenue but forfeits the emission of the pruned eras: the emission stays in
//! the pot, above what is claimable (`era_summaries_past_the_history_are_pruned_and_late_claims_forfeit_only_their_emission`).
//!
//! `RewardsApi` answers `pending` (an account's claimable rewards, paged over its positions, with
//! the emission part of each), `era`, `last_era` (fees, the matching rate, demand, emission,
//! which term bound it — schedule, demand or cap — and what the pool rate cap held back per
//! pool), `supply` (minted and the cap), `projection` (the schedule and the matching rate of the
//! eras ahead) and the listing `eras` (the kept ones).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod distribute;
mod emission;
mod impl_sinks;
pub mod migrations;
mod queries;
pub mod tree;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
mod types;

pub mod runtime_api;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use lineage_primitives::{EmissionParams, Split};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// The most era summaries one era transition prunes: one a transition keeps `Eras` at
/// `EraHistory` entries; the second catches up after `EraHistory` is lowered.
pub const MAX_ERAS_PRUNED: u32 = 2;

use lineage_primitives::{PointsSink, RevenueSink};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use lineage_primitives::{DatasetId, Points, SnapshotVersion};
	use sp_runtime::{
		traits::{AccountIdConversion, Saturating},
		Perbill,
	};

	/// The in-code storage version: 1 keeps revenue by snapshot and positions by cohort.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency rewards are minted in.
		type Currency: Inspect<Self::AccountId> + Mutate<Self::AccountId>;

		/// The pallet's id; its account is the reward pot (compute pays data revenue into it).
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Receives the treasury's share of emission.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;

		/// The most that will ever be minted.
		#[pallet::constant]
		type MaxSupply: Get<BalanceOf<Self>>;

		/// The governed emission parameters in force: α and the bootstrap, the split, the
		/// schedule (era 0's emission and the halving period) and the era length.
		type Emission: Get<EmissionOf<Self>>;

		/// The most datasets a paged runtime-API query covers.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// How many ended eras keep their summary (`Eras`); older ones are pruned, at most
		/// `MAX_ERAS_PRUNED` at each era transition (history lives in the indexer). Rewards left
		/// unsettled for longer keep their revenue but forfeit the emission of the pruned era (its
		/// rate is gone), as staking rewards expire past a history depth. Changed by a runtime
		/// upgrade; a lower value is caught up with over the following eras.
		#[pallet::constant]
		type EraHistory: Get<u32>;

		/// Weights of this pallet's calls and hooks, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The current era.
	#[pallet::storage]
	pub type CurrentEra<T> = StorageValue<_, EraIndex, ValueQuery>;

	/// The first block of the current era.
	#[pallet::storage]
	pub type EraStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Fees reported in the current era.
	#[pallet::storage]
	pub type CurrentFees<T: Config> = StorageValue<_, EraFees<BalanceOf<T>>, ValueQuery>;

	/// Past eras: fees, emission, the bound that applied, what the pool rate cap held back and the
	/// per-unit rates (one entry per era, written by the era transition, kept for the last
	/// `EraHistory` eras).
	#[pallet::storage]
	pub type Eras<T: Config> = StorageMap<_, Twox64Concat, EraIndex, EraSummary<BalanceOf<T>>>;

	/// The oldest era whose summary `Eras` still keeps (the ones before it were pruned).
	#[pallet::storage]
	pub type OldestEra<T> = StorageValue<_, EraIndex, ValueQuery>;

	/// Everything minted so far.
	#[pallet::storage]
	pub type TotalMinted<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Storage version 0's per-dataset pools: emptied by the migration to version 1, which keeps
	/// rewards by snapshot; kept so that the name is never given another meaning.
	#[pallet::storage]
	pub type DatasetPools<T: Config> =
		StorageMap<_, Twox64Concat, DatasetId, migrations::v1::OldPool<BalanceOf<T>>>;

	/// Each dataset's points tree: live points per cohort (the first snapshot that holds them),
	/// as a Fenwick tree over snapshot versions (node index to the sum of the cohorts it covers;
	/// absent nodes are zero).
	#[pallet::storage]
	pub type PointsTree<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, u32, Points, ValueQuery>;

	/// Each dataset's open cohort: the points added since its latest snapshot, as (the next
	/// version, points). They earn nothing until that snapshot is taken, so they are kept out of
	/// the points tree until then (`snapshot_taken` folds them in): a contribution changes one
	/// entry instead of a path of nodes. One entry per dataset at most.
	#[pallet::storage]
	pub type OpenCohort<T: Config> =
		StorageMap<_, Twox64Concat, DatasetId, (SnapshotVersion, Points)>;

	/// Each dataset's reward tree: revenue per live point of each snapshot and the emission it
	/// backs, as a Fenwick tree over reversed snapshot versions (see the `tree` module).
	#[pallet::storage]
	pub type RewardTree<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, u32, Accrual>;

	/// Each contributor's positions: per dataset and cohort (the first snapshot that holds the
	/// points). They mirror the datasets pallet's accepted contributions, which are
	/// deposit-backed there.
	#[pallet::storage]
	pub type Positions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		(DatasetId, SnapshotVersion),
		Position<BalanceOf<T>>,
	>;

	/// Settled rewards nobody may claim (forfeited by withdrawals); the next era transition pays
	/// them from the pot to the treasury.
	#[pallet::storage]
	pub type Unshared<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Data revenue of the current era that no live point will receive (a snapshot without live
	/// points, or withdrawn points' part); the era transition pays it, with the emission it
	/// backs, to the treasury.
	#[pallet::storage]
	pub type UnsharedRevenue<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Model owners' and providers' rewards pools.
	#[pallet::storage]
	pub type AccountPools<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, AccountPool<BalanceOf<T>>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Era `era − 1` ended and `era` began; `minted` new tokens back the ended era's fees at
		/// the matching rate `alpha` (`treasury` of them minted to the treasury); `demand` is
		/// `alpha × fees_paid`, `schedule` the schedule's emission for the era, `bound` which of
		/// them bounded the budget, and `held_back` what the pool rate cap did not mint.
		NewEra {
			era: EraIndex,
			fees_paid: BalanceOf<T>,
			alpha: Perbill,
			demand: BalanceOf<T>,
			schedule: BalanceOf<T>,
			minted: BalanceOf<T>,
			treasury: BalanceOf<T>,
			held_back: BalanceOf<T>,
			bound: Option<Bound>,
		},
		/// A contributor claimed the rewards of its points in a dataset first held by snapshot
		/// `first_snapshot`: `amount` in all, of which `emission` was minted (the rest is its
		/// share of what jobs paid for the snapshots holding them).
		Claimed {
			who: T::AccountId,
			dataset: DatasetId,
			first_snapshot: SnapshotVersion,
			amount: BalanceOf<T>,
			emission: BalanceOf<T>,
		},
		/// Minting an era's emission into `to` failed: the era records nothing minted there (and,
		/// for the pot, zero rates). Cannot happen while the pot and treasury exist.
		MintFailed { era: EraIndex, to: T::AccountId, amount: BalanceOf<T>, error: DispatchError },
		/// Before storage version 1: a dataset held no points when the revenue and emission of
		/// era `era` were shared, so they went to the treasury. No longer emitted (see
		/// `RevenueUnshared`); kept for the records of older blocks.
		UnsharedToTreasury {
			dataset: DatasetId,
			era: EraIndex,
			revenue: BalanceOf<T>,
			emission: BalanceOf<T>,
		},
		/// A model owner or provider claimed its rewards.
		AccountClaimed { who: T::AccountId, amount: BalanceOf<T> },
		/// A job paid `revenue` for snapshot `snapshot` of `dataset`, which holds no live points:
		/// it goes to the treasury, with the emission it backs, at the era transition.
		RevenueUnshared { dataset: DatasetId, snapshot: SnapshotVersion, revenue: BalanceOf<T> },
		/// `who` withdrew consent on points of `dataset` first held by snapshot
		/// `first_snapshot`: their part of what its position earned and had not claimed,
		/// `amount`, goes to the treasury (revenue of the current era with its emission).
		Forfeited {
			who: T::AccountId,
			dataset: DatasetId,
			first_snapshot: SnapshotVersion,
			amount: BalanceOf<T>,
		},
		/// The era transition paid the treasury `amount`: forfeited rewards and data revenue
		/// no live point received, with the emission that revenue backed.
		UnsharedPaid { era: EraIndex, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Nothing to claim yet: rewards of an era arrive once it has ended.
		NothingToClaim,
		/// No longer returned (see `NoPosition`); kept so that its index keeps its meaning.
		UnknownDataset,
		/// The account holds no points, and nothing to claim, in this dataset from that first
		/// snapshot (see the pending rewards for its positions).
		NoPosition,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// While a migration rebuilds the rewards (its storage version not yet reached), the
			// era goes on: the transition waits for the state it reads.
			if Self::on_chain_storage_version() < STORAGE_VERSION {
				return T::WeightInfo::on_initialize_idle();
			}
			let params = T::Emission::get();
			if now >= EraStart::<T>::get().saturating_add(params.era_length) {
				Self::new_era(now, &params);
				T::WeightInfo::on_initialize_new_era()
			} else {
				T::WeightInfo::on_initialize_idle()
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			// The last ended era's summary is always kept (its rates are read until every
			// revenue of that era is folded).
			assert!(T::EraHistory::get() >= 1, "EraHistory keeps at least the last era");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Claim the rewards of a contributor's points in a dataset first held by snapshot
		/// `first_snapshot`: their share of what jobs paid for that snapshot and the later ones
		/// holding them, and of the emission that revenue backed, for eras that have ended.
		///
		/// - `origin`: the contributor.
		/// - `dataset`: the dataset.
		/// - `first_snapshot`: the first snapshot holding the points (a contribution's
		///   `first_snapshot`; the runtime API's pending rewards list each position).
		///
		/// Pays from the reward pot. Emits `Claimed`. Reads at most 17 tree nodes.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::claim())]
		pub fn claim(
			origin: OriginFor<T>,
			dataset: DatasetId,
			first_snapshot: SnapshotVersion,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who, dataset, first_snapshot)
		}

		/// Claim an account's emission as model owner and provider.
		///
		/// - `origin`: the owner or provider.
		///
		/// Pays from the reward pot. Emits `AccountClaimed`. O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::claim_account())]
		pub fn claim_account(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_account(who)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The reward pot's account.
		pub fn pot() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}
	}
}
