//! The traits through which the Lineage pallets meet:
//!
//! ```text
//! datasets ──DatasetInspect──▶ models ──ModelInspect──▶ compute ──RevenueSink──▶ rewards
//! datasets ──PointsSink──────────────────────────────────────────────────────▶ rewards
//! ```
//!
//! Each has an implementation for `()` that knows nothing and accepts everything, for mocks and
//! for runtimes that leave a side out.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

use crate::{Consent, DatasetId, Licence, ModelVersionId, Points, SnapshotRef};

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
	/// A contributor whose item is in the snapshot withdrew consent.
	Withdrawn,
	/// Governance took the dataset down.
	TakenDown,
}

/// What a model needs to know about a dataset snapshot.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct SnapshotView<AccountId> {
	/// The dataset's owner.
	pub owner: AccountId,
	/// The dataset's licence.
	pub licence: Licence,
	/// What every contribution in the snapshot allows.
	pub consent: Consent,
	/// Whether the snapshot may still be used.
	pub status: SnapshotStatus,
}

/// Read access to datasets, for the models pallet.
pub trait DatasetInspect<AccountId> {
	/// The snapshot, if it exists.
	fn snapshot_info(snapshot: SnapshotRef) -> Option<SnapshotView<AccountId>>;
	/// The owner of a dataset, if it exists.
	fn dataset_owner(dataset: DatasetId) -> Option<AccountId>;
}

impl<AccountId> DatasetInspect<AccountId> for () {
	fn snapshot_info(_: SnapshotRef) -> Option<SnapshotView<AccountId>> {
		None
	}
	fn dataset_owner(_: DatasetId) -> Option<AccountId> {
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
	/// A snapshot in its attribution was taken down by governance.
	SnapshotTakenDown(SnapshotRef),
	/// The version itself or one of its ancestors was revoked by governance.
	Revoked(ModelVersionId),
}

/// What compute needs to know about a model version.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct ModelVersionView<AccountId, Balance> {
	/// The model's owner, who receives the builder share.
	pub owner: AccountId,
	/// The price of one inference.
	pub price: Balance,
	/// The share of the price that goes to the owner; the rest goes to the data.
	pub builder_share: Perbill,
	/// Whether the version is deprecated (no new jobs).
	pub deprecated: bool,
	/// Why the version may not be used, if it may not.
	pub taint: Option<Taint>,
}

/// Read access to model versions, for the compute pallet.
pub trait ModelInspect<AccountId, Balance> {
	/// The version, if it exists.
	fn version(version: ModelVersionId) -> Option<ModelVersionView<AccountId, Balance>>;
	/// The version's attribution table: each dataset and its share of the data part; the shares
	/// sum to 100%. Bounded by the models pallet.
	fn attribution(version: ModelVersionId) -> Vec<(DatasetId, Perbill)>;
}

impl<AccountId, Balance> ModelInspect<AccountId, Balance> for () {
	fn version(_: ModelVersionId) -> Option<ModelVersionView<AccountId, Balance>> {
		None
	}
	fn attribution(_: ModelVersionId) -> Vec<(DatasetId, Perbill)> {
		Vec::new()
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
	/// What each dataset earned.
	pub datasets: Vec<(DatasetId, Balance)>,
}

/// Receives the usage and revenue of settled jobs (implemented by the rewards pallet).
pub trait RevenueSink<AccountId, Balance> {
	/// A job settled with this split.
	fn job_settled(report: &SettlementReport<AccountId, Balance>);
}

impl<AccountId, Balance> RevenueSink<AccountId, Balance> for () {
	fn job_settled(_: &SettlementReport<AccountId, Balance>) {}
}

/// Receives changes to contributor points (implemented by the rewards pallet).
pub trait PointsSink<AccountId> {
	/// `who` earned `points` more in `dataset`.
	fn points_added(dataset: DatasetId, who: &AccountId, points: Points);
	/// `who` lost `points` in `dataset` (consent withdrawn, contribution removed).
	fn points_removed(dataset: DatasetId, who: &AccountId, points: Points);
}

impl<AccountId> PointsSink<AccountId> for () {
	fn points_added(_: DatasetId, _: &AccountId, _: Points) {}
	fn points_removed(_: DatasetId, _: &AccountId, _: Points) {}
}
