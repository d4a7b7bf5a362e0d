//! Jobs before they end: submission, cancellation, acceptance, results and challenges.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, DefensiveSaturating},
};
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{ContentRef, JobId, ModelVersionId};
use sp_runtime::{
	traits::{Convert, One, Saturating, Zero},
	BoundedVec, FixedPointNumber,
};

use crate::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The job, if it exists.
	pub(crate) fn job(job: JobId) -> Result<JobOf<T>, DispatchError> {
		Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob.into())
	}

	/// The last block a result can be challenged in (the job's own challenge period).
	pub(crate) fn window_end(record: &JobOf<T>) -> Option<BlockNumberFor<T>> {
		record.steps.result.map(|at| at.saturating_add(record.terms.challenge_period))
	}

	/// The block the job's current state falls due at, when `on_idle`, `finalize` or `expire`
	/// ends it: the block after its deadline (open or accepted), after its challenge window (a
	/// result), or after its resolution period (challenged); `None` once it ended.
	pub fn due_at(record: &JobOf<T>) -> Option<BlockNumberFor<T>> {
		let last = match record.state {
			JobState::Open | JobState::Accepted => record.deadline,
			JobState::ResultSubmitted => Self::window_end(record)?,
			JobState::Challenged => {
				record.steps.challenged?.saturating_add(record.terms.resolution_period)
			},
			JobState::Ended(_) => return None,
		};
		Some(last.saturating_add(One::one()))
	}

	/// Submits a job; returns the weight it used, which depends on the datasets in the version's
	/// attribution table and on its ancestors.
	pub(crate) fn do_submit_job(
		who: T::AccountId,
		kind: JobKind,
		model_version: ModelVersionId,
		input: ContentRef,
		fee: BalanceOf<T>,
		max_price: BalanceOf<T>,
		deadline: BlockNumberFor<T>,
	) -> Result<Weight, DispatchError> {
		ensure!(input.uri_fits::<T::MaxUriLen>(), Error::<T>::UriTooLong);
		ensure!(!fee.is_zero(), Error::<T>::ZeroAmount);
		let now = Self::now();
		ensure!(
			deadline > now && deadline <= now.saturating_add(T::MaxDeadline::get()),
			Error::<T>::BadDeadline
		);
		let view = T::Models::version(model_version).ok_or(Error::<T>::UnknownModelVersion)?;
		ensure!(!view.deprecated, Error::<T>::ModelDeprecated);
		ensure!(view.taint.is_none(), Error::<T>::ModelTainted);
		ensure!(view.price <= max_price, Error::<T>::PriceAboveMax);
		let attribution = T::Models::attribution(model_version);
		let datasets = attribution.len() as u32;
		let escrow = fee.checked_add(&view.price).ok_or(Error::<T>::Overflow)?;
		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let record_deposit = T::RecordDeposit::get();

		T::Currency::hold(&HoldReason::Escrow.into(), &who, escrow)?;
		T::Currency::hold(&HoldReason::RecordDeposit.into(), &who, record_deposit)?;
		let mut record = Job {
			requester: who.clone(),
			kind,
			model_version,
			input,
			fee,
			price: view.price,
			escrow,
			record_deposit,
			deadline,
			terms: T::Terms::convert(kind),
			attribution,
			state: JobState::Open,
			provider: None,
			operator: None,
			collateral: Zero::zero(),
			result: None,
			challenge: None,
			ruling: None,
			payouts: BoundedVec::new(),
			steps: Steps {
				submitted: now,
				accepted: None,
				result: None,
				challenged: None,
				resolved: None,
				ended: None,
			},
			queued: None,
		};
		Self::schedule(id, &mut record, deadline.saturating_add(One::one()))?;
		if view.grace_starts {
			T::Models::start_grace(model_version, view.grace);
		}
		OpenJobs::<T>::mutate(model_version, |open| *open = open.saturating_add(1));
		Jobs::<T>::insert(id, record);
		NextJobId::<T>::put(next);
		Self::deposit_event(Event::JobSubmitted {
			job: id,
			requester: who,
			kind,
			model_version,
			escrow,
			deadline,
		});
		Ok(Self::submit_job_weight(datasets, view.ancestors))
	}

	/// The weight of a job submitted on a version with `datasets` datasets in its attribution
	/// table and `ancestors` ancestors: the benchmark's formula at those components (each
	/// dataset with the two markers of withdrawn items a status can read, and a new page of the
	/// queue of jobs falling due), plus its share of the queue's work ([`Self::due_work`]) and the
	/// version's grace marker, which the benchmark's untainted version never touches
	/// ([`Self::grace_weight`]). The call is charged this at the largest components and
	/// refunded to the ones it met.
	pub(crate) fn submit_job_weight(datasets: u32, ancestors: u32) -> Weight {
		T::WeightInfo::submit_job(datasets, ancestors)
			.saturating_add(Self::due_work(datasets))
			.saturating_add(Self::grace_weight())
	}

	/// A version's withdrawal-grace marker, read and perhaps written when a job is submitted on
	/// a version a consent withdrawal reached (see `ModelInspect::start_grace`).
	pub(crate) fn grace_weight() -> Weight {
		T::DbWeight::get().reads_writes(1, 1)
	}

	pub(crate) fn do_cancel_job(who: T::AccountId, job: JobId) -> DispatchResult {
		let mut record = Self::job(job)?;
		ensure!(record.requester == who, Error::<T>::NotRequester);
		ensure!(record.state == JobState::Open, Error::<T>::JobNotOpen);
		Self::refund(&mut record)?;
		let refunded = record.escrow;
		Self::end(job, record, Outcome::Cancelled)?;
		Self::deposit_event(Event::JobCancelled { job, requester: who, refunded });
		Ok(())
	}

	/// The bond a challenge of a job with `escrow` at stake holds: the job's escrow, at least
	/// `ChallengeBond`. A challenge puts the whole escrow at stake (the provider's fee, the
	/// builder's and the data's parts), so it costs as much: paid to the wronged side when it
	/// fails or lapses, a challenge nobody believes in always loses what it would have taken.
	pub(crate) fn challenge_bond_for(escrow: BalanceOf<T>) -> BalanceOf<T> {
		escrow.max(T::ChallengeBond::get())
	}

	/// The collateral a job needs: `CollateralRatio` × fee, at least `MinCollateral`.
	pub(crate) fn collateral_for(fee: BalanceOf<T>) -> BalanceOf<T> {
		T::CollateralRatio::get().saturating_mul_int(fee).max(T::MinCollateral::get())
	}

	pub(crate) fn do_accept_job(who: T::AccountId, job: JobId) -> DispatchResult {
		let mut record = Self::job(job)?;
		ensure!(record.state == JobState::Open, Error::<T>::JobNotOpen);
		let now = Self::now();
		ensure!(now <= record.deadline, Error::<T>::DeadlinePassed);
		let mut provider = Providers::<T>::get(&who).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(!provider.leaving, Error::<T>::ProviderLeaving);
		ensure!(provider.kinds.offers(record.kind), Error::<T>::KindNotOffered);
		let view =
			T::Models::version(record.model_version).ok_or(Error::<T>::UnknownModelVersion)?;
		ensure!(view.taint.is_none(), Error::<T>::ModelTainted);
		let collateral = Self::collateral_for(record.fee);
		ensure!(provider.bond >= collateral, Error::<T>::InsufficientFreeBond);
		let active_jobs = provider.active_jobs.checked_add(1).ok_or(Error::<T>::Overflow)?;

		T::Currency::release(&HoldReason::ProviderBond.into(), &who, collateral, Precision::Exact)?;
		T::Currency::hold(&HoldReason::Collateral.into(), &who, collateral)?;
		provider.bond = provider.bond.defensive_saturating_sub(collateral);
		provider.locked = provider.locked.saturating_add(collateral);
		provider.active_jobs = active_jobs;
		record.state = JobState::Accepted;
		record.operator = Some(provider.operator.clone());
		record.provider = Some(who.clone());
		record.collateral = collateral;
		record.steps.accepted = Some(now);
		Providers::<T>::insert(&who, provider);
		Jobs::<T>::insert(job, record);
		Self::deposit_event(Event::JobAccepted { job, provider: who, collateral });
		Ok(())
	}

	pub(crate) fn do_submit_result(
		who: T::AccountId,
		job: JobId,
		result: ContentRef,
	) -> DispatchResult {
		let mut record = Self::job(job)?;
		ensure!(record.state == JobState::Accepted, Error::<T>::JobNotAccepted);
		ensure!(record.provider.as_ref() == Some(&who), Error::<T>::NotProvider);
		let now = Self::now();
		ensure!(now <= record.deadline, Error::<T>::DeadlinePassed);
		ensure!(result.uri_fits::<T::MaxUriLen>(), Error::<T>::UriTooLong);
		let window_ends = now.saturating_add(record.terms.challenge_period);

		record.state = JobState::ResultSubmitted;
		record.result = Some(result.clone());
		record.steps.result = Some(now);
		Self::schedule(job, &mut record, window_ends.saturating_add(One::one()))?;
		Jobs::<T>::insert(job, record);
		Self::deposit_event(Event::ResultSubmitted { job, result, window_ends });
		Ok(())
	}

	pub(crate) fn do_challenge(
		who: T::AccountId,
		job: JobId,
		evidence: ContentRef,
	) -> DispatchResult {
		let mut record = Self::job(job)?;
		ensure!(record.state == JobState::ResultSubmitted, Error::<T>::NoResultToChallenge);
		let now = Self::now();
		let window_end = Self::window_end(&record).ok_or(Error::<T>::NoResultToChallenge)?;
		ensure!(now <= window_end, Error::<T>::ChallengeWindowClosed);
		ensure!(evidence.uri_fits::<T::MaxUriLen>(), Error::<T>::UriTooLong);
		let bond = Self::challenge_bond_for(record.escrow);

		T::Currency::hold(&HoldReason::ChallengeBond.into(), &who, bond)?;
		if record.result.as_ref().is_some_and(|result| Self::publishable(result.bytes)) {
			UnpublishedOutputs::<T>::insert(job, ());
		}
		record.state = JobState::Challenged;
		record.challenge = Some(Challenge { challenger: who.clone(), evidence, bond, at: now });
		record.steps.challenged = Some(now);
		let ruling_due = now.saturating_add(record.terms.resolution_period);
		Self::schedule(job, &mut record, ruling_due.saturating_add(One::one()))?;
		Jobs::<T>::insert(job, record);
		Self::deposit_event(Event::Challenged { job, challenger: who, bond, ruling_due });
		Ok(())
	}
}
