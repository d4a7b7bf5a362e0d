//! Pallet configurations, one module per area.

mod consensus;
pub mod governance;
mod lineage;
mod monetary;
mod system;
mod upgrades;
mod utility;

pub(crate) use lineage::{parameters, Periods, PRODUCTION};
pub use lineage::{DataRevenueAccount, RewardsPalletId, TreasuryAccount, TreasuryPalletId};
pub use monetary::TransactionByteFee;
pub use system::{BlockHashCount, RuntimeBlockLength, RuntimeBlockWeights};
#[cfg(not(feature = "runtime-benchmarks"))]
pub use upgrades::Migrations;
pub use upgrades::{DatasetsView, MigrationServiceWeight};
