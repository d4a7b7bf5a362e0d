//! The traits through which the Lineage pallets meet:
//!
//! ```text
//! datasets ──DatasetInspect──▶ models ──ModelInspect──▶ compute ──RevenueSink──▶ rewards
//! datasets ──PointsSink──────────────────────────────────────────────────────▶ rewards
//! compute  ──JobInspect──▶ models
//! ```
//!
//! Each has an implementation for `()` that knows nothing and accepts everything, for mocks and
//! for runtimes that leave a side out.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;

use frame_support::weights::Weight;

use crate::{
	Attribution, Consent, ContributionId, DatasetId, Licence, ModelVersionId, Points, SnapshotRef,
	SnapshotVersion,
};

/// Whether a snapshot's data may still be used.
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
pub enum SnapshotStatus {
	/// Usable.
	Active,
	/// A contributor whose item is in the snapshot withdrew consent after it was taken.
	Withdrawn,
	/// Governance took the dataset down.
	TakenDown,
}

/// What a model needs to know about a dataset snapshot.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct SnapshotView {
	/// The dataset's licence.
	pub licence: Licence,
	/// What every contribution in the snapshot allows.
	pub consent: Consent,
	/// Whether the snapshot may still be used.
	pub status: SnapshotStatus,
	/// The dataset's withdrawal grace when the snapshot was taken, in blocks: how long a model
	/// trained on it still takes jobs once a withdrawal reached it (see
	/// [`ModelVersionView::grace_starts`]).
	pub withdrawal_grace: u32,
}

/// A contribution as a training job on a snapshot reads it.
#[derive(Clone, Copy, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct SnapshotMember {
	/// Whether the snapshot holds it: accepted into the snapshot's dataset before the snapshot
	/// was taken, and not withdrawn by then.
	pub held: bool,
	/// The hash of its content (an item's bytes, or a batch's root); `None` when it is not on
	/// record (never accepted: accepted contributions are never removed).
	pub content: Option<H256>,
}

/// Read access to datasets, for the models and compute pallets.
///
/// A status never returns to `Active`. A consent withdrawal marks the snapshots that hold the
/// item: from its first one to the latest at the time (later snapshots leave it out). So when
/// every snapshot a model used was active when it was published, a later withdrawal that reaches
/// any of them also reaches the latest one it used of that dataset: a model checks only those.
pub trait DatasetInspect {
	/// The snapshot, if it exists.
	fn snapshot_info(snapshot: SnapshotRef) -> Option<SnapshotView>;

	/// Contribution `id` as a training job on `snapshot` reads it; `None` when the snapshot is
	/// not on record.
	fn snapshot_member(snapshot: SnapshotRef, id: ContributionId) -> Option<SnapshotMember>;
}

impl DatasetInspect for () {
	fn snapshot_info(_: SnapshotRef) -> Option<SnapshotView> {
		None
	}

	fn snapshot_member(_: SnapshotRef, _: ContributionId) -> Option<SnapshotMember> {
		None
	}
}

/// Why a model version may no longer be used.
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
pub enum Taint {
	/// A snapshot in its attribution was withdrawn by a contributor.
	SnapshotWithdrawn(SnapshotRef),
	/// A snapshot in its attribution was taken down by governance (or is no longer known).
	SnapshotTakenDown(SnapshotRef),
	/// The version itself or one of its ancestors was revoked by governance.
	Revoked(ModelVersionId),
}

/// One dataset's share of a model version's data revenue.
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
pub struct AttributionEntry {
	/// The dataset, with the latest of its snapshots that reached the version (directly or through
	/// a parent).
	pub snapshot: SnapshotRef,
	/// The dataset's share; the shares of a version's entries sum to 100%.
	pub share: Perbill,
}

/// What compute needs to know about a model version.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct ModelVersionView<AccountId, Balance> {
	/// The model's owner, who receives the builder share.
	pub owner: AccountId,
	/// The price of one job.
	pub price: Balance,
	/// The share of the price that goes to the owner; the rest goes to the data.
	pub builder_share: Perbill,
	/// Whether the version is deprecated (no new jobs).
	pub deprecated: bool,
	/// Why the version may not take new jobs, if it may not. A version whose only taint is a
	/// consent withdrawal takes jobs for the grace its snapshots declared (the least of them),
	/// counted from the first job submitted after the withdrawal.
	pub taint: Option<Taint>,
	/// The version is tainted by a withdrawal and its grace has not started: a job submitted now
	/// starts it ([`ModelInspect::start_grace`]).
	pub grace_starts: bool,
	/// The version's withdrawal grace in blocks (the least its withdrawn snapshots declared)
	/// when a withdrawal alone taints it; 0 otherwise.
	pub grace: u32,
	/// How many ancestors it has (each was checked for revocation to find `taint`).
	pub ancestors: u32,
}

/// Read access to model versions, for the compute pallet.
pub trait ModelInspect<AccountId, Balance> {
	/// The version, if it exists.
	fn version(version: ModelVersionId) -> Option<ModelVersionView<AccountId, Balance>>;
	/// The version's attribution table: each dataset (with the latest snapshot used) and its
	/// share of the data part; the shares sum to 100%, one entry per dataset. Empty for an
	/// unknown version.
	fn attribution(version: ModelVersionId) -> Attribution;
	/// The hash of the version's artifact (what a job on it runs), if the version exists.
	fn artifact(version: ModelVersionId) -> Option<H256>;
	/// A job was submitted on `version` while [`ModelVersionView::grace_starts`]: its withdrawal
	/// grace (`grace` blocks, [`ModelVersionView::grace`]) runs from now.
	fn start_grace(_version: ModelVersionId, _grace: u32) {}

	/// Whether the data of `snapshot` may still be used (a job that settles on a version tainted
	/// meanwhile pays the share of taken-down data to the treasury); `None` for an unknown
	/// snapshot.
	fn snapshot_status(snapshot: SnapshotRef) -> Option<SnapshotStatus>;
}

impl<AccountId, Balance> ModelInspect<AccountId, Balance> for () {
	fn version(_: ModelVersionId) -> Option<ModelVersionView<AccountId, Balance>> {
		None
	}
	fn attribution(_: ModelVersionId) -> Attribution {
		Attribution::new()
	}
	fn artifact(_: ModelVersionId) -> Option<H256> {
		None
	}

	fn snapshot_status(_: SnapshotRef) -> Option<SnapshotStatus> {
		Some(SnapshotStatus::Active)
	}
}

/// Read access to compute jobs, for the models pallet: a version may be retired (its record
/// removed and its deposit returned) only when no job on it is still running.
pub trait JobInspect {
	/// How many jobs on `version` have not ended.
	fn open_jobs(version: ModelVersionId) -> u32;
}

impl JobInspect for () {
	fn open_jobs(_: ModelVersionId) -> u32 {
		0
	}
}

/// How a settled job's payment was split, reported to the rewards pallet.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct SettlementReport<AccountId, Balance> {
	/// Everything the requester paid (the escrow).
	pub paid: Balance,
	/// The provider and what it earned.
	pub provider: (AccountId, Balance),
	/// The model version, its owner and what the owner earned.
	pub model: (ModelVersionId, AccountId, Balance),
	/// What each dataset earned, with the snapshot of it the job used: the contributors of that
	/// snapshot share it.
	pub datasets: Vec<(SnapshotRef, Balance)>,
}

/// Receives the usage and revenue of settled jobs (implemented by the rewards pallet).
pub trait RevenueSink<AccountId, Balance> {
	/// A job settled with this split.
	fn job_settled(report: &SettlementReport<AccountId, Balance>);

	/// The most [`Self::job_settled`] may cost the sink for a job paying `datasets` datasets,
	/// beyond what a benchmark of the caller measures with the sink in a fresh state: the caller
	/// charges it on top.
	fn job_settled_weight(_datasets: u32) -> Weight {
		Weight::zero()
	}
}

impl<AccountId, Balance> RevenueSink<AccountId, Balance> for () {
	fn job_settled(_: &SettlementReport<AccountId, Balance>) {}
}

/// Receives changes to contributor points (implemented by the rewards pallet). Points are
/// reported with the first snapshot that holds them (`first_snapshot`, the dataset's next
/// version when they were accepted): they earn from that snapshot and the later ones that hold
/// them, never from an earlier one. Points are only ever added to that open cohort, and the sink
/// is told of every snapshot taken, so that it can keep the open cohort apart until then.
pub trait PointsSink<AccountId> {
	/// `who` earned `points` more in `dataset`, first held by snapshot `first_snapshot`: the
	/// dataset's next version, which is not taken yet.
	fn points_added(
		dataset: DatasetId,
		who: &AccountId,
		first_snapshot: SnapshotVersion,
		points: Points,
	);
	/// `who` lost `points` in `dataset`, first held by snapshot `first_snapshot` (its consent
	/// was withdrawn): they stop earning in every snapshot, and what they earned and `who` has
	/// not claimed is forfeited.
	fn points_removed(
		dataset: DatasetId,
		who: &AccountId,
		first_snapshot: SnapshotVersion,
		points: Points,
	);
	/// `dataset` took snapshot `version`: the points added since the previous one are in it.
	fn snapshot_taken(_dataset: DatasetId, _version: SnapshotVersion) {}

	/// The most an addition may cost the sink, beyond what a benchmark of the caller measures
	/// with the sink in a fresh state: the caller charges it on top.
	fn points_added_weight() -> Weight {
		Weight::zero()
	}
	/// The same for a withdrawal.
	fn points_removed_weight() -> Weight {
		Weight::zero()
	}
	/// The same for a snapshot.
	fn snapshot_taken_weight() -> Weight {
		Weight::zero()
	}
}

impl<AccountId> PointsSink<AccountId> for () {
	fn points_added(_: DatasetId, _: &AccountId, _: SnapshotVersion, _: Points) {}
	fn points_removed(_: DatasetId, _: &AccountId, _: SnapshotVersion, _: Points) {}
}
