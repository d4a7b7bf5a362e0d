//! The node's JSON-RPC methods beyond Substrate's standard set (chain, state, author, system,
//! which sc-service adds): account nonces (`system_accountNextIndex`, `system_dryRun`) and fee
//! queries (`payment_queryInfo`, `payment_queryFeeDetails`), and the `lineage_*` views of the
//! pallets' runtime APIs as plain JSON ([`lineage`]).

pub mod lineage;

use std::sync::Arc;

use jsonrpsee::RpcModule;
use lineage_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call runtime APIs.
	pub client: Arc<C>,
	/// The transaction pool, for nonces of pending transactions.
	pub pool: Arc<P>,
}

/// Builds the RPC module with every method the node serves beyond the standard set.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: pallet_datasets::runtime_api::DatasetsApi<Block, AccountId, Balance, BlockNumber>,
	C::Api: pallet_models::runtime_api::ModelsApi<Block, AccountId, Balance, BlockNumber>,
	C::Api: pallet_compute::runtime_api::ComputeApi<Block, AccountId, Balance, BlockNumber>,
	C::Api: pallet_rewards::runtime_api::RewardsApi<Block, AccountId, Balance, BlockNumber>,
	C::Api: pallet_lineage_params::runtime_api::ParametersApi<Block, Balance, BlockNumber>,
	P: TransactionPool + 'static,
{
	use lineage::{Lineage, LineageApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Lineage::new(client).into_rpc())?;

	Ok(module)
}
