//! The Lineage pallets: datasets (and, as they land, models, compute, rewards).

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU8},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::traits::AccountIdConversion;

use crate::{AccountId, Balances, Runtime, RuntimeHoldReason, LIN, MILLI_LIN};

parameter_types! {
	/// The treasury's pallet id; its account receives slashes and protocol fees.
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// The treasury account.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
}

impl pallet_datasets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Takedowns: root until the governance tracks land.
	type AdminOrigin = EnsureRoot<AccountId>;
	/// Contributor points: nothing listens until the rewards pallet lands.
	type Points = ();
	type SlashDestination = TreasuryAccount;
	/// 10 LIN per dataset.
	type DatasetDeposit = ConstU128<{ 10 * LIN }>;
	/// 10 mLIN per contribution record (about 700 bytes of storage).
	type ContributionRecordDeposit = ConstU128<{ 10 * MILLI_LIN }>;
	type MaxUriLen = ConstU32<256>;
	type MaxCurators = ConstU32<16>;
	type DefaultQuality = ConstU8<50>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_datasets::weights::SubstrateWeight<Runtime>;
}
