//! The `lineage_*` JSON-RPC views: the pallets' runtime APIs (`DatasetsApi`, `ModelsApi`,
//! `ComputeApi`, `RewardsApi`, `ParametersApi`) for clients that do not decode SCALE, such as
//! `curl` and dashboards.
//! Each method calls one or two runtime APIs at the best block (or at `at`) and renders the result
//! as JSON (see [`lineage_node::json`]); none has logic of its own. A listing returns
//! `{"items": [...], "next": cursor}`: pass `next` back until it is `null`.

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use lineage_primitives::{DatasetId, JobId, ModelId, ModelVersionId, SnapshotRef, SnapshotVersion};
use lineage_runtime::{opaque::Block, AccountId, Balance, BlockNumber, SS58_PREFIX};
use pallet_compute::runtime_api::ComputeApi;
use pallet_compute::{JobFilter, JobKind};
use pallet_datasets::runtime_api::DatasetsApi;
use pallet_lineage_params::runtime_api::ParametersApi;
use pallet_models::runtime_api::ModelsApi;
use pallet_models::VersionFilter;
use pallet_rewards::runtime_api::RewardsApi;
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;

use lineage_node::json::to_json;

/// The most items one paged view returns.
pub const MAX_PAGE: u32 = 100;

/// Error code of a runtime API call that failed.
const RUNTIME_ERROR: i32 = 1;
/// Error code of a value that could not be rendered.
const RENDER_ERROR: i32 = 2;
/// Error code of a filter that could not be read.
const FILTER_ERROR: i32 = 3;

/// The `lineage_*` methods.
#[rpc(server, namespace = "lineage")]
pub trait LineageApi<BlockHash> {
	/// A dataset: owner, licence, admission policy, counters and curators.
	#[method(name = "dataset")]
	fn dataset(&self, id: DatasetId, at: Option<BlockHash>) -> RpcResult<Value>;

	/// Up to `limit` (≤ 100, default 20) snapshots of a dataset from version `from` (default 1),
	/// each with its status.
	#[method(name = "snapshots")]
	fn snapshots(
		&self,
		dataset: DatasetId,
		from: Option<SnapshotVersion>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// A model version's lineage graph: the version and its ancestors with their input
	/// snapshots, the flattened attribution table and the taint, if any.
	#[method(name = "modelLineage")]
	fn model_lineage(&self, version: ModelVersionId, at: Option<BlockHash>) -> RpcResult<Value>;

	/// A job's responsibility record.
	#[method(name = "job")]
	fn job(&self, id: JobId, at: Option<BlockHash>) -> RpcResult<Value>;

	/// What an account may claim: as model owner and provider, and per position as contributor
	/// (dataset and first snapshot; up to `limit` positions, ≤ 100, default 20, after
	/// `start_after`, a `[dataset, first snapshot]` pair).
	#[method(name = "pendingRewards")]
	fn pending_rewards(
		&self,
		who: AccountId,
		start_after: Option<(DatasetId, SnapshotVersion)>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// The current era, the last era that ended (fees, emission, which term bounded it), the
	/// supply minted against the cap, and the parameter set in force.
	#[method(name = "era")]
	fn era(&self, at: Option<BlockHash>) -> RpcResult<Value>;

	/// Up to `limit` (≤ 100, default 20) datasets in id order after `start_after`.
	#[method(name = "datasets")]
	fn datasets(
		&self,
		start_after: Option<DatasetId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Up to `limit` of a dataset's accepted contributions in acceptance order (what its content
	/// root chains), after acceptance position `start_after`.
	#[method(name = "acceptedContributions")]
	fn accepted_contributions(
		&self,
		dataset: DatasetId,
		start_after: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Up to `limit` models in id order after `start_after`, only `owner`'s when given.
	#[method(name = "models")]
	fn models(
		&self,
		owner: Option<AccountId>,
		start_after: Option<ModelId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Up to `limit` model versions in id order after `start_after` that `filter` selects:
	/// `"all"`, `{"owner": SS58}`, `{"dataset": id}` (trained on it directly or through an
	/// ancestor), `{"snapshot": {"dataset": id, "version": n}}`.
	#[method(name = "versions")]
	fn versions(
		&self,
		filter: Value,
		start_after: Option<ModelVersionId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Up to `limit` jobs on record, newest first below `before`, that `filter` selects:
	/// `"all"`, `{"open": null | "training" | "fineTune" | "inference" | "evaluation"}`,
	/// `{"requester": SS58}`, `{"provider": SS58}`, `{"modelVersion": id}`, `{"dataset": id}`.
	#[method(name = "jobs")]
	fn jobs(
		&self,
		filter: Value,
		before: Option<JobId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Up to `limit` registered providers after `start_after`, in storage order.
	#[method(name = "providers")]
	fn providers(
		&self,
		start_after: Option<AccountId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Up to `limit` ended eras after `start_after`, oldest first, with their fees, emission and
	/// rates.
	#[method(name = "eras")]
	fn eras(
		&self,
		start_after: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;
}

/// Serves the `lineage_*` methods from a client's runtime APIs.
pub struct Lineage<C> {
	client: Arc<C>,
}

impl<C: HeaderBackend<Block>> Lineage<C> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}

	/// The block to read at: `at`, or the best block.
	fn at(&self, at: Option<<Block as BlockT>::Hash>) -> <Block as BlockT>::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C: ProvideRuntimeApi<Block> + HeaderBackend<Block>> Lineage<C> {
	/// Makes one runtime API `call` at `at` (or the best block) and renders its answer.
	fn view<T: codec::Encode + scale_info::TypeInfo + 'static>(
		&self,
		at: Option<<Block as BlockT>::Hash>,
		call: impl FnOnce(&C::Api, <Block as BlockT>::Hash) -> Result<T, sp_api::ApiError>,
	) -> RpcResult<Value> {
		let at = self.at(at);
		render(&call(&self.client.runtime_api(), at).map_err(runtime_error)?)
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "runtime API call failed", Some(e.to_string()))
}

fn render<T: codec::Encode + scale_info::TypeInfo + 'static>(value: &T) -> RpcResult<Value> {
	to_json(value, SS58_PREFIX)
		.map_err(|e| ErrorObject::owned(RENDER_ERROR, "could not render the value", Some(e)))
}

fn page(limit: Option<u32>) -> u32 {
	limit.unwrap_or(20).min(MAX_PAGE)
}

fn filter_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(FILTER_ERROR, "invalid filter", Some(e.to_string()))
}

/// A filter's variant and its argument: `"name"` or `{"name": argument}`.
fn variant(filter: Value) -> RpcResult<(String, Value)> {
	match filter {
		Value::String(name) => Ok((name, Value::Null)),
		Value::Object(map) if map.len() == 1 => Ok(map.into_iter().next().expect("one entry")),
		other => {
			Err(filter_error(format!("expected \"name\" or {{\"name\": value}}, got {other}")))
		},
	}
}

fn argument<T: jsonrpsee::core::DeserializeOwned>(value: Value) -> RpcResult<T> {
	serde_json::from_value(value).map_err(filter_error)
}

fn job_kind(name: &str) -> RpcResult<JobKind> {
	Ok(match name {
		"training" => JobKind::Training,
		"fineTune" => JobKind::FineTune,
		"inference" => JobKind::Inference,
		"evaluation" => JobKind::Evaluation,
		other => return Err(filter_error(format!("unknown job kind {other}"))),
	})
}

fn job_filter(filter: Value) -> RpcResult<JobFilter<AccountId>> {
	let (name, value) = variant(filter)?;
	Ok(match name.as_str() {
		"all" => JobFilter::All,
		"open" => JobFilter::Open(match value {
			Value::Null => None,
			kind => Some(job_kind(&argument::<String>(kind)?)?),
		}),
		"requester" => JobFilter::Requester(argument(value)?),
		"provider" => JobFilter::Provider(argument(value)?),
		"modelVersion" => JobFilter::ModelVersion(argument(value)?),
		"dataset" => JobFilter::Dataset(argument(value)?),
		other => return Err(filter_error(format!("unknown job filter {other}"))),
	})
}

fn version_filter(filter: Value) -> RpcResult<VersionFilter<AccountId>> {
	let (name, value) = variant(filter)?;
	Ok(match name.as_str() {
		"all" => VersionFilter::All,
		"owner" => VersionFilter::Owner(argument(value)?),
		"dataset" => VersionFilter::Dataset(argument(value)?),
		"snapshot" => {
			let (dataset, version): (DatasetId, SnapshotVersion) = match value {
				Value::Object(ref map) => (
					argument(map.get("dataset").cloned().unwrap_or_default())?,
					argument(map.get("version").cloned().unwrap_or_default())?,
				),
				other => {
					return Err(filter_error(format!("expected {{dataset, version}}, got {other}")))
				},
			};
			VersionFilter::Snapshot(SnapshotRef { dataset, version })
		},
		other => return Err(filter_error(format!("unknown version filter {other}"))),
	})
}

impl<C> LineageApiServer<<Block as BlockT>::Hash> for Lineage<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DatasetsApi<Block, AccountId, Balance, BlockNumber>
		+ ModelsApi<Block, AccountId, Balance, BlockNumber>
		+ ComputeApi<Block, AccountId, Balance, BlockNumber>
		+ RewardsApi<Block, AccountId, Balance, BlockNumber>
		+ ParametersApi<Block, Balance, BlockNumber>,
{
	fn dataset(&self, id: DatasetId, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		self.view(at, |api, at| api.dataset(at, id))
	}

	fn snapshots(
		&self,
		dataset: DatasetId,
		from: Option<SnapshotVersion>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		let snapshots = api
			.snapshots(at, dataset, from.unwrap_or(1), page(limit))
			.map_err(runtime_error)?;
		let mut out = Vec::with_capacity(snapshots.len());
		for (version, snapshot) in snapshots {
			let status = api
				.snapshot_status(at, SnapshotRef { dataset, version })
				.map_err(runtime_error)?;
			out.push(json!({
				"version": version,
				"snapshot": render(&snapshot)?,
				"status": render(&status)?,
			}));
		}
		Ok(Value::Array(out))
	}

	fn model_lineage(
		&self,
		version: ModelVersionId,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		self.view(at, |api, at| api.lineage(at, version))
	}

	fn job(&self, id: JobId, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		self.view(at, |api, at| api.job(at, id))
	}

	fn pending_rewards(
		&self,
		who: AccountId,
		start_after: Option<(DatasetId, SnapshotVersion)>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		self.view(at, |api, at| api.pending(at, who, start_after, page(limit)))
	}

	fn era(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		let (minted, cap) = api.supply(at).map_err(runtime_error)?;
		Ok(json!({
			"current": render(&api.era(at).map_err(runtime_error)?)?,
			"last": render(&api.last_era(at).map_err(runtime_error)?)?,
			"minted": minted.to_string(),
			"cap": cap.to_string(),
			"parameters": render(&api.parameters(at).map_err(runtime_error)?)?,
		}))
	}

	fn datasets(
		&self,
		start_after: Option<DatasetId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		self.view(at, |api, at| api.datasets(at, start_after, page(limit)))
	}

	fn accepted_contributions(
		&self,
		dataset: DatasetId,
		start_after: Option<u32>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		self.view(at, |api, at| api.accepted_contributions(at, dataset, start_after, page(limit)))
	}

	fn models(
		&self,
		owner: Option<AccountId>,
		start_after: Option<ModelId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		self.view(at, |api, at| api.models(at, owner, start_after, page(limit)))
	}

	fn versions(
		&self,
		filter: Value,
		start_after: Option<ModelVersionId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let filter = version_filter(filter)?;
		self.view(at, |api, at| api.versions_where(at, filter, start_after, page(limit)))
	}

	fn jobs(
		&self,
		filter: Value,
		before: Option<JobId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let filter = job_filter(filter)?;
		self.view(at, |api, at| api.jobs(at, filter, before, page(limit)))
	}

	fn providers(
		&self,
		start_after: Option<AccountId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		self.view(at, |api, at| api.providers(at, start_after, page(limit)))
	}

	fn eras(
		&self,
		start_after: Option<u32>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		self.view(at, |api, at| api.eras(at, start_after, page(limit)))
	}
}
