//! Helpers the runtime's integration tests share.

use frame_support::traits::{OnFinalize, OnIdle, OnInitialize};
use lineage_runtime::{
	genesis_config_presets, AccountId, AllPalletsWithSystem, Balance, Balances, Runtime,
	RuntimeGenesisConfig, RuntimeOrigin, System, Timestamp,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::BuildStorage;

/// Merges a JSON patch into `base`, as chain-spec building does with a preset.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (k, v) in patch {
				merge(base.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// Externalities with the genesis state of preset `id`, at block 1.
pub fn preset_ext(id: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&id.into()).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, serde_json::from_slice(&patch).unwrap());
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	let mut ext = sp_io::TestExternalities::new(config.build_storage().unwrap());
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The account of a dev key.
pub fn account(who: Sr25519Keyring) -> AccountId {
	who.to_account_id()
}

/// Opens block `n` as the executive does: `System::initialize` with an Aura pre-digest for slot
/// `n`, every pallet's `on_initialize`, the timestamp inherent for that slot, then a step of the
/// multi-block migrations while they run.
pub fn start_block(n: u32) {
	let slot = sp_consensus_aura::Slot::from(u64::from(n));
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			codec::Encode::encode(&slot),
		)],
	};
	System::initialize(&n, &System::parent_hash(), &digest);
	AllPalletsWithSystem::on_initialize(n);
	let moment = u64::from(n) * lineage_runtime::SLOT_DURATION;
	Timestamp::set(RuntimeOrigin::none(), moment).expect("the timestamp inherent of slot n");
	if migrating() {
		use frame_support::migrations::MultiStepMigrator;
		let used = lineage_runtime::MultiBlockMigrations::step();
		System::register_extra_weight_unchecked(
			used,
			frame_support::dispatch::DispatchClass::Mandatory,
		);
	}
}

/// Whether multi-block migrations are running (the block takes no transactions and no
/// `on_idle`).
pub fn migrating() -> bool {
	use frame_support::migrations::MultiStepMigrator;
	lineage_runtime::MultiBlockMigrations::ongoing()
}

/// Closes block `n` as the executive does: every pallet's `on_idle` with what is left of the
/// block's weight (none while migrations run), then `on_finalize`.
pub fn end_block(n: u32) {
	let limit = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let left = limit.saturating_sub(System::block_weight().total());
	if !migrating() {
		AllPalletsWithSystem::on_idle(n, left);
	}
	AllPalletsWithSystem::on_finalize(n);
}

/// The invariants every block must keep: total issuance is the sum of every account's free and
/// reserved balance, and every pallet's `try_state` holds — all of them when the tests run with
/// the `try-runtime` feature, Lineage's own pallets always.
pub fn check_state() -> Result<(), String> {
	let fail = |e: sp_runtime::TryRuntimeError| format!("{e:?}");
	#[cfg(feature = "try-runtime")]
	{
		use frame_support::traits::{TryState, TryStateSelect};
		AllPalletsWithSystem::try_state(System::block_number(), TryStateSelect::All)
			.map_err(fail)?;
	}
	// Without the feature, Lineage's own pallets' checks (with it, `try_state` ran them).
	#[cfg(not(feature = "try-runtime"))]
	{
		lineage_runtime::Datasets::do_try_state().map_err(fail)?;
		lineage_runtime::Models::do_try_state().map_err(fail)?;
		lineage_runtime::Compute::do_try_state().map_err(fail)?;
		lineage_runtime::Rewards::do_try_state().map_err(fail)?;
		lineage_runtime::LineageParams::do_try_state().map_err(fail)?;
	}
	let total: Balance = frame_system::Account::<Runtime>::iter()
		.map(|(_, info)| info.data.free + info.data.reserved)
		.sum();
	if total != Balances::total_issuance() {
		return Err(format!("issuance {} ≠ Σ balances {total}", Balances::total_issuance()));
	}
	Ok(())
}

/// Runs every block up to `n` with `start_block` and `end_block`, and checks the invariants
/// after each (but while migrations run: the state is between two layouts); panics with the
/// block and the broken invariant.
pub fn run_to_block(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		start_block(next);
		end_block(next);
		if migrating() {
			continue;
		}
		if let Err(e) = check_state() {
			panic!("block {next}: {e}");
		}
	}
}

/// Runs the next block: what a test does after its calls so the invariants are checked on the
/// state they left.
pub fn next_block() {
	run_to_block(System::block_number() + 1);
}
