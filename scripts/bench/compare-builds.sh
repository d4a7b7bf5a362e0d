#!/usr/bin/env bash
# What the production build (opt-level 3, LTO) buys over the everyday release build (opt-level 1),
# measured on one chain spec so that both run the same runtime wasm: the time each takes to author
# full blocks under `lineage bench` load, and to import the blocks that load produced.
#   scripts/bench/compare-builds.sh [OUT_DIR]   (default /tmp/lineage-builds)
# About 12 minutes once both builds exist (a cold production build takes about 20 more on two
# cores). Port 9944 must be free. Prints each build's full-block authoring times and import times;
# the bench reports and node logs stay in OUT_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
out="${1:-/tmp/lineage-builds}"
mkdir -p "$out"
cargo build --release --locked --workspace
cargo build --profile production --locked -p lineage-node
declare -A bin=([release]="$LINEAGE_NODE" [production]="$CARGO_TARGET_DIR/production/lineage-node")
spec="$out/dev-raw.json"
"$LINEAGE_NODE" build-spec --dev --raw >"$spec" 2>/dev/null

node_pid=
stop() {
	if [ -n "$node_pid" ]; then
		kill "$node_pid" 2>/dev/null || true
		wait "$node_pid" 2>/dev/null || true
		node_pid=
	fi
}
trap stop EXIT

wait_rpc() {
	local request='{"id":1,"jsonrpc":"2.0","method":"chain_getFinalizedHead","params":[]}'
	for _ in $(seq 60); do
		curl -sf -H 'Content-Type: application/json' -d "$request" http://127.0.0.1:9944 >/dev/null && return
		sleep 1
	done
	echo "compare-builds.sh: no node answered on 127.0.0.1:9944 (see $out/*-node.log)" >&2
	exit 1
}

bench() {
	(cd scripts && node cli/lineage.js bench "$@")
}

# Authoring: a fresh chain per build, loaded with transfers and jobs.
for build in release production; do
	rm -rf "$out/$build-chain"
	"${bin[$build]}" --chain "$spec" --alice --validator --force-authoring \
		--node-key 0000000000000000000000000000000000000000000000000000000000000001 \
		--base-path "$out/$build-chain" --rpc-port 9944 >"$out/$build-node.log" 2>&1 &
	node_pid=$!
	wait_rpc
	bench transfer --count 30000 --senders 100 --window 8000 >"$out/$build-transfer.txt"
	bench compute.submit-job --count 32020 --senders 100 --window 8000 >"$out/$build-job.txt"
	stop
done

# Import: the blocks the release chain produced, into an empty database, twice per build.
"$LINEAGE_NODE" export-blocks --chain "$spec" --base-path "$out/release-chain" --binary --from 1 \
	"$out/blocks.bin" 2>/dev/null
for build in release production; do
	echo "== $build"
	for profile in transfer job; do
		# The blocks the weight limit ended: the proposer's build time of a full block.
		built=$(awk '$NF == "HitBlockWeightLimit" { print $6 }' "$out/$build-$profile.txt" | sort -n)
		echo "  full $profile blocks built in (ms): $(echo "$built" | tr '\n' ' ')"
	done
	for run in 1 2; do
		rm -rf "$out/import"
		start=$(date +%s%N)
		"${bin[$build]}" import-blocks --chain "$spec" --base-path "$out/import" --binary \
			"$out/blocks.bin" >"$out/$build-import.log" 2>&1
		ms=$((($(date +%s%N) - start) / 1000000))
		echo "  import run $run: $ms ms ($(grep -o 'Imported [0-9]* blocks' "$out/$build-import.log"))"
	done
done
rm -rf "$out/import"
