//! Genesis presets: `development` (one validator, Alice, who is also sudo) and `local_testnet`
//! (Alice, Bob, Charlie and Dave as Aura/GRANDPA authorities, no sudo key).

use crate::{
	configs::{parameters, DataRevenueAccount, Periods, TreasuryAccount, PRODUCTION},
	AccountId, Balance, BalancesConfig, CouncilMembershipConfig, LineageParamsConfig,
	RuntimeGenesisConfig, SudoConfig, EXISTENTIAL_DEPOSIT, LIN, MINUTES,
};
use alloc::{string::String, vec, vec::Vec};
use frame_support::{build_struct_json_patch, traits::Get};
use lineage_primitives::ChallengePeriods;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each endowed development account starts with: one million LIN.
pub const ENDOWMENT: Balance = 1_000_000 * LIN;

/// Development periods, short enough to watch: one-minute eras; challenge windows of two
/// minutes for training, one for fine-tuning, 30 seconds for inference and evaluation; a minute
/// to rule on a challenge; two-minute unbonding.
const DEVELOPMENT: Periods = Periods {
	era: MINUTES,
	challenge: ChallengePeriods {
		training: 2 * MINUTES,
		fine_tune: MINUTES,
		inference: 5,
		evaluation: 5,
	},
	resolution: MINUTES,
	unbonding: 2 * MINUTES,
};

/// The genesis patch shared by the presets.
fn lineage_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: Option<AccountId>,
	periods: Periods,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.into_iter()
				.map(|k| (k, ENDOWMENT))
				// The treasury exists from genesis, so that slashes of any size can land in it.
				.chain([
					(TreasuryAccount::get(), EXISTENTIAL_DEPOSIT),
					(DataRevenueAccount::get(), EXISTENTIAL_DEPOSIT),
				])
				.collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: root },
		lineage_params: LineageParamsConfig { params: Some(parameters(&periods)) },
		council_membership: CouncilMembershipConfig {
			members: council().try_into().expect("within CouncilMaxMembers"),
		},
	})
}

/// The first Council: Alice, Bob and Charlie (members then change through CouncilMembership).
fn council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// The authority keys of a well-known development validator: its sr25519 key for Aura, its
/// ed25519 key for GRANDPA.
fn authority_keys(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The well-known development accounts (Alice..Ferdie and their stashes), all endowed.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|v| v != &Sr25519Keyring::One && v != &Sr25519Keyring::Two)
		.map(|v| v.to_account_id())
		.collect()
}

/// The `development` preset: Alice authors and finalizes alone and holds the sudo key.
pub fn development_config_genesis() -> Value {
	lineage_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		DEVELOPMENT,
	)
}

/// The `local_testnet` preset: four validators, no sudo key (governance only).
pub fn local_config_genesis() -> Value {
	lineage_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			authority_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		None,
		PRODUCTION,
	)
}

/// The JSON genesis patch of the preset `id`.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(String::into_bytes)
}

/// The presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
