//! frame-system: block limits, account data, versions.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::Perbill;
use sp_version::RuntimeVersion;

use crate::{
	weights::{
		paritydb_weights::constants::ParityDbWeight, BlockExecutionWeight, ExtrinsicBaseWeight,
	},
	AccountId, Balance, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, RuntimeTask, SS58_PREFIX, VERSION,
};

/// The share of a block that normal (non-operational) extrinsics may fill.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Two and a half seconds of compute in each 6-second block: with the weights measured on the
/// reference machine a full block takes about as long to build or import as it charges, which
/// leaves over half the slot to gossip it and finalize (`lineage bench` measures both).
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(5 * WEIGHT_REF_TIME_PER_SECOND / 2, u64::MAX);

/// The share of a block that `on_initialize` hooks are expected to take on average.
const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(10);

/// The largest encoded block: 5 MiB.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Two and a half seconds of compute in each 6-second block, three quarters of it for normal
	/// calls, with the base weights of a block and of an extrinsic measured on the reference
	/// machine.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			// Operational calls (the Council's, governance's) may use what normal ones leave.
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(AVERAGE_ON_INITIALIZE_RATIO)
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |m| *m = NORMAL_DISPATCH_RATIO * *m)
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	/// The block type for the runtime.
	type Block = Block;
	/// Block & extrinsics weights: base values and limits.
	type BlockWeights = RuntimeBlockWeights;
	/// The maximum length of a block (in bytes).
	type BlockLength = RuntimeBlockLength;
	/// The identifier used to distinguish between accounts.
	type AccountId = AccountId;
	/// The type for storing how many extrinsics an account has signed.
	type Nonce = Nonce;
	/// The type for hashing blocks and tries.
	type Hash = Hash;
	/// Maximum number of block number to block hash mappings to keep (oldest pruned first).
	type BlockHashCount = BlockHashCount;
	/// The node stores its state in ParityDB. A read and a write cost what `benchmark storage`
	/// measured on a state of about 130,000 keys (see `weights/paritydb_weights.rs`).
	type DbWeight = ParityDbWeight;
	/// `remark`, `set_code` and the other calls, as benchmarked.
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	/// The nonce, era, genesis and weight checks every signed transaction passes.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	/// Version of the runtime.
	type Version = Version;
	/// The data to be stored in an account.
	type AccountData = pallet_balances::AccountData<Balance>;
	/// SS58 address prefix.
	type SS58Prefix = SS58Prefix;
	/// The most modules that may depend on one account (holds, providers).
	type MaxConsumers = frame_support::traits::ConstU32<16>;
	/// Storage migrations run over several blocks (see `upgrades`).
	type MultiBlockMigrator = crate::MultiBlockMigrations;
}
