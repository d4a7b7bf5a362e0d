//! The runtime's foundation, checked against the real runtime (no mocks): genesis presets, token
//! constants, pallet indices, and money moving through dispatched calls.

use frame_support::{
	assert_noop, assert_ok,
	traits::{BuildGenesisConfig, Get, IntegrityTest, PalletInfoAccess},
};
use lineage_runtime::{
	configs::{DataRevenueAccount, TreasuryAccount},
	genesis_config_presets::{self, ENDOWMENT},
	AllPalletsWithSystem, Aura, Balances, BalancesCall, Compute, Datasets, Grandpa, Models,
	Rewards, Runtime, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin, Sudo, System,
	TransactionPayment, Utility, EXISTENTIAL_DEPOSIT, LIN, SLOT_DURATION,
};
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError, TokenError};

use crate::common::{account, next_block, preset_ext};

#[test]
fn every_pallet_passes_its_integrity_test() {
	// Each pallet's `integrity_test` hook checks that its configuration is consistent (constants in
	// range, weights that fit a block).
	<AllPalletsWithSystem as IntegrityTest>::integrity_test();
}

#[test]
fn the_default_genesis_config_builds() {
	sp_io::TestExternalities::default().execute_with(|| {
		<RuntimeGenesisConfig as BuildGenesisConfig>::build(&RuntimeGenesisConfig::default());
	});
}

#[test]
fn presets_are_development_and_local_testnet() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(
		names,
		vec![DEV_RUNTIME_PRESET.to_string(), LOCAL_TESTNET_RUNTIME_PRESET.to_string()]
	);
	assert!(genesis_config_presets::get_preset(&"mainnet".into()).is_none());
}

#[test]
fn development_has_alice_as_the_only_validator_and_sudo() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(Grandpa::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account(Sr25519Keyring::Alice)));
		for who in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Ferdie] {
			assert_eq!(Balances::free_balance(account(who)), ENDOWMENT);
		}
		// The dev accounts, and the existential deposits of the treasury and the data-revenue pot.
		assert_eq!(Balances::total_issuance(), ENDOWMENT * 12 + 2 * EXISTENTIAL_DEPOSIT);
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), EXISTENTIAL_DEPOSIT);
		assert_eq!(Balances::free_balance(DataRevenueAccount::get()), EXISTENTIAL_DEPOSIT);
		next_block();
	});
}

#[test]
fn local_testnet_has_four_validators_and_no_sudo() {
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let expected: Vec<_> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.iter()
		.map(|k| sp_consensus_aura::sr25519::AuthorityId::from(k.public()))
		.collect();
		assert_eq!(aura.into_inner(), expected);
		assert_eq!(Grandpa::grandpa_authorities().len(), 4);
		assert!(Grandpa::grandpa_authorities().iter().all(|(_, weight)| *weight == 1));
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		next_block();
	});
}

#[test]
fn blocks_are_six_seconds() {
	assert_eq!(SLOT_DURATION, 6000);
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(Aura::slot_duration(), 6000);
		next_block();
	});
}

#[test]
fn pallet_indices_never_shift() {
	assert_eq!(System::index(), 0);
	assert_eq!(<pallet_timestamp::Pallet<Runtime> as PalletInfoAccess>::index(), 1);
	assert_eq!(Aura::index(), 2);
	assert_eq!(Grandpa::index(), 3);
	assert_eq!(Balances::index(), 10);
	assert_eq!(TransactionPayment::index(), 11);
	assert_eq!(Utility::index(), 20);
	assert_eq!(Sudo::index(), 21);
	assert_eq!(Datasets::index(), 50);
	assert_eq!(Models::index(), 51);
	assert_eq!(Compute::index(), 52);
	assert_eq!(Rewards::index(), 53);
}

#[test]
fn transfer_keep_alive_moves_exactly_the_amount() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (alice, dave) = (account(Sr25519Keyring::Alice), account(Sr25519Keyring::Dave));
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: dave.clone().into(),
			value: 7 * LIN,
		});
		assert_ok!(call.dispatch(RuntimeOrigin::signed(alice.clone())));
		assert_eq!(Balances::free_balance(&alice), ENDOWMENT - 7 * LIN);
		assert_eq!(Balances::free_balance(&dave), ENDOWMENT + 7 * LIN);
		System::assert_last_event(
			pallet_balances::Event::Transfer { from: alice, to: dave, amount: 7 * LIN }.into(),
		);
		next_block();
	});
}

#[test]
fn an_overdraft_fails_with_funds_unavailable_and_changes_nothing() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let (eve, ferdie) = (account(Sr25519Keyring::Eve), account(Sr25519Keyring::Ferdie));
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: ferdie.clone().into(),
			value: ENDOWMENT + 1,
		});
		assert_noop!(
			call.dispatch(RuntimeOrigin::signed(eve.clone())).map_err(|e| e.error),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
		assert_eq!(Balances::free_balance(&eve), ENDOWMENT);
		assert_eq!(Balances::free_balance(&ferdie), ENDOWMENT);
		next_block();
	});
}

#[test]
fn sudo_is_refused_to_anyone_but_the_key() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let remark = Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] }));
		let bob = RuntimeOrigin::signed(account(Sr25519Keyring::Bob));
		assert_noop!(
			RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: remark.clone() })
				.dispatch(bob)
				.map_err(|e| e.error),
			pallet_sudo::Error::<Runtime>::RequireSudo
		);
		let alice = RuntimeOrigin::signed(account(Sr25519Keyring::Alice));
		assert_ok!(RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: remark }).dispatch(alice));
		next_block();
	});
}
