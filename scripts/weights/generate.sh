#!/usr/bin/env bash
# Regenerates the weights.rs of every Lineage pallet from its benchmarks: builds lineage-node with
# the `runtime-benchmarks` feature (profile `weights`), runs `benchmark pallet` on the dev runtime
# for each pallet, and writes pallets/<name>/src/weights.rs through
# scripts/weights/pallet-weights.hbs.
#
#   scripts/weights/generate.sh [pallet ...]     (default: every pallet under pallets/)
#
# Run it whenever a call or its benchmark changes, on the machine whose timings the chain adopts.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh

STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"

# Each benchmarked pallet's crate directory, by its name in the runtime's benchmarks
# (`pallet-lineage-params` in pallets/params/ is `pallet_lineage_params`).
declare -A dirs
for dir in pallets/*/; do
	[ -f "$dir/src/benchmarking.rs" ] || continue
	crate=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$dir/Cargo.toml" | head -n1)
	dirs[${crate//-/_}]="${dir%/}"
done

if [ $# -gt 0 ]; then
	pallets=("$@")
else
	pallets=("${!dirs[@]}")
fi

features="lineage-node/runtime-benchmarks"
for pallet in "${pallets[@]}"; do
	[ -n "${dirs[$pallet]:-}" ] || { echo "no benchmarked pallet named $pallet" >&2; exit 1; }
	features="$features,${pallet//_/-}/runtime-benchmarks"
done
# The benchmarking CLI brings a runtime of its own (frame-storage-access-test-runtime) whose wasm
# build looks itself up in the workspace metadata; the Lineage workspace lists it only with the
# feature on. Point the wasm builder at a throw-away workspace that depends on both with the
# feature enabled (the runtime, and the CLI that brings that runtime) and shares this workspace's
# Cargo.lock.
root=$(pwd)
hint=$(mktemp -d)
trap 'rm -rf "$hint"' EXIT
mkdir -p "$hint/bench/src"
touch "$hint/bench/src/lib.rs"
printf '[workspace]\nmembers = ["bench"]\nresolver = "2"\n' >"$hint/Cargo.toml"
cat >"$hint/bench/Cargo.toml" <<TOML
[package]
name = "lineage-weights"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
lineage-runtime = { path = "$root/runtime", features = ["runtime-benchmarks"] }
frame-benchmarking-cli = { version = "=64.0.0", default-features = false, features = ["runtime-benchmarks"] }
TOML
cp Cargo.lock "$hint/"
# The `weights` profile: host code at opt-level 3, as in production (the everyday release profile
# is lighter); the runtime's wasm is built the same way in both.
WASM_BUILD_WORKSPACE_HINT="$hint" cargo build --profile weights --locked --workspace --features "$features"
node="$CARGO_TARGET_DIR/weights/lineage-node"

for pallet in "${pallets[@]}"; do
	dir="${dirs[$pallet]}"
	steps="$STEPS"
	repeat="$REPEAT"
	# The rewards benchmarks set up to 100,000 contributors per run to show that nothing grows
	# with them; fewer, larger steps keep that to minutes.
	if [ "$pallet" = pallet_rewards ]; then
		steps="${REWARDS_STEPS:-10}"
		repeat="${REWARDS_REPEAT:-5}"
	fi
	echo "benchmarking $pallet (steps $steps, repeat $repeat)"
	"$node" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/weights/pallet-weights.hbs \
		--output "$dir/src/weights.rs"
done
