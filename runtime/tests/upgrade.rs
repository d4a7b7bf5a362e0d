//! The upgrade to this spec from the one before it: the runtime's `Migrations` bring a chain's
//! storage to this version's layout. Under `try-runtime` the upgrade runs as `try-runtime` runs
//! it: each migration's `pre_upgrade`, the migration, its `post_upgrade` (which compares the state
//! before and after), then every pallet's `try_state`.

use frame_support::traits::{GetStorageVersion, StorageVersion};
use lineage_primitives::{ContentRef, Licence};
use lineage_runtime::{Datasets, Executive, Runtime, RuntimeOrigin, LIN};
use sp_core::H256;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{Alice, Bob};

use crate::common::{account, next_block, preset_ext};

/// Creates an open dataset owned by `who`, its metadata hash filled with `n`.
fn create_dataset(who: sp_keyring::Sr25519Keyring, n: u8) {
	let policy = pallet_datasets::Policy {
		admission: pallet_datasets::Admission::Open,
		contribution_deposit: LIN,
		reject_slash: sp_runtime::Perbill::zero(),
		min_consent: lineage_primitives::Consent::FULL,
	};
	let metadata = ContentRef::new(H256::repeat_byte(n), b"ipfs://d", 1).unwrap();
	Datasets::create_dataset(RuntimeOrigin::signed(account(who)), metadata, Licence::Cc0, policy)
		.unwrap();
}

/// Runs the runtime upgrade: under `try-runtime` with every migration's checks and every
/// pallet's `try_state`.
fn upgrade() {
	#[cfg(feature = "try-runtime")]
	Executive::try_runtime_upgrade(frame_try_runtime::UpgradeCheckSelect::All)
		.expect("the migrations' checks and every try_state hold");
	#[cfg(not(feature = "try-runtime"))]
	Executive::execute_on_runtime_upgrade();
}

#[test]
fn the_upgrade_from_a_spec_108_chain_indexes_the_datasets_existing_owners() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		for (n, who) in [(1u8, Alice), (2, Bob), (3, Alice)] {
			create_dataset(who, n);
		}
		next_block();
		// The storage a spec-108 chain has: the datasets, no owner index, version 0.
		let _ = pallet_datasets::OwnedDatasets::<Runtime>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Datasets>();
		upgrade();

		assert_eq!(Datasets::on_chain_storage_version(), 2);
		let ids = |who| -> Vec<u32> {
			let mut ids: Vec<u32> = Datasets::owned_datasets_page(&account(who), None, 10)
				.iter()
				.map(|d| d.id)
				.collect();
			ids.sort();
			ids
		};
		assert_eq!(ids(Alice), vec![0, 2]);
		assert_eq!(ids(Bob), vec![1]);
		next_block();
	});
}

#[test]
fn the_upgrade_from_a_spec_111_chain_lists_accepted_contributions_in_acceptance_order() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		create_dataset(Alice, 9);
		for (n, who) in [(1u8, Bob), (2, Alice), (3, Bob)] {
			let item = ContentRef::new(H256::repeat_byte(n), b"ipfs://i", 1).unwrap();
			Datasets::contribute(
				RuntimeOrigin::signed(account(who)),
				0,
				item,
				Licence::Cc0,
				lineage_primitives::Consent::FULL,
			)
			.unwrap();
		}
		next_block();
		// The storage a spec-111 chain has: accepted contributions, no acceptance-order index.
		let _ = pallet_datasets::AcceptedContributions::<Runtime>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Datasets>();
		upgrade();

		assert_eq!(Datasets::on_chain_storage_version(), 2);
		let page = Datasets::accepted_contributions_page(0, None, 10);
		assert_eq!(page.items.iter().map(|c| c.id).collect::<Vec<_>>(), vec![0, 1, 2]);
		let root = page.items.iter().fold(H256::zero(), |root, c| {
			Datasets::chain_root(root, c.id, c.contribution.content.hash, c.contribution.items)
		});
		assert_eq!(Some(root), Datasets::dataset_details(0).map(|d| d.info.content_root));
		next_block();
	});
}
