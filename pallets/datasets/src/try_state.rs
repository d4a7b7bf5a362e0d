//! The pallet's invariants, checked by `try_state` and, in tests, after every block (compiled with
//! `std` too, so the runtime's integration tests run them).

use alloc::vec::Vec;
use lineage_primitives::{DatasetId, Points};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - each dataset's counters (pending, accepted, items, points) match its contributions, and
	///   its points match the contributors' points;
	/// - the owner is a curator;
	/// - content-root and withdrawn-root positions run from zero without gaps, and the
	///   acceptance-order index names each accepted contribution at its position;
	/// - every snapshot up to the latest exists, the live tainted ranges are sorted and disjoint,
	///   and a snapshot is tainted exactly when it holds a contribution withdrawn after it was
	///   taken;
	/// - the funds held for each reason equal what the records say is held.
	///
	/// Compiled with `std` too, so the runtime's integration tests run it after every block.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::{ensure, traits::fungible::InspectHold};
		use sp_runtime::traits::Zero;

		#[derive(Default)]
		struct Tally {
			pending: u32,
			accepted: u32,
			items: u64,
			points: Points,
			withdrawn_items: u64,
			/// Content-root positions of accepted contributions.
			positions: Vec<u32>,
			/// (withdrawn-root position, content-root position) of withdrawn contributions.
			withdrawals: Vec<(u32, u32)>,
		}
		let mut tallies: BTreeMap<DatasetId, Tally> = BTreeMap::new();
		let mut dataset_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut contribution_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();

		for (id, c) in Contributions::<T>::iter() {
			ensure!(Datasets::<T>::contains_key(c.dataset), "contribution of an unknown dataset");
			ensure!(
				ItemIndex::<T>::get(c.dataset, c.content.hash) == Some(id),
				"item index does not point at the contribution"
			);
			ensure!(
				AccountContributions::<T>::contains_key(&c.contributor, id),
				"contribution missing from its account's index"
			);
			let tally = tallies.entry(c.dataset).or_default();
			match c.state {
				ContributionState::Pending => tally.pending += 1,
				ContributionState::Accepted { points, position, withdrawn, .. } => {
					ensure!(
						c.review_deposit.is_zero(),
						"accepted contribution still holds review deposit"
					);
					ensure!(
						AcceptedContributions::<T>::get(c.dataset, position) == Some(id),
						"acceptance index does not name the contribution at its position"
					);
					tally.accepted += 1;
					tally.items += u64::from(c.items);
					tally.positions.push(position);
					match withdrawn {
						None => tally.points += points,
						Some(w) => {
							tally.withdrawals.push((w, position));
							tally.withdrawn_items += u64::from(c.items);
						},
					}
				},
			}
			let held = contribution_holds.entry(c.contributor.clone()).or_default();
			*held += c.record_deposit + c.review_deposit;
		}
		ensure!(
			ItemIndex::<T>::iter().count() == Contributions::<T>::iter().count(),
			"item index and contributions differ in size"
		);
		ensure!(
			AcceptedContributions::<T>::iter().count() as u64
				== tallies.values().map(|t| u64::from(t.accepted)).sum::<u64>(),
			"acceptance index and accepted contributions differ in size"
		);

		for (id, info) in Datasets::<T>::iter() {
			let mut tally = tallies.remove(&id).unwrap_or_default();
			tally.positions.sort_unstable();
			ensure!(
				tally.positions.iter().copied().eq(0..info.accepted),
				"content-root positions are not 0..accepted"
			);
			let mut withdrawn: Vec<u32> = tally.withdrawals.iter().map(|(w, _)| *w).collect();
			withdrawn.sort_unstable();
			ensure!(
				withdrawn.into_iter().eq(0..info.withdrawn),
				"withdrawn-root positions are not 0..withdrawn"
			);
			ensure!(info.withdrawn_items == tally.withdrawn_items, "withdrawn items wrong");
			Self::check_tainted_ranges(id, &info, &tally.withdrawals)?;
			ensure!(info.pending == tally.pending, "pending counter wrong");
			ensure!(info.accepted == tally.accepted, "accepted counter wrong");
			ensure!(info.items == tally.items, "item counter wrong");
			ensure!(info.total_points == tally.points, "total points differ from contributions");
			let by_contributor: Points = ContributorPoints::<T>::iter_prefix_values(id).sum();
			ensure!(info.total_points == by_contributor, "total points differ from contributors'");
			ensure!(
				Curators::<T>::get(id).first() == Some(&info.owner),
				"owner is not first curator"
			);
			ensure!(OwnedDatasets::<T>::contains_key(&info.owner, id), "a dataset is not indexed");
			if info.status == DatasetStatus::Active {
				*dataset_holds.entry(info.owner.clone()).or_default() += info.deposit;
			} else {
				ensure!(info.deposit.is_zero(), "a frozen dataset still records a deposit");
			}
		}

		ensure!(
			OwnedDatasets::<T>::iter().all(|(owner, id, ())| {
				Datasets::<T>::get(id).is_some_and(|info| info.owner == owner)
			}),
			"the owner index names a dataset its account does not own"
		);

		let dataset_reason = HoldReason::DatasetDeposit.into();
		for (who, held) in dataset_holds {
			ensure!(
				T::Currency::balance_on_hold(&dataset_reason, &who) == held,
				"dataset deposits held differ from the records"
			);
		}
		let contribution_reason = HoldReason::ContributionDeposit.into();
		for (who, held) in contribution_holds {
			ensure!(
				T::Currency::balance_on_hold(&contribution_reason, &who) == held,
				"contribution deposits held differ from the records"
			);
		}
		Ok(())
	}

	/// The live tainted ranges are sorted, disjoint and within the snapshots taken, and each
	/// snapshot is tainted exactly when it holds a contribution withdrawn after it was taken
	/// (`withdrawals`: each withdrawn contribution's withdrawn-root and content-root positions).
	fn check_tainted_ranges(
		dataset: DatasetId,
		info: &DatasetOf<T>,
		withdrawals: &[(u32, u32)],
	) -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;

		let mut after = 0;
		for index in 0..info.tainted_ranges {
			let range = TaintedRanges::<T>::get(dataset, index).ok_or("a live range is missing")?;
			ensure!(
				range.from > after && range.from <= range.through,
				"ranges overlap or are empty"
			);
			ensure!(range.through <= info.snapshots, "a range reaches past the latest snapshot");
			after = range.through;
		}
		for version in 1..=info.snapshots {
			let snapshot = Snapshots::<T>::get(dataset, version).ok_or("a snapshot is missing")?;
			let holds_withdrawn = withdrawals.iter().any(|&(withdrawn_at, position)| {
				position < snapshot.contributions && withdrawn_at >= snapshot.withdrawn
			});
			ensure!(
				Self::is_tainted(dataset, info.tainted_ranges, version, &snapshot)
					== holds_withdrawn,
				"a snapshot's taint differs from the withdrawals it holds"
			);
		}
		Ok(())
	}
}
