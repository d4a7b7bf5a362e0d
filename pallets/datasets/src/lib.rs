//! # Datasets ("datanets")
//!
//! Data contributors pool data in datasets. Each dataset has an owner, a licence, a set of curators
//! and a contribution policy. Contributors submit single items (`contribute`) or batches of items
//! under a Merkle root (`contribute_batch`, one record and the same weight whatever the count);
//! curators review them; accepted contributions earn their contributor points (reported to the
//! rewards pallet through [`PointsSink`]); `snapshot` freezes the accepted set as a version that
//! models train on.
//!
//! **The licence and the policy.** A dataset's licence is fixed at creation and decides which
//! item licences it accepts (the table in `lineage_primitives::licence`, which also decides which
//! data may train which model). Its policy says whether it is open or curated, the contribution
//! deposit, the share of that deposit slashed on rejection, the least consent a contribution must
//! give, and the withdrawal grace: how many blocks (at most `MaxWithdrawalGrace`) a model trained
//! on a snapshot a consent withdrawal reached still takes jobs. A policy change reaches only what
//! comes after it: a contribution keeps the rejection share of its submission, and a snapshot
//! keeps the grace in force when it was taken, so builders know it before they train.
//!
//! **Points follow only what someone accountable vouched for.** The chain cannot check a batch's
//! item count, so a count earns points only when a curator accepts it, with a quality of 1..=100
//! (`quality × count`, the curator named in the record and the event); a rejection sends the
//! policy's share of the contribution deposit to `SlashDestination`. An open dataset accepts at
//! once, without review, and credits every contribution as one item (`DefaultQuality` points),
//! whatever count it claims; each one holds a record deposit. Points only split their own
//! dataset's revenue (and the emission that revenue backs), so no count, however large, draws
//! rewards from other datasets.
//!
//! One storage query answers *who contributed what to this dataset, under which licence and
//! consent, who accepted it, and which snapshot froze it*: a [`Contribution`] records its
//! contributor, content, licence, consent, reviewer and the first snapshot that contains it.
//!
//! **Consent withdrawal taints only the snapshots that hold the item.** A dataset keeps two hash
//! chains: the content root over accepted contributions and the withdrawn root over withdrawn ones;
//! a snapshot records both and holds the first less the second, so the snapshot after a withdrawal
//! excludes the item and is clean. A withdrawal marks the range from the item's first snapshot to
//! the latest one by merging it into the dataset's sorted, disjoint `TaintedRanges` (a binary
//! search over them, at most 32 reads); whether a snapshot is tainted takes at most two reads,
//! whatever the number of ranges (see [`Pallet::snapshot_status`]). Both chains start from zero
//! and link `root' = blake2_256(SCALE(root, contribution id, item hash or batch root, item
//! count))`: the content root in acceptance order, the withdrawn root in withdrawal order (each
//! record keeps its place in both), so anyone can recompute a snapshot from the records
//! (`lineage datasets verify-snapshot`). The clean snapshot after a withdrawal may be taken at
//! once, even with nothing new accepted. Models find out through [`DatasetInspect`].
//!
//! **A consent withdrawal confiscates nothing.** Jobs accepted before it settle in full, the
//! snapshot's share going to its remaining contributors; models trained on a snapshot it reached
//! keep taking jobs for the grace that snapshot was taken with (the least of a model's withdrawn
//! snapshots), counted from the first job submitted after the withdrawal, while their builder
//! retrains on the next snapshot. The withdrawer's own points stop earning at once, and what they
//! earned and was not claimed goes to the treasury.
//!
//! **A takedown answers for the dataset.** `takedown` (governance) freezes the dataset and makes
//! every snapshot of it unusable, and sends the owner's dataset deposit to `SlashDestination`:
//! the owner answers for what it published. Models trained on it take no new jobs, and jobs
//! already accepted on them pay its data share to the treasury, not to its contributors.
//!
//! Deposits are `fungible` holds: the dataset deposit (owner, while the dataset is open), the
//! record deposit (contributor, while the contribution's record exists) and the review deposit
//! (contributor, until review; partly slashed to `SlashDestination` on rejection).
//! `close_dataset` (nothing pending) stops contributions and snapshots, keeps the snapshots
//! usable and releases the dataset deposit; `remove_contribution` releases both deposits of a
//! pending contribution. An accepted contribution's record keeps its deposit: the snapshots'
//! roots are recomputed from it, and its contributor withdraws consent with it, for as long as a
//! snapshot holding it may be used.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod contribution;
mod dataset;
mod impl_dataset_inspect;
pub mod migrations;
mod queries;
mod snapshot;
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

pub use pallet::*;
pub use snapshot::MAX_RANGE_PROBES;
pub use types::*;
pub use weights::WeightInfo;

use lineage_primitives::{DatasetInspect, PointsSink};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use lineage_primitives::{
		Consent, ContentRef, ContributionId, DatasetId, Licence, Points, SnapshotVersion, Uri,
	};
	use sp_core::H256;
	use sp_runtime::traits::StaticLookup;

	/// The in-code storage version: 1 added `OwnedDatasets` (`migrations::v1`), 2
	/// `AcceptedContributions` (`migrations::v2`).
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an open dataset, held from its owner.
		DatasetDeposit,
		/// A contribution's record and review deposits, held from its contributor.
		ContributionDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that may take a dataset down (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Receives the points contributors earn and lose.
		type Points: PointsSink<Self::AccountId>;

		/// Where the slashed part of a rejected contribution's deposit goes (the treasury).
		#[pallet::constant]
		type SlashDestination: Get<Self::AccountId>;

		/// Held from a dataset's owner while the dataset is open (governed).
		type DatasetDeposit: Get<BalanceOf<Self>>;

		/// Held from a contributor while the contribution's record exists (pays for its storage;
		/// governed; a record keeps the deposit it was submitted with).
		type ContributionRecordDeposit: Get<BalanceOf<Self>>;

		/// The longest URI accepted, at most `lineage_primitives::MAX_URI_LEN`.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// The most curators a dataset may have, its owner included.
		#[pallet::constant]
		type MaxCurators: Get<u32>;

		/// The quality given to contributions to an open dataset (1..=100; governed).
		type DefaultQuality: Get<u8>;

		/// The longest withdrawal grace a dataset's policy may declare, in blocks: a withdrawal
		/// reaches every model trained on the item at most this long after the model's next use.
		#[pallet::constant]
		type MaxWithdrawalGrace: Get<u32>;

		/// The most entries a paged runtime-API query returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next dataset gets.
	#[pallet::storage]
	pub type NextDatasetId<T> = StorageValue<_, DatasetId, ValueQuery>;

	/// The datasets.
	#[pallet::storage]
	pub type Datasets<T: Config> = StorageMap<_, Twox64Concat, DatasetId, DatasetOf<T>>;

	/// The curators of each dataset, owner first.
	#[pallet::storage]
	pub type Curators<T: Config> = StorageMap<
		_,
		Twox64Concat,
		DatasetId,
		BoundedVec<T::AccountId, T::MaxCurators>,
		ValueQuery,
	>;

	/// The id the next contribution gets.
	#[pallet::storage]
	pub type NextContributionId<T> = StorageValue<_, ContributionId, ValueQuery>;

	/// The contributions (pending and accepted; rejected ones are removed).
	#[pallet::storage]
	pub type Contributions<T: Config> =
		StorageMap<_, Twox64Concat, ContributionId, ContributionOf<T>>;

	/// Which contribution holds an item hash (or batch root) in a dataset: no hash twice.
	#[pallet::storage]
	pub type ItemIndex<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Identity, H256, ContributionId>;

	/// The datasets each account owns, one entry per dataset record (so as bounded as
	/// `Datasets`: each was created with the dataset deposit); `DatasetsApi::owned_datasets` pages
	/// through it.
	#[pallet::storage]
	pub type OwnedDatasets<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		DatasetId,
		(),
		OptionQuery,
	>;

	/// The contributions of each account (backed by their record deposits).
	#[pallet::storage]
	pub type AccountContributions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ContributionId,
		(),
		OptionQuery,
	>;

	/// Each dataset's accepted contributions by acceptance position (0, 1, …): the order its
	/// `content_root` chains them in, so that anyone can recompute the root (and a snapshot's) by
	/// paging through `DatasetsApi::accepted_contributions`. One entry per accepted contribution,
	/// kept with it and backed by its record deposit.
	#[pallet::storage]
	pub type AcceptedContributions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, u32, ContributionId>;

	/// Points each contributor holds in each dataset (accepted, consent not withdrawn).
	#[pallet::storage]
	pub type ContributorPoints<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		DatasetId,
		Blake2_128Concat,
		T::AccountId,
		Points,
		ValueQuery,
	>;

	/// The snapshots of each dataset, by version (1, 2, …).
	#[pallet::storage]
	pub type Snapshots<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, SnapshotVersion, SnapshotOf<T>>;

	/// The snapshot ranges of each dataset that hold an item withdrawn after they were taken:
	/// sorted, disjoint, and live up to the dataset's `tainted_ranges` (entries past it are left
	/// over from merged ranges and are overwritten as ranges are added).
	#[pallet::storage]
	pub type TaintedRanges<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, u32, SnapshotRange>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A dataset was created; its deposit is held from the owner.
		DatasetCreated {
			dataset: DatasetId,
			owner: T::AccountId,
			licence: Licence,
			admission: Admission,
		},
		/// A dataset's metadata or policy changed: each is the new value, `None` where it did not
		/// change.
		DatasetUpdated {
			dataset: DatasetId,
			metadata: Option<ContentRef>,
			policy: Option<PolicyOf<T>>,
		},
		/// A curator was added.
		CuratorAdded { dataset: DatasetId, curator: T::AccountId },
		/// A curator was removed.
		CuratorRemoved { dataset: DatasetId, curator: T::AccountId },
		/// A dataset changed hands; its deposit moved with it.
		OwnershipTransferred { dataset: DatasetId, from: T::AccountId, to: T::AccountId },
		/// A contribution was submitted; its deposits are held.
		Contributed {
			dataset: DatasetId,
			contribution: ContributionId,
			contributor: T::AccountId,
			hash: H256,
			items: u32,
		},
		/// A contribution was accepted; its contributor earned `points`.
		ContributionAccepted {
			dataset: DatasetId,
			contribution: ContributionId,
			contributor: T::AccountId,
			quality: u8,
			points: Points,
			reviewer: Option<T::AccountId>,
		},
		/// A contribution was rejected and removed; `slashed` went to the slash destination.
		ContributionRejected {
			dataset: DatasetId,
			contribution: ContributionId,
			contributor: T::AccountId,
			reason: RejectReason,
			slashed: BalanceOf<T>,
		},
		/// The accepted set was frozen as snapshot `version`.
		SnapshotTaken {
			dataset: DatasetId,
			version: SnapshotVersion,
			content_root: H256,
			withdrawn_root: H256,
			items: u64,
			total_points: Points,
		},
		/// A contributor withdrew consent: the contribution stopped earning, the snapshots that
		/// hold it (`tainted`, none when no snapshot does yet) are marked withdrawn, and the next
		/// snapshot leaves it out.
		ConsentWithdrawn {
			dataset: DatasetId,
			contribution: ContributionId,
			contributor: T::AccountId,
			points_removed: Points,
			tainted: Option<SnapshotRange>,
		},
		/// Governance took a dataset down: it is frozen, all its snapshots are unusable, and the
		/// owner's deposit (`slashed`, zero for a closed dataset) went to the slash destination.
		DatasetTakenDown { dataset: DatasetId, reason: H256, slashed: BalanceOf<T> },
		/// The owner closed a dataset; its deposit was released.
		DatasetClosed { dataset: DatasetId, deposit_released: BalanceOf<T> },
		/// A pending contribution was withdrawn by its contributor; its deposits were released.
		ContributionRemoved {
			dataset: DatasetId,
			contribution: ContributionId,
			contributor: T::AccountId,
			refunded: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No dataset has this id.
		UnknownDataset,
		/// No contribution has this id (rejected contributions are removed).
		UnknownContribution,
		/// Only the dataset's owner may do this.
		NotOwner,
		/// Only a curator of the dataset may do this.
		NotCurator,
		/// The account already curates this dataset.
		AlreadyCurator,
		/// The dataset has the most curators allowed; remove one first.
		TooManyCurators,
		/// The owner is always a curator; transfer ownership first.
		CannotRemoveOwner,
		/// The account already owns this dataset.
		AlreadyOwner,
		/// The contribution was already reviewed.
		AlreadyReviewed,
		/// Quality must be between 1 and 100.
		QualityOutOfRange,
		/// A batch must hold at least one item.
		ZeroCount,
		/// Content must have at least one byte.
		ZeroBytes,
		/// The URI is longer than `MaxUriLen`.
		UriTooLong,
		/// The item's licence cannot be redistributed under the dataset's licence (see the table in
		/// `lineage_primitives::licence`).
		IncompatibleLicence,
		/// The contribution's consent is narrower than the dataset's policy requires.
		InsufficientConsent,
		/// The dataset was taken down by governance: it is frozen.
		DatasetTakenDown,
		/// The dataset was closed by its owner: it is frozen.
		DatasetClosed,
		/// Nothing was accepted or withdrawn since the latest snapshot.
		NothingToSnapshot,
		/// Only the contributor may do this.
		NotContributor,
		/// Consent was already withdrawn from this contribution.
		AlreadyWithdrawn,
		/// The contribution is still pending: remove it instead.
		NotAccepted,
		/// The contribution was already accepted: only pending contributions can be removed.
		NotPending,
		/// This item hash (or batch root) is already in the dataset.
		DuplicateItem,
		/// The dataset has pending contributions: review them first.
		HasPendingContributions,
		/// A counter would overflow.
		Overflow,
		/// The dataset has taken the most snapshots a dataset may (65,535): start a new dataset.
		TooManySnapshots,
		/// The policy's withdrawal grace is longer than `MaxWithdrawalGrace` allows.
		GraceTooLong,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(
				T::MaxUriLen::get() <= lineage_primitives::MAX_URI_LEN,
				"MaxUriLen exceeds MAX_URI_LEN"
			);
			assert!((1..=100).contains(&T::DefaultQuality::get()), "DefaultQuality not in 1..=100");
			assert!(T::MaxCurators::get() >= 1, "MaxCurators must leave room for the owner");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a dataset.
		///
		/// - `origin`: signed; becomes the owner and first curator.
		/// - `metadata`: description of the dataset, off-chain.
		/// - `licence`: the licence the dataset is distributed under; it decides which item
		///   licences the dataset accepts and cannot change later.
		/// - `policy`: open or curated, the contribution deposit, the share of it slashed on
		///   rejection, the least consent a contribution must give, and the withdrawal grace
		///   (how long, in blocks, a model trained on a snapshot a withdrawal reached still
		///   takes jobs; at most `MaxWithdrawalGrace`).
		///
		/// Holds `DatasetDeposit` from the owner. Emits `DatasetCreated`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_dataset())]
		pub fn create_dataset(
			origin: OriginFor<T>,
			metadata: ContentRef,
			licence: Licence,
			policy: PolicyOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_dataset(owner, metadata, licence, policy)
		}

		/// Change a dataset's metadata or policy (the licence never changes).
		///
		/// - `origin`: the owner.
		///
		/// The new policy applies to contributions submitted from now on, and its withdrawal grace
		/// to snapshots taken from now on (each snapshot keeps the grace it was taken with).
		/// Emits `DatasetUpdated`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_dataset())]
		pub fn update_dataset(
			origin: OriginFor<T>,
			dataset: DatasetId,
			metadata: Option<ContentRef>,
			policy: Option<PolicyOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_dataset(who, dataset, metadata, policy)
		}

		/// Add a curator, who may then review contributions and take snapshots.
		///
		/// - `origin`: the owner.
		///
		/// At most `MaxCurators` curators. Emits `CuratorAdded`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_curator())]
		pub fn add_curator(
			origin: OriginFor<T>,
			dataset: DatasetId,
			curator: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let curator = T::Lookup::lookup(curator)?;
			Self::do_add_curator(who, dataset, curator)
		}

		/// Remove a curator (not the owner).
		///
		/// - `origin`: the owner.
		///
		/// Emits `CuratorRemoved`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_curator())]
		pub fn remove_curator(
			origin: OriginFor<T>,
			dataset: DatasetId,
			curator: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let curator = T::Lookup::lookup(curator)?;
			Self::do_remove_curator(who, dataset, curator)
		}

		/// Hand a dataset to a new owner, who becomes a curator.
		///
		/// - `origin`: the owner.
		///
		/// The dataset deposit moves from the old owner's hold to the new owner's. Emits
		/// `OwnershipTransferred`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::transfer_ownership())]
		pub fn transfer_ownership(
			origin: OriginFor<T>,
			dataset: DatasetId,
			new_owner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Self::do_transfer_ownership(who, dataset, new_owner)
		}

		/// Contribute one item.
		///
		/// - `origin`: signed; the contributor.
		/// - `item`: the item's hash, URI and size; the hash must be new to the dataset.
		/// - `licence`: the licence the contributor grants; the dataset must accept it.
		/// - `consent`: what the contributor allows; at least the policy's `min_consent`.
		///
		/// Holds the record deposit and the dataset's contribution deposit. In an open dataset the
		/// item is accepted at once with `DefaultQuality` and the contribution deposit is released.
		/// Emits `Contributed` (and `ContributionAccepted` in an open dataset).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::contribute().saturating_add(T::Points::points_added_weight()))]
		pub fn contribute(
			origin: OriginFor<T>,
			dataset: DatasetId,
			item: ContentRef,
			licence: Licence,
			consent: Consent,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_contribute(who, dataset, item, 1, licence, consent)
		}

		/// Contribute `count` items as one record: `root` is the Merkle root of the items' hashes
		/// (the proofs stay off-chain), `uri` where the items can be fetched.
		///
		/// - `origin`: signed; the contributor.
		/// - `count`: at least 1; `total_bytes`: at least 1.
		///
		/// Costs the same whatever `count`. Deposits, acceptance and events as `contribute`. A
		/// batch a curator accepts earns `quality × count` points; in an open dataset, where
		/// nobody vouches for the count, it earns `DefaultQuality` points as one item.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::contribute_batch(*count).saturating_add(T::Points::points_added_weight()))]
		#[allow(clippy::too_many_arguments)]
		pub fn contribute_batch(
			origin: OriginFor<T>,
			dataset: DatasetId,
			root: H256,
			count: u32,
			total_bytes: u64,
			uri: Uri,
			licence: Licence,
			consent: Consent,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(count > 0, Error::<T>::ZeroCount);
			let content = ContentRef { hash: root, uri, bytes: total_bytes };
			Self::do_contribute(who, dataset, content, count, licence, consent)
		}

		/// Accept or reject a pending contribution.
		///
		/// - `origin`: a curator of the contribution's dataset.
		/// - `verdict`: `Accept { quality }` with quality 1..=100: the contributor earns
		///   `quality × items` points and the contribution deposit is released. `Reject { reason }`:
		///   the policy's `reject_slash` share of the contribution deposit goes to the slash
		///   destination, the rest and the record deposit are released, and the record is removed.
		///
		/// Emits `ContributionAccepted` or `ContributionRejected`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::review_accept().max(T::WeightInfo::review_reject()).saturating_add(T::Points::points_added_weight()))]
		pub fn review(
			origin: OriginFor<T>,
			contribution: ContributionId,
			verdict: Review,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_review(who, contribution, verdict)
		}

		/// Freeze the accepted set as the next snapshot version.
		///
		/// - `origin`: a curator.
		///
		/// Records the content and withdrawn roots, item count, points and consent. Refused when
		/// nothing was accepted or withdrawn since the latest snapshot. Emits `SnapshotTaken`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::snapshot().saturating_add(T::Points::snapshot_taken_weight()))]
		pub fn snapshot(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_snapshot(who, dataset)
		}

		/// Withdraw consent from an accepted contribution.
		///
		/// - `origin`: the contributor.
		///
		/// The contribution stops earning (its points are removed), every snapshot that holds
		/// it (from its first snapshot to the latest) is marked withdrawn, and the next snapshot
		/// leaves it out. Emits `ConsentWithdrawn`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::withdraw_consent(MAX_RANGE_PROBES).saturating_add(T::Points::points_removed_weight()))]
		pub fn withdraw_consent(
			origin: OriginFor<T>,
			contribution: ContributionId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_consent(who, contribution)
		}

		/// Take a dataset down.
		///
		/// - `origin`: `AdminOrigin` (governance).
		/// - `reason`: hash of the published reason (a legal notice, a decision).
		///
		/// The dataset is frozen and every snapshot of it becomes unusable: models trained on it
		/// are tainted and take no new jobs, and jobs already accepted on them pay its data share
		/// to the treasury. The owner's deposit goes to the slash destination (the owner answers
		/// for what the dataset published); pending contributions can still be removed by their
		/// contributors. Emits `DatasetTakenDown`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::takedown())]
		pub fn takedown(origin: OriginFor<T>, dataset: DatasetId, reason: H256) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_takedown(dataset, reason)
		}

		/// Close a dataset: no more contributions or snapshots; its snapshots stay usable.
		///
		/// - `origin`: the owner.
		///
		/// Refused while contributions are pending. Releases the dataset deposit. Emits
		/// `DatasetClosed`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::close_dataset())]
		pub fn close_dataset(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_dataset(who, dataset)
		}

		/// Withdraw a pending contribution.
		///
		/// - `origin`: the contributor.
		///
		/// Releases both deposits in full and removes the record. Emits `ContributionRemoved`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::remove_contribution())]
		pub fn remove_contribution(
			origin: OriginFor<T>,
			contribution: ContributionId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_contribution(who, contribution)
		}
	}

	/// An account id or an address that resolves to one.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
}
