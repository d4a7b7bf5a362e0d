//! Benchmarks of every call and of the `on_idle` step, at their worst cases: the largest
//! attribution table a job can carry, the longest URIs, and queue buckets full up to the slip
//! limit.

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get, Hooks},
	weights::Weight,
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use lineage_primitives::{ContentRef, JobId, Uri};
use sp_core::H256;
use sp_runtime::traits::{Bounded, One, Saturating};

const SEED: u32 = 0;

/// An account with plenty of funds.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let plenty = BalanceOf::<T>::max_value() / 1_000_000u32.into();
	T::Currency::set_balance(&who, plenty);
	who
}

fn long_uri<T: Config>() -> Uri {
	Uri::try_from(vec![b'u'; T::MaxUriLen::get() as usize]).expect("MaxUriLen <= MAX_URI_LEN")
}

fn content_for<T: Config>(n: u8) -> ContentRef {
	ContentRef { hash: H256::repeat_byte(n), uri: long_uri::<T>(), bytes: u64::MAX }
}

fn fee<T: Config>() -> BalanceOf<T> {
	T::MinBond::get().saturating_add(1_000_000u32.into())
}

/// A registered provider with a bond large enough for many jobs.
fn provider<T: Config>() -> T::AccountId {
	let who = funded::<T>("provider", 0);
	let bond = fee::<T>().saturating_mul(1_000u32.into()).saturating_add(T::MinBond::get());
	let region = Region::try_from(vec![b'r'; MAX_REGION_LEN as usize]).expect("fits");
	Pallet::<T>::do_register_provider(
		who.clone(),
		bond,
		long_uri::<T>(),
		JobKinds::ALL,
		who.clone(),
		region,
	)
	.expect("registered");
	who
}

/// Fills the queue's buckets from `from` on so that a job scheduled at `from` slips to the last
/// block it may.
fn fill_buckets<T: Config>(from: BlockNumberFor<T>) {
	let full: BoundedVec<JobId, T::MaxDuePerBlock> =
		BoundedVec::try_from(vec![JobId::MAX; T::MaxDuePerBlock::get() as usize])
			.expect("MaxDuePerBlock entries");
	let mut block = from;
	for _ in 1..crate::queue::MAX_SLIP {
		Due::<T>::insert(block, full.clone());
		QueueLen::<T>::mutate(|n| *n += T::MaxDuePerBlock::get());
		block = block.saturating_add(One::one());
	}
}

fn deadline<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(T::MaxDeadline::get())
}

/// A job submitted by a funded requester on the benchmark model version.
fn open_job<T: Config>() -> (JobId, T::AccountId) {
	let requester = funded::<T>("requester", 0);
	let version = T::BenchmarkHelper::model_version();
	let id = NextJobId::<T>::get();
	Pallet::<T>::do_submit_job(
		requester.clone(),
		JobKind::Inference,
		version,
		content_for::<T>(1),
		fee::<T>(),
		deadline::<T>(),
	)
	.expect("job submitted");
	(id, requester)
}

fn accepted_job<T: Config>() -> (JobId, T::AccountId, T::AccountId) {
	let (job, requester) = open_job::<T>();
	let provider = provider::<T>();
	Pallet::<T>::do_accept_job(provider.clone(), job).expect("accepted");
	(job, requester, provider)
}

fn job_with_result<T: Config>() -> (JobId, T::AccountId) {
	let (job, _, provider) = accepted_job::<T>();
	Pallet::<T>::do_submit_result(provider.clone(), job, content_for::<T>(2)).expect("result");
	(job, provider)
}

fn challenged_job<T: Config>() -> JobId {
	let (job, _) = job_with_result::<T>();
	let challenger = funded::<T>("challenger", 0);
	Pallet::<T>::do_challenge(challenger, job, content_for::<T>(3)).expect("challenged");
	job
}

/// Moves past the challenge window of `job`.
fn past_window<T: Config>(job: JobId) {
	let record = Jobs::<T>::get(job).expect("job");
	let end = Pallet::<T>::window_end(&record).expect("result");
	frame_system::Pallet::<T>::set_block_number(end.saturating_add(One::one()));
}

fn ended<T: Config>(job: JobId) -> bool {
	matches!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::Ended(_)))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_provider() {
		let who = funded::<T>("provider", 0);
		let region = Region::try_from(vec![b'r'; MAX_REGION_LEN as usize]).expect("fits");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			T::MinBond::get(),
			long_uri::<T>(),
			JobKinds::ALL,
			who.clone(),
			region,
		);

		assert!(Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn bond_extra() {
		let who = provider::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), fee::<T>());

		assert!(Providers::<T>::get(&who).is_some());
	}

	#[benchmark]
	fn unbond() {
		let who = provider::<T>();
		Pallet::<T>::do_unbond(who.clone(), fee::<T>()).expect("first chunk");

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), fee::<T>());

		assert!(Providers::<T>::get(&who).and_then(|p| p.unbonding).is_some());
	}

	/// A leaving provider withdrawing everything: its record is removed.
	#[benchmark]
	fn withdraw_unbonded() {
		let who = provider::<T>();
		Pallet::<T>::do_deregister(who.clone()).expect("deregistered");
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::UnbondingPeriod::get()));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn deregister() {
		let who = provider::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Providers::<T>::get(&who).is_some_and(|p| p.leaving));
	}

	#[benchmark]
	fn submit_job() {
		let requester = funded::<T>("requester", 0);
		let version = T::BenchmarkHelper::model_version();
		let deadline = deadline::<T>();
		fill_buckets::<T>(deadline.saturating_add(One::one()));
		let id = NextJobId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(requester),
			JobKind::Inference,
			version,
			content_for::<T>(1),
			fee::<T>(),
			deadline,
		);

		assert!(Jobs::<T>::contains_key(id));
	}

	#[benchmark]
	fn cancel_job() {
		let (job, requester) = open_job::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), job);

		assert!(ended::<T>(job));
	}

	#[benchmark]
	fn accept_job() {
		let (job, _) = open_job::<T>();
		let provider = provider::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), job);

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::Accepted));
	}

	#[benchmark]
	fn submit_result() {
		let (job, _, provider) = accepted_job::<T>();
		let now = frame_system::Pallet::<T>::block_number();
		fill_buckets::<T>(now.saturating_add(T::ChallengePeriod::get()).saturating_add(One::one()));

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), job, content_for::<T>(2));

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::ResultSubmitted));
	}

	#[benchmark]
	fn challenge() {
		let (job, _) = job_with_result::<T>();
		let challenger = funded::<T>("challenger", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(challenger), job, content_for::<T>(3));

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::Challenged));
	}

	#[benchmark]
	fn resolve_provider_wrong() -> Result<(), BenchmarkError> {
		let job = challenged_job::<T>();
		let origin =
			T::ArbiterOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		resolve(origin as T::RuntimeOrigin, job, Verdict::ProviderWrong);

		assert!(ended::<T>(job));
		Ok(())
	}

	#[benchmark]
	fn resolve_challenger_wrong() -> Result<(), BenchmarkError> {
		let job = challenged_job::<T>();
		let origin =
			T::ArbiterOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		resolve(origin as T::RuntimeOrigin, job, Verdict::ChallengerWrong);

		assert!(ended::<T>(job));
		Ok(())
	}

	#[benchmark]
	fn finalize() {
		let (job, provider) = job_with_result::<T>();
		past_window::<T>(job);

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), job);

		assert!(ended::<T>(job));
	}

	/// An accepted job past its deadline: the provider is slashed.
	#[benchmark]
	fn expire() {
		let (job, requester, _) = accepted_job::<T>();
		frame_system::Pallet::<T>::set_block_number(deadline::<T>().saturating_add(One::one()));

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), job);

		assert!(ended::<T>(job));
	}

	#[benchmark]
	fn remove_record() {
		let (job, requester) = open_job::<T>();
		Pallet::<T>::do_cancel_job(requester.clone(), job).expect("cancelled");
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::RecordRetention::get()));

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), job);

		assert!(!Jobs::<T>::contains_key(job));
	}

	/// `on_idle` with entries queued but none due.
	#[benchmark]
	fn on_idle_empty() {
		let (_, _) = open_job::<T>();
		let now = frame_system::Pallet::<T>::block_number();
		QueueHead::<T>::put(now.saturating_add(One::one()));

		#[block]
		{
			Pallet::<T>::on_idle(now, Weight::MAX);
		}

		assert_eq!(QueueLen::<T>::get(), 1);
	}

	/// `on_idle` settling one job whose window closed (the largest attribution table).
	#[benchmark]
	fn on_idle_item() {
		let (job, _) = job_with_result::<T>();
		past_window::<T>(job);
		let now = frame_system::Pallet::<T>::block_number();
		// Only the window's bucket is due.
		QueueHead::<T>::put(now);

		#[block]
		{
			Pallet::<T>::on_idle(now, Weight::MAX);
		}

		assert!(ended::<T>(job));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
