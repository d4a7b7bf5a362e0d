//! The invariants: those checked after every block, and the economic ones checked at the end of a
//! run from what the run's events booked.

use std::collections::BTreeSet;

use frame_support::traits::fungible::Inspect;
use lineage_runtime::{
	AccountId, Balance, Balances, Rewards, Runtime, RuntimeCall, RuntimeHoldReason, System,
};

use crate::oracle::Ledger;

/// The invariants of every block: total issuance, every pallet's `try_state`, no orphaned hold.
pub fn check_block() -> Result<(), String> {
	let fail = |e: sp_runtime::TryRuntimeError| format!("{e:?}");
	#[cfg(feature = "try-runtime")]
	{
		use frame_support::traits::{TryState, TryStateSelect};
		<lineage_runtime::AllPalletsWithSystem as TryState<u32>>::try_state(
			System::block_number(),
			TryStateSelect::All,
		)
		.map_err(fail)?;
	}
	// Without the feature, Lineage's own pallets' checks (with it, `try_state` ran them).
	#[cfg(not(feature = "try-runtime"))]
	{
		lineage_runtime::Datasets::do_try_state().map_err(fail)?;
		lineage_runtime::Models::do_try_state().map_err(fail)?;
		lineage_runtime::Compute::do_try_state().map_err(fail)?;
		lineage_runtime::Rewards::do_try_state().map_err(fail)?;
		lineage_runtime::LineageParams::do_try_state().map_err(fail)?;
	}
	let total: Balance = frame_system::Account::<Runtime>::iter()
		.map(|(_, info)| info.data.free + info.data.reserved)
		.sum();
	if total != Balances::total_issuance() {
		return Err(format!("issuance {} ≠ Σ balances {total}", Balances::total_issuance()));
	}
	jobs_end()?;
	late_points_earn_nothing()?;
	orphaned_holds()
}

/// Points no snapshot holds yet (first held by the dataset's next snapshot) have earned nothing:
/// revenue goes only to the points of the snapshot a job used.
fn late_points_earn_nothing() -> Result<(), String> {
	for (who, (dataset, first), position) in pallet_rewards::Positions::<Runtime>::iter() {
		let latest = pallet_datasets::Datasets::<Runtime>::get(dataset).map_or(0, |d| d.snapshots);
		if first > latest {
			let pending = Rewards::pending_in(&who, dataset, first);
			if pending != (0, 0) || position.revenue != 0 || position.emission != 0 {
				return Err(format!(
					"{who} earned {pending:?} from points of dataset {dataset} first held by \
					 snapshot {first}, which is not taken yet"
				));
			}
		}
	}
	Ok(())
}

/// Blocks a job may stay after the block it fell due at, for blocks whose idle weight ran out.
const OVERDUE: u32 = 2;

/// Every job ends by the block its state falls due at (give or take `OVERDUE`), whatever its
/// parties froze or the arbiter did, and none ends aborted (a broken invariant).
fn jobs_end() -> Result<(), String> {
	let now = System::block_number();
	for (job, record) in pallet_compute::Jobs::<Runtime>::iter() {
		if record.state == pallet_compute::JobState::Ended(pallet_compute::Outcome::Aborted) {
			return Err(format!("job {job} was aborted"));
		}
		if let Some(due) = lineage_runtime::Compute::due_at(&record) {
			if due + OVERDUE < now {
				return Err(format!("job {job} fell due at {due} and is still {:?}", record.state));
			}
		}
	}
	Ok(())
}

/// Every hold under a Lineage pallet's reason is on an account that one of that pallet's records
/// names (the pallets' own `try_state` checks the amounts of the accounts their records name;
/// this finds a hold left behind once its record is gone).
fn orphaned_holds() -> Result<(), String> {
	let mut datasets = BTreeSet::new();
	for (_, info) in pallet_datasets::Datasets::<Runtime>::iter() {
		datasets.insert(info.owner);
	}
	for (_, c) in pallet_datasets::Contributions::<Runtime>::iter() {
		datasets.insert(c.contributor);
	}
	let mut models = BTreeSet::new();
	for (_, info) in pallet_models::Models::<Runtime>::iter() {
		models.insert(info.owner);
	}
	for (_, v) in pallet_models::Versions::<Runtime>::iter() {
		models.insert(v.publisher);
	}
	let mut compute: BTreeSet<AccountId> =
		pallet_compute::Providers::<Runtime>::iter_keys().collect();
	for (_, job) in pallet_compute::Jobs::<Runtime>::iter() {
		compute.insert(job.requester);
		compute.extend(job.provider);
		compute.extend(job.challenge.map(|c| c.challenger));
	}
	for (who, holds) in pallet_balances::Holds::<Runtime>::iter() {
		for hold in holds.iter().filter(|h| h.amount > 0) {
			let named = match hold.id {
				RuntimeHoldReason::Datasets(_) => &datasets,
				RuntimeHoldReason::Models(_) => &models,
				RuntimeHoldReason::Compute(_) => &compute,
				_ => continue,
			};
			if !named.contains(&who) {
				return Err(format!(
					"{who} holds {} under {:?} and no record names it",
					hold.amount, hold.id
				));
			}
		}
	}
	Ok(())
}

/// The calls that claim everything `who` can claim: each of its positions (dataset and first
/// snapshot), and
/// its account pool.
pub fn claims(who: &AccountId) -> Vec<RuntimeCall> {
	pallet_rewards::Positions::<Runtime>::iter_key_prefix(who)
		.map(|(dataset, first_snapshot)| {
			pallet_rewards::Call::claim { dataset, first_snapshot }.into()
		})
		.chain([pallet_rewards::Call::claim_account {}.into()])
		.collect()
}

/// What a run's events say each actor earned and claimed (the oracle's ledger), and what the
/// actors held at the start.
pub struct Books {
	actors: Vec<AccountId>,
	/// What the actors held together at the start (free and held).
	start: Balance,
	/// What settlements paid and claims took.
	pub ledger: Ledger,
}

impl Books {
	/// Empty books for `actors`, at the start of a run.
	pub fn new(actors: &[AccountId]) -> Self {
		Self { actors: actors.to_vec(), start: wealth(actors), ledger: Ledger::default() }
	}

	/// Books the block's events.
	pub fn book(&mut self) {
		self.ledger.book();
	}

	/// No actor claimed more emission than each era's matching rate allows on the revenue
	/// settlements paid it in that era, nor more data revenue than its share; points added after
	/// every paid snapshot earned nothing; and, when nobody but the actors and the protocol moved
	/// money (`moved_by_others` false), the actors together did not get richer by paying
	/// themselves.
	pub fn check_economics(&self, moved_by_others: bool) -> Result<(), String> {
		self.ledger.check_claims(&self.actors)?;
		self.ledger.check_late_points()?;
		if moved_by_others || self.ledger.governed {
			return Ok(());
		}
		let end = wealth(&self.actors);
		let settled = self.ledger.settled.len();
		if end > self.start || (settled > 0 && end == self.start) {
			return Err(format!(
				"the actors went from {} to {end} ({settled} jobs settled)",
				self.start
			));
		}
		Ok(())
	}
}

/// What `actors` hold together, free and held.
fn wealth(actors: &[AccountId]) -> Balance {
	actors.iter().map(Balances::total_balance).sum()
}
