//! The invariants: those checked after every block, and the economic ones checked at the end of a
//! run from what the run's events booked.

use std::collections::{BTreeMap, BTreeSet};

use frame_support::traits::fungible::Inspect;
use lineage_runtime::{
	AccountId, Balance, Balances, LineageParams, Rewards, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeHoldReason, System,
};

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

/// What a run's events say each actor earned and claimed.
pub struct Books {
	actors: Vec<AccountId>,
	/// What the actors held together at the start (free and held).
	start: Balance,
	/// Per account: emission claimed, revenue earned (as provider, model owner or contributor),
	/// claims made.
	emission: BTreeMap<AccountId, Balance>,
	revenue: BTreeMap<AccountId, Balance>,
	claims: BTreeMap<AccountId, Balance>,
	/// Jobs that settled.
	settled: u64,
	/// Whether governance enacted anything (a referendum or a Council motion): the economic
	/// checks assume nobody moved money but the actors and the protocol.
	pub governed: bool,
}

impl Books {
	/// Empty books for `actors`, at the start of a run.
	pub fn new(actors: &[AccountId]) -> Self {
		Self {
			actors: actors.to_vec(),
			start: wealth(actors),
			emission: BTreeMap::new(),
			revenue: BTreeMap::new(),
			claims: BTreeMap::new(),
			settled: 0,
			governed: false,
		}
	}

	/// Books the block's events.
	pub fn book(&mut self) {
		for record in System::events() {
			match record.event {
				RuntimeEvent::Rewards(pallet_rewards::Event::Claimed {
					who,
					amount,
					emission,
					..
				}) => {
					*self.emission.entry(who.clone()).or_default() += emission;
					*self.revenue.entry(who.clone()).or_default() += amount - emission;
					*self.claims.entry(who).or_default() += 1;
				},
				RuntimeEvent::Rewards(pallet_rewards::Event::AccountClaimed { who, amount }) => {
					*self.emission.entry(who.clone()).or_default() += amount;
					*self.claims.entry(who).or_default() += 1;
				},
				RuntimeEvent::Compute(pallet_compute::Event::JobSettled {
					job,
					provider_paid,
					owner_paid,
					..
				}) => {
					self.settled += 1;
					let Some(record) = pallet_compute::Jobs::<Runtime>::get(job) else { continue };
					if let Some(provider) = record.provider.clone() {
						*self.revenue.entry(provider).or_default() += provider_paid;
					}
					let owner = record
						.payouts
						.iter()
						.find(|p| p.payee == pallet_compute::Payee::ModelOwner)
						.map(|p| p.account.clone());
					if let Some(owner) = owner {
						*self.revenue.entry(owner).or_default() += owner_paid;
					}
				},
				RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { .. })
				| RuntimeEvent::Council(pallet_collective::Event::Executed { .. }) => {
					self.governed = true;
				},
				_ => {},
			}
		}
	}

	/// No actor claimed more emission than the highest matching rate allows on its revenue, and
	/// the actors together did not get richer by paying themselves.
	pub fn check_economics(&self) -> Result<(), String> {
		let params = LineageParams::current().params.emission;
		let rate = Rewards::matching_rate(&params, 0);
		for who in &self.actors {
			let emission = self.emission.get(who).copied().unwrap_or_default();
			let revenue = self.revenue.get(who).copied().unwrap_or_default();
			let slack = self.claims.get(who).copied().unwrap_or_default();
			if emission > rate.mul_ceil(revenue) + slack {
				return Err(format!("{who}: emission {emission} > {rate:?} × revenue {revenue}"));
			}
		}
		let end = wealth(&self.actors);
		if end > self.start || (self.settled > 0 && end == self.start) {
			return Err(format!(
				"the actors went from {} to {end} ({} jobs settled)",
				self.start, self.settled
			));
		}
		Ok(())
	}
}

/// What `actors` hold together, free and held.
fn wealth(actors: &[AccountId]) -> Balance {
	actors.iter().map(Balances::total_balance).sum()
}
