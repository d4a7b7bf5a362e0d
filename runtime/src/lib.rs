//! The Lineage runtime: FRAME system pallets, consensus (Aura + GRANDPA), balances and fees,
//! governance, and the Lineage pallets for datasets, models, compute and rewards.
//!
//! Pallet indices are explicit and never change once a pallet is released; new pallets take new
//! indices.

#![cfg_attr(not(feature = "std"), no_std)]
// `#[frame_support::runtime]` expands to a large type; give the compiler room.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

extern crate alloc;

use alloc::vec::Vec;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types, for the node: it needs to know the block format but not the runtime's calls.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: one for block authoring, one for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime version. Bump `spec_version` on every change of logic, `transaction_version` when
/// call indices or argument encodings change.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("lineage"),
	impl_name: alloc::borrow::Cow::Borrowed("lineage-node"),
	authoring_version: 1,
	spec_version: 123,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 4,
	system_version: 1,
};

/// Block time: one block every 6 seconds.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// The Aura slot duration. It cannot change once the chain has started.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Symbol of the native token.
pub const TOKEN_SYMBOL: &str = "LIN";
/// Decimals of the native token.
pub const TOKEN_DECIMALS: u8 = 12;
/// SS58 address prefix (42: the generic Substrate prefix).
pub const SS58_PREFIX: u16 = 42;

/// One LIN in plancks.
pub const LIN: Balance = 1_000_000_000_000;
/// One thousandth of a LIN.
pub const MILLI_LIN: Balance = LIN / 1_000;
/// One millionth of a LIN.
pub const MICRO_LIN: Balance = LIN / 1_000_000;

/// Existential deposit: the smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_LIN;

/// A transaction signature: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;

/// An account id: the public key of the signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account, in plancks (10^-12 LIN).
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// An index to a block.
pub type BlockNumber = u32;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A Block signed with a Justification
pub type SignedBlock = generic::SignedBlock<Block>;

/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, in order.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// The migrations run in the upgrade block itself: none. Every migration is a multi-block one
/// (`configs::upgrades::Migrations`, run by `MultiBlockMigrations`).
pub type SingleBlockMigrations = ();

/// Executive: dispatches to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	SingleBlockMigrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// System and consensus: 0..=9.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type MultiBlockMigrations = pallet_migrations;

	// Money: 10..=19.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Utilities and administration: 20..=29.
	#[runtime::pallet_index(20)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(21)]
	pub type Sudo = pallet_sudo;

	// Governance: 30..=49.
	#[runtime::pallet_index(30)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(31)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(32)]
	pub type ConvictionVoting = pallet_conviction_voting;
	#[runtime::pallet_index(33)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(34)]
	pub type Origins = configs::governance::pallet_custom_origins;
	#[runtime::pallet_index(35)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(36)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(37)]
	pub type Treasury = pallet_treasury;

	// Lineage: 50..=59.
	#[runtime::pallet_index(50)]
	pub type Datasets = pallet_datasets;
	#[runtime::pallet_index(51)]
	pub type Models = pallet_models;
	#[runtime::pallet_index(52)]
	pub type Compute = pallet_compute;
	#[runtime::pallet_index(53)]
	pub type Rewards = pallet_rewards;
	#[runtime::pallet_index(54)]
	pub type LineageParams = pallet_lineage_params;
}
