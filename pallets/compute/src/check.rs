//! Deciding a challenge by re-execution: for a job whose work the chain can run itself (the
//! reference workload's inference and evaluation, [`lineage_reference`]), anyone may hand it the bytes the job
//! names (the model artifact, the input and the challenged output, each checked against its
//! recorded hash) and the chain rules on the challenge at once, with no vote: `ProviderWrong` when
//! the output differs from the re-execution, `ChallengerWrong` when it is the same. The record
//! names [`Arbiter::Reexecution`] as who ruled.
//!
//! Checking a trained model: the chain cannot fetch a snapshot's items to train afresh, so for a
//! training job of the reference workload anyone may show it one fault (`check_training`): the
//! model is not what training on its own documents gives, it leaves out a contribution the
//! snapshot holds or takes in one it does not, or a document is not the words of its
//! contribution's content (the item's bytes handed over, checked against the recorded hash). A
//! fault shown rules `ProviderWrong` at once; a model with none of these faults is what training
//! on the snapshot gives (see [`lineage_reference::check_artifact`]), and a challenge of it
//! lapses to the provider if nobody rules.
//!
//! Publishing a challenged output: a result is a hash and a URI, and a provider that does not
//! serve the bytes delivered nothing while the chain sees a result. So a challenged result of at
//! most `MaxCheckBytes` must be published on chain (`publish_output`, free, by anyone: the
//! provider has every reason to) within the resolution period; one nobody published and nobody
//! ruled on ends `ChallengeUpheld`, by [`Arbiter::OutputWithheld`].

use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*};
use lineage_primitives::{DatasetInspect, JobId, ModelInspect, SnapshotRef};
use sp_io::hashing::blake2_256;

use crate::*;

/// A job to re-execute for benchmarks: `(kind, model, input, right output, wrong output)`.
#[cfg(feature = "runtime-benchmarks")]
pub type Costliest = (JobKind, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

/// Re-executes a job to tell whether its output is right.
pub trait ResultCheck {
	/// Whether `output` is the right output of a `kind` job with `input` on the model artifact
	/// `model` (all three already checked against the job's hashes); `None` when this job
	/// cannot be re-executed by the chain, and the arbiter must rule.
	fn check(kind: JobKind, model: &[u8], input: &[u8], output: &[u8]) -> Option<bool>;

	/// The `kind` job of at most `bytes` bytes (model, input and output together) that costs
	/// the most to re-execute: `(kind, model, input, right output, wrong output)`.
	#[cfg(feature = "runtime-benchmarks")]
	fn costliest(kind: JobKind, bytes: u32) -> Costliest;

	/// Whether the chain finds faults in the reference workload's training
	/// (`lineage_reference::check_artifact`); if not, every training challenge goes to the
	/// arbiter.
	fn checks_training() -> bool {
		false
	}
}

/// No job is re-executed: every challenge goes to the arbiter.
impl ResultCheck for () {
	fn check(_: JobKind, _: &[u8], _: &[u8], _: &[u8]) -> Option<bool> {
		None
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn costliest(kind: JobKind, _: u32) -> Costliest {
		(kind, Vec::new(), Vec::new(), Vec::new(), Vec::new())
	}
}

/// The reference workload: inference and evaluation jobs on `lineage-ngram/1` models with
/// readable prompts or held-out texts are re-executed; everything else goes to the arbiter.
pub struct ReferenceWorkload;

impl ResultCheck for ReferenceWorkload {
	fn check(kind: JobKind, model: &[u8], input: &[u8], output: &[u8]) -> Option<bool> {
		match kind {
			JobKind::Inference => lineage_reference::check_inference(model, input, output).ok(),
			JobKind::Evaluation => lineage_reference::check_evaluation(model, input, output).ok(),
			JobKind::Training | JobKind::FineTune => None,
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn costliest(kind: JobKind, bytes: u32) -> Costliest {
		let (model, input, right, wrong) = match kind {
			JobKind::Evaluation => lineage_reference::costliest_evaluation(bytes),
			_ => lineage_reference::costliest(bytes),
		};
		(kind, model, input, right, wrong)
	}

	fn checks_training() -> bool {
		true
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_check_result(
		who: T::AccountId,
		job: JobId,
		model: &[u8],
		input: &[u8],
		output: &[u8],
	) -> Result<(JobKind, Verdict), DispatchError> {
		let record = Self::open_challenge(job)?;
		let bytes = Self::check_bytes(model, input, output);
		ensure!(bytes <= T::MaxCheckBytes::get(), Error::<T>::CheckTooLarge);
		let artifact = T::Models::artifact(record.model_version).ok_or(Error::<T>::NotCheckable)?;
		let result = record.result.as_ref().ok_or(Error::<T>::NotChallenged)?;
		ensure!(
			blake2_256(model) == artifact.0
				&& blake2_256(input) == record.input.hash.0
				&& blake2_256(output) == result.hash.0,
			Error::<T>::NotTheJobsContent
		);
		let right = T::ResultCheck::check(record.kind, model, input, output)
			.ok_or(Error::<T>::NotCheckable)?;
		let verdict = if right { Verdict::ChallengerWrong } else { Verdict::ProviderWrong };
		Self::deposit_event(Event::ResultChecked { job, by: who, verdict });
		let kind = record.kind;
		Self::rule(job, record, verdict, Arbiter::Reexecution)?;
		Ok((kind, verdict))
	}

	/// The bytes a check hands the chain: model, input and output together.
	pub(crate) fn check_bytes(model: &[u8], input: &[u8], output: &[u8]) -> u32 {
		[model, input, output]
			.iter()
			.fold(0u32, |sum, b| sum.saturating_add(b.len().try_into().unwrap_or(u32::MAX)))
	}

	/// What a check of `bytes` bytes is charged before it runs: the costliest kind the chain
	/// re-executes and the costlier ruling.
	pub(crate) fn costliest_check_weight(bytes: u32) -> Weight {
		[JobKind::Inference, JobKind::Evaluation]
			.into_iter()
			.flat_map(|k| [Verdict::ChallengerWrong, Verdict::ProviderWrong].map(|v| (k, v)))
			.map(|(k, v)| Self::check_weight(k, bytes, v))
			.fold(Weight::zero(), |a, b| a.max(b))
	}

	/// What re-executing a `kind` job of `bytes` bytes to `verdict` weighs, as benchmarked.
	pub(crate) fn check_weight(kind: JobKind, bytes: u32, verdict: Verdict) -> Weight {
		let w = match (kind, verdict) {
			(JobKind::Evaluation, Verdict::ChallengerWrong) => {
				T::WeightInfo::check_evaluation_right(bytes)
			},
			(JobKind::Evaluation, Verdict::ProviderWrong) => {
				T::WeightInfo::check_evaluation_wrong(bytes)
			},
			(_, Verdict::ChallengerWrong) => T::WeightInfo::check_result_right(bytes),
			(_, Verdict::ProviderWrong) => T::WeightInfo::check_result_wrong(bytes),
		};
		w.saturating_add(Self::reward_weight())
	}

	pub(crate) fn do_check_training(
		who: T::AccountId,
		job: JobId,
		input: &[u8],
		output: &[u8],
		fault: &TrainingFault<T::MaxCheckBytes>,
	) -> DispatchResult {
		let record = Self::open_challenge(job)?;
		ensure!(
			record.kind == JobKind::Training && T::ResultCheck::checks_training(),
			Error::<T>::NotCheckable
		);
		let bytes = Self::training_bytes(input, output, fault);
		ensure!(bytes <= T::MaxCheckBytes::get(), Error::<T>::CheckTooLarge);
		let result = record.result.as_ref().ok_or(Error::<T>::NotChallenged)?;
		ensure!(
			blake2_256(input) == record.input.hash.0 && blake2_256(output) == result.hash.0,
			Error::<T>::NotTheJobsContent
		);
		let named =
			lineage_reference::training_input(input).map_err(|_| Error::<T>::NotCheckable)?;
		let snapshot = SnapshotRef { dataset: named.dataset, version: named.snapshot };
		// A model with a fault of its own, or a document that names no contribution, is wrong
		// whichever fault is named.
		let faulty = match lineage_reference::check_artifact(output, named.order)
			.filter(|trained| trained.names_contributions())
		{
			None => true,
			Some(trained) => Self::shows_fault(&trained, snapshot, fault)?,
		};
		ensure!(faulty, Error::<T>::NoFaultShown);
		let verdict = Verdict::ProviderWrong;
		Self::deposit_event(Event::ResultChecked { job, by: who, verdict });
		Self::rule(job, record, verdict, Arbiter::Reexecution)
	}

	/// Whether `fault` is in `trained`, a model with no fault of its own trained for `snapshot`.
	fn shows_fault(
		trained: &lineage_reference::Trained,
		snapshot: SnapshotRef,
		fault: &TrainingFault<T::MaxCheckBytes>,
	) -> Result<bool, DispatchError> {
		let member =
			|id| T::Datasets::snapshot_member(snapshot, id).ok_or(Error::<T>::NotCheckable);
		Ok(match fault {
			TrainingFault::Artifact => false,
			TrainingFault::Membership(id) => member(*id)?.held != trained.text(*id).is_some(),
			TrainingFault::Item { contribution, files } => {
				let content = member(*contribution)?.content.ok_or(Error::<T>::NotCheckable)?;
				let files: Vec<lineage_reference::ItemFile> =
					files.iter().map(|f| (&f.path[..], &f.bytes[..])).collect();
				ensure!(
					lineage_reference::content_hash(&files) == Some(content.0),
					Error::<T>::NotTheJobsContent
				);
				match trained.text(*contribution) {
					Some(text) => {
						lineage_reference::item_text(&files)
							.map_err(|_| Error::<T>::NotCheckable)?
							!= text
					},
					// Not in the model: nothing of it to misread.
					None => false,
				}
			},
		})
	}

	/// The bytes a training check hands the chain: input, output and item together.
	pub(crate) fn training_bytes(
		input: &[u8],
		output: &[u8],
		fault: &TrainingFault<T::MaxCheckBytes>,
	) -> u32 {
		Self::check_bytes(&[], input, output).saturating_add(fault.item_bytes())
	}

	/// What checking a training job of `bytes` bytes for `fault` weighs, as benchmarked.
	pub(crate) fn training_weight(fault: &TrainingFault<T::MaxCheckBytes>, bytes: u32) -> Weight {
		let w = match fault {
			TrainingFault::Artifact => T::WeightInfo::check_training_artifact(bytes),
			TrainingFault::Membership(_) => T::WeightInfo::check_training_membership(bytes),
			TrainingFault::Item { .. } => T::WeightInfo::check_training_item(bytes),
		};
		w.saturating_add(Self::reward_weight())
	}

	/// What a training check of `bytes` bytes is charged before it runs: the costliest fault.
	pub(crate) fn costliest_training_weight(bytes: u32) -> Weight {
		T::WeightInfo::check_training_artifact(bytes)
			.max(T::WeightInfo::check_training_membership(bytes))
			.max(T::WeightInfo::check_training_item(bytes))
			.saturating_add(Self::reward_weight())
	}

	pub(crate) fn do_publish_output(
		who: T::AccountId,
		job: JobId,
		output: &[u8],
	) -> DispatchResult {
		let record = Self::open_challenge(job)?;
		ensure!(UnpublishedOutputs::<T>::contains_key(job), Error::<T>::OutputNotAwaited);
		let result = record.result.as_ref().ok_or(Error::<T>::NotChallenged)?;
		ensure!(
			blake2_256(output) == result.hash.0 && output.len() as u64 == result.bytes,
			Error::<T>::NotTheJobsContent
		);
		UnpublishedOutputs::<T>::remove(job);
		Self::deposit_event(Event::OutputPublished { job, by: who });
		Ok(())
	}

	/// Whether a result of `bytes` bytes must be published on chain when challenged: whether
	/// it fits in a `publish_output` call.
	pub(crate) fn publishable(bytes: u64) -> bool {
		bytes <= u64::from(T::MaxCheckBytes::get())
	}
}
