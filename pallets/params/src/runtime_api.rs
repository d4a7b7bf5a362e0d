//! The `ParametersApi` runtime API: the parameter set in force and past versions, for clients
//! (polkadot-js, the `lineage` CLI, the node's `lineage_era` RPC).

use codec::Codec;
use lineage_primitives::VersionedParameters;

sp_api::decl_runtime_apis! {
	/// Queries of the governed parameters.
	pub trait ParametersApi<Balance, BlockNumber>
	where
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The set in force, with its version and the block it took effect at.
		fn parameters() -> VersionedParameters<Balance, BlockNumber>;
		/// Version `version`, while it is kept in the history.
		fn parameters_at(version: u32) -> Option<VersionedParameters<Balance, BlockNumber>>;
	}
}
