//! The economic oracle of the fuzzer and of the runtime's coalition property test
//! (`runtime/tests/coalitions.rs` includes this file): what settlements paid each account, era by
//! era, read from the jobs that settled and the datasets pallet, never from the rewards pallet's
//! own accounting; and the bound every claim must respect.
//!
//! - A job that settled (`JobSettled`) paid its provider part, its builder part and each dataset
//!   its payout; a dataset payout is shared by the points of the contributions the paid snapshot
//!   holds (accepted, first held by that snapshot or an earlier one, consent standing), as the
//!   datasets pallet records them at the end of the block.
//! - Revenue settled in era `e` is matched when `e` ends, at the matching rate (α plus the
//!   bootstrap rate) of era `e + 1` under the parameters in force at that transition, whatever
//!   governance changed before or after.
//! - The bound: every account's claimed emission is at most Σ over eras of that rate × the revenue
//!   settled to it in the era (up to a planck of rounding per claim), and its claimed data revenue
//!   at most its share of the dataset payouts.

use std::collections::BTreeMap;

use lineage_primitives::{EmissionParams, SnapshotRef};
use lineage_runtime::{
	AccountId, Balance, BlockNumber, LineageParams, Rewards, Runtime, RuntimeEvent, System,
};
use pallet_compute::Payee;
use pallet_datasets::ContributionState;
use sp_runtime::Perbill;

/// What settlements paid and claims took, per account, booked block by block.
#[derive(Default)]
pub struct Ledger {
	/// Per account: emission claimed, data revenue claimed, claims made.
	pub emission: BTreeMap<AccountId, Balance>,
	pub claimed_data: BTreeMap<AccountId, Balance>,
	pub claims: BTreeMap<AccountId, Balance>,
	/// What settlements paid, per account and era (provider and builder parts, and its share of
	/// dataset payouts), and per account its share of dataset payouts alone.
	pub earned: BTreeMap<(AccountId, u32), Balance>,
	pub data_share: BTreeMap<AccountId, Balance>,
	/// The rate each ended era's revenue was matched at.
	pub rates: BTreeMap<u32, Perbill>,
	/// Each job that settled, with its requester, in order.
	pub settled: Vec<(u64, AccountId)>,
	/// Every contributor claim's (dataset, first snapshot, data revenue); and per dataset, the
	/// latest snapshot a settled job paid for.
	pub cohort_claims: Vec<(u32, u32, Balance)>,
	pub paid_snapshot: BTreeMap<u32, u32>,
	/// Whether governance enacted anything (a scheduled referendum or a Council motion).
	pub governed: bool,
	/// The emission parameters after the current block's `on_initialize` (where an era
	/// transition reads them).
	params: Option<EmissionParams<Balance, BlockNumber>>,
}

impl Ledger {
	/// Notes the parameters the block's era transition, if any, used: call it after the
	/// block's `on_initialize`.
	pub fn note_initialized(&mut self) {
		self.params = Some(LineageParams::current().params.emission);
	}

	/// Books the block's events (it does not clear them).
	pub fn book(&mut self) {
		let era = pallet_rewards::CurrentEra::<Runtime>::get();
		for record in System::events() {
			match record.event {
				RuntimeEvent::Rewards(pallet_rewards::Event::Claimed {
					who,
					dataset,
					first_snapshot,
					amount,
					emission,
				}) => {
					self.cohort_claims.push((dataset, first_snapshot, amount - emission));
					*self.emission.entry(who.clone()).or_default() += emission;
					*self.claimed_data.entry(who.clone()).or_default() += amount - emission;
					*self.claims.entry(who).or_default() += 1;
				},
				RuntimeEvent::Rewards(pallet_rewards::Event::AccountClaimed { who, amount }) => {
					*self.emission.entry(who.clone()).or_default() += amount;
					*self.claims.entry(who).or_default() += 1;
				},
				RuntimeEvent::Rewards(pallet_rewards::Event::NewEra { era: next, .. }) => {
					let params =
						self.params.unwrap_or_else(|| LineageParams::current().params.emission);
					self.rates.insert(next - 1, Rewards::matching_rate(&params, next));
				},
				RuntimeEvent::Compute(pallet_compute::Event::JobSettled {
					job,
					requester,
					provider,
					provider_paid,
					owner_paid,
					..
				}) => {
					self.settled.push((job, requester));
					// Settled in the era in force at the end of the block (a transition comes at
					// a block's start).
					*self.earned.entry((provider, era)).or_default() += provider_paid;
					let Some(record) = pallet_compute::Jobs::<Runtime>::get(job) else { continue };
					for entry in record.attribution.iter() {
						let paid = self.paid_snapshot.entry(entry.snapshot.dataset).or_default();
						*paid = (*paid).max(entry.snapshot.version);
					}
					for payout in record.payouts.iter() {
						match payout.payee {
							Payee::ModelOwner => {
								*self.earned.entry((payout.account.clone(), era)).or_default() +=
									owner_paid;
							},
							Payee::Dataset(snapshot) => {
								for (who, share) in shares(snapshot, payout.amount) {
									*self.earned.entry((who.clone(), era)).or_default() += share;
									*self.data_share.entry(who).or_default() += share;
								}
							},
							_ => {},
						}
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

	/// The bound, for each of `accounts`.
	pub fn check_claims(&self, accounts: &[AccountId]) -> Result<(), String> {
		for who in accounts {
			let emission = self.emission.get(who).copied().unwrap_or_default();
			let slack = self.claims.get(who).copied().unwrap_or_default();
			// Revenue of an era not yet ended backs no claimable emission (no rate).
			let bound: Balance = self
				.earned
				.iter()
				.filter(|((account, _), _)| account == who)
				.map(|((_, era), revenue)| {
					self.rates.get(era).map_or(0, |rate| rate.mul_ceil(*revenue))
				})
				.sum();
			if emission > bound + slack {
				return Err(format!(
					"{who}: emission {emission} > Σ per era of its matching rate × revenue \
					 settled in the era = {bound}"
				));
			}
			let claimed = self.claimed_data.get(who).copied().unwrap_or_default();
			let share = self.data_share.get(who).copied().unwrap_or_default();
			if claimed > share + slack {
				return Err(format!(
					"{who}: claimed data revenue {claimed} > its share of dataset payouts {share}"
				));
			}
		}
		Ok(())
	}

	/// Points first held by a snapshot later than every snapshot jobs paid for earned nothing.
	pub fn check_late_points(&self) -> Result<(), String> {
		for (dataset, first, revenue) in &self.cohort_claims {
			let paid = self.paid_snapshot.get(dataset).copied().unwrap_or_default();
			if *first > paid && *revenue > 0 {
				return Err(format!(
					"points first in snapshot {first} of dataset {dataset} earned {revenue}, jobs \
					 paid only up to snapshot {paid}"
				));
			}
		}
		Ok(())
	}
}

/// `amount` paid for `snapshot`, shared by the points of the contributions it holds as the
/// datasets pallet records them, each share rounded up.
pub fn shares(snapshot: SnapshotRef, amount: Balance) -> BTreeMap<AccountId, Balance> {
	let mut points: BTreeMap<AccountId, u128> = BTreeMap::new();
	for (_, c) in pallet_datasets::Contributions::<Runtime>::iter() {
		if let ContributionState::Accepted { points: p, first_snapshot, withdrawn: None, .. } =
			c.state
		{
			if c.dataset == snapshot.dataset && first_snapshot <= snapshot.version {
				*points.entry(c.contributor).or_default() += u128::from(p);
			}
		}
	}
	let total: u128 = points.values().sum();
	points
		.into_iter()
		.filter(|(_, p)| total > 0 && *p > 0)
		.map(|(who, p)| (who, (amount * p).div_ceil(total)))
		.collect()
}
