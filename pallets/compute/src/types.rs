//! The records of pallet-compute. All bounded, all `MaxEncodedLen`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible::Inspect, ConstU32, Get},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{
	ContentRef, ContributionId, DatasetId, ModelVersionId, SnapshotRef, Uri,
	MAX_ATTRIBUTION_ENTRIES,
};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

use crate::Config;

/// Balance of the currency bonds and escrows are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The longest region code (e.g. `eu-west`, `DE`, `us-east-1`).
pub const MAX_REGION_LEN: u32 = 16;

/// Where a provider runs, as it declares it (e.g. `eu-west`).
pub type Region = BoundedVec<u8, ConstU32<MAX_REGION_LEN>>;

/// A job's attribution, copied from its model version when it is submitted (at most
/// `MAX_ATTRIBUTION_ENTRIES` datasets).
pub type JobAttribution = lineage_primitives::Attribution;

/// The most payouts a settlement records: one per dataset and one per other party.
pub const MAX_PAYOUTS: u32 = MAX_ATTRIBUTION_ENTRIES + 6;

/// A provider as stored.
pub type ProviderOf<T> =
	Provider<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A job as stored.
pub type JobOf<T> = Job<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// The kinds of work a job asks for.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum JobKind {
	/// Train a model.
	Training,
	/// Fine-tune a model.
	FineTune,
	/// Run inference.
	Inference,
	/// Evaluate a model.
	Evaluation,
}

/// The kinds of work a provider offers.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct JobKinds {
	/// Offers training.
	pub training: bool,
	/// Offers fine-tuning.
	pub fine_tune: bool,
	/// Offers inference.
	pub inference: bool,
	/// Offers evaluation.
	pub evaluation: bool,
}

impl JobKinds {
	/// Every kind.
	pub const ALL: JobKinds =
		JobKinds { training: true, fine_tune: true, inference: true, evaluation: true };

	/// Whether `kind` is offered.
	pub fn offers(&self, kind: JobKind) -> bool {
		match kind {
			JobKind::Training => self.training,
			JobKind::FineTune => self.fine_tune,
			JobKind::Inference => self.inference,
			JobKind::Evaluation => self.evaluation,
		}
	}

	/// Whether any kind is offered.
	pub fn any(&self) -> bool {
		self.training || self.fine_tune || self.inference || self.evaluation
	}
}

/// A registered compute provider.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct Provider<AccountId, Balance, BlockNumber> {
	/// Who runs the machines (several providers may share one operator).
	pub operator: AccountId,
	/// Where requesters reach it.
	pub endpoint: Uri,
	/// What it offers.
	pub kinds: JobKinds,
	/// Where it runs.
	pub region: Region,
	/// Free bond, held; collateral for new jobs is taken from it.
	pub bond: Balance,
	/// Collateral locked to running jobs, held separately.
	pub locked: Balance,
	/// Bond on its way out, still held, and the block it can be withdrawn at.
	pub unbonding: Option<(Balance, BlockNumber)>,
	/// Jobs it accepted that have not ended.
	pub active_jobs: u32,
	/// It deregistered: no new jobs; the record goes when its bond is withdrawn.
	pub leaving: bool,
	/// When it registered.
	pub registered: BlockNumber,
}

/// Where a job stands.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum JobState {
	/// Waiting for a provider.
	Open,
	/// A provider accepted it and locked collateral.
	Accepted,
	/// The provider submitted a result; the challenge window is open.
	ResultSubmitted,
	/// Someone challenged the result; the arbiter decides.
	Challenged,
	/// Over, with this outcome.
	Ended(Outcome),
}

/// How a job ended.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Outcome {
	/// The result stood (unchallenged, or the challenge was rejected) and the job settled.
	Settled,
	/// The arbiter upheld a challenge: the provider was slashed, the requester refunded.
	ChallengeUpheld,
	/// The provider accepted and delivered nothing by the deadline: slashed, requester refunded.
	TimedOut,
	/// No provider accepted it by the deadline: requester refunded.
	Unclaimed,
	/// The requester cancelled it before acceptance: refunded.
	Cancelled,
	/// No longer produced (jobs challenged under spec 113 or earlier): the arbiter did not rule
	/// within the resolution period; the requester was refunded, the provider's collateral and
	/// the challenger's bond were returned, nobody was paid.
	Unresolved,
	/// The arbiter did not rule on a challenge within the job's resolution period, so the
	/// challenge lapsed: the result stood and the job settled as if unchallenged, and the
	/// challenge bond went to the provider (its share of the job's terms) and the treasury.
	Lapsed,
	/// Ending the job by its terms failed (an invariant of the pallet was broken): every stake
	/// the job held was returned to whoever put it up, and `JobAborted` says why.
	Aborted,
}

/// One file of an item handed to `check_training`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(S))]
pub struct ItemFile<S: Get<u32>> {
	/// Its path in a batch; empty for a single item.
	pub path: BoundedVec<u8, S>,
	/// Its bytes.
	pub bytes: BoundedVec<u8, S>,
}

/// The fault `check_training` is shown in a trained model (the output of a challenged training
/// job). The chain finds any fault of the model itself whichever is named.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(S))]
pub enum TrainingFault<S: Get<u32>> {
	/// The model is not what training on its own documents gives: not a `lineage-ngram/1`
	/// artifact of the input's order, documents out of order, or any count, n-gram or byte that
	/// differs.
	Artifact,
	/// The snapshot holds this contribution and the model has no document for it, or the model
	/// has a document for it and the snapshot does not hold it.
	Membership(ContributionId),
	/// The model's document for this contribution is not the words of its content.
	Item {
		/// The contribution.
		contribution: ContributionId,
		/// Its content: one file with an empty path for a single item, or a batch's files in
		/// path order; of the hash its record holds.
		files: BoundedVec<ItemFile<S>, S>,
	},
}

impl<S: Get<u32>> TrainingFault<S> {
	/// The bytes of the item it hands over (paths and contents).
	pub fn item_bytes(&self) -> u32 {
		match self {
			TrainingFault::Item { files, .. } => files.iter().fold(0u32, |sum, f| {
				sum.saturating_add(f.path.len() as u32).saturating_add(f.bytes.len() as u32)
			}),
			_ => 0,
		}
	}
}

/// The arbiter's decision on a challenged result.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Verdict {
	/// The result is wrong: the provider is slashed.
	ProviderWrong,
	/// The result stands: the challenger's bond is slashed and the job settles.
	ChallengerWrong,
}

/// Who ruled on a challenge, as the arbiter origin reports it.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Arbiter {
	/// Root: a referendum on the root track (or sudo, on a development chain).
	Root,
	/// A Council motion, carried by `ayes` of the Council's `members`.
	Council {
		/// Members who voted for it.
		ayes: u32,
		/// The Council's size when it closed.
		members: u32,
	},
	/// Nobody voted: the chain re-executed the job (`check_result`) and compared its output.
	Reexecution,
	/// Nobody ruled and nobody published the challenged output on chain (`publish_output`)
	/// within the resolution period: a result nobody can see is not a delivery, so the chain
	/// upheld the challenge.
	OutputWithheld,
}

/// The arbiter's ruling on a challenge: what it decided and who decided it.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Ruling {
	/// The decision.
	pub verdict: Verdict,
	/// Who decided.
	pub by: Arbiter,
}

/// The governed terms a job is held to, copied into it when it is submitted: a later parameter
/// change never moves its windows or its deadlines.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub struct JobTerms<BlockNumber> {
	/// The version of the governance parameters they come from.
	pub params_version: u32,
	/// The treasury's share of the escrow at submission; the job settles with the larger of
	/// this and the share in force at settlement (emission matches fees at the rate in force, so
	/// the fee paid must never be below it).
	pub protocol_fee: Perbill,
	/// Blocks the result can be challenged in (the period of the job's kind).
	pub challenge_period: BlockNumber,
	/// Blocks the arbiter has to rule on a challenge.
	pub resolution_period: BlockNumber,
	/// The challenger's share of the collateral if the provider is found wrong (the rest goes
	/// to the treasury).
	pub challenger_reward: Perbill,
	/// The provider's share of the challenge bond if the challenger is found wrong (the rest
	/// goes to the treasury).
	pub provider_reward: Perbill,
}

/// A challenge of a job's result.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct Challenge<AccountId, Balance, BlockNumber> {
	/// Who challenged.
	pub challenger: AccountId,
	/// The evidence, off-chain.
	pub evidence: ContentRef,
	/// The bond held from the challenger.
	pub bond: Balance,
	/// When.
	pub at: BlockNumber,
}

/// Who received a payout.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Payee {
	/// The requester (a refund).
	Requester,
	/// The provider (its fee, or a share of a slashed challenge bond).
	Provider,
	/// The model's owner (the builder share of the price).
	ModelOwner,
	/// A dataset (its share of the price), through the rewards pallet.
	Dataset(SnapshotRef),
	/// The challenger (a share of the slashed collateral).
	Challenger,
	/// The treasury (protocol fee, slashes, rounding dust).
	Treasury,
}

/// One amount paid when a job ended.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct Payout<AccountId, Balance> {
	/// In which role.
	pub payee: Payee,
	/// The account paid (for a dataset: the account that holds data revenue).
	pub account: AccountId,
	/// How much.
	pub amount: Balance,
}

/// When each step of a job happened.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct Steps<BlockNumber> {
	/// Submitted by the requester.
	pub submitted: BlockNumber,
	/// Accepted by the provider.
	pub accepted: Option<BlockNumber>,
	/// Result submitted.
	pub result: Option<BlockNumber>,
	/// Challenged.
	pub challenged: Option<BlockNumber>,
	/// Resolved by the arbiter.
	pub resolved: Option<BlockNumber>,
	/// Ended.
	pub ended: Option<BlockNumber>,
}

/// A job and its responsibility record: who asked, which model and data, who ran it, who vouched
/// or objected, who decided, under which parameters, who was paid what. Kept after the job ends
/// until its requester removes it (after `RecordRetention`), paid for by a record deposit.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct Job<AccountId, Balance, BlockNumber> {
	/// Who asked and paid.
	pub requester: AccountId,
	/// The kind of work.
	pub kind: JobKind,
	/// The model version run.
	pub model_version: ModelVersionId,
	/// The input, off-chain.
	pub input: ContentRef,
	/// The provider's fee.
	pub fee: Balance,
	/// The model version's price when the job was submitted.
	pub price: Balance,
	/// Held from the requester: fee + price.
	pub escrow: Balance,
	/// Held from the requester for this record.
	pub record_deposit: Balance,
	/// The last block a result may be submitted in.
	pub deadline: BlockNumber,
	/// The governed terms in force at submission.
	pub terms: JobTerms<BlockNumber>,
	/// The datasets (latest snapshots) in the version's attribution and their shares.
	pub attribution: JobAttribution,
	/// Where the job stands.
	pub state: JobState,
	/// The provider that accepted it.
	pub provider: Option<AccountId>,
	/// The provider's operator.
	pub operator: Option<AccountId>,
	/// The collateral the provider locked to it.
	pub collateral: Balance,
	/// The result, off-chain.
	pub result: Option<ContentRef>,
	/// The challenge of the result.
	pub challenge: Option<Challenge<AccountId, Balance, BlockNumber>>,
	/// The arbiter's ruling on the challenge, and who gave it.
	pub ruling: Option<Ruling>,
	/// Every amount paid when the job ended, and to whom.
	pub payouts: BoundedVec<Payout<AccountId, Balance>, ConstU32<MAX_PAYOUTS>>,
	/// When each step happened.
	pub steps: Steps<BlockNumber>,
	/// The job's entry in the queue of jobs falling due: the block and the page of that block it
	/// is in (at most one at a time; none once it ended).
	pub queued: Option<(BlockNumber, u32)>,
}

/// Stake and earnings of one operator or region, kept up to date in O(1) per change.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Share<Balance> {
	/// Bond at stake (free and locked) of its providers.
	pub bond: Balance,
	/// Fees its providers earned from settled jobs.
	pub fees: Balance,
	/// How many providers it counts.
	pub providers: u32,
}

/// How concentrated one measure is across operators or regions.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug, Default)]
pub struct Concentration<Key, Balance> {
	/// The total.
	pub total: Balance,
	/// The largest holders, largest first (at most five), with their shares.
	pub largest: alloc::vec::Vec<(Key, sp_runtime::Perbill)>,
	/// The Herfindahl–Hirschman index: the sum of squared shares (100% = one holder).
	pub herfindahl: sp_runtime::Perbill,
	/// The Nakamoto coefficient: the fewest holders that together hold more than half.
	pub nakamoto: u32,
}

/// Concentration of the compute market by operator and by region, over bonds and over fees.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug, Default)]
pub struct MarketConcentration<AccountId, Balance> {
	/// Bond at stake, by operator.
	pub bond_by_operator: Concentration<AccountId, Balance>,
	/// Fees earned from settled jobs, by operator.
	pub fees_by_operator: Concentration<AccountId, Balance>,
	/// Bond at stake, by region.
	pub bond_by_region: Concentration<Region, Balance>,
	/// Fees earned from settled jobs, by region.
	pub fees_by_region: Concentration<Region, Balance>,
}

/// Which jobs `ComputeApi::jobs` lists.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub enum JobFilter<AccountId> {
	/// Every job still on record.
	All,
	/// Jobs a provider may still accept (open, deadline not passed), of one kind or of any:
	/// where providers find work.
	Open(Option<JobKind>),
	/// The jobs an account requested.
	Requester(AccountId),
	/// The jobs an account accepted as provider.
	Provider(AccountId),
	/// The jobs run on a model version.
	ModelVersion(ModelVersionId),
	/// The jobs whose data revenue a dataset shares (it is in their attribution table).
	Dataset(DatasetId),
}

impl<AccountId: PartialEq> JobFilter<AccountId> {
	/// Whether `job` is one this filter selects at block `now`.
	pub fn selects<Balance, BlockNumber: PartialOrd>(
		&self,
		job: &Job<AccountId, Balance, BlockNumber>,
		now: &BlockNumber,
	) -> bool {
		match self {
			Self::All => true,
			Self::Open(kind) => {
				job.state == JobState::Open
					&& job.deadline >= *now
					&& kind.is_none_or(|kind| job.kind == kind)
			},
			Self::Requester(who) => job.requester == *who,
			Self::Provider(who) => job.provider.as_ref() == Some(who),
			Self::ModelVersion(version) => job.model_version == *version,
			Self::Dataset(dataset) => {
				job.attribution.iter().any(|entry| entry.snapshot.dataset == *dataset)
			},
		}
	}
}
