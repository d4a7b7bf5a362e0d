//! How jobs end: settlement, refunds, slashing, resolution, expiry, and removing records. Every
//! amount leaves its hold exactly once, and each movement is written to the job's payouts.
//!
//! What a job owes moves from the holds the job created with `Fortitude::Force`: a freeze may
//! overlap a hold (a vote lock, a delegation, another pallet's freeze), so a party freezing its own
//! balance cannot stop its job from ending. A payee that cannot receive an amount (an account
//! that would stay below the existential deposit) is paid nothing and the amount goes to the
//! treasury. A job whose ending fails all the same (a broken invariant) is aborted: every stake it
//! held goes back to whoever put it up, and `JobAborted` says why (see [`Pallet::abort`]).

use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
		Defensive, DefensiveSaturating,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{JobId, ModelInspect, SettlementReport, SnapshotStatus};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, UniqueSaturatedInto, Zero},
	Rounding,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Moves `amount` held from `from` for `reason` to `to`, as free balance, and records it as a
	/// payout to `payee`. The hold is moved whatever `from` froze; an amount `to` cannot receive
	/// (it would stay below the existential deposit) goes to the treasury instead.
	fn pay(
		record: &mut JobOf<T>,
		reason: HoldReason,
		from: &T::AccountId,
		payee: Payee,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		let treasury = T::Treasury::get();
		let (payee, to) = if T::Currency::can_deposit(to, amount, Provenance::Extant)
			== DepositConsequence::Success
		{
			(payee, to)
		} else {
			(Payee::Treasury, &treasury)
		};
		Self::move_held(reason, from, to, amount)?;
		Self::record_payout(record, payee, to.clone(), amount)
	}

	/// Moves `amount` held from `from` for `reason` to `to`'s free balance, by force: what a job
	/// owes moves whatever its owner froze.
	fn move_held(
		reason: HoldReason,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::transfer_on_hold(
			&reason.into(),
			from,
			to,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		Ok(())
	}

	fn record_payout(
		record: &mut JobOf<T>,
		payee: Payee,
		account: T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		record
			.payouts
			.try_push(Payout { payee, account, amount })
			.map_err(|_| Error::<T>::Overflow.into())
	}

	/// Gives the requester its escrow back.
	pub(crate) fn refund(record: &mut JobOf<T>) -> DispatchResult {
		let requester = record.requester.clone();
		T::Currency::release(
			&HoldReason::Escrow.into(),
			&requester,
			record.escrow,
			Precision::Exact,
		)?;
		Self::record_payout(record, Payee::Requester, requester, record.escrow)
	}

	/// Marks the job ended with `outcome`, frees its queue entry, counts it off its version's open
	/// jobs and stores it.
	pub(crate) fn end(job: JobId, mut record: JobOf<T>, outcome: Outcome) -> DispatchResult {
		Self::unschedule(job, &mut record);
		if record.challenge.is_some() {
			UnpublishedOutputs::<T>::remove(job);
		}
		OpenJobs::<T>::mutate_exists(record.model_version, |open| {
			*open = open.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		record.state = JobState::Ended(outcome);
		record.steps.ended = Some(Self::now());
		// Settlements, cancellations and aborts have their own events.
		if !matches!(
			outcome,
			Outcome::Settled | Outcome::Lapsed | Outcome::Cancelled | Outcome::Aborted
		) {
			Self::deposit_event(Event::JobRefunded { job, outcome, refunded: record.escrow });
		}
		Jobs::<T>::insert(job, record);
		Ok(())
	}

	/// Returns a challenger's bond in full.
	fn release_challenge_bond(
		challenge: &Challenge<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>,
	) -> DispatchResult {
		T::Currency::release(
			&HoldReason::ChallengeBond.into(),
			&challenge.challenger,
			challenge.bond,
			Precision::Exact,
		)?;
		Ok(())
	}

	/// The accepting provider's record, for a job that has one.
	fn job_provider(record: &JobOf<T>) -> Result<(T::AccountId, ProviderOf<T>), DispatchError> {
		let who = record.provider.clone().ok_or(Error::<T>::UnknownProvider)?;
		let provider = Providers::<T>::get(&who).ok_or(Error::<T>::UnknownProvider)?;
		Ok((who, provider))
	}

	/// Returns the job's collateral to its provider's free bond.
	fn release_collateral(record: &JobOf<T>) -> DispatchResult {
		let (who, mut provider) = Self::job_provider(record)?;
		let collateral = record.collateral;
		T::Currency::release(&HoldReason::Collateral.into(), &who, collateral, Precision::Exact)?;
		T::Currency::hold(&HoldReason::ProviderBond.into(), &who, collateral)?;
		provider.locked = provider.locked.saturating_sub(collateral);
		provider.bond = provider.bond.saturating_add(collateral);
		provider.active_jobs = provider.active_jobs.saturating_sub(1);
		Providers::<T>::insert(&who, provider);
		Ok(())
	}

	/// Slashes the job's collateral: the challenger's share of its terms to `challenger` (when
	/// there is one), the rest to the treasury.
	fn slash_collateral(
		job: JobId,
		record: &mut JobOf<T>,
		challenger: Option<&T::AccountId>,
	) -> DispatchResult {
		let (who, mut provider) = Self::job_provider(record)?;
		let collateral = record.collateral;
		let reward = match challenger {
			Some(challenger) => {
				let reward = record.terms.challenger_reward.mul_floor(collateral);
				Self::pay(
					record,
					HoldReason::Collateral,
					&who,
					Payee::Challenger,
					challenger,
					reward,
				)?;
				reward
			},
			None => Zero::zero(),
		};
		let treasury = T::Treasury::get();
		Self::pay(
			record,
			HoldReason::Collateral,
			&who,
			Payee::Treasury,
			&treasury,
			collateral.saturating_sub(reward),
		)?;
		provider.locked = provider.locked.saturating_sub(collateral);
		provider.active_jobs = provider.active_jobs.saturating_sub(1);
		Self::update_shares(&provider, |s| s.bond = s.bond.saturating_sub(collateral));
		Providers::<T>::insert(&who, provider);
		Self::deposit_event(Event::ProviderSlashed { job, provider: who, amount: collateral });
		Ok(())
	}

	/// Splits the escrow (see the crate docs), returns the collateral and reports the split to
	/// the revenue sink.
	fn settle(job: JobId, record: &mut JobOf<T>) -> DispatchResult {
		let (who, provider) = Self::job_provider(record)?;
		let requester = record.requester.clone();
		let escrow = record.escrow;
		let protocol_fee = record.terms.protocol_fee.max(T::ProtocolFee::get());
		let protocol = protocol_fee.mul_floor(escrow);
		// Each part is at most what it is taken from; a broken invariant saturates (and fails
		// tests) instead of wrapping.
		let rest = escrow.defensive_saturating_sub(protocol);
		// rest × fee / escrow, rounded down (fee ≤ escrow, so it fits).
		let provider_part: BalanceOf<T> = multiply_by_rational_with_rounding(
			rest.unique_saturated_into(),
			record.fee.unique_saturated_into(),
			escrow.unique_saturated_into(),
			Rounding::Down,
		)
		.map(|part: u128| part.unique_saturated_into())
		.defensive_unwrap_or(rest);
		let price_part = rest.defensive_saturating_sub(provider_part);
		let view = T::Models::version(record.model_version);
		let tainted = view.as_ref().is_some_and(|view| view.taint.is_some());
		let (owner, owner_part) = match view {
			Some(view) => (Some(view.owner), view.builder_share.mul_floor(price_part)),
			None => (None, Zero::zero()),
		};
		let data_part = price_part.defensive_saturating_sub(owner_part);
		// On a version tainted since the job was submitted, the share of data governance took
		// down goes to the treasury: data that may no longer be used earns nothing. A consent
		// withdrawal confiscates nothing: the snapshot's share goes to its live points, the
		// withdrawer's no longer among them.
		let usable = |snapshot| {
			!tainted || T::Models::snapshot_status(snapshot) != Some(SnapshotStatus::TakenDown)
		};
		let datasets: Vec<_> = record
			.attribution
			.iter()
			.filter(|e| usable(e.snapshot))
			.map(|e| (e.snapshot, e.share.mul_floor(data_part)))
			.filter(|(_, amount)| !amount.is_zero())
			.collect();
		let data_paid = datasets
			.iter()
			.fold(BalanceOf::<T>::zero(), |sum, (_, a)| sum.saturating_add(*a));
		let treasury_part = protocol.saturating_add(data_part.defensive_saturating_sub(data_paid));

		let escrow_hold = HoldReason::Escrow;
		Self::pay(record, escrow_hold, &requester, Payee::Provider, &who, provider_part)?;
		if let Some(owner) = &owner {
			Self::pay(record, escrow_hold, &requester, Payee::ModelOwner, owner, owner_part)?;
		}
		let data_account = T::DataRevenueAccount::get();
		if !data_paid.is_zero() {
			Self::move_held(escrow_hold, &requester, &data_account, data_paid)?;
			for (snapshot, amount) in &datasets {
				Self::record_payout(
					record,
					Payee::Dataset(*snapshot),
					data_account.clone(),
					*amount,
				)?;
			}
		}
		let treasury = T::Treasury::get();
		Self::pay(record, escrow_hold, &requester, Payee::Treasury, &treasury, treasury_part)?;

		Self::release_collateral(record)?;
		Self::update_shares(&provider, |s| s.fees = s.fees.saturating_add(provider_part));
		// One entry per dataset of the job's table (at most `MAX_ATTRIBUTION_ENTRIES`).
		let paid_datasets: BoundedVec<_, _> = BoundedVec::truncate_from(
			datasets.iter().map(|(snapshot, amount)| (snapshot.dataset, *amount)).collect(),
		);
		T::Revenue::job_settled(&SettlementReport {
			paid: escrow,
			provider: (who.clone(), provider_part),
			model: (record.model_version, owner.clone().unwrap_or(treasury), owner_part),
			datasets: datasets.clone(),
		});
		Self::deposit_event(Event::JobSettled {
			job,
			requester,
			model_version: record.model_version,
			provider: who,
			provider_paid: provider_part,
			owner,
			owner_paid: owner_part,
			data_paid,
			datasets: paid_datasets,
			treasury_paid: treasury_part,
		});
		Ok(())
	}

	pub(crate) fn do_resolve(job: JobId, verdict: Verdict, by: Arbiter) -> DispatchResult {
		let record = Self::open_challenge(job)?;
		Self::rule(job, record, verdict, by)
	}

	/// A job whose challenge can still be ruled on: challenged, within its resolution period.
	pub(crate) fn open_challenge(job: JobId) -> Result<JobOf<T>, DispatchError> {
		let record = Self::job(job)?;
		ensure!(record.state == JobState::Challenged, Error::<T>::NotChallenged);
		let resolution_end = Self::due_at(&record).ok_or(Error::<T>::NotChallenged)?;
		ensure!(Self::now() < resolution_end, Error::<T>::ResolutionPeriodOver);
		Ok(record)
	}

	/// Rules on the challenge of `record` (from [`Self::open_challenge`]) and ends the job.
	pub(crate) fn rule(
		job: JobId,
		mut record: JobOf<T>,
		verdict: Verdict,
		by: Arbiter,
	) -> DispatchResult {
		let challenge = record.challenge.clone().ok_or(Error::<T>::NotChallenged)?;
		record.ruling = Some(Ruling { verdict, by });
		record.steps.resolved = Some(Self::now());
		let (provider, _) = Self::job_provider(&record)?;
		let challenger = challenge.challenger.clone();
		Self::deposit_event(Event::Resolved { job, verdict, by, provider, challenger });
		match verdict {
			Verdict::ProviderWrong => {
				Self::release_challenge_bond(&challenge)?;
				Self::slash_collateral(job, &mut record, Some(&challenge.challenger))?;
				Self::refund(&mut record)?;
				Self::end(job, record, Outcome::ChallengeUpheld)
			},
			Verdict::ChallengerWrong => {
				Self::forfeit_challenge_bond(job, &mut record, &challenge)?;
				Self::settle(job, &mut record)?;
				Self::end(job, record, Outcome::Settled)
			},
		}
	}

	/// Pays a challenge bond that failed (the arbiter ruled against it) or lapsed (nobody ruled)
	/// to the wronged side: the provider's share of the job's terms to the provider, the rest to
	/// the treasury.
	fn forfeit_challenge_bond(
		job: JobId,
		record: &mut JobOf<T>,
		challenge: &Challenge<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>,
	) -> DispatchResult {
		let (provider, _) = Self::job_provider(record)?;
		let reward = record.terms.provider_reward.mul_floor(challenge.bond);
		let bond = HoldReason::ChallengeBond;
		let challenger = &challenge.challenger;
		Self::pay(record, bond, challenger, Payee::Provider, &provider, reward)?;
		let treasury = T::Treasury::get();
		let rest = challenge.bond.saturating_sub(reward);
		Self::pay(record, bond, challenger, Payee::Treasury, &treasury, rest)?;
		Self::deposit_event(Event::ChallengerSlashed {
			job,
			challenger: challenge.challenger.clone(),
			amount: challenge.bond,
		});
		Ok(())
	}

	pub(crate) fn do_finalize(job: JobId) -> DispatchResult {
		let record = Self::job(job)?;
		match record.state {
			JobState::ResultSubmitted => {},
			JobState::Challenged => return Err(Error::<T>::UnderChallenge.into()),
			_ => return Err(Error::<T>::NothingToFinalize.into()),
		}
		let due = Self::due_at(&record).ok_or(Error::<T>::NothingToFinalize)?;
		ensure!(Self::now() >= due, Error::<T>::ChallengeWindowOpen);
		Self::end_due(job, record)
	}

	pub(crate) fn do_expire(job: JobId) -> DispatchResult {
		let record = Self::job(job)?;
		ensure!(
			matches!(record.state, JobState::Open | JobState::Accepted | JobState::Challenged),
			Error::<T>::NotExpired
		);
		let due = Self::due_at(&record).ok_or(Error::<T>::NotExpired)?;
		ensure!(Self::now() >= due, Error::<T>::NotExpired);
		Self::end_due(job, record)
	}

	/// Ends a job that fell due (its caller checked [`Self::due_at`]) the way its state says: an
	/// unchallenged result settles; an open job is refunded (`Unclaimed`); an accepted job without
	/// a result is refunded and its provider's collateral slashed to the treasury (`TimedOut`); a
	/// challenge the arbiter did not rule on in time lapses (`Lapsed`): the challenge bond goes to
	/// the provider and the treasury as if the arbiter had ruled against it, and the job settles;
	/// unless the challenged output was never published, when the challenge is upheld
	/// (`ChallengeUpheld` by `OutputWithheld`).
	pub(crate) fn end_due(job: JobId, mut record: JobOf<T>) -> DispatchResult {
		if record.state == JobState::Challenged && UnpublishedOutputs::<T>::contains_key(job) {
			return Self::rule(job, record, Verdict::ProviderWrong, Arbiter::OutputWithheld);
		}
		let outcome = match record.state {
			JobState::ResultSubmitted => {
				Self::settle(job, &mut record)?;
				Outcome::Settled
			},
			JobState::Open => Outcome::Unclaimed,
			JobState::Accepted => {
				Self::slash_collateral(job, &mut record, None)?;
				Outcome::TimedOut
			},
			JobState::Challenged => {
				let challenge = record.challenge.clone().ok_or(Error::<T>::NotChallenged)?;
				Self::forfeit_challenge_bond(job, &mut record, &challenge)?;
				Self::settle(job, &mut record)?;
				Outcome::Lapsed
			},
			JobState::Ended(_) => return Ok(()),
		};
		if !matches!(outcome, Outcome::Settled | Outcome::Lapsed) {
			Self::refund(&mut record)?;
		}
		Self::end(job, record, outcome)
	}

	/// Ends a due job whose ending by its terms failed with `error`, so that no job stays
	/// unended: every stake it holds goes back to whoever put it up (the escrow to the requester,
	/// the collateral to the provider's free balance, the challenge bond to the challenger), as
	/// far as the holds allow, and it ends `Aborted`. Should even that fail, the job ends with
	/// its holds as they are. Emits `JobAborted`.
	pub(crate) fn abort(job: JobId, record: JobOf<T>, error: DispatchError) {
		let returned = with_storage_layer(|| {
			let mut aborted = record.clone();
			Self::return_stakes(&mut aborted)?;
			let refunded = aborted.escrow;
			Self::end(job, aborted, Outcome::Aborted).map(|()| refunded)
		});
		let refunded = returned.unwrap_or_else(|_| {
			// `end` only writes: the job ends even when its stakes could not be returned.
			let _ = Self::end(job, record, Outcome::Aborted);
			Zero::zero()
		});
		log::warn!(target: "runtime::compute", "job {job} aborted: {error:?}");
		Self::deposit_event(Event::JobAborted { job, error, refunded });
	}

	/// Releases every hold `record` has to its owner, best effort, and records each as a payout.
	fn return_stakes(record: &mut JobOf<T>) -> DispatchResult {
		let best = Precision::BestEffort;
		let requester = record.requester.clone();
		let escrow =
			T::Currency::release(&HoldReason::Escrow.into(), &requester, record.escrow, best)?;
		Self::record_payout(record, Payee::Requester, requester, escrow)?;
		if let Some(provider) = record.provider.clone() {
			let collateral = record.collateral;
			let returned =
				T::Currency::release(&HoldReason::Collateral.into(), &provider, collateral, best)?;
			Providers::<T>::mutate(&provider, |p| {
				if let Some(p) = p {
					p.locked = p.locked.saturating_sub(collateral);
					p.active_jobs = p.active_jobs.saturating_sub(1);
					Self::update_shares(p, |s| s.bond = s.bond.saturating_sub(collateral));
				}
			});
			Self::record_payout(record, Payee::Provider, provider, returned)?;
		}
		if let (JobState::Challenged, Some(challenge)) = (record.state, record.challenge.clone()) {
			let bond = T::Currency::release(
				&HoldReason::ChallengeBond.into(),
				&challenge.challenger,
				challenge.bond,
				best,
			)?;
			Self::record_payout(record, Payee::Challenger, challenge.challenger, bond)?;
		}
		Ok(())
	}

	pub(crate) fn do_remove_record(who: T::AccountId, job: JobId) -> DispatchResult {
		let record = Self::job(job)?;
		ensure!(record.requester == who, Error::<T>::NotRequester);
		let ended = record.steps.ended.ok_or(Error::<T>::JobNotEnded)?;
		ensure!(
			Self::now() >= ended.saturating_add(T::RecordRetention::get()),
			Error::<T>::RecordRetained
		);
		T::Currency::release(
			&HoldReason::RecordDeposit.into(),
			&who,
			record.record_deposit,
			Precision::Exact,
		)?;
		Jobs::<T>::remove(job);
		Self::deposit_event(Event::RecordRemoved { job });
		Ok(())
	}
}
