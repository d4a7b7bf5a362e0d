#!/usr/bin/env bash
# Builds lineage-node if needed and runs a development chain on ws://127.0.0.1:9944.
# Extra arguments go to the node (e.g. --base-path ./devnet-data to keep the chain between runs;
# without it every start is a fresh chain).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
cargo build --release --locked --workspace
exec "$LINEAGE_NODE" --dev --rpc-port 9944 --rpc-cors all "$@"
