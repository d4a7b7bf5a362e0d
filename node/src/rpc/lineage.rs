//! The `lineage_*` JSON-RPC views: the pallets' runtime APIs (`DatasetsApi`, `ModelsApi`,
//! `ComputeApi`, `RewardsApi`, `ParametersApi`) for clients that do not decode SCALE, such as
//! `curl` and dashboards.
//! Each method calls one or two runtime APIs at the best block (or at `at`) and renders the result
//! as JSON (see [`lineage_node::json`]); none has logic of its own.

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use lineage_primitives::{DatasetId, JobId, ModelVersionId, SnapshotRef, SnapshotVersion};
use lineage_runtime::{opaque::Block, AccountId, Balance, BlockNumber, SS58_PREFIX};
use pallet_compute::runtime_api::ComputeApi;
use pallet_datasets::runtime_api::DatasetsApi;
use pallet_lineage_params::runtime_api::ParametersApi;
use pallet_models::runtime_api::ModelsApi;
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

	/// What an account may claim: as model owner and provider, and per dataset as contributor
	/// (up to `limit` datasets, ≤ 100, default 20, after `start_after`).
	#[method(name = "pendingRewards")]
	fn pending_rewards(
		&self,
		who: AccountId,
		start_after: Option<DatasetId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// The current era, the last era that ended (fees, emission, which term bounded it), the
	/// supply minted against the cap, and the parameter set in force.
	#[method(name = "era")]
	fn era(&self, at: Option<BlockHash>) -> RpcResult<Value>;
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
		let at = self.at(at);
		render(&self.client.runtime_api().dataset(at, id).map_err(runtime_error)?)
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
		let at = self.at(at);
		render(&self.client.runtime_api().lineage(at, version).map_err(runtime_error)?)
	}

	fn job(&self, id: JobId, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let at = self.at(at);
		render(&self.client.runtime_api().job(at, id).map_err(runtime_error)?)
	}

	fn pending_rewards(
		&self,
		who: AccountId,
		start_after: Option<DatasetId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let at = self.at(at);
		let pending = self
			.client
			.runtime_api()
			.pending(at, who, start_after, page(limit))
			.map_err(runtime_error)?;
		render(&pending)
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
}
