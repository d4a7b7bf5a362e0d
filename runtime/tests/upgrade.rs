//! The upgrade to this spec from earlier ones: the runtime upgrade starts the multi-block
//! migrations (`configs::upgrades::Migrations`), which bring a chain's storage to this version's
//! layout over as many blocks as it takes, no block heavier than a block may be. Under
//! `try-runtime`, `pallet-migrations` runs each migration's `pre_upgrade` before its first step
//! and its `post_upgrade` (which compares the state before and after) after its last; every
//! pallet's `try_state` then holds on the block after.

use codec::Encode;
use frame_support::traits::{GetStorageVersion, StorageVersion};
use lineage_primitives::{ContentRef, Licence};
use lineage_runtime::{Datasets, Executive, Rewards, Runtime, RuntimeOrigin, System, LIN};
use sp_core::H256;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{Alice, Bob};

use crate::common::{account, end_block, migrating, next_block, preset_ext, start_block};

/// Creates an open dataset owned by `who`, its metadata hash filled with `n`.
fn create_dataset(who: sp_keyring::Sr25519Keyring, n: u8) {
	let policy = pallet_datasets::Policy {
		admission: pallet_datasets::Admission::Open,
		contribution_deposit: LIN,
		reject_slash: sp_runtime::Perbill::zero(),
		min_consent: lineage_primitives::Consent::FULL,
		withdrawal_grace: 0,
	};
	let metadata = ContentRef::new(H256::repeat_byte(n), b"ipfs://d", 1).unwrap();
	Datasets::create_dataset(RuntimeOrigin::signed(account(who)), metadata, Licence::Cc0, policy)
		.unwrap();
}

/// `who` contributes item `n` to dataset 0 (open: accepted at once).
fn contribute(who: sp_keyring::Sr25519Keyring, n: u8) {
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

/// Rewrites the datasets and snapshots as a chain before spec 115 stored them: without the
/// withdrawal grace.
fn to_spec_114_datasets() {
	use pallet_datasets::migrations::v3::{downgrade_dataset, downgrade_snapshot};
	for (id, d) in pallet_datasets::Datasets::<Runtime>::iter() {
		let key = pallet_datasets::Datasets::<Runtime>::hashed_key_for(id);
		frame_support::storage::unhashed::put_raw(&key, &downgrade_dataset::<Runtime>(d).encode());
	}
	for (id, version, s) in pallet_datasets::Snapshots::<Runtime>::iter() {
		let key = pallet_datasets::Snapshots::<Runtime>::hashed_key_for(id, version);
		frame_support::storage::unhashed::put_raw(&key, &downgrade_snapshot(s).encode());
	}
}

/// Upgrades: the runtime upgrade hook starts the migrations, then blocks run until they are
/// done, each checked to weigh no more than a block may. Returns how many blocks they took.
fn migrate() -> u32 {
	Executive::execute_on_runtime_upgrade();
	assert!(migrating(), "the upgrade starts the migrations");
	let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let mut blocks = 0;
	while migrating() {
		let n = System::block_number() + 1;
		start_block(n);
		end_block(n);
		let used = System::block_weight().total();
		assert!(used.all_lte(max), "block {n} weighs {used:?}, more than {max:?}");
		blocks += 1;
	}
	assert!(System::events().iter().any(|e| matches!(
		e.event,
		lineage_runtime::RuntimeEvent::MultiBlockMigrations(
			pallet_migrations::Event::UpgradeCompleted
		)
	)));
	blocks
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
		to_spec_114_datasets();
		StorageVersion::new(0).put::<Datasets>();
		migrate();
		next_block();

		assert_eq!(Datasets::on_chain_storage_version(), 3);
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
			contribute(who, n);
		}
		next_block();
		// The storage a spec-111 chain has: accepted contributions, no acceptance-order index.
		let _ = pallet_datasets::AcceptedContributions::<Runtime>::clear(u32::MAX, None);
		to_spec_114_datasets();
		StorageVersion::new(1).put::<Datasets>();
		migrate();
		next_block();

		assert_eq!(Datasets::on_chain_storage_version(), 3);
		let page = Datasets::accepted_contributions_page(0, None, 10);
		assert_eq!(page.items.iter().map(|c| c.id).collect::<Vec<_>>(), vec![0, 1, 2]);
		let root = page.items.iter().fold(H256::zero(), |root, c| {
			Datasets::chain_root(root, c.id, c.contribution.content.hash, c.contribution.items)
		});
		assert_eq!(Some(root), Datasets::dataset_details(0).map(|d| d.info.content_root));
		next_block();
	});
}

#[test]
fn the_upgrade_from_a_spec_114_chain_shares_revenue_by_snapshot_and_keeps_what_was_earned() {
	use frame_support::{traits::fungible::Mutate, Blake2_128Concat, StorageHasher, Twox64Concat};
	use pallet_rewards::migrations::v1::{OldPool, OldPosition};
	use sp_runtime::{FixedPointNumber, FixedU128};

	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		create_dataset(Alice, 9);
		contribute(Bob, 1);
		Datasets::snapshot(RuntimeOrigin::signed(account(Alice)), 0).unwrap();
		next_block();

		// The storage a spec-114 chain has: one pool per dataset (Bob's 50 points, 1 LIN shared
		// per point already, 3 LIN of the current era waiting) and one position per contributor.
		let _ = pallet_rewards::PointsTree::<Runtime>::clear(u32::MAX, None);
		let _ = pallet_rewards::OpenCohort::<Runtime>::clear(u32::MAX, None);
		let _ = pallet_rewards::Positions::<Runtime>::clear(u32::MAX, None);
		let waiting = 3 * LIN;
		pallet_rewards::DatasetPools::<Runtime>::insert(
			0,
			OldPool {
				points: 50,
				revenue_per_point: FixedU128::saturating_from_integer(LIN),
				revenue: waiting,
				era: pallet_rewards::CurrentEra::<Runtime>::get(),
				..Default::default()
			},
		);
		let mut key = frame_support::storage::storage_prefix(b"Rewards", b"Positions").to_vec();
		key.extend(Blake2_128Concat::hash(&account(Bob).encode()));
		key.extend(Twox64Concat::hash(&0u32.encode()));
		let old = OldPosition::<u128> { points: 50, ..Default::default() };
		frame_support::storage::unhashed::put_raw(&key, &old.encode());
		pallet_rewards::CurrentFees::<Runtime>::mutate(|f| f.data += waiting);
		let pot = Rewards::pot();
		pallet_balances::Pallet::<Runtime>::mint_into(&pot, 50 * LIN + waiting).unwrap();
		to_spec_114_datasets();
		StorageVersion::new(2).put::<Datasets>();
		StorageVersion::new(0).put::<Rewards>();
		migrate();
		next_block();

		assert_eq!(Datasets::on_chain_storage_version(), 3);
		assert_eq!(Rewards::on_chain_storage_version(), 1);
		assert_eq!(
			pallet_datasets::Datasets::<Runtime>::get(0).unwrap().policy.withdrawal_grace,
			0
		);
		let position = pallet_rewards::Positions::<Runtime>::get(account(Bob), (0, 1)).unwrap();
		// Bob keeps the 50 LIN shared before; the waiting 3 LIN go to snapshot 1, his alone.
		assert_eq!((position.points, position.revenue), (50, 50 * LIN));
		let era = pallet_rewards::CurrentEra::<Runtime>::get();
		while pallet_rewards::CurrentEra::<Runtime>::get() == era {
			next_block();
		}
		let (all, emission) = Rewards::pending_in(&account(Bob), 0, 1);
		assert_eq!(all - emission, 53 * LIN);
	});
}

#[test]
fn a_chain_of_a_million_contributions_upgrades_over_blocks_none_over_its_weight() {
	use pallet_datasets::{AcceptedContributions, ContributionState, Contributions};
	const CONTRIBUTIONS: u64 = 1_000_000;

	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		create_dataset(Alice, 9);
		contribute(Bob, 1);
		next_block();
		// A spec-111 chain's storage, built directly: a million accepted contributions and no
		// acceptance-order index.
		let template = Contributions::<Runtime>::get(0).unwrap();
		for id in 0..CONTRIBUTIONS {
			let mut c = template.clone();
			c.content.hash = H256::from_low_u64_be(id);
			if let ContributionState::Accepted { position, .. } = &mut c.state {
				*position = id as u32;
			}
			Contributions::<Runtime>::insert(id, c);
		}
		let _ = AcceptedContributions::<Runtime>::clear(u32::MAX, None);
		to_spec_114_datasets();
		StorageVersion::new(1).put::<Datasets>();
		// And rewards before version 1: no positions by cohort, no points tree or open cohorts.
		let _ = pallet_rewards::PointsTree::<Runtime>::clear(u32::MAX, None);
		let _ = pallet_rewards::OpenCohort::<Runtime>::clear(u32::MAX, None);
		let _ = pallet_rewards::Positions::<Runtime>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Rewards>();
		let (points, first) = match template.state {
			ContributionState::Accepted { points, first_snapshot, .. } => (points, first_snapshot),
			ContributionState::Pending => unreachable!("an open dataset accepts at once"),
		};

		let blocks = migrate();

		assert_eq!(Datasets::on_chain_storage_version(), 3);
		assert_eq!(AcceptedContributions::<Runtime>::iter_keys().count() as u64, CONTRIBUTIONS);
		for id in [0, 1, CONTRIBUTIONS / 2, CONTRIBUTIONS - 1] {
			assert_eq!(AcceptedContributions::<Runtime>::get(0, id as u32), Some(id));
		}
		// Every contribution's points are in its cohort, Bob's position holds them all.
		assert_eq!(Rewards::on_chain_storage_version(), 1);
		assert_eq!(Rewards::cohort_points(0, first), points * CONTRIBUTIONS);
		let bob = pallet_rewards::Positions::<Runtime>::get(account(Bob), (0, first)).unwrap();
		assert_eq!(bob.points, points * CONTRIBUTIONS);
		// A block's 80% for migrations holds thousands of contributions, not a million.
		assert!(blocks > 5, "{blocks} blocks");
		println!("{CONTRIBUTIONS} contributions migrated in {blocks} blocks");
	});
}
