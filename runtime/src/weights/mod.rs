//! What the runtime charges, generated on the chain's reference machine (2 cores) by
//! `scripts/weights/generate.sh`: the base weight of a block and of an extrinsic
//! (`benchmark overhead`), a storage read and write on ParityDB (`benchmark storage`, on a state
//! of real size) and the calls of every pallet with calls other than Lineage's own, whose
//! weights live in their crates. Grandpa's one call keeps the formula its pallet ships (see
//! `benchmarks.rs`).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_collective;
pub mod pallet_conviction_voting;
pub mod pallet_membership;
pub mod pallet_migrations;
pub mod pallet_preimage;
pub mod pallet_referenda;
pub mod pallet_scheduler;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_treasury;
pub mod pallet_utility;
pub mod paritydb_weights;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
