//! Runtime upgrades: the multi-block migrations (pallet-migrations) that bring a chain's storage
//! to this runtime's layout, a bounded amount of it in each block.
//!
//! Every migration that walks storage users grow is a stepped one, so an upgrade block is never
//! heavier than a block may be, however large the chain. While migrations run, blocks carry only
//! inherents (no transactions; `on_idle` waits) and the rewards era waits for its migration (see
//! `pallet_rewards::migrations`). A migration that fails freezes the chain for governance
//! (`FreezeChainOnFailedMigration`): storage half in one layout and half in another must not be
//! written to.

use frame_support::{migrations::FreezeChainOnFailedMigration, parameter_types, weights::Weight};
use lineage_primitives::{ContributionId, DatasetId, SnapshotVersion};

use super::RuntimeBlockWeights;
use crate::{AccountId, Runtime, RuntimeEvent};

/// The migrations this runtime runs on upgrade, oldest first. Each runs only while its pallet's
/// on-chain storage version is the one it starts from (a chain past it skips it at once), so
/// one stays listed until every chain Lineage supports upgrading is past it (see
/// docs/operations.md, "Runtime upgrades and migrations"). Spec 109: the datasets' owner index;
/// spec 112: their accepted contributions in acceptance order; spec 115: the datasets'
/// withdrawal grace and rewards by snapshot.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type Migrations = (
	pallet_datasets::migrations::v1::MigrateToV1<Runtime>,
	pallet_datasets::migrations::v2::MigrateToV2<Runtime>,
	pallet_datasets::migrations::v3::MigrateToV3<Runtime>,
	pallet_rewards::migrations::v1::MigrateToV1<Runtime, DatasetsView>,
);

parameter_types! {
	/// Migrations may use 80% of a block: the rest is the block's base, the inherents and
	/// `on_initialize` hooks.
	pub MigrationServiceWeight: Weight =
		RuntimeBlockWeights::get().max_block.saturating_mul(80) / 100;
}

impl pallet_migrations::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	#[cfg(not(feature = "runtime-benchmarks"))]
	type Migrations = Migrations;
	#[cfg(feature = "runtime-benchmarks")]
	type Migrations = pallet_migrations::mock_helpers::MockedMigrations;
	/// The largest cursor of the migrations above is a few dozen bytes.
	type CursorMaxLen = frame_support::traits::ConstU32<256>;
	type IdentifierMaxLen = frame_support::traits::ConstU32<32>;
	type MigrationStatusHandler = ();
	type FailedMigrationHandler = FreezeChainOnFailedMigration;
	type MaxServiceWeight = MigrationServiceWeight;
	type WeightInfo = crate::weights::pallet_migrations::WeightInfo<Runtime>;
}

/// What the rewards migration to version 1 reads of the datasets pallet.
pub struct DatasetsView;

impl pallet_rewards::migrations::DatasetsView<AccountId> for DatasetsView {
	fn cohort_after(
		after: Option<ContributionId>,
	) -> Option<(ContributionId, Option<pallet_rewards::migrations::Cohort<AccountId>>)> {
		use pallet_datasets::{ContributionState, Contributions};
		let next = match after {
			Some(id) => {
				Contributions::<Runtime>::iter_from(Contributions::<Runtime>::hashed_key_for(id))
					.next()
			},
			None => Contributions::<Runtime>::iter().next(),
		};
		let (id, c) = next?;
		let cohort = match c.state {
			ContributionState::Accepted { points, first_snapshot, withdrawn: None, .. } => {
				Some((c.contributor, c.dataset, first_snapshot, points))
			},
			_ => None,
		};
		Some((id, cohort))
	}

	fn latest_snapshot(dataset: DatasetId) -> SnapshotVersion {
		pallet_datasets::Datasets::<Runtime>::get(dataset).map_or(0, |d| d.snapshots)
	}

	fn read_weight() -> Weight {
		<Runtime as frame_system::Config>::DbWeight::get().reads(1)
	}
}
