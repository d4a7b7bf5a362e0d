//! What clients read — jobs, providers, quotes and the market's concentration — and the
//! pallet's invariants.

use alloc::vec::Vec;
use frame_support::traits::Get;
use lineage_primitives::{JobId, ModelInspect, ModelVersionId};
use sp_runtime::{traits::Saturating, Perbill};

use crate::*;

/// How many of the largest holders a concentration report names.
const LARGEST: usize = 5;

impl<T: Config> Pallet<T> {
	/// What a job on `model_version` with `fee` costs the requester (escrow, record deposit) and
	/// what collateral a provider locks for it; `None` for an unknown version.
	pub fn quote(
		model_version: ModelVersionId,
		fee: BalanceOf<T>,
	) -> Option<(BalanceOf<T>, BalanceOf<T>, BalanceOf<T>)> {
		let view = T::Models::version(model_version)?;
		Some((fee.saturating_add(view.price), T::RecordDeposit::get(), Self::collateral_for(fee)))
	}

	/// A job and its responsibility record.
	pub fn job_record(job: JobId) -> Option<JobOf<T>> {
		Jobs::<T>::get(job)
	}

	/// A provider.
	pub fn provider(who: &T::AccountId) -> Option<ProviderOf<T>> {
		Providers::<T>::get(who)
	}

	/// How concentrated bonds and fees are across operators and regions. Reads at most one entry
	/// per registered provider (`MaxProviders`) and sorts them.
	pub fn concentration() -> MarketConcentration<T::AccountId, BalanceOf<T>> {
		let operators: Vec<_> = OperatorShares::<T>::iter().collect();
		let regions: Vec<_> = RegionShares::<T>::iter().collect();
		MarketConcentration {
			bond_by_operator: measure(operators.iter().map(|(k, s)| (k.clone(), s.bond)).collect()),
			fees_by_operator: measure(operators.into_iter().map(|(k, s)| (k, s.fees)).collect()),
			bond_by_region: measure(regions.iter().map(|(k, s)| (k.clone(), s.bond)).collect()),
			fees_by_region: measure(regions.into_iter().map(|(k, s)| (k, s.fees)).collect()),
		}
	}

	/// Checks the pallet's invariants:
	/// - held balances equal the records: bonds (free and unbonding), collateral, escrow of jobs
	///   not ended, challenge bonds of challenged jobs, record deposits of kept records;
	/// - each provider's locked collateral and active jobs match its running jobs;
	/// - the queue's length matches its buckets, and every job waiting on a deadline or a
	///   challenge window has an entry at or after the block it falls due;
	/// - the operator and region shares match the serving providers' stakes and counts.
	///
	/// Compiled with `std` too, so the runtime's integration tests run it after every block.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
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
		let queued: BTreeMap<JobId, Vec<_>> =
			Due::<T>::iter().fold(BTreeMap::new(), |mut map, (block, bucket)| {
				for job in bucket {
					map.entry(job).or_insert_with(Vec::new).push(block);
				}
				map
			});
		let entries: u32 = Due::<T>::iter_values().map(|b| b.len() as u32).sum();
		ensure!(entries == QueueLen::<T>::get(), "queue length differs from its buckets");
		let due_after = |job: JobId, block| {
			queued.get(&job).is_some_and(|blocks| blocks.iter().any(|b| *b >= block))
		};

		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), "job id not below NextJobId");
			add(&job.requester, 4, job.record_deposit);
			let one: BlockNumberFor<T> = 1u32.into();
			match job.state {
				JobState::Ended(_) => continue,
				JobState::Open => ensure!(
					due_after(id, job.deadline.saturating_add(one)),
					"open job missing from the queue"
				),
				JobState::Accepted => ensure!(
					due_after(id, job.deadline.saturating_add(one)),
					"accepted job missing from the queue"
				),
				JobState::ResultSubmitted => {
					let end = Self::window_end(&job).ok_or("result without its block")?;
					ensure!(
						due_after(id, end.saturating_add(one)),
						"result missing from the queue"
					);
				},
				JobState::Challenged => {
					let challenge =
						job.challenge.as_ref().ok_or("challenged without a challenge")?;
					add(&challenge.challenger, 3, challenge.bond);
				},
			}
			add(&job.requester, 2, job.escrow);
			if job.state != JobState::Open {
				let provider = job.provider.clone().ok_or("running job without a provider")?;
				let entry = running.entry(provider).or_default();
				entry.0 = entry.0.saturating_add(job.collateral);
				entry.1 += 1;
			}
		}

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

/// Total, largest holders, Herfindahl index and Nakamoto coefficient of `amounts`.
fn measure<K, B>(mut amounts: Vec<(K, B)>) -> Concentration<K, B>
where
	B: sp_runtime::traits::AtLeast32BitUnsigned + Copy,
{
	amounts.retain(|(_, a)| !a.is_zero());
	amounts.sort_by_key(|(_, a)| core::cmp::Reverse(*a));
	let total = amounts.iter().fold(B::zero(), |sum, (_, a)| sum.saturating_add(*a));
	if total.is_zero() {
		return Concentration {
			total,
			largest: Vec::new(),
			herfindahl: Perbill::zero(),
			nakamoto: 0,
		};
	}
	let share = |a: B| Perbill::from_rational(a, total);
	let herfindahl = amounts
		.iter()
		.fold(Perbill::zero(), |sum, (_, a)| sum.saturating_add(share(*a).square()));
	let mut held = B::zero();
	let mut nakamoto = 0;
	for (_, a) in &amounts {
		held = held.saturating_add(*a);
		nakamoto += 1;
		if held > total - held {
			break;
		}
	}
	let largest = amounts.into_iter().take(LARGEST).map(|(k, a)| (k, share(a))).collect();
	Concentration { total, largest, herfindahl, nakamoto }
}
