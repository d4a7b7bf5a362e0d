//! `lineage-node`: the Lineage blockchain node.

#![warn(missing_docs)]
// The errors are sc-cli's and sc-service's, large by their design.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
