//! Storage migrations, one module per storage version they lead to. Each walks storage that
//! users grow, so each is a multi-block migration: a [`MigrationStep`] that moves one record at a
//! time, wrapped in [`VersionedStepped`] (it runs only from the version it starts at, then sets the
//! next), each record's weight from this pallet's benchmarks.

#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, storage_alias, weights::Weight};
use lineage_primitives::{
	migrations::{pallet_id, MigrationStep, VersionedStepped},
	ContributionId, DatasetId, Points, SnapshotVersion,
};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Zero},
	FixedPointNumber, FixedU128,
};

use crate::*;

/// A contribution's cohort, as the migration to version 1 reads it: its contributor, dataset,
/// first snapshot and points.
pub type Cohort<AccountId> = (AccountId, DatasetId, SnapshotVersion, Points);

/// What the migration to version 1 reads of the datasets pallet, one record at a time.
pub trait DatasetsView<AccountId> {
	/// The contribution after `after` (the first when `None`), with its cohort when it is
	/// accepted and its consent stands; `None` when no contribution is left.
	fn cohort_after(
		after: Option<ContributionId>,
	) -> Option<(ContributionId, Option<Cohort<AccountId>>)>;
	/// The latest snapshot version of `dataset` (0: none).
	fn latest_snapshot(dataset: DatasetId) -> SnapshotVersion;
	/// What one call of either costs (a contribution or dataset record read).
	fn read_weight() -> Weight;
}

/// Version 1: revenue by snapshot. Version 0 kept one pool per dataset, whose revenue went to
/// the points held when its era was shared, and one position per contributor and dataset. The
/// migration, one record at a time:
/// 1. folds each old pool's ended era into its accumulators (what nobody held points for goes
///    to the treasury);
/// 2. settles each old position against its pool and carries what it earned and has not
///    claimed;
/// 3. rebuilds the positions per cohort from the datasets' accepted contributions, noting each
///    carrier's earliest cohort;
/// 4. gives each carried amount to the contributor's position of its earliest cohort;
/// 5. records revenue of the current era still waiting in an old pool on the dataset's latest
///    snapshot, and removes the pool.
///
/// The era transition waits while it runs (`on_initialize` checks the storage version), so the
/// eras it reads do not move under it.
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

	/// The positions as version 0 stores them.
	#[storage_alias]
	pub type Positions<T: Config> = StorageDoubleMap<
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

	/// What an old position earned and has not claimed, carried to the contributor's earliest
	/// cohort in the dataset.
	#[derive(Clone, Copy, Encode, Decode, Default)]
	pub struct Carried<Balance> {
		/// Unclaimed revenue.
		pub revenue: Balance,
		/// Unclaimed emission.
		pub emission: Balance,
		/// The contributor's earliest cohort in the dataset, once the cohorts are read.
		pub earliest: Option<SnapshotVersion>,
	}

	/// The amounts being carried, by contributor and dataset (empty before and after the
	/// migration).
	#[storage_alias]
	pub type MigrationCarried<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		Twox64Concat,
		DatasetId,
		Carried<BalanceOf<T>>,
	>;

	/// Where the migration stands.
	#[derive(Clone, Encode, Decode, MaxEncodedLen, PartialEq, Eq, Debug)]
	pub enum Cursor {
		/// Stage 1: the last pool folded.
		Pool(DatasetId),
		/// Stage 2: old positions are left (each is removed as it is settled).
		Position,
		/// Stage 3: the last contribution read.
		Cohort(ContributionId),
		/// Stage 4: carried amounts are left (each is removed as it is given).
		Carried,
		/// Stage 5: pools are left (each is removed once its waiting revenue is recorded).
		Waiting,
	}

	/// Rebuilds the rewards by snapshot, one record at a time.
	pub struct RewardsBySnapshot<T, V>(core::marker::PhantomData<(T, V)>);

	impl<T: Config, V: DatasetsView<T::AccountId>> RewardsBySnapshot<T, V> {
		/// Stage 1: folds the pool after `after`.
		pub fn fold_pool(after: Option<DatasetId>) -> Option<Cursor> {
			let next = match after {
				Some(d) => {
					DatasetPools::<T>::iter_from(DatasetPools::<T>::hashed_key_for(d)).next()
				},
				None => DatasetPools::<T>::iter().next(),
			};
			let Some((dataset, mut pool)) = next else { return Self::settle_position() };
			let unshared = fold::<T>(&mut pool);
			if !unshared.is_zero() {
				Unshared::<T>::mutate(|u| *u = u.saturating_add(unshared));
			}
			DatasetPools::<T>::insert(dataset, pool);
			Some(Cursor::Pool(dataset))
		}

		/// Stage 2: settles an old position against its folded pool and carries what it
		/// earned.
		pub fn settle_position() -> Option<Cursor> {
			let Some((who, dataset, old)) = Positions::<T>::iter().next() else {
				return Self::read_cohort(None);
			};
			Positions::<T>::remove(&who, dataset);
			let pool = DatasetPools::<T>::get(dataset).unwrap_or_default();
			let points: BalanceOf<T> = old.points.saturated_into();
			let earned = |now: FixedU128, paid: FixedU128| {
				now.saturating_sub(paid).saturating_mul_int(points)
			};
			let revenue =
				old.revenue.saturating_add(earned(pool.revenue_per_point, old.revenue_paid));
			let emission =
				old.emission.saturating_add(earned(pool.emission_per_point, old.emission_paid));
			if !revenue.is_zero() || !emission.is_zero() {
				MigrationCarried::<T>::insert(
					&who,
					dataset,
					Carried { revenue, emission, earliest: None },
				);
			}
			Some(Cursor::Position)
		}

		/// Stage 3: gives the points of the contribution after `after` to its cohort.
		pub fn read_cohort(after: Option<ContributionId>) -> Option<Cursor> {
			let Some((id, cohort)) = V::cohort_after(after) else { return Self::give_carried() };
			if let Some((who, dataset, first, points)) = cohort {
				Pallet::<T>::add_points_to_tree(dataset, &who, first, points);
				if let Some(mut carried) = MigrationCarried::<T>::get(&who, dataset) {
					carried.earliest = Some(carried.earliest.map_or(first, |e| e.min(first)));
					MigrationCarried::<T>::insert(&who, dataset, carried);
				}
			}
			Some(Cursor::Cohort(id))
		}

		/// Stage 4: gives a carried amount to the position of the contributor's earliest cohort
		/// (cohort 1 when none of its contributions stands).
		pub fn give_carried() -> Option<Cursor> {
			let Some((who, dataset, carried)) = MigrationCarried::<T>::iter().next() else {
				return Self::record_waiting();
			};
			MigrationCarried::<T>::remove(&who, dataset);
			let first = carried.earliest.unwrap_or(1);
			crate::Positions::<T>::mutate(&who, (dataset, first), |position| {
				let position = position.get_or_insert_with(Default::default);
				position.revenue = position.revenue.saturating_add(carried.revenue);
				position.emission = position.emission.saturating_add(carried.emission);
			});
			Some(Cursor::Carried)
		}

		/// Stage 5: records a pool's revenue of the current era on the dataset's latest
		/// snapshot (the treasury's when no live point holds it) and removes the pool.
		pub fn record_waiting() -> Option<Cursor> {
			let (dataset, pool) = DatasetPools::<T>::iter().next()?;
			DatasetPools::<T>::remove(dataset);
			if !pool.revenue.is_zero() {
				let latest = V::latest_snapshot(dataset);
				let live = Pallet::<T>::live_points(dataset, latest);
				let per_point =
					FixedU128::checked_from_rational(pool.revenue, live).unwrap_or_default();
				if latest == 0 || per_point.is_zero() {
					UnsharedRevenue::<T>::mutate(|u| *u = u.saturating_add(pool.revenue));
				} else {
					Pallet::<T>::accrue(dataset, latest, per_point);
				}
			}
			Some(Cursor::Waiting)
		}

		/// Every accepted contribution's cohort whose consent stands.
		#[cfg(feature = "try-runtime")]
		fn cohorts() -> Vec<Cohort<T::AccountId>> {
			let mut cohorts = Vec::new();
			let mut after = None;
			while let Some((id, cohort)) = V::cohort_after(after) {
				cohorts.extend(cohort);
				after = Some(id);
			}
			cohorts
		}
	}

	impl<T: Config, V: DatasetsView<T::AccountId>> MigrationStep for RewardsBySnapshot<T, V> {
		type Cursor = Cursor;
		const PALLET: [u8; 16] = pallet_id(b"lineage-rewards");

		/// The costliest record of any stage (a step may pass from one stage to the next), and
		/// one read of the datasets pallet.
		fn weight(_: &Option<Cursor>) -> Weight {
			T::WeightInfo::migrate_v1_pool()
				.max(T::WeightInfo::migrate_v1_position())
				.max(T::WeightInfo::migrate_v1_cohort())
				.max(T::WeightInfo::migrate_v1_carried())
				.max(T::WeightInfo::migrate_v1_waiting())
				.saturating_add(V::read_weight())
		}

		fn migrate_next(cursor: Option<Cursor>) -> Option<Cursor> {
			match cursor {
				None => Self::fold_pool(None),
				Some(Cursor::Pool(d)) => Self::fold_pool(Some(d)),
				Some(Cursor::Position) => Self::settle_position(),
				Some(Cursor::Cohort(c)) => Self::read_cohort(Some(c)),
				Some(Cursor::Carried) => Self::give_carried(),
				Some(Cursor::Waiting) => Self::record_waiting(),
			}
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let points: Points = Self::cohorts().iter().map(|c| c.3).sum();
			Ok(points.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before: Points =
				Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
			let after: Points = crate::Positions::<T>::iter_values().map(|p| p.points).sum();
			ensure!(before == after, "points were lost");
			ensure!(DatasetPools::<T>::iter().next().is_none(), "an old pool is left");
			ensure!(MigrationCarried::<T>::iter().next().is_none(), "a carried amount is left");
			Pallet::<T>::do_try_state()
		}
	}

	/// `RewardsBySnapshot`, from storage version 0 to 1.
	pub type MigrateToV1<T, V> = VersionedStepped<0, 1, RewardsBySnapshot<T, V>, Pallet<T>>;

	#[cfg(test)]
	mod tests {
		use super::*;
		use crate::mock::*;
		use frame_support::traits::{fungible::Mutate, Hooks};
		use lineage_primitives::migrations::run_to_end;

		struct View;
		impl DatasetsView<AccountId> for View {
			fn cohort_after(
				after: Option<ContributionId>,
			) -> Option<(ContributionId, Option<Cohort<AccountId>>)> {
				// Contribution 2 is pending: no cohort.
				let all =
					[Some((ALICE, 1, 1, 100)), None, Some((BOB, 1, 2, 150)), Some((BOB, 1, 3, 50))];
				let next = after.map_or(0, |a| a + 1);
				all.get(next as usize).map(|c| (next, *c))
			}
			fn latest_snapshot(_: DatasetId) -> SnapshotVersion {
				2
			}
			fn read_weight() -> Weight {
				Weight::zero()
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

				// One record a step: every stage resumes from its cursor.
				let one = <RewardsBySnapshot<Test, View> as MigrationStep>::weight(&None);
				assert_eq!(run_to_end::<MigrateToV1<Test, View>>(one), 1 + 2 + 4 + 2 + 1 + 1);

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

		#[test]
		fn the_era_waits_while_the_rewards_are_rebuilt() {
			build_and_execute(|| {
				StorageVersion::new(0).put::<Pallet<Test>>();
				let era = CurrentEra::<Test>::get();
				let length = <Test as Config>::Emission::get().era_length;
				let start = EraStart::<Test>::get();
				Pallet::<Test>::on_initialize(start + length);
				assert_eq!(CurrentEra::<Test>::get(), era);
				// Once the migration is done, the transition comes at the next block.
				run_to_end::<MigrateToV1<Test, View>>(Weight::MAX);
				Pallet::<Test>::on_initialize(start + length + 1);
				assert_eq!(CurrentEra::<Test>::get(), era + 1);
			});
		}
	}
}
