#!/usr/bin/env bash
# Builds lineage-node if needed and runs a development chain on ws://127.0.0.1:9944.
# Extra arguments go to the node (e.g. --base-path ./devnet-data to keep the chain between runs;
# without it every start is a fresh chain). It also writes the chain spec a light client starts
# from (`lineage verify`, `lineage explorer`'s verified mode), naming this node as its boot node:
# ~/.cache/lineage/devnet-chain-spec.json. It keeps the state of every block, so that
# `lineage indexer` can read the history from genesis whenever it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
cargo build --release --locked --workspace
# A fixed node key (the dev chain's, public like its accounts): the boot node's peer id is known.
node_key=0000000000000000000000000000000000000000000000000000000000000001
# Peers reach it on 30333, and light clients in a browser over WebSocket on 30334.
(cd scripts && node lib/devnet-spec.js "$node_key" 30333 30334 "$HOME/.cache/lineage/devnet-chain-spec.json")
exec "$LINEAGE_NODE" --dev --node-key "$node_key" \
	--listen-addr /ip4/0.0.0.0/tcp/30333 --listen-addr /ip4/0.0.0.0/tcp/30334/ws \
	--state-pruning archive-canonical --rpc-port 9944 --rpc-cors all "$@"
