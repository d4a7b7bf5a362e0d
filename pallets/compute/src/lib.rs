//! # Compute
//!
//! The compute market of Lineage. Providers bond funds and offer kinds of work; requesters submit
//! jobs on model versions with a fee, held in escrow with the version's price (never above the
//! `max_price` the requester names); a provider accepts a job (locking collateral from its bond),
//! submits a result, and a challenge window opens. Anyone may challenge with a bond; the arbiter
//! (the council, or root) resolves, or the chain itself by re-executing the job (`check_result`): a provider in the wrong loses its collateral (part to the
//! challenger, the rest to the treasury) and the requester is refunded; a challenger in the wrong
//! loses its bond (part to the provider, the rest to the treasury) and the job settles.
//!
//! **Every state ends.** Each job waits in one state for a bounded time, then ends by a
//! documented default, by anyone (`finalize`, `expire`) or by the queue in `on_idle`:
//!
//! | state | ends at the latest | default |
//! |---|---|---|
//! | open | after its deadline (≤ `MaxDeadline`) | `Unclaimed`: requester refunded |
//! | accepted | after its deadline | `TimedOut`: refunded, collateral slashed to the treasury |
//! | result | after its kind's challenge period | `Settled` |
//! | challenged | after the resolution period | `Lapsed`: settled, the challenge bond to the provider; `ChallengeUpheld` if nobody published the output |
//!
//! The periods are governance parameters with upper bounds, and each job keeps the ones in force
//! when it was submitted ([`JobTerms`]): a later change never moves its windows.
//!
//! **Nobody can freeze, dodge or stall a settlement.** What a job owes moves by force from the
//! holds the job created, so a party that locks, freezes or delegates its own balance (a vote
//! lock overlaps holds) cannot stop its job from ending; an amount a payee cannot receive goes to
//! the treasury. Each due job is processed once: a job that cannot end by its terms (a broken
//! invariant) ends `Aborted` with every stake returned and a `JobAborted` event, never retried
//! forever. `submit_job` pays `DueWorkFactor` times the queue work its job can cause, so the
//! queue drains faster than calls can fill it. So every job ends by its last deadline plus one
//! block, in a defined state, whatever any party does with its own balance, as far as `on_idle`
//! has room; anyone can also end a due job by hand.
//!
//! **Nobody gains from the arbiter's silence or from a challenge they do not believe in.** A
//! challenge holds a bond as large as the job's escrow (at least `ChallengeBond`): it puts the
//! whole escrow at stake, so it costs as much. When the arbiter rules against it, or does not
//! rule within the resolution period, the challenge fails or lapses: its bond goes to the
//! provider (the provider's share of the job's terms) and the treasury, and the job settles as if
//! unchallenged. So with no ruling the requester never keeps both the result and its escrow, a
//! provider who delivered ends better off than unchallenged, and a requester challenging its own
//! job through another account (the free-work coalition) loses the bond on top of the escrow.
//! What silence cannot do is tell an honest provider from one that delivered a wrong result: the
//! chain sees the same facts, so any default pays both alike. Re-execution can: for a job whose
//! work the chain runs itself (`ResultCheck`; in the runtime the reference workload's inference
//! and evaluation),
//! anyone may hand it the model, input and output bytes the job names (`check_result`), and it
//! rules within the resolution period with no vote (`Arbiter::Reexecution`): a wrong result is
//! slashed (`ProviderWrong`), a right one stands (`ChallengerWrong`). So a provider that cheats
//! on such a job loses whatever the arbiter does, as soon as its challenger (who has every
//! reason to) hands the chain the bytes. Other jobs are punished only by a ruling, which the
//! arbiter must give within the resolution period; a provider that delivers nothing loses its
//! collateral with or without one (`TimedOut`), and so does one that records a result but
//! withholds its bytes: a challenged result (of at most `MaxCheckBytes`) must be published on
//! chain within the resolution period (`publish_output`, free, by anyone), or, unless the
//! arbiter rules otherwise, the challenge is upheld (`ChallengeUpheld`, by `OutputWithheld`). A
//! provider loses nothing by publishing, and a requester who never received the bytes it paid
//! for is refunded.
//!
//! **No shared structure can be filled.** The queue of jobs falling due has pages of
//! `DuePageSize` per block and any number of pages: scheduling never fails and never moves a job,
//! a job holds at most one entry (freed when it leaves the state), and the entry is paid for by
//! the job's record deposit. See `queue.rs`.
//!
//! **Settlement** splits the escrow (fee + model price) exactly: the protocol fee of the whole
//! escrow to the treasury (the larger of the job's and the one in force); of the rest, the fee part
//! to the provider; the price part × builder share to the model's owner; the remainder to the
//! datasets of the version's attribution table (paid to `DataRevenueAccount` and reported per
//! dataset through [`RevenueSink`]), rounding dust to the treasury. On a version tainted since the
//! job was submitted, the share of data governance took down goes to the treasury instead (data
//! that may no longer be used earns nothing); a consent withdrawal confiscates nothing from the
//! other contributors: the withdrawer's points are gone, and the snapshot's share goes to the
//! dataset as usual.
//!
//! **Responsibility.** Every job keeps its record after it ends: requester, model version, the
//! dataset snapshots in its attribution, provider and operator, result, challenger and evidence,
//! the ruling and who gave it, the terms it ran under, every payout and the block of each step.
//! The requester's record deposit pays for it; the requester may remove it `RecordRetention`
//! blocks after the end.
//!
//! **Concentration.** Providers declare an operator and a region; the bond and settled fees per
//! operator and per region are kept as they change (O(1) each, one entry per operator and
//! region), and `ComputeApi::concentration` answers the total, the five largest shares, the
//! Herfindahl index and the Nakamoto coefficient of each, sorting only in the query. Providers
//! are not capped: each record is backed by its bond, so a coalition that registers any number
//! of providers at the least bond locks that bond up and keeps nobody out.
//!
//! Every amount at stake is a `fungible` hold with its own reason (bond, collateral, escrow,
//! challenge bond, record deposit) and is released or moved exactly once.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod check;
mod impl_job_inspect;
mod job;
mod provider;
mod queries;
mod queue;
mod settle;
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

pub use check::{ReferenceWorkload, ResultCheck};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use lineage_primitives::{ModelInspect, RevenueSink};

/// What the benchmarks need from the runtime: a usable model version to run jobs on.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// A usable, priced model version whose attribution table holds `datasets` entries (1 to
	/// `MAX_ATTRIBUTION_ENTRIES`) and which has `ancestors` ancestors (0 to `MAX_LINEAGE_DEPTH`).
	fn model_version(datasets: u32, ancestors: u32) -> lineage_primitives::ModelVersionId;
	/// Makes `artifact` the hash of `version`'s artifact.
	fn set_artifact(version: lineage_primitives::ModelVersionId, artifact: sp_core::H256);
	/// A snapshot that holds a contribution whose content has hash `content`: the snapshot and
	/// the contribution.
	fn snapshot_holding(
		content: sp_core::H256,
	) -> (lineage_primitives::SnapshotRef, lineage_primitives::ContributionId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use lineage_primitives::{
		ContentRef, DatasetId, JobId, ModelVersionId, Uri, MAX_ATTRIBUTION_ENTRIES,
	};
	use sp_runtime::{
		traits::{Convert, StaticLookup},
		FixedU128, Perbill,
	};

	/// An account id as a call takes it (an address, an index, …).
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A provider's free and unbonding bond.
		ProviderBond,
		/// Bond a provider locked to running jobs as collateral.
		Collateral,
		/// What a requester pays for a job (fee + model price), until it settles or is refunded.
		Escrow,
		/// A challenger's bond, until the arbiter resolves the challenge.
		ChallengeBond,
		/// A requester's deposit for a job's responsibility record.
		RecordDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds, escrows and deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Read access to model versions (the models pallet).
		type Models: ModelInspect<Self::AccountId, BalanceOf<Self>>;

		/// Read access to dataset snapshots (the datasets pallet): which contributions a
		/// training job's snapshot holds, for `check_training`.
		type Datasets: lineage_primitives::DatasetInspect;

		/// Told of every settled job's split (the rewards pallet).
		type Revenue: RevenueSink<Self::AccountId, BalanceOf<Self>>;

		/// The origin that resolves challenges (the council, or root), saying which it is so that
		/// the job's record names who ruled.
		type ArbiterOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Arbiter>;

		/// Receives protocol fees, slashes and rounding dust.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;

		/// Receives the datasets' share of settled jobs (the rewards pallet's account).
		#[pallet::constant]
		type DataRevenueAccount: Get<Self::AccountId>;

		/// The treasury's share of every escrow in force (a governance parameter); a job settles
		/// with the larger of this and the share it was submitted under.
		type ProtocolFee: Get<Perbill>;

		/// The governed terms a job of each kind is submitted under (challenge period, resolution
		/// period, protocol fee, slash shares, parameter version); copied into the job.
		type Terms: Convert<JobKind, JobTerms<BlockNumberFor<Self>>>;

		/// Collateral a provider locks per job, as a multiple of the fee (a governance parameter).
		type CollateralRatio: Get<FixedU128>;

		/// The least collateral locked per job (governed).
		type MinCollateral: Get<BalanceOf<Self>>;

		/// The least bond a provider registers with and keeps (governed).
		type MinBond: Get<BalanceOf<Self>>;

		/// The least a challenger holds (governed); a challenge holds the job's escrow when that
		/// is more, and keeps the bond it was made with.
		type ChallengeBond: Get<BalanceOf<Self>>;

		/// Held from a requester for a job's record (governed; a job keeps the deposit it was
		/// submitted with).
		type RecordDeposit: Get<BalanceOf<Self>>;

		/// Blocks between `unbond` and `withdraw_unbonded` (a governance parameter).
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Blocks a record is kept after its job ended before its requester may remove it.
		#[pallet::constant]
		type RecordRetention: Get<BlockNumberFor<Self>>;

		/// The furthest ahead a job's deadline may be.
		#[pallet::constant]
		type MaxDeadline: Get<BlockNumberFor<Self>>;

		/// The longest URI accepted, at most `lineage_primitives::MAX_URI_LEN`.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// The most jobs in one page of a block's queue entries (a block has any number of pages).
		#[pallet::constant]
		type DuePageSize: Get<u32>;

		/// The most entries a paged runtime-API query returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// How many times the queue work a job can cause `submit_job` pays: at least the normal
		/// calls' share of a block over what is left for `on_idle` (3 for 75%), so that the
		/// queue of jobs falling due drains faster than calls can fill it (checked by the
		/// pallet's integrity test).
		#[pallet::constant]
		type DueWorkFactor: Get<u32>;

		/// How the chain re-executes a challenged job to rule on it without the arbiter
		/// (`check_result`): [`ReferenceWorkload`], or `()` for none.
		type ResultCheck: ResultCheck;

		/// The most bytes of model, input and output together that `check_result` takes: what
		/// one re-execution may cost a block.
		#[pallet::constant]
		type MaxCheckBytes: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Creates the model version the benchmarks run jobs on.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper;
	}

	/// The registered providers.
	#[pallet::storage]
	pub type Providers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ProviderOf<T>>;

	/// How many providers are registered.
	#[pallet::storage]
	pub type ProviderCount<T> = StorageValue<_, u32, ValueQuery>;

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery>;

	/// How many jobs on each model version have not ended (the models pallet retires a version
	/// only when none have).
	#[pallet::storage]
	pub type OpenJobs<T> = StorageMap<_, Twox64Concat, ModelVersionId, u32, ValueQuery>;

	/// Jobs and their responsibility records.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, JobOf<T>>;

	/// Jobs falling due at each block, by page: a deadline passing, a challenge window closing or
	/// a resolution period running out. Each job has at most one entry, paid for by its record
	/// deposit.
	#[pallet::storage]
	pub type Due<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		u32,
		BoundedVec<JobId, T::DuePageSize>,
		ValueQuery,
	>;

	/// How many pages of `Due` each block has.
	#[pallet::storage]
	pub type DuePages<T: Config> = StorageMap<_, Twox64Concat, BlockNumberFor<T>, u32, ValueQuery>;

	/// The first block whose due jobs `on_idle` has not processed yet.
	#[pallet::storage]
	pub type QueueHead<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// How many entries the queue holds.
	#[pallet::storage]
	pub type QueueLen<T> = StorageValue<_, u32, ValueQuery>;

	/// Challenged jobs whose output nobody has published on chain yet (`publish_output`): at
	/// most one entry per challenged job, removed when it is published or the job ends. A job
	/// still here when its resolution period ends without a ruling ends `ChallengeUpheld`
	/// (`OutputWithheld`). Results longer than `MaxCheckBytes` never enter.
	#[pallet::storage]
	pub type UnpublishedOutputs<T> = StorageMap<_, Twox64Concat, JobId, (), OptionQuery>;

	/// Bond and fees per operator (at most one entry per provider).
	#[pallet::storage]
	pub type OperatorShares<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Share<BalanceOf<T>>>;

	/// Bond and fees per region (at most one entry per provider).
	#[pallet::storage]
	pub type RegionShares<T: Config> = StorageMap<_, Blake2_128Concat, Region, Share<BalanceOf<T>>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered; its bond is held.
		ProviderRegistered {
			provider: T::AccountId,
			operator: T::AccountId,
			bond: BalanceOf<T>,
			region: Region,
		},
		/// A provider changed its endpoint, kinds of work or region.
		ProviderUpdated { provider: T::AccountId, region: Region },
		/// A provider added to its bond.
		Bonded { provider: T::AccountId, amount: BalanceOf<T> },
		/// A provider started unbonding; withdrawable at `at`.
		Unbonding { provider: T::AccountId, amount: BalanceOf<T>, at: BlockNumberFor<T> },
		/// A provider withdrew its unbonded funds.
		Unbonded { provider: T::AccountId, amount: BalanceOf<T> },
		/// A provider deregistered: its whole bond is unbonding.
		ProviderLeft { provider: T::AccountId },
		/// A job was submitted; its escrow is held from the requester.
		JobSubmitted {
			job: JobId,
			requester: T::AccountId,
			kind: JobKind,
			model_version: ModelVersionId,
			escrow: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		},
		/// The requester cancelled an open job and was refunded its escrow.
		JobCancelled { job: JobId, requester: T::AccountId, refunded: BalanceOf<T> },
		/// A provider accepted a job and locked collateral.
		JobAccepted { job: JobId, provider: T::AccountId, collateral: BalanceOf<T> },
		/// A provider submitted a result; it can be challenged until `window_ends`.
		ResultSubmitted { job: JobId, result: ContentRef, window_ends: BlockNumberFor<T> },
		/// A result was challenged; the arbiter must rule by `ruling_due`, or the job ends
		/// unresolved.
		Challenged {
			job: JobId,
			challenger: T::AccountId,
			bond: BalanceOf<T>,
			ruling_due: BlockNumberFor<T>,
		},
		/// The arbiter resolved the challenge `challenger` raised against `provider`'s result;
		/// `by` says who ruled.
		Resolved {
			job: JobId,
			verdict: Verdict,
			by: Arbiter,
			provider: T::AccountId,
			challenger: T::AccountId,
		},
		/// A job settled: `requester`'s escrow was split between the provider, the model
		/// version's owner (`None` for a version since retired: its part went to the treasury),
		/// the data (`datasets`: each dataset's part, paid into the data-revenue account) and the
		/// treasury.
		JobSettled {
			job: JobId,
			requester: T::AccountId,
			model_version: ModelVersionId,
			provider: T::AccountId,
			provider_paid: BalanceOf<T>,
			owner: Option<T::AccountId>,
			owner_paid: BalanceOf<T>,
			data_paid: BalanceOf<T>,
			datasets: BoundedVec<(DatasetId, BalanceOf<T>), ConstU32<MAX_ATTRIBUTION_ENTRIES>>,
			treasury_paid: BalanceOf<T>,
		},
		/// A job ended without settling or being cancelled (refunded, slashed or unclaimed):
		/// `outcome` says how.
		JobRefunded { job: JobId, outcome: Outcome, refunded: BalanceOf<T> },
		/// A provider's collateral was slashed.
		ProviderSlashed { job: JobId, provider: T::AccountId, amount: BalanceOf<T> },
		/// A challenger's bond was slashed.
		ChallengerSlashed { job: JobId, challenger: T::AccountId, amount: BalanceOf<T> },
		/// A job's record was removed and its deposit released.
		RecordRemoved { job: JobId },
		/// A due job could not end by its terms (`error`, a broken invariant): it ended `Aborted`
		/// and every stake it held went back to whoever put it up (`refunded` to the requester).
		JobAborted { job: JobId, error: DispatchError, refunded: BalanceOf<T> },
		/// `by` handed the chain the bytes of challenged job `job` and the chain re-executed it:
		/// `verdict` is its ruling (`Resolved` follows, by `Reexecution`).
		ResultChecked { job: JobId, by: T::AccountId, verdict: Verdict },
		/// `by` published the output of challenged job `job` on chain: the result was
		/// delivered, and a challenge nobody rules on lapses.
		OutputPublished { job: JobId, by: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No job has this id.
		UnknownJob,
		/// The account is not a registered provider.
		UnknownProvider,
		/// The account is already a provider.
		AlreadyRegistered,
		/// No longer produced: providers are not capped (each record is backed by its bond, so no
		/// number of registrations can keep another provider out).
		TooManyProviders,
		/// The bond would be below `MinBond`; deregister to leave entirely.
		BondTooLow,
		/// The amount must not be zero.
		ZeroAmount,
		/// A provider must offer at least one kind of work.
		NoKinds,
		/// The URI is longer than `MaxUriLen`; shorten it.
		UriTooLong,
		/// The provider deregistered and takes no new jobs.
		ProviderLeaving,
		/// The provider still has running jobs.
		HasActiveJobs,
		/// The amount exceeds the free bond: collateral locked in running jobs cannot be
		/// unbonded.
		BondLocked,
		/// Nothing is unbonding.
		NothingUnbonding,
		/// The unbonding period has not passed yet.
		UnbondingNotDue,
		/// No such model version.
		UnknownModelVersion,
		/// The model version is deprecated.
		ModelDeprecated,
		/// The model version is tainted (revoked, or trained on withdrawn or taken-down data).
		ModelTainted,
		/// The deadline must be after this block and at most `MaxDeadline` ahead.
		BadDeadline,
		/// The job is not open (already accepted, or ended).
		JobNotOpen,
		/// The job is not accepted-and-waiting-for-a-result.
		JobNotAccepted,
		/// The job's deadline has passed.
		DeadlinePassed,
		/// Only the job's requester may do this.
		NotRequester,
		/// Only the provider that accepted the job may do this.
		NotProvider,
		/// The provider does not offer this kind of work.
		KindNotOffered,
		/// The provider's free bond is below the job's collateral; bond more.
		InsufficientFreeBond,
		/// The job has no result waiting in its challenge window.
		NoResultToChallenge,
		/// The challenge window has closed.
		ChallengeWindowClosed,
		/// The challenge window is still open.
		ChallengeWindowOpen,
		/// The job is under challenge; the arbiter must resolve it first.
		UnderChallenge,
		/// The job has no unchallenged result to settle.
		NothingToFinalize,
		/// The job is not under challenge.
		NotChallenged,
		/// The job cannot be expired: it is not past its deadline without a result.
		NotExpired,
		/// The job has not ended.
		JobNotEnded,
		/// The record is kept until `RecordRetention` blocks after the job ended.
		RecordRetained,
		/// The model version's price is above the `max_price` the requester accepts.
		PriceAboveMax,
		/// The resolution period is over: the challenge lapsed (`expire`, or `on_idle`, ends the
		/// job).
		ResolutionPeriodOver,
		/// An id or amount ran out.
		Overflow,
		/// The chain cannot re-execute this job (not the reference workload's inference or
		/// evaluation, a model that is not a `lineage-ngram/1` artifact, a prompt or held-out
		/// text with characters it does not read, or counts beyond 2^53): the arbiter rules on it.
		NotCheckable,
		/// The model, input or output given is not what the job records (its hash differs).
		NotTheJobsContent,
		/// The model, input and output together are longer than `MaxCheckBytes`.
		CheckTooLarge,
		/// The job's output is not awaited on chain: the job is not challenged, its output was
		/// already published, or its result is longer than `MaxCheckBytes`.
		OutputNotAwaited,
		/// The trained model has none of the faults shown: it is what training on its own
		/// documents gives, and the contribution named is where it belongs, with its words.
		NoFaultShown,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(now: BlockNumberFor<T>, limit: Weight) -> Weight {
			Self::process_queue(now, limit)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(
				T::MaxUriLen::get() <= lineage_primitives::MAX_URI_LEN,
				"MaxUriLen exceeds MAX_URI_LEN"
			);
			assert!(T::DuePageSize::get() >= 1, "DuePageSize must allow a job");
			let weights = <T as frame_system::Config>::BlockWeights::get();
			let normal = weights
				.get(frame_support::dispatch::DispatchClass::Normal)
				.max_total
				.unwrap_or(weights.max_block);
			let idle = weights.max_block.saturating_sub(normal);
			let factor = u64::from(T::DueWorkFactor::get());
			assert!(
				idle.ref_time().saturating_mul(factor) >= normal.ref_time(),
				"DueWorkFactor must be at least the normal calls' share of a block over the rest"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register as a compute provider.
		///
		/// - `origin`: the provider (signed).
		/// - `bond`: held as the provider's bond, at least `MinBond`; collateral for jobs comes
		///   from it.
		/// - `endpoint`: where requesters reach it, at most `MaxUriLen` bytes.
		/// - `kinds`: the kinds of work it offers (at least one).
		/// - `operator`, `region`: who runs it and where, declared so concentration can be
		///   measured.
		///
		/// Any number may register: none holds a slot another needs. Emits
		/// `ProviderRegistered`. O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_provider())]
		pub fn register_provider(
			origin: OriginFor<T>,
			bond: BalanceOf<T>,
			endpoint: Uri,
			kinds: JobKinds,
			operator: AccountIdLookupOf<T>,
			region: Region,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let operator = T::Lookup::lookup(operator)?;
			Self::do_register_provider(who, bond, endpoint, kinds, operator, region)
		}

		/// Add to the provider's bond.
		///
		/// - `origin`: a registered provider that is not leaving (signed).
		/// - `amount`: held on top of the bond (not zero).
		///
		/// Emits `Bonded`. O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond_extra(who, amount)
		}

		/// Start unbonding part of the free bond; it stays held (and slashable) for
		/// `UnbondingPeriod`.
		///
		/// - `origin`: a registered provider that is not leaving (signed).
		/// - `amount`: at most the free bond (not zero); the bond left must stay at least
		///   `MinBond`. A second unbond adds to the first and restarts its period.
		///
		/// Emits `Unbonding`. O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who, amount)
		}

		/// Release the unbonded funds once the period has passed; a provider that deregistered
		/// and has nothing left is removed.
		///
		/// - `origin`: a registered provider with funds unbonding (signed).
		///
		/// Emits `Unbonded`. O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(who)
		}

		/// Stop taking jobs and unbond everything.
		///
		/// - `origin`: a registered provider with no running jobs (signed).
		///
		/// Emits `ProviderLeft`. O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deregister())]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who)
		}

		/// Submit a job.
		///
		/// - `origin`: the requester (signed).
		/// - `kind`: the kind of work; it sets the job's challenge period.
		/// - `model_version`: a usable version (not deprecated, revoked or tainted).
		/// - `input`: the input, off-chain.
		/// - `fee`: the provider's fee (not zero).
		/// - `max_price`: the most the requester pays for the model; the call fails if the
		///   version's price is higher when it is included (a price raised in between).
		/// - `deadline`: the last block for the result, at most `MaxDeadline` ahead.
		///
		/// Holds the escrow (fee + the version's price) and `RecordDeposit`, which also pays for
		/// the job's entry in the queue of jobs falling due. The governed terms in force (challenge
		/// period of its kind, resolution period, protocol fee) are copied into the job. Emits
		/// `JobSubmitted`. O(1) in the number of jobs; linear in the datasets of the version's
		/// attribution table and in its ancestors: charged for `MAX_ATTRIBUTION_ENTRIES` datasets
		/// (two markers of withdrawn items read in each) and `MAX_LINEAGE_DEPTH` ancestors, and
		/// for a new page of the due queue; refunded to the datasets and ancestors the version
		/// has (the benchmark's components). Also pays
		/// `DueWorkFactor` times the work of ending the job in `on_idle`, never refunded.
		#[pallet::call_index(5)]
		#[pallet::weight(Pallet::<T>::submit_job_weight(
			MAX_ATTRIBUTION_ENTRIES,
			lineage_primitives::MAX_LINEAGE_DEPTH,
		))]
		pub fn submit_job(
			origin: OriginFor<T>,
			kind: JobKind,
			model_version: ModelVersionId,
			input: ContentRef,
			fee: BalanceOf<T>,
			max_price: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let used =
				Self::do_submit_job(who, kind, model_version, input, fee, max_price, deadline)?;
			Ok(Some(used).into())
		}

		/// Cancel an open job: the escrow is refunded and its queue entry freed (the record
		/// stays).
		///
		/// - `origin`: the job's requester (signed).
		/// - `job`: a job no provider accepted yet.
		///
		/// Emits `JobCancelled`. O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::cancel_job())]
		pub fn cancel_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_job(who, job)
		}

		/// Accept an open job.
		///
		/// - `origin`: a registered provider offering the job's kind, with free bond of at least
		///   the job's collateral (`CollateralRatio` × fee, at least `MinCollateral`) (signed).
		/// - `job`: an open job before its deadline.
		///
		/// The model version must still be usable (a version tainted after submission is refused
		/// here; the requester is refunded at the deadline or by cancelling). Locks the collateral.
		/// Emits `JobAccepted`. O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::accept_job().saturating_add(Pallet::<T>::grace_weight()))]
		pub fn accept_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_job(who, job)
		}

		/// Submit the result of an accepted job, by its deadline; the challenge window opens for
		/// the job's challenge period.
		///
		/// - `origin`: the provider that accepted the job (signed).
		/// - `job`: the job.
		/// - `result`: the result, off-chain.
		///
		/// Emits `ResultSubmitted`. O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::submit_result())]
		pub fn submit_result(
			origin: OriginFor<T>,
			job: JobId,
			result: ContentRef,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_result(who, job, result)
		}

		/// Challenge a result during its window, holding a bond of the job's escrow (at least
		/// `ChallengeBond`).
		///
		/// - `origin`: anyone (signed).
		/// - `job`: a job with a result in its challenge window.
		/// - `evidence`: why the result is wrong, off-chain.
		///
		/// The arbiter has the job's resolution period to rule; after it the challenge lapses:
		/// the bond goes to the provider and the treasury and the job settles (`Lapsed`), once
		/// the output was published (`publish_output`; results longer than `MaxCheckBytes` need
		/// not be); unpublished, the challenge is upheld (`OutputWithheld`). Emits `Challenged`.
		/// O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::challenge())]
		pub fn challenge(origin: OriginFor<T>, job: JobId, evidence: ContentRef) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_challenge(who, job, evidence)
		}

		/// Resolve a challenge, within the job's resolution period.
		///
		/// - `origin`: `ArbiterOrigin` (a Council majority, or root); the record names it.
		/// - `job`: a challenged job.
		/// - `verdict`: `ProviderWrong`: the collateral is slashed (the challenger's share of the
		///   job's terms to the challenger, the rest to the treasury), the requester refunded, the
		///   challenge bond released. `ChallengerWrong`: the challenge bond is slashed (the
		///   provider's share of the terms to the provider, the rest to the treasury) and the job
		///   settles.
		///
		/// Emits `Resolved` and the settlement's or refund's events. Linear in the job's
		/// attribution table (at most `MAX_ATTRIBUTION_ENTRIES`).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::resolve_provider_wrong().max(T::WeightInfo::resolve_challenger_wrong()).saturating_add(Pallet::<T>::reward_weight()))]
		pub fn resolve(origin: OriginFor<T>, job: JobId, verdict: Verdict) -> DispatchResult {
			let by = T::ArbiterOrigin::ensure_origin(origin)?;
			Self::do_resolve(job, verdict, by)
		}

		/// Rule on a challenge by re-executing the job on chain, without the arbiter: the
		/// output is wrong (`ProviderWrong`) when it differs from what the job's work gives,
		/// right (`ChallengerWrong`) when it is the same; each ruling then pays as `resolve`
		/// does, and the record names `Reexecution` as the arbiter. So a provider that delivered
		/// a wrong result loses whether or not anyone votes.
		///
		/// - `origin`: anyone (signed).
		/// - `job`: a challenged job within its resolution period, whose work the chain can run
		///   (the reference workload's inference or evaluation: a `lineage-ngram/1` model, a
		///   prompt or held-out text in Latin, Greek or Cyrillic: `lineage_reference::readable`).
		/// - `model`, `input`, `output`: the bytes of the job's model artifact, input and result,
		///   each of the hash the chain records; at most `MaxCheckBytes` together.
		///
		/// Emits `ResultChecked`, `Resolved` and the settlement's or refund's events. Linear in
		/// the bytes and in the job's attribution table (at most `MAX_ATTRIBUTION_ENTRIES`).
		/// Charged for the costliest kind and ruling of that many bytes; what the job's kind
		/// and ruling weigh is refunded down to.
		#[pallet::call_index(15)]
		#[pallet::weight(Pallet::<T>::costliest_check_weight(Pallet::<T>::check_bytes(model, input, output)))]
		pub fn check_result(
			origin: OriginFor<T>,
			job: JobId,
			model: BoundedVec<u8, T::MaxCheckBytes>,
			input: BoundedVec<u8, T::MaxCheckBytes>,
			output: BoundedVec<u8, T::MaxCheckBytes>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (kind, verdict) = Self::do_check_result(who, job, &model, &input, &output)?;
			let bytes = Self::check_bytes(&model, &input, &output);
			Ok(Some(Self::check_weight(kind, bytes, verdict)).into())
		}

		/// Show the chain a fault in the model a challenged training job delivered, so that it
		/// rules without the arbiter: `ProviderWrong`, the provider slashed and the requester
		/// refunded, as `resolve` does, with `Reexecution` named as the arbiter. The chain finds
		/// any fault of the model itself, and the one `fault` names:
		///
		/// - `Artifact`: the model is not what training on its own documents gives;
		/// - `Membership(c)`: the input's snapshot holds contribution `c` and the model has no
		///   document for it, or the other way round;
		/// - `Item { contribution, files }`: the model's document for `contribution` is not the
		///   words of its content, whose bytes `files` hands over.
		///
		/// A model with none of these faults is what training on the snapshot gives; nothing
		/// changes (`NoFaultShown`) and a challenge nobody rules on lapses to the provider.
		///
		/// - `origin`: anyone (signed).
		/// - `job`: a challenged training job within its resolution period, whose input is a
		///   `lineage-training/1` document.
		/// - `input`, `output`: the bytes of the job's input and result, of the hashes the chain
		///   records; with the item's files, at most `MaxCheckBytes` together.
		/// - `fault`: the fault shown.
		///
		/// Emits `ResultChecked`, `Resolved` and the refund's events. Linear in the bytes.
		/// Charged for the costliest fault of that many bytes, refunded down to the one named.
		#[pallet::call_index(17)]
		#[pallet::weight(Pallet::<T>::costliest_training_weight(Pallet::<T>::training_bytes(input, output, fault)))]
		pub fn check_training(
			origin: OriginFor<T>,
			job: JobId,
			input: BoundedVec<u8, T::MaxCheckBytes>,
			output: BoundedVec<u8, T::MaxCheckBytes>,
			fault: TrainingFault<T::MaxCheckBytes>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_check_training(who, job, &input, &output, &fault)?;
			let bytes = Self::training_bytes(&input, &output, &fault);
			Ok(Some(Self::training_weight(&fault, bytes)).into())
		}

		/// Publish the output of a challenged job on chain, so that everyone (the requester, the
		/// challenger, the arbiter) can see what was delivered. A challenged result that nobody
		/// publishes within the resolution period, and that nobody rules on, was not delivered:
		/// the job ends `ChallengeUpheld` (`OutputWithheld`), the provider slashed, the requester
		/// refunded. A provider whose result is challenged publishes it, and pays no fee for it.
		///
		/// - `origin`: anyone (signed); free when it publishes.
		/// - `job`: a challenged job within its resolution period whose output is awaited (its
		///   result is at most `MaxCheckBytes` long and not yet published).
		/// - `output`: the result's bytes, of the hash and length the result records.
		///
		/// Emits `OutputPublished`. Linear in the bytes.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::publish_output(output.len() as u32))]
		pub fn publish_output(
			origin: OriginFor<T>,
			job: JobId,
			output: BoundedVec<u8, T::MaxCheckBytes>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_publish_output(who, job, &output)?;
			Ok(Pays::No.into())
		}

		/// Settle a job whose challenge window closed unchallenged (`on_idle` does it too).
		///
		/// - `origin`: anyone (signed).
		/// - `job`: a job with an unchallenged result past its window.
		///
		/// Emits `JobSettled`. Linear in the job's attribution table (at most
		/// `MAX_ATTRIBUTION_ENTRIES`).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::finalize().saturating_add(Pallet::<T>::reward_weight()))]
		pub fn finalize(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_finalize(job)
		}

		/// End a job that ran out of time (`on_idle` does it too): past its deadline without a
		/// result, the requester is refunded and a provider that accepted it loses its collateral
		/// to the treasury (`Unclaimed`, `TimedOut`); challenged and not ruled on within its
		/// resolution period, the challenge lapses: its bond goes to the provider and the
		/// treasury and the job settles (`Lapsed`); but if its output was never published, the
		/// challenge is upheld as by a ruling (`ChallengeUpheld`, by `OutputWithheld`).
		///
		/// - `origin`: anyone (signed).
		/// - `job`: the job.
		///
		/// Emits `JobRefunded` (and `ProviderSlashed` for a timed-out job), or `ChallengerSlashed`
		/// and `JobSettled` for a lapsed challenge, or `Resolved`, `ProviderSlashed` and
		/// `JobRefunded` for a withheld output. Linear in the job's attribution table (at most
		/// `MAX_ATTRIBUTION_ENTRIES`).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::expire().max(T::WeightInfo::expire_lapsed()).max(T::WeightInfo::expire_withheld()).saturating_add(Pallet::<T>::reward_weight()))]
		pub fn expire(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire(job)
		}

		/// Remove an ended job's record, `RecordRetention` blocks after it ended; releases the
		/// record deposit.
		///
		/// - `origin`: the job's requester (signed).
		/// - `job`: an ended job.
		///
		/// Emits `RecordRemoved`. O(1).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::remove_record())]
		pub fn remove_record(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_record(who, job)
		}

		/// Change what a provider declares, without deregistering.
		///
		/// - `origin`: a registered provider that is not leaving (signed).
		/// - `endpoint`: a new endpoint, at most `MaxUriLen` bytes (`None` keeps it).
		/// - `kinds`: the kinds of work it offers from now on, at least one (`None` keeps them);
		///   jobs it already accepted are not affected.
		/// - `region`: a new region (`None` keeps it); its stake moves to the new region's share,
		///   the fees it earned stay counted where they were earned.
		///
		/// Emits `ProviderUpdated`. O(1).
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::update_provider())]
		pub fn update_provider(
			origin: OriginFor<T>,
			endpoint: Option<Uri>,
			kinds: Option<JobKinds>,
			region: Option<Region>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_provider(who, endpoint, kinds, region)
		}
	}
}
