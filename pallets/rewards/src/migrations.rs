//! Storage migrations, one module per storage version they lead to, each an
//! `UncheckedOnRuntimeUpgrade` wrapped in `VersionedMigration` (it runs only from the version it
//! starts at, then sets the next).

use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, storage_alias,
	traits::UncheckedOnRuntimeUpgrade,
};
use lineage_primitives::{DatasetId, Points, SnapshotVersion};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Zero},
	FixedPointNumber, FixedU128,
};

use crate::*;

/// What the migration to version 1 reads of the datasets pallet.
pub trait DatasetsView<AccountId> {
	/// Every accepted contribution whose consent stands: its contributor, dataset, first
	/// snapshot and points.
	fn cohorts() -> Vec<(AccountId, DatasetId, SnapshotVersion, Points)>;
	/// The latest snapshot version of `dataset` (0: none).
	fn latest_snapshot(dataset: DatasetId) -> SnapshotVersion;
}

/// Version 1: revenue by snapshot. Version 0 kept one pool per dataset, whose revenue went to
/// the points held when its era was shared, and one position per contributor and dataset. This
/// migration settles every old position against its pool (folding an ended era first), rebuilds
/// the positions per cohort from the datasets' accepted contributions, gives each contributor's
/// unclaimed rewards to its position of the earliest cohort, and records revenue of the current
/// era that was still waiting on the dataset's latest snapshot. One pass over the old positions
/// and the accepted contributions, in one block (a chain with far more of them would move this
/// to a multi-block migration).
pub mod v1 {
	use super::*;

	/// A dataset's pool in version 0.
	#[derive(
		Clone,
		Copy,
		Encode,
		Decode,
		MaxEncodedLen,
		scale_info::TypeInfo,
		PartialEq,
		Eq,
		Debug,
		Default,
	)]
	pub struct OldPool<Balance> {
		/// Contributor points in the dataset.
		pub points: Points,
		/// Revenue per point shared so far.
		pub revenue_per_point: FixedU128,
		/// Emission per point shared so far.
		pub emission_per_point: FixedU128,
		/// Revenue received in era `era`, not yet shared.
		pub revenue: Balance,
		/// The era of `revenue`.
		pub era: EraIndex,
	}

	/// A position in version 0.
	#[derive(Clone, Copy, Encode, Decode, Default)]
	pub struct OldPosition<Balance> {
		/// Its points.
		pub points: Points,
		/// The pool's revenue per point when last settled.
		pub revenue_paid: FixedU128,
		/// The pool's emission per point when last settled.
		pub emission_paid: FixedU128,
		/// Settled revenue, not claimed.
		pub revenue: Balance,
		/// Settled emission, not claimed.
		pub emission: Balance,
	}

	#[storage_alias]
	type Positions<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		Twox64Concat,
		DatasetId,
		OldPosition<BalanceOf<T>>,
	>;

	/// Folds an old pool's ended era into its accumulators; returns what nobody held points
	/// for (for the treasury).
	fn fold<T: Config>(pool: &mut OldPool<BalanceOf<T>>) -> BalanceOf<T> {
		if pool.revenue.is_zero() || pool.era >= CurrentEra::<T>::get() {
			return Zero::zero();
		}
		let rate = Eras::<T>::get(pool.era).map(|e| e.data_rate).unwrap_or_default();
		let revenue = core::mem::take(&mut pool.revenue);
		let emission = rate.saturating_mul_int(revenue);
		if pool.points == 0 {
			return revenue.saturating_add(emission);
		}
		let per_point = |amount| FixedU128::saturating_from_rational(amount, pool.points);
		pool.revenue_per_point = pool.revenue_per_point.saturating_add(per_point(revenue));
		pool.emission_per_point = pool.emission_per_point.saturating_add(per_point(emission));
		Zero::zero()
	}

	/// An old position's unclaimed revenue and emission.
	type Unclaimed<T> = (BalanceOf<T>, BalanceOf<T>);

	/// Rebuilds the rewards by snapshot.
	pub struct RewardsBySnapshot<T, V>(core::marker::PhantomData<(T, V)>);

	impl<T: Config, V: DatasetsView<T::AccountId>> UncheckedOnRuntimeUpgrade
		for RewardsBySnapshot<T, V>
	{
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (0u64, 0u64);
			let mut unshared: BalanceOf<T> = Zero::zero();
			let mut pools: BTreeMap<DatasetId, OldPool<BalanceOf<T>>> = BTreeMap::new();
			for (dataset, mut pool) in crate::DatasetPools::<T>::drain() {
				unshared = unshared.saturating_add(fold::<T>(&mut pool));
				pools.insert(dataset, pool);
				reads += 1;
				writes += 1;
			}
			// What each old position earned and has not claimed.
			let mut unclaimed: BTreeMap<(T::AccountId, DatasetId), Unclaimed<T>> = BTreeMap::new();
			for (who, dataset, old) in Positions::<T>::drain() {
				reads += 1;
				writes += 1;
				let pool = pools.get(&dataset).copied().unwrap_or_default();
				let points: BalanceOf<T> = old.points.saturated_into();
				let earned = |now: FixedU128, paid: FixedU128| {
					now.saturating_sub(paid).saturating_mul_int(points)
				};
				let revenue =
					old.revenue.saturating_add(earned(pool.revenue_per_point, old.revenue_paid));
				let emission =
					old.emission.saturating_add(earned(pool.emission_per_point, old.emission_paid));
				if !revenue.is_zero() || !emission.is_zero() {
					unclaimed.insert((who, dataset), (revenue, emission));
				}
			}
			// The positions per cohort.
			let mut earliest: BTreeMap<(T::AccountId, DatasetId), SnapshotVersion> =
				BTreeMap::new();
			for (who, dataset, first, points) in V::cohorts() {
				reads += 1;
				writes += tree::TREE_DEPTH as u64 + 1;
				Pallet::<T>::add_points(dataset, &who, first, points);
				earliest
					.entry((who, dataset))
					.and_modify(|f| *f = (*f).min(first))
					.or_insert(first);
			}
			for ((who, dataset), (revenue, emission)) in unclaimed {
				let first = earliest.get(&(who.clone(), dataset)).copied().unwrap_or(1);
				crate::Positions::<T>::mutate(&who, (dataset, first), |position| {
					let position = position.get_or_insert_with(Default::default);
					position.revenue = position.revenue.saturating_add(revenue);
					position.emission = position.emission.saturating_add(emission);
				});
				writes += 1;
			}
			// Revenue of the current era still waiting in a pool: on the latest snapshot.
			for (dataset, pool) in pools {
				if pool.revenue.is_zero() {
					continue;
				}
				reads += 1;
				let latest = V::latest_snapshot(dataset);
				let live = Pallet::<T>::live_points(dataset, latest);
				let per_point =
					FixedU128::checked_from_rational(pool.revenue, live).unwrap_or_default();
				if latest == 0 || per_point.is_zero() {
					UnsharedRevenue::<T>::mutate(|u| *u = u.saturating_add(pool.revenue));
				} else {
					Pallet::<T>::accrue(dataset, latest, per_point);
					writes += tree::TREE_DEPTH as u64;
				}
			}
			Unshared::<T>::mutate(|u| *u = u.saturating_add(unshared));
			T::DbWeight::get().reads_writes(reads.saturating_add(2), writes.saturating_add(2))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let points: Points = V::cohorts().iter().map(|c| c.3).sum();
			Ok(points.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before: Points =
				Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
			let after: Points = crate::Positions::<T>::iter_values().map(|p| p.points).sum();
			ensure!(before == after, "points were lost");
			ensure!(crate::DatasetPools::<T>::iter().next().is_none(), "an old pool is left");
			Pallet::<T>::do_try_state()
		}
	}

	/// `RewardsBySnapshot`, run once: from storage version 0 to 1.
	pub type MigrateToV1<T, V> = VersionedMigration<
		0,
		1,
		RewardsBySnapshot<T, V>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	#[cfg(test)]
	mod tests {
		use super::*;
		use crate::mock::*;
		use frame_support::traits::{fungible::Mutate, OnRuntimeUpgrade};

		struct View;
		impl DatasetsView<AccountId> for View {
			fn cohorts() -> Vec<(AccountId, DatasetId, SnapshotVersion, Points)> {
				vec![(ALICE, 1, 1, 100), (BOB, 1, 2, 150), (BOB, 1, 3, 50)]
			}
			fn latest_snapshot(_: DatasetId) -> SnapshotVersion {
				2
			}
		}

		#[test]
		fn old_positions_keep_what_they_earned_and_waiting_revenue_goes_to_the_latest_snapshot() {
			build_and_execute(|| {
				StorageVersion::new(0).put::<Pallet<Test>>();
				let two = FixedU128::saturating_from_integer(2u32);
				// 300 points; 2 per point shared; 600 of the current era waiting.
				crate::DatasetPools::<Test>::insert(
					1,
					OldPool {
						points: 300,
						revenue_per_point: two,
						revenue: 600,
						..Default::default()
					},
				);
				Positions::<Test>::insert(
					ALICE,
					1,
					OldPosition { points: 100, ..Default::default() },
				);
				Positions::<Test>::insert(
					BOB,
					1,
					OldPosition { points: 200, revenue: 50, ..Default::default() },
				);
				Balances::set_balance(&Pallet::<Test>::pot(), 1 + 200 + 450 + 600);
				crate::CurrentFees::<Test>::put(EraFees { data: 600, ..Default::default() });

				MigrateToV1::<Test, View>::on_runtime_upgrade();

				assert_eq!(StorageVersion::get::<Pallet<Test>>(), 1);
				assert!(crate::DatasetPools::<Test>::iter().next().is_none());
				// Alice's 200 and Bob's 450 stay theirs, on their earliest cohorts.
				let alice = crate::Positions::<Test>::get(ALICE, (1, 1)).unwrap();
				let bob = crate::Positions::<Test>::get(BOB, (1, 2)).unwrap();
				assert_eq!((alice.points, alice.revenue), (100, 200));
				assert_eq!((bob.points, bob.revenue), (150, 450));
				assert_eq!(crate::Positions::<Test>::get(BOB, (1, 3)).unwrap().points, 50);
				// The waiting 600 went to snapshot 2's live points (Alice's 100 and Bob's 150).
				next_era();
				let revenue = |who, first| {
					let (amount, emission) = Pallet::<Test>::pending_in(&who, 1, first);
					amount - emission
				};
				assert_eq!(revenue(ALICE, 1), 200 + 240);
				assert_eq!(revenue(BOB, 2), 450 + 360);
				assert_eq!(revenue(BOB, 3), 0);
				Pallet::<Test>::do_try_state().unwrap();
			});
		}
	}
}
