//! # Models
//!
//! Model builders register models and publish versions trained on dataset snapshots. One query
//! answers *which data, under which licences, and which parent models went into this version, who
//! built it, who is paid when it is used, and may it still be used*: a [`ModelVersion`] records its
//! inputs, its parent and flattened ancestry, its attribution table, its owner's share and price.
//!
//! `register_model` (a model card and a licence) holds `ModelDeposit`. `publish_version` takes the
//! artifact, the training inputs (dataset snapshots, at most `MaxInputs`, with weights summing to
//! exactly 100%), an optional parent version of this or any other model, the builder's share of
//! the price (at most `MaxBuilderShare`) and the inference price, and holds `VersionDeposit`.
//! `set_price`, `deprecate_version` and `transfer_model` are the owner's; a transfer moves the
//! model deposit to the new owner, who then sets the versions' prices and earns their builder
//! share (each version's deposit stays with its publisher).
//!
//! - **Licence checks.** `publish_version` refuses unknown, withdrawn or taken-down snapshots, a
//!   tainted parent (`TaintedParent`), and any input whose licence or consent does not allow the
//!   model's licence and use, through [`DatasetInspect`] and the licence table of
//!   `lineage_primitives`. Data that forbids commercial use trains only unpriced models under a
//!   non-commercial licence, and their price stays zero.
//!   The parent model's licence is a licence on the data too: a fine-tune by anyone but the
//!   parent's owner must be a derived work that licence allows (share-alike stays share-alike,
//!   non-commercial stays unpriced), and a proprietary or custom-licensed model is fine-tuned by
//!   its owner only (`NotParentOwner`). A version whose lineage forbids commercial use has no
//!   price, so no job on it pays its data anything.
//! - **Attribution.** A version's table is flattened when it is published: its own inputs share
//!   `100% − ParentShare`, its parent's table is folded in at `ParentShare`, entries are merged per
//!   dataset (keeping the latest snapshot used) and bounded by `MaxAttributionEntries`; rounding
//!   dust goes to the largest entry, so the shares sum to exactly 100%. Settlement reads one
//!   table, never the DAG.
//! - **Ancestry.** A version stores its ancestors, parent first, at most `MaxLineageDepth` deep
//!   (`LineageTooDeep` beyond), so its lineage and its revocations are read without walking the
//!   DAG.
//! - **Taint, lazily.** A version is tainted when a snapshot in its table is withdrawn or taken
//!   down, or when it or an ancestor is revoked by governance (`revoke_version`, one marker). Both
//!   are found by reading the bounded table and the stored ancestry, so nothing is written to the
//!   models when data is withdrawn, and nothing loops over descendants. A takedown or revocation
//!   stops new jobs at once; a consent withdrawal after the grace each snapshot declared (its
//!   dataset's policy when it was taken; the least of them), counted from the first job submitted
//!   on the version after the withdrawal reached it (`GraceStarted`), so its builder can retrain on
//!   the next snapshot while jobs go on; jobs accepted before settle normally.
//!
//! Deposits are `fungible` holds: the model deposit (owner) and a deposit per version (publisher),
//! both kept for as long as the records exist. A version is lineage that jobs and derived versions
//! point at, so it is retired (`retire_version`: record removed, deposit released) only once it is
//! deprecated, no job on it is running ([`JobInspect`]) and no live version derives from it; a
//! model with no versions left is removed with `remove_model`.
//!
//! `ModelsApi` answers `model`, `versions` (paged), `version` (with its owner and taint), `lineage`
//! (the ancestors with their input snapshots), `attribution`, `taint`, and the listings `models`
//! and `versions_where`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod impl_model_inspect;
mod model;
mod queries;
mod taint;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
mod types;
mod version;

pub mod runtime_api;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use lineage_primitives::{DatasetInspect, JobInspect, ModelInspect};

/// What the benchmarks need from the runtime: usable dataset snapshots to train on.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// A new, usable snapshot of a new dataset under CC0 whose data consents to everything;
	/// `index` tells calls apart.
	fn snapshot(index: u32) -> lineage_primitives::SnapshotRef;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use lineage_primitives::{ContentRef, Licence, ModelId, ModelVersionId};
	use sp_core::H256;
	use sp_runtime::{traits::StaticLookup, Perbill};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a model, held from its owner.
		ModelDeposit,
		/// The deposit of a published version, held from its publisher.
		VersionDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Read access to dataset snapshots (the datasets pallet).
		type Datasets: DatasetInspect;

		/// The origin that may revoke a version (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The share of a child version's attribution that goes to its parent's table (a
		/// governance parameter).
		type ParentShare: Get<Perbill>;

		/// The highest builder share a version may set; the rest of its price goes to the data
		/// (governed).
		type MaxBuilderShare: Get<Perbill>;

		/// Held from a model's owner while the model exists (governed).
		type ModelDeposit: Get<BalanceOf<Self>>;

		/// Held from a version's publisher for its record (governed; a version keeps the deposit
		/// it was published with).
		type VersionDeposit: Get<BalanceOf<Self>>;

		/// The longest URI accepted, at most `lineage_primitives::MAX_URI_LEN`.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// The most training inputs (snapshots) a version may list.
		#[pallet::constant]
		type MaxInputs: Get<u32>;

		/// The most datasets a version's attribution table may hold.
		#[pallet::constant]
		type MaxAttributionEntries: Get<u32>;

		/// The most ancestors a version may have (parent, grandparent, …); at most
		/// `lineage_primitives::MAX_LINEAGE_DEPTH`.
		#[pallet::constant]
		type MaxLineageDepth: Get<u32>;

		/// The most entries a paged runtime-API query returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// Tells whether jobs still run on a version (the compute pallet).
		type Jobs: JobInspect;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Creates the dataset snapshots the benchmarks train on.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper;
	}

	/// The id the next model gets.
	#[pallet::storage]
	pub type NextModelId<T> = StorageValue<_, ModelId, ValueQuery>;

	/// The models.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Twox64Concat, ModelId, ModelOf<T>>;

	/// The id the next version gets (ids run across all models).
	#[pallet::storage]
	pub type NextVersionId<T> = StorageValue<_, ModelVersionId, ValueQuery>;

	/// The published versions.
	#[pallet::storage]
	pub type Versions<T: Config> = StorageMap<_, Twox64Concat, ModelVersionId, VersionOf<T>>;

	/// The versions of each model (backed by their deposits).
	#[pallet::storage]
	pub type ModelVersions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ModelId, Twox64Concat, ModelVersionId, (), OptionQuery>;

	/// Versions revoked by governance, with the reason given. Every version derived from one of
	/// them is unusable too (found through its ancestry).
	#[pallet::storage]
	pub type Revoked<T: Config> = StorageMap<_, Twox64Concat, ModelVersionId, H256>;

	/// The block from which a version tainted by a consent withdrawal counts its grace (the first
	/// job submitted on it after the withdrawal reached it); removed with the version.
	#[pallet::storage]
	pub type GraceStarted<T: Config> =
		StorageMap<_, Twox64Concat, ModelVersionId, BlockNumberFor<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model was registered; its deposit is held from the owner.
		ModelRegistered { model: ModelId, owner: T::AccountId, licence: Licence },
		/// A version was published; its deposit is held from the publisher.
		VersionPublished {
			model: ModelId,
			version: ModelVersionId,
			number: u32,
			parent: Option<ModelVersionId>,
			price: BalanceOf<T>,
			builder_share: Perbill,
			/// How many datasets its attribution table holds.
			datasets: u32,
		},
		/// A version's inference price changed.
		PriceSet { version: ModelVersionId, price: BalanceOf<T> },
		/// The owner retired a version: it takes no new jobs.
		VersionDeprecated { version: ModelVersionId },
		/// A model changed hands; its deposit moved to the new owner.
		ModelTransferred { model: ModelId, from: T::AccountId, to: T::AccountId },
		/// Governance revoked a version: it and every version derived from it are unusable.
		VersionRevoked { version: ModelVersionId, reason: H256 },
		/// The owner retired a version: its record is gone and its deposit (`released`) went back
		/// to its publisher.
		VersionRetired {
			model: ModelId,
			version: ModelVersionId,
			publisher: T::AccountId,
			released: BalanceOf<T>,
		},
		/// The owner removed a model with no versions left; its deposit went back.
		ModelRemoved { model: ModelId, owner: T::AccountId, released: BalanceOf<T> },
		/// A job was submitted on a version a consent withdrawal had reached: the version takes
		/// jobs until block `until` (the least grace its withdrawn snapshots declared), then no
		/// more; its builder retrains on a later snapshot meanwhile.
		GraceStarted { version: ModelVersionId, until: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No model has this id.
		UnknownModel,
		/// No version has this id.
		UnknownVersion,
		/// Only the model's owner may do this.
		NotOwner,
		/// The account already owns the model.
		AlreadyOwner,
		/// The URI is longer than `MaxUriLen`; shorten it.
		UriTooLong,
		/// A version needs at least one training input.
		NoInputs,
		/// The same snapshot is listed twice; list it once with the summed weight.
		DuplicateInput,
		/// An input has zero weight; drop it or give it a weight.
		ZeroWeight,
		/// The input weights must sum to exactly 100%.
		WeightsNotWhole,
		/// No such dataset snapshot.
		UnknownSnapshot,
		/// A contributor whose data is in the snapshot withdrew consent; train on a later
		/// snapshot of a version that does not hold the data, or on other data.
		SnapshotWithdrawn,
		/// The snapshot's dataset was taken down by governance.
		SnapshotTakenDown,
		/// The data's licence does not allow a model under this model's licence (share-alike,
		/// proprietary or custom terms).
		IncompatibleLicence,
		/// The data forbids commercial use, and the model is priced or under a commercial licence.
		CommercialUseForbidden,
		/// The data's contributors did not consent to training.
		NoTrainingConsent,
		/// No version has the parent's id.
		UnknownParent,
		/// The parent is tainted (revoked, or trained on withdrawn or taken-down data).
		TaintedParent,
		/// The parent model is proprietary or under custom terms: only its owner may fine-tune
		/// it.
		NotParentOwner,
		/// A version derives only from versions published before it; this parent would make it
		/// its own ancestor.
		LineageCycle,
		/// The parent's ancestry is already `MaxLineageDepth` deep.
		LineageTooDeep,
		/// Merging the inputs with the parent's table needs more than `MaxAttributionEntries`
		/// datasets.
		TooManyAttributionEntries,
		/// The builder share is above `MaxBuilderShare`.
		BuilderShareTooHigh,
		/// The version is already deprecated.
		AlreadyDeprecated,
		/// The version is already revoked.
		AlreadyRevoked,
		/// An id or counter ran out.
		Overflow,
		/// Only a deprecated version can be retired; deprecate it first.
		NotDeprecated,
		/// Jobs on the version are still running; retire it once they have ended.
		HasOpenJobs,
		/// A version derives from this one; it can be retired once they are.
		HasChildren,
		/// The model still has versions; retire them first.
		HasVersions,
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
			assert!(T::MaxInputs::get() >= 1, "MaxInputs must allow an input");
			assert!(
				T::MaxAttributionEntries::get() >= T::MaxInputs::get(),
				"MaxAttributionEntries must hold a version's own inputs"
			);
			assert!(
				T::MaxAttributionEntries::get() <= lineage_primitives::MAX_ATTRIBUTION_ENTRIES,
				"MaxAttributionEntries exceeds MAX_ATTRIBUTION_ENTRIES"
			);
			assert!(
				T::MaxLineageDepth::get() <= lineage_primitives::MAX_LINEAGE_DEPTH,
				"MaxLineageDepth exceeds MAX_LINEAGE_DEPTH"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a model.
		///
		/// - `origin`: the owner.
		/// - `metadata`: the model card, off-chain.
		/// - `licence`: the licence its versions are released under; it decides which data may
		///   train them.
		///
		/// Holds `ModelDeposit` from the owner. Emits `ModelRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_model())]
		pub fn register_model(
			origin: OriginFor<T>,
			metadata: ContentRef,
			licence: Licence,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register_model(owner, metadata, licence)
		}

		/// Publish a version of a model.
		///
		/// - `origin`: the model's owner.
		/// - `artifact`: the trained weights, off-chain.
		/// - `inputs`: the snapshots trained on, each with its weight; the weights sum to 100%.
		/// - `parent`: the version it was fine-tuned or distilled from, of this or another model;
		///   another owner's model only as its licence allows (see the crate docs).
		/// - `builder_share`: the owner's share of the price, at most `MaxBuilderShare`.
		/// - `price`: the price of one inference job; zero when the data forbids commercial use.
		///
		/// Refuses unusable snapshots, a tainted parent and incompatible licences or consent,
		/// the parent model's licence included.
		/// Stores the flattened attribution table and ancestry. Holds `VersionDeposit` from the
		/// owner. Emits `VersionPublished`. Costs grow with the inputs and the parent's table.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::publish_version(
			inputs.len() as u32,
			T::MaxAttributionEntries::get().saturating_sub(inputs.len() as u32),
		))]
		pub fn publish_version(
			origin: OriginFor<T>,
			model: ModelId,
			artifact: ContentRef,
			inputs: InputsOf<T>,
			parent: Option<ModelVersionId>,
			builder_share: Perbill,
			price: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let inputs_len = inputs.len() as u32;
			let parent_entries = Self::do_publish_version(
				who,
				model,
				artifact,
				inputs,
				parent,
				builder_share,
				price,
			)?;
			Ok(Some(T::WeightInfo::publish_version(inputs_len, parent_entries)).into())
		}

		/// Set the inference price of a version.
		///
		/// - `origin`: the model's owner.
		///
		/// A version whose data forbids commercial use keeps a price of zero. Emits `PriceSet`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_price())]
		pub fn set_price(
			origin: OriginFor<T>,
			version: ModelVersionId,
			price: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_price(who, version, price)
		}

		/// Retire a version: compute takes no new jobs for it; running jobs finish.
		///
		/// - `origin`: the model's owner.
		///
		/// Emits `VersionDeprecated`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::deprecate_version())]
		pub fn deprecate_version(origin: OriginFor<T>, version: ModelVersionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deprecate_version(who, version)
		}

		/// Hand a model to another account: it then owns the model's versions, sets their prices
		/// and earns their builder share.
		///
		/// - `origin`: the model's owner.
		///
		/// Moves the model deposit onto the new owner (versions' deposits stay with their
		/// publishers). Emits `ModelTransferred`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::transfer_model())]
		pub fn transfer_model(
			origin: OriginFor<T>,
			model: ModelId,
			new_owner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Self::do_transfer_model(who, model, new_owner)
		}

		/// Revoke a version: it and every version derived from it can no longer be used.
		///
		/// - `origin`: `AdminOrigin` (governance).
		/// - `reason`: the hash of the published reasons.
		///
		/// Writes one marker; derived versions find it through their stored ancestry. Emits
		/// `VersionRevoked`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revoke_version())]
		pub fn revoke_version(
			origin: OriginFor<T>,
			version: ModelVersionId,
			reason: H256,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_revoke_version(version, reason)
		}

		/// Retire a version: remove its record and release its deposit to its publisher.
		///
		/// - `origin`: the model's owner.
		///
		/// Only a deprecated version (`NotDeprecated`) that no job still runs on (`HasOpenJobs`)
		/// and no version derives from (`HasChildren`; retire those first). Ended jobs keep their
		/// records, which name the version. Emits `VersionRetired`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::retire_version())]
		pub fn retire_version(origin: OriginFor<T>, version: ModelVersionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire_version(who, version)
		}

		/// Remove a model whose versions are all retired, releasing its deposit to its owner.
		///
		/// - `origin`: the model's owner.
		///
		/// Refused while a version is left (`HasVersions`). Emits `ModelRemoved`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::remove_model())]
		pub fn remove_model(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_model(who, model)
		}
	}

	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
}
