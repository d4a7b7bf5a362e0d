//! Pallet configurations, one module per area.

mod consensus;
mod monetary;
mod system;
mod utility;

pub use monetary::TransactionByteFee;
pub use system::{BlockHashCount, RuntimeBlockLength, RuntimeBlockWeights};
