//! The records of pallet-datasets. All bounded, all `MaxEncodedLen`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{
	Consent, ContentRef, ContributionId, DatasetId, Licence, Points, SnapshotVersion,
};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;

use crate::Config;

/// Balance of the currency the deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A dataset as stored.
pub type DatasetOf<T> =
	DatasetInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A contribution as stored.
pub type ContributionOf<T> =
	Contribution<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A snapshot as stored.
pub type SnapshotOf<T> = Snapshot<BlockNumberFor<T>>;

/// A contribution policy as stored.
pub type PolicyOf<T> = Policy<BalanceOf<T>>;

/// How contributions enter a dataset.
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
pub enum Admission {
	/// Accepted on submission with the pallet's default quality.
	Open,
	/// Pending until a curator reviews them.
	Curated,
}

/// The rules a dataset sets for its contributions.
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
pub struct Policy<Balance> {
	/// Open or curated.
	pub admission: Admission,
	/// Held from the contributor until review; partly slashed on rejection.
	pub contribution_deposit: Balance,
	/// The share of `contribution_deposit` slashed when a contribution is rejected.
	pub reject_slash: Perbill,
	/// The least consent a contribution must give (e.g. training and commercial use).
	pub min_consent: Consent,
	/// How a consent withdrawal reaches the models trained on a snapshot holding the item, in
	/// blocks: such a model still takes jobs for this long after the first job submitted on it
	/// once the withdrawal reached it, so that its builder can retrain on the next snapshot;
	/// 0: it stops at once. Jobs accepted before the end settle normally. Each snapshot keeps the
	/// grace in force when it was taken, so builders know it before they train. At most the
	/// pallet's `MaxWithdrawalGrace`.
	pub withdrawal_grace: u32,
}

/// Whether a dataset takes contributions.
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
pub enum DatasetStatus<BlockNumber> {
	/// Takes contributions, reviews and snapshots.
	Active,
	/// Closed by its owner: frozen, its snapshots stay usable.
	Closed { at: BlockNumber },
	/// Taken down by governance: frozen, all its snapshots unusable.
	TakenDown { at: BlockNumber, reason: H256 },
}

/// A dataset ("datanet").
#[derive(Clone, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
pub struct DatasetInfo<AccountId, Balance, BlockNumber> {
	/// The owner: first curator, sets the policy, holds the dataset deposit.
	pub owner: AccountId,
	/// Description of the dataset, off-chain.
	pub metadata: ContentRef,
	/// The licence the dataset is distributed under; decides which items it accepts.
	pub licence: Licence,
	/// How contributions enter.
	pub policy: Policy<Balance>,
	/// Held from the owner while the dataset is not closed.
	pub deposit: Balance,
	/// Active, closed or taken down.
	pub status: DatasetStatus<BlockNumber>,
	/// When it was created.
	pub created: BlockNumber,
	/// Contributions waiting for review.
	pub pending: u32,
	/// Accepted contributions (single items and batches).
	pub accepted: u32,
	/// Accepted items (a batch counts its items).
	pub items: u64,
	/// Points of all contributions that still earn (accepted, consent not withdrawn).
	pub total_points: Points,
	/// Hash chain over accepted contributions in acceptance order:
	/// `root' = blake2_256(SCALE(root, contribution id, item hash or batch root, item count))`,
	/// starting from zero.
	pub content_root: H256,
	/// Accepted contributions whose consent was withdrawn.
	pub withdrawn: u32,
	/// Items of those contributions.
	pub withdrawn_items: u64,
	/// Hash chain over the withdrawn contributions in withdrawal order, linked like
	/// `content_root`. A snapshot holds the contributions of its content root less those of its
	/// withdrawn root.
	pub withdrawn_root: H256,
	/// What every accepted contribution allows.
	pub consent: Consent,
	/// The latest snapshot version (0: none yet).
	pub snapshots: SnapshotVersion,
	/// Contributions accepted or withdrawn since the latest snapshot.
	pub changes_since_snapshot: u32,
	/// How many entries of `TaintedRanges` are live (the first ones).
	pub tainted_ranges: u32,
}

/// Snapshot versions `from..=through` of a dataset, each holding an item whose consent was
/// withdrawn after the snapshot was taken.
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
pub struct SnapshotRange {
	/// The first version in the range.
	pub from: SnapshotVersion,
	/// The last version in the range.
	pub through: SnapshotVersion,
}

/// A curator's verdict on a pending contribution.
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
pub enum Review {
	/// Accept with a quality of 1..=100.
	Accept { quality: u8 },
	/// Reject: part of the deposit is slashed.
	Reject { reason: RejectReason },
}

/// Why a contribution was rejected.
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
pub enum RejectReason {
	/// Below the dataset's quality bar.
	LowQuality,
	/// Off-topic for the dataset.
	Irrelevant,
	/// The content does not match its hash, or cannot be fetched.
	Unavailable,
	/// The content's real licence differs from the one declared.
	LicenceMismatch,
	/// Spam or abuse.
	Spam,
	/// Another reason, given as a code.
	Other(u16),
}

/// Where a contribution stands.
#[derive(Clone, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
pub enum ContributionState<AccountId> {
	/// Waiting for a curator.
	Pending,
	/// Accepted into the dataset.
	Accepted {
		/// The quality given, 1..=100.
		quality: u8,
		/// `quality × items credited` (one item unless a curator reviewed it).
		points: Points,
		/// Who accepted it; `None` in an open dataset.
		reviewer: Option<AccountId>,
		/// Its place in the dataset's content root (0 for the first contribution accepted).
		position: u32,
		/// The first snapshot version that contains it.
		first_snapshot: SnapshotVersion,
		/// Its place in the dataset's withdrawn root once the contributor withdrew consent; from
		/// then on it earns nothing and no new snapshot holds it.
		withdrawn: Option<u32>,
	},
}

/// One item, or a batch of items under a Merkle root.
#[derive(Clone, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
pub struct Contribution<AccountId, Balance, BlockNumber> {
	/// The dataset it was contributed to.
	pub dataset: DatasetId,
	/// Who contributed it.
	pub contributor: AccountId,
	/// The item (hash of its content), or the batch (Merkle root of its items' hashes); `bytes` is
	/// the total size.
	pub content: ContentRef,
	/// Number of items: 1, or the batch's count.
	pub items: u32,
	/// The licence the contributor grants.
	pub licence: Licence,
	/// What the contributor allows.
	pub consent: Consent,
	/// Held until review (the dataset's contribution deposit).
	pub review_deposit: Balance,
	/// The share of `review_deposit` slashed if it is rejected: the dataset's policy when it was
	/// submitted (a later policy change does not apply to it).
	pub reject_slash: Perbill,
	/// Held while the record exists (the pallet's record deposit).
	pub record_deposit: Balance,
	/// When it was submitted.
	pub submitted: BlockNumber,
	/// Pending or accepted (rejected contributions are removed).
	pub state: ContributionState<AccountId>,
}

/// A frozen version of a dataset's accepted set. Models train on snapshots.
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
pub struct Snapshot<BlockNumber> {
	/// The dataset's content root when the snapshot was taken.
	pub content_root: H256,
	/// Contributions in the content root (the first `contributions` accepted).
	pub contributions: u32,
	/// The dataset's withdrawn root when the snapshot was taken: these contributions are not in
	/// the snapshot.
	pub withdrawn_root: H256,
	/// Contributions in the withdrawn root (the first `withdrawn` withdrawn).
	pub withdrawn: u32,
	/// Items it holds (withdrawn ones excluded).
	pub items: u64,
	/// Points of contributions still earning when it was taken.
	pub total_points: Points,
	/// What every contribution in it allows.
	pub consent: Consent,
	/// When it was taken.
	pub block: BlockNumber,
	/// How many tainted ranges were live when it was taken; tells in constant time whether a
	/// later withdrawal reached it (see `Pallet::snapshot_status`).
	pub ranges_before: u32,
	/// The dataset's withdrawal grace when it was taken (its policy's `withdrawal_grace`).
	pub withdrawal_grace: u32,
}

/// A dataset with its curators, as the runtime API returns it.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct DatasetDetails<AccountId, Balance, BlockNumber> {
	/// The dataset's id.
	pub id: DatasetId,
	/// The record.
	pub info: DatasetInfo<AccountId, Balance, BlockNumber>,
	/// Its curators, owner first.
	pub curators: alloc::vec::Vec<AccountId>,
}

/// A contribution with its id, as the runtime API returns it.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct ContributionDetails<AccountId, Balance, BlockNumber> {
	/// The contribution's id.
	pub id: ContributionId,
	/// The record.
	pub contribution: Contribution<AccountId, Balance, BlockNumber>,
}
