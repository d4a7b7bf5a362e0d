//! Helpers the runtime's integration tests share.

use lineage_runtime::{genesis_config_presets, AccountId, RuntimeGenesisConfig, System};
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
