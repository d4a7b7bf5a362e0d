//! The records of pallet-models. All bounded, all `MaxEncodedLen`.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible::Inspect, Get},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{
	AttributionEntry, ContentRef, DatasetId, Licence, ModelId, ModelVersionId, SnapshotRef, Taint,
};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;

use crate::Config;

/// Balance of the currency the deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A model as stored.
pub type ModelOf<T> =
	ModelInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A model version as stored.
pub type VersionOf<T> = ModelVersion<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxInputs,
	<T as Config>::MaxAttributionEntries,
	<T as Config>::MaxLineageDepth,
>;

/// The training inputs of a version, as given to `publish_version`.
pub type InputsOf<T> = BoundedVec<TrainingInput, <T as Config>::MaxInputs>;

/// A version's attribution table.
pub type AttributionOf<T> = BoundedVec<AttributionEntry, <T as Config>::MaxAttributionEntries>;

/// A version's ancestors, parent first.
pub type AncestorsOf<T> = BoundedVec<ModelVersionId, <T as Config>::MaxLineageDepth>;

/// A registered model.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct ModelInfo<AccountId, Balance, BlockNumber> {
	/// Who owns the model: publishes its versions, sets their prices and earns the builder share.
	pub owner: AccountId,
	/// The model card (description, architecture, intended use), off-chain.
	pub metadata: ContentRef,
	/// The licence the model's versions are released under.
	pub licence: Licence,
	/// Held from the owner while the model exists.
	pub deposit: Balance,
	/// How many versions the model has published (retired ones included): the next is number
	/// `versions + 1`.
	pub versions: u32,
	/// How many of them are not retired.
	pub live: u32,
	/// The most recently published version, unless it was retired.
	pub latest: Option<ModelVersionId>,
	/// When the model was registered.
	pub created: BlockNumber,
}

/// One training input of a version: a dataset snapshot and its weight in the training mix.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub struct TrainingInput {
	/// The snapshot trained on.
	pub snapshot: SnapshotRef,
	/// Its weight; the weights of a version's inputs sum to 100%.
	pub weight: Perbill,
}

/// A published model version: what went into it, who built it, who is paid when it is used.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxInputs, MaxEntries, MaxDepth))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
#[allow(clippy::multiple_bound_locations)]
pub struct ModelVersion<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxInputs: Get<u32>,
	MaxEntries: Get<u32>,
	MaxDepth: Get<u32>,
> {
	/// The model the version belongs to.
	pub model: ModelId,
	/// Its number within the model: 1, 2, …
	pub number: u32,
	/// Who published it (the model's owner at the time); its deposit is held from them.
	pub publisher: AccountId,
	/// The trained weights, off-chain.
	pub artifact: ContentRef,
	/// The snapshots it was trained on, with their weights.
	pub inputs: BoundedVec<TrainingInput, MaxInputs>,
	/// The version it was fine-tuned or distilled from.
	pub parent: Option<ModelVersionId>,
	/// Every version it derives from, parent first (the flattened ancestry).
	pub ancestors: BoundedVec<ModelVersionId, MaxDepth>,
	/// Each dataset's share of the data part of its revenue, flattened at publish time: its own
	/// inputs, and its parent's table folded in at `ParentShare`. Sums to 100%.
	pub attribution: BoundedVec<AttributionEntry, MaxEntries>,
	/// The share of the inference price that goes to the model's owner.
	pub builder_share: Perbill,
	/// The price of one inference job.
	pub price: Balance,
	/// Whether every input allows commercial use; when not, the price stays zero.
	pub commercial_use: bool,
	/// Whether the owner deprecated it (no new jobs).
	pub deprecated: bool,
	/// How many versions name it as their parent (it cannot be retired while any does).
	pub children: u32,
	/// Held from the publisher for the record's storage, until the version is retired.
	pub deposit: Balance,
	/// When it was published.
	pub published: BlockNumber,
}

/// A model version as the runtime API returns it.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct VersionDetails<AccountId, Balance, BlockNumber> {
	/// The version's id.
	pub id: ModelVersionId,
	/// The model's current owner.
	pub owner: AccountId,
	/// The model's licence.
	pub licence: Licence,
	/// The model the version belongs to.
	pub model: ModelId,
	/// Its number within the model.
	pub number: u32,
	/// Who published it.
	pub publisher: AccountId,
	/// The trained weights, off-chain.
	pub artifact: ContentRef,
	/// The version it derives from directly.
	pub parent: Option<ModelVersionId>,
	/// The owner's share of the inference price.
	pub builder_share: Perbill,
	/// The price of one inference job.
	pub price: Balance,
	/// Whether its data allows commercial use.
	pub commercial_use: bool,
	/// Whether the owner deprecated it (no new jobs).
	pub deprecated: bool,
	/// Why it may not be used, if it may not.
	pub taint: Option<Taint>,
	/// When it was published.
	pub published: BlockNumber,
}

/// A model as the runtime API returns it.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct ModelDetails<AccountId, Balance, BlockNumber> {
	/// The model's id.
	pub id: ModelId,
	/// The model.
	pub info: ModelInfo<AccountId, Balance, BlockNumber>,
}

/// One version in a lineage: who published it, what it was trained on, and whether governance
/// revoked it.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct LineageNode<AccountId> {
	/// The version.
	pub version: ModelVersionId,
	/// Its model.
	pub model: ModelId,
	/// Who published it.
	pub publisher: AccountId,
	/// The version it derives from directly.
	pub parent: Option<ModelVersionId>,
	/// The snapshots it was trained on, with their weights.
	pub inputs: Vec<TrainingInput>,
	/// The reason governance gave, if it revoked the version.
	pub revoked: Option<H256>,
}

/// A version's lineage: the version and its ancestors, parent first (bounded by
/// `MaxLineageDepth + 1` nodes of at most `MaxInputs` inputs each).
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct Lineage<AccountId> {
	/// The version itself, then its parent, grandparent, …
	pub nodes: Vec<LineageNode<AccountId>>,
	/// Its flattened attribution table.
	pub attribution: Vec<AttributionEntry>,
	/// Why it may not be used, if it may not.
	pub taint: Option<Taint>,
}

/// Which versions `ModelsApi::versions_where` lists.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub enum VersionFilter<AccountId> {
	/// Every version.
	All,
	/// The versions of the models an account owns.
	Owner(AccountId),
	/// The versions whose data revenue a dataset shares: trained on one of its snapshots, directly
	/// or through an ancestor ("which models used my data").
	Dataset(DatasetId),
	/// The versions trained directly on a snapshot (their descendants list under `Dataset`).
	Snapshot(SnapshotRef),
}
