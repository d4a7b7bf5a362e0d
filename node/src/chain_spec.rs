//! The chain specifications the node knows by name: `dev` and `local`, built from the runtime's
//! genesis presets.

use lineage_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use sc_service::ChainType;

/// A chain specification of the Lineage runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The properties wallets read to display balances: LIN with 12 decimals.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "The wasm runtime was not built (SKIP_WASM_BUILD is set?)".into())
}

/// The development chain: Alice alone authors and finalizes, and holds the sudo key.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Lineage Development")
		.with_id("lineage_dev")
		.with_protocol_id("lin")
		.with_chain_type(ChainType::Development)
		.with_properties(properties())
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.build())
}

/// The local testnet: Alice, Bob, Charlie and Dave validate; no sudo key.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Lineage Local Testnet")
		.with_id("lineage_local")
		.with_protocol_id("lin")
		.with_chain_type(ChainType::Local)
		.with_properties(properties())
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.build())
}
