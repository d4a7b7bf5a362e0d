//! The pallet's invariants, checked by `try_state` and, in tests, after every block (compiled with
//! `std` too, so the runtime's integration tests run them).

use lineage_primitives::{JobId, ModelVersionId};
use sp_runtime::traits::Saturating;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - held balances equal the records: bonds (free and unbonding), collateral, escrow of jobs
	///   not ended, challenge bonds of challenged jobs, record deposits of kept records;
	/// - each provider's locked collateral and active jobs match its running jobs;
	/// - the queue's length matches its pages, each job is queued at most once, and every job
	///   that has not ended is queued at (or, after a failure, after) the block its state falls
	///   due; an ended job is not queued;
	/// - the open jobs counted per model version match the jobs that have not ended;
	/// - an output is awaited only for a challenged job;
	/// - the operator and region shares match the serving providers' stakes and counts.
	///
	/// Compiled with `std` too, so the runtime's integration tests run it after every block.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
		use codec::Encode;
		use frame_support::{ensure, traits::fungible::InspectHold};
		use frame_system::pallet_prelude::BlockNumberFor;

		type Tally<A, B> = BTreeMap<(A, u8), B>;
		let mut held: Tally<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut add = |who: &T::AccountId, reason: u8, amount: BalanceOf<T>| {
			let entry = held.entry((who.clone(), reason)).or_default();
			*entry = entry.saturating_add(amount);
		};
		let mut running: BTreeMap<T::AccountId, (BalanceOf<T>, u32)> = BTreeMap::new();
		let mut open: BTreeMap<ModelVersionId, u32> = BTreeMap::new();
		// Every queue entry, by job: the queue holds each job at most once.
		let mut queued: BTreeMap<JobId, (BlockNumberFor<T>, u32)> = BTreeMap::new();
		for (block, page, entries) in Due::<T>::iter() {
			ensure!(page < DuePages::<T>::get(block), "a page beyond its block's page count");
			for job in entries {
				ensure!(queued.insert(job, (block, page)).is_none(), "a job queued twice");
			}
		}
		ensure!(queued.len() as u32 == QueueLen::<T>::get(), "queue length differs from its pages");
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), "job id not below NextJobId");
			add(&job.requester, 4, job.record_deposit);
			// A job that has not ended is queued where its state falls due (later only if ending
			// it failed and it was queued again).
			let entry = queued.remove(&id);
			ensure!(entry == job.queued, "a job's queue entry differs from its record");
			if !matches!(job.state, JobState::Ended(_)) {
				*open.entry(job.model_version).or_default() += 1;
			}
			match Self::due_at(&job) {
				None => continue,
				Some(due) => ensure!(
					entry.is_some_and(|(at, _)| at >= due),
					"a running job is not queued where it falls due"
				),
			}
			if let Some(challenge) = &job.challenge {
				if job.state == JobState::Challenged {
					add(&challenge.challenger, 3, challenge.bond);
				}
			}
			add(&job.requester, 2, job.escrow);
			if job.state != JobState::Open {
				let provider = job.provider.clone().ok_or("running job without a provider")?;
				let entry = running.entry(provider).or_default();
				entry.0 = entry.0.saturating_add(job.collateral);
				entry.1 += 1;
			}
		}
		ensure!(queued.is_empty(), "a queue entry for a job that is not running");
		for (id, ()) in UnpublishedOutputs::<T>::iter() {
			ensure!(
				Jobs::<T>::get(id).is_some_and(|job| job.state == JobState::Challenged),
				"an output awaited for a job that is not challenged"
			);
		}
		ensure!(
			OpenJobs::<T>::iter().collect::<BTreeMap<_, _>>() == open,
			"open jobs per version differ from the jobs"
		);

		let mut shares: BTreeMap<Vec<u8>, (BalanceOf<T>, u32)> = BTreeMap::new();
		let mut count = 0u32;
		for (who, p) in Providers::<T>::iter() {
			count += 1;
			let unbonding = p.unbonding.map(|(a, _)| a).unwrap_or_default();
			add(&who, 0, p.bond.saturating_add(unbonding));
			add(&who, 1, p.locked);
			let (locked, jobs) = running.remove(&who).unwrap_or_default();
			ensure!(p.locked == locked, "locked collateral differs from running jobs");
			ensure!(p.active_jobs == jobs, "active jobs differ from running jobs");
			if !p.leaving {
				for key in [p.operator.encode(), [&[0xff][..], &p.region[..]].concat()] {
					let entry = shares.entry(key).or_default();
					entry.0 = entry.0.saturating_add(p.bond.saturating_add(p.locked));
					entry.1 += 1;
				}
			}
		}
		ensure!(running.is_empty(), "a running job's provider is not registered");
		ensure!(count == ProviderCount::<T>::get(), "provider count differs");
		let stored: BTreeMap<Vec<u8>, (BalanceOf<T>, u32)> = OperatorShares::<T>::iter()
			.map(|(k, s)| (k.encode(), (s.bond, s.providers)))
			.chain(
				RegionShares::<T>::iter()
					.map(|(k, s)| ([&[0xff][..], &k[..]].concat(), (s.bond, s.providers))),
			)
			.collect();
		ensure!(stored == shares, "operator or region shares differ from the providers");

		let reasons = [
			HoldReason::ProviderBond,
			HoldReason::Collateral,
			HoldReason::Escrow,
			HoldReason::ChallengeBond,
			HoldReason::RecordDeposit,
		];
		let accounts: BTreeSet<T::AccountId> = held.keys().map(|(who, _)| who.clone()).collect();
		for who in accounts {
			for (index, reason) in reasons.iter().enumerate() {
				let expected = held.get(&(who.clone(), index as u8)).copied().unwrap_or_default();
				ensure!(
					T::Currency::balance_on_hold(&(*reason).into(), &who) == expected,
					"funds held differ from the records"
				);
			}
		}
		Ok(())
	}
}
