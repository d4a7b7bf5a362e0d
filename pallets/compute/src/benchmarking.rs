//! Benchmarks of every call and of the `on_idle` step, at their worst cases: the largest
//! attribution table a job can carry, the longest URIs, and every queue entry written to a block
//! whose last page is full (so a new page is opened) and freed from a full page.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get, Hooks},
	weights::Weight,
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use lineage_primitives::{
	ContentRef, ContributionId, JobId, ModelInspect, Uri, MAX_ATTRIBUTION_ENTRIES,
	MAX_LINEAGE_DEPTH,
};
use sp_core::H256;
use sp_runtime::traits::{Bounded, One, Saturating, StaticLookup};

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

/// Fills the last page of block `at`'s queue entries, so that the next job scheduled there opens
/// a new page.
fn fill_page<T: Config>(at: BlockNumberFor<T>) {
	let full: BoundedVec<JobId, T::DuePageSize> =
		BoundedVec::try_from(vec![JobId::MAX; T::DuePageSize::get() as usize])
			.expect("DuePageSize entries");
	Due::<T>::insert(at, 0, full);
	DuePages::<T>::insert(at, 1);
	QueueLen::<T>::mutate(|n| *n += T::DuePageSize::get());
}

/// Puts `job` last in a full page: freeing its entry scans the whole page.
fn crowd_entry<T: Config>(job: JobId) {
	let record = Jobs::<T>::get(job).expect("job");
	let (at, page) = record.queued.expect("queued");
	let others = T::DuePageSize::get().saturating_sub(1) as usize;
	Due::<T>::mutate(at, page, |entries| {
		let mut crowded = vec![JobId::MAX; others];
		crowded.push(job);
		*entries = BoundedVec::try_from(crowded).expect("DuePageSize entries");
	});
	QueueLen::<T>::mutate(|n| *n += others as u32);
}
fn deadline<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(T::MaxDeadline::get())
}

/// A job submitted by a funded requester on the benchmark model version.
fn open_job<T: Config>() -> (JobId, T::AccountId) {
	open_job_on::<T>(MAX_ATTRIBUTION_ENTRIES)
}

/// A job submitted by a funded requester on a version with `datasets` datasets in its table and
/// the most ancestors.
fn open_job_on<T: Config>(datasets: u32) -> (JobId, T::AccountId) {
	let requester = funded::<T>("requester", 0);
	let version = T::BenchmarkHelper::model_version(datasets, MAX_LINEAGE_DEPTH);
	let id = NextJobId::<T>::get();
	Pallet::<T>::do_submit_job(
		requester.clone(),
		JobKind::Inference,
		version,
		content_for::<T>(1),
		fee::<T>(),
		BalanceOf::<T>::max_value(),
		deadline::<T>(),
	)
	.expect("job submitted");
	crowd_entry::<T>(id);
	(id, requester)
}

fn accepted_job<T: Config>() -> (JobId, T::AccountId, T::AccountId) {
	accepted_job_on::<T>(MAX_ATTRIBUTION_ENTRIES)
}

fn accepted_job_on<T: Config>(datasets: u32) -> (JobId, T::AccountId, T::AccountId) {
	let (job, requester) = open_job_on::<T>(datasets);
	let provider = provider::<T>();
	Pallet::<T>::do_accept_job(provider.clone(), job).expect("accepted");
	(job, requester, provider)
}

fn job_with_result<T: Config>() -> (JobId, T::AccountId) {
	job_with_result_on::<T>(MAX_ATTRIBUTION_ENTRIES)
}

fn job_with_result_on<T: Config>(datasets: u32) -> (JobId, T::AccountId) {
	let (job, _, provider) = accepted_job_on::<T>(datasets);
	Pallet::<T>::do_submit_result(provider.clone(), job, content_for::<T>(2)).expect("result");
	(job, provider)
}

fn challenged_job<T: Config>() -> JobId {
	challenged_job_on::<T>(MAX_ATTRIBUTION_ENTRIES)
}

fn challenged_job_on<T: Config>(datasets: u32) -> JobId {
	let (job, _) = job_with_result_on::<T>(datasets);
	let challenger = funded::<T>("challenger", 0);
	Pallet::<T>::do_challenge(challenger, job, content_for::<T>(3)).expect("challenged");
	crowd_entry::<T>(job);
	job
}

/// A reference to `bytes`, with their hash and length.
fn content_of<T: Config>(bytes: &[u8]) -> ContentRef {
	ContentRef {
		hash: H256(sp_io::hashing::blake2_256(bytes)),
		uri: long_uri::<T>(),
		bytes: bytes.len() as u64,
	}
}

/// A challenged job on the largest attribution table whose result, `output`, must be published.
fn challenged_job_publishing<T: Config>(output: &[u8]) -> JobId {
	let (job, _, provider) = accepted_job_on::<T>(MAX_ATTRIBUTION_ENTRIES);
	Pallet::<T>::do_submit_result(provider, job, content_of::<T>(output)).expect("result");
	let challenger = funded::<T>("challenger", 0);
	Pallet::<T>::do_challenge(challenger, job, content_for::<T>(3)).expect("challenged");
	crowd_entry::<T>(job);
	assert!(UnpublishedOutputs::<T>::contains_key(job));
	job
}

/// Bytes as a call takes them.
type CheckBytes<T> = BoundedVec<u8, <T as Config>::MaxCheckBytes>;

/// A challenged `kind` job on the largest attribution table whose work is the costliest the chain
/// can re-execute in `bytes` bytes, with the right output (`right`) or a wrong one, and the bytes
/// `check_result` takes: `(job, model, input, output)`.
fn checkable_job<T: Config>(
	kind: JobKind,
	bytes: u32,
	right: bool,
) -> (JobId, CheckBytes<T>, CheckBytes<T>, CheckBytes<T>) {
	let (kind, model, input, right_output, wrong_output) = T::ResultCheck::costliest(kind, bytes);
	let output = if right { right_output } else { wrong_output };
	let (job, input, output) = challenged_with::<T>(kind, &model, input, output);
	(job, bounded::<T>(model), input, output)
}

fn bounded<T: Config>(bytes: Vec<u8>) -> CheckBytes<T> {
	CheckBytes::<T>::try_from(bytes).expect("at most MaxCheckBytes")
}

/// A challenged `kind` job on the largest attribution table, on a version whose artifact is
/// `model`, with `input` and the result `output`: `(job, input, output)`.
fn challenged_with<T: Config>(
	kind: JobKind,
	model: &[u8],
	input: Vec<u8>,
	output: Vec<u8>,
) -> (JobId, CheckBytes<T>, CheckBytes<T>) {
	let content = content_of::<T>;
	let requester = funded::<T>("requester", 0);
	let version = T::BenchmarkHelper::model_version(MAX_ATTRIBUTION_ENTRIES, MAX_LINEAGE_DEPTH);
	T::BenchmarkHelper::set_artifact(version, content(model).hash);
	let job = NextJobId::<T>::get();
	Pallet::<T>::do_submit_job(
		requester,
		kind,
		version,
		content(&input),
		fee::<T>(),
		BalanceOf::<T>::max_value(),
		deadline::<T>(),
	)
	.expect("job submitted");
	crowd_entry::<T>(job);
	let provider = provider::<T>();
	Pallet::<T>::do_accept_job(provider.clone(), job).expect("accepted");
	Pallet::<T>::do_submit_result(provider, job, content(&output)).expect("result");
	let challenger = funded::<T>("challenger", 0);
	Pallet::<T>::do_challenge(challenger, job, content_for::<T>(3)).expect("challenged");
	crowd_entry::<T>(job);
	(job, bounded::<T>(input), bounded::<T>(output))
}

/// A challenged training job on the costliest model that fits `bytes` bytes with its input,
/// trained (rightly, or `right` false: with its last count wrong) at the highest order on a
/// snapshot holding a contribution of hash `content`, whose document is `document`'s or, with
/// `document` `None`, the contribution's: `(job, input, output, contribution)`.
fn training_job<T: Config>(
	bytes: u32,
	content: H256,
	right: bool,
	document: Option<ContributionId>,
) -> (JobId, CheckBytes<T>, CheckBytes<T>, ContributionId) {
	let (snapshot, contribution) = T::BenchmarkHelper::snapshot_holding(content);
	let (input, right_output, wrong_output) = lineage_reference::costliest_training(
		bytes,
		(snapshot.dataset, snapshot.version),
		document.unwrap_or(contribution),
	);
	let output = if right { right_output } else { wrong_output };
	let (job, input, output) = challenged_with::<T>(JobKind::Training, &[], input, output);
	(job, input, output, contribution)
}

fn upheld<T: Config>(job: JobId) -> bool {
	Jobs::<T>::get(job).map(|j| j.state) == Some(JobState::Ended(Outcome::ChallengeUpheld))
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
			T::Lookup::unlookup(who.clone()),
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

	/// `a`: the datasets in the version's attribution table (each checked and copied); `d`: its
	/// ancestors (each checked for revocation).
	#[benchmark]
	fn submit_job(a: Linear<1, MAX_ATTRIBUTION_ENTRIES>, d: Linear<0, MAX_LINEAGE_DEPTH>) {
		let requester = funded::<T>("requester", 0);
		let version = T::BenchmarkHelper::model_version(a, d);
		assert_eq!(T::Models::version(version).map(|view| view.ancestors), Some(d));
		let deadline = deadline::<T>();
		fill_page::<T>(deadline.saturating_add(One::one()));
		let id = NextJobId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(requester),
			JobKind::Inference,
			version,
			content_for::<T>(1),
			fee::<T>(),
			BalanceOf::<T>::max_value(),
			deadline,
		);

		assert_eq!(Jobs::<T>::get(id).map(|job| job.attribution.len() as u32), Some(a));
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
		let period = Jobs::<T>::get(job).expect("job").terms.challenge_period;
		fill_page::<T>(now.saturating_add(period).saturating_add(One::one()));

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), job, content_for::<T>(2));

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::ResultSubmitted));
	}

	/// A challenge of a result that must be published (it enters `UnpublishedOutputs`).
	#[benchmark]
	fn challenge() {
		let (job, _, provider) = accepted_job_on::<T>(MAX_ATTRIBUTION_ENTRIES);
		let result = content_of::<T>(&[7; 32]);
		Pallet::<T>::do_submit_result(provider, job, result).expect("result");
		crowd_entry::<T>(job);
		let challenger = funded::<T>("challenger", 0);
		let now = frame_system::Pallet::<T>::block_number();
		let period = Jobs::<T>::get(job).expect("job").terms.resolution_period;
		fill_page::<T>(now.saturating_add(period).saturating_add(One::one()));

		#[extrinsic_call]
		_(RawOrigin::Signed(challenger), job, content_for::<T>(3));

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::Challenged));
		assert!(UnpublishedOutputs::<T>::contains_key(job));
	}

	/// Publishing a challenged output of `b` bytes.
	#[benchmark]
	fn publish_output(b: Linear<0, { T::MaxCheckBytes::get() }>) {
		let output = vec![b'o'; b as usize];
		let job = challenged_job_publishing::<T>(&output);
		let anyone = funded::<T>("anyone", 0);
		let output = CheckBytes::<T>::try_from(output).expect("at most MaxCheckBytes");

		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), job, output);

		assert!(!UnpublishedOutputs::<T>::contains_key(job));
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

	/// The chain re-executing the costliest inference of `b` bytes, whose output is right: the
	/// challenger is wrong, its bond is paid out and the job settles.
	#[benchmark]
	fn check_result_right(b: Linear<1_000, { T::MaxCheckBytes::get() }>) {
		let (job, model, input, output) = checkable_job::<T>(JobKind::Inference, b, true);
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		check_result(RawOrigin::Signed(anyone), job, model, input, output);

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::Ended(Outcome::Settled)));
	}

	/// The chain re-executing the costliest inference of `b` bytes, whose output is wrong: the
	/// provider is slashed and the requester refunded.
	#[benchmark]
	fn check_result_wrong(b: Linear<1_000, { T::MaxCheckBytes::get() }>) {
		let (job, model, input, output) = checkable_job::<T>(JobKind::Inference, b, false);
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		check_result(RawOrigin::Signed(anyone), job, model, input, output);

		assert_eq!(
			Jobs::<T>::get(job).map(|j| j.state),
			Some(JobState::Ended(Outcome::ChallengeUpheld))
		);
	}

	/// The chain re-executing the costliest evaluation of `b` bytes, whose output is right.
	#[benchmark]
	fn check_evaluation_right(b: Linear<1_000, { T::MaxCheckBytes::get() }>) {
		let (job, model, input, output) = checkable_job::<T>(JobKind::Evaluation, b, true);
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		check_result(RawOrigin::Signed(anyone), job, model, input, output);

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::Ended(Outcome::Settled)));
	}

	/// The chain re-executing the costliest evaluation of `b` bytes, whose output is wrong.
	#[benchmark]
	fn check_evaluation_wrong(b: Linear<1_000, { T::MaxCheckBytes::get() }>) {
		let (job, model, input, output) = checkable_job::<T>(JobKind::Evaluation, b, false);
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		check_result(RawOrigin::Signed(anyone), job, model, input, output);

		assert_eq!(
			Jobs::<T>::get(job).map(|j| j.state),
			Some(JobState::Ended(Outcome::ChallengeUpheld))
		);
	}

	/// A fault in the costliest model of `b` bytes (input and output): a count that training on
	/// its own documents does not give, found after counting every n-gram again.
	#[benchmark]
	fn check_training_artifact(b: Linear<1_000, { T::MaxCheckBytes::get() }>) {
		let (job, input, output, _) = training_job::<T>(b, H256::repeat_byte(1), false, None);
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		check_training(RawOrigin::Signed(anyone), job, input, output, TrainingFault::Artifact);

		assert!(upheld::<T>(job));
	}

	/// A contribution the snapshot holds left out of the costliest right-counted model of `b`
	/// bytes.
	#[benchmark]
	fn check_training_membership(b: Linear<1_000, { T::MaxCheckBytes::get() }>) {
		let (job, input, output, contribution) =
			training_job::<T>(b, H256::repeat_byte(1), true, Some(ContributionId::MAX));
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		check_training(
			RawOrigin::Signed(anyone),
			job,
			input,
			output,
			TrainingFault::Membership(contribution),
		);

		assert!(upheld::<T>(job));
	}

	/// A document of the costliest right-counted model of half `b` bytes that is not the words
	/// of its contribution, a batch of one-byte files filling the other half: a leaf hash for
	/// every file and a word for every byte.
	#[benchmark]
	fn check_training_item(b: Linear<1_000, { T::MaxCheckBytes::get() }>) {
		let file = |n: u32| ItemFile::<T::MaxCheckBytes> {
			path: bounded::<T>(alloc::format!("{n:05}").into_bytes()),
			bytes: bounded::<T>(b"v".to_vec()),
		};
		let files: Vec<_> = (0..(b / 2 / 6).max(1)).map(file).collect();
		let raw: Vec<lineage_reference::ItemFile> =
			files.iter().map(|f| (&f.path[..], &f.bytes[..])).collect();
		let root = lineage_reference::content_hash(&raw).expect("files in path order");
		let (job, input, output, contribution) = training_job::<T>(b / 2, root.into(), true, None);
		let files = BoundedVec::try_from(files).expect("at most MaxCheckBytes files");
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		check_training(
			RawOrigin::Signed(anyone),
			job,
			input,
			output,
			TrainingFault::Item { contribution, files },
		);

		assert!(upheld::<T>(job));
	}

	#[benchmark]
	fn finalize() {
		let (job, provider) = job_with_result::<T>();
		crowd_entry::<T>(job);
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

	/// A challenged job the arbiter did not rule on in time: the challenge lapses, its bond goes
	/// to the provider and the treasury, and the job settles.
	#[benchmark]
	fn expire_lapsed() {
		let job = challenged_job::<T>();
		let due = Pallet::<T>::due_at(&Jobs::<T>::get(job).expect("job")).expect("running");
		frame_system::Pallet::<T>::set_block_number(due);
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		expire(RawOrigin::Signed(anyone), job);

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::Ended(Outcome::Lapsed)));
	}

	/// A challenged job nobody ruled on whose output nobody published: the challenge is upheld,
	/// the provider slashed and the requester refunded.
	#[benchmark]
	fn expire_withheld() {
		let job = challenged_job_publishing::<T>(&[7; 32]);
		let due = Pallet::<T>::due_at(&Jobs::<T>::get(job).expect("job")).expect("running");
		frame_system::Pallet::<T>::set_block_number(due);
		let anyone = funded::<T>("anyone", 0);

		#[extrinsic_call]
		expire(RawOrigin::Signed(anyone), job);

		assert_eq!(
			Jobs::<T>::get(job).map(|j| j.state),
			Some(JobState::Ended(Outcome::ChallengeUpheld))
		);
	}

	/// A provider changing its endpoint, kinds and region (its stake moves to a new region).
	#[benchmark]
	fn update_provider() {
		let who = provider::<T>();
		let region = Region::try_from(vec![b's'; MAX_REGION_LEN as usize]).expect("fits");
		let kinds = JobKinds { training: false, ..JobKinds::ALL };

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), Some(long_uri::<T>()), Some(kinds), Some(region.clone()));

		assert_eq!(Providers::<T>::get(&who).map(|p| p.region), Some(region));
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
		let queued = QueueLen::<T>::get();

		#[block]
		{
			Pallet::<T>::on_idle(now, Weight::MAX);
		}

		assert_eq!(QueueLen::<T>::get(), queued);
	}

	/// `on_idle` ending one job the heaviest way, a lapsed challenge (the bond paid out, then
	/// the settlement), on a version with `a` datasets in its table and the most ancestors.
	#[benchmark]
	fn on_idle_item(a: Linear<1, MAX_ATTRIBUTION_ENTRIES>) {
		let job = challenged_job_on::<T>(a);
		let due = Pallet::<T>::due_at(&Jobs::<T>::get(job).expect("job")).expect("running");
		frame_system::Pallet::<T>::set_block_number(due);
		let now = due;
		// Only the window's page is due, and the job is alone in it.
		QueueHead::<T>::put(now);

		#[block]
		{
			Pallet::<T>::on_idle(now, Weight::MAX);
		}

		assert_eq!(Jobs::<T>::get(job).map(|j| j.state), Some(JobState::Ended(Outcome::Lapsed)));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
