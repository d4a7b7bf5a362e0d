#!/usr/bin/env bash
# Regenerates every weight the runtime charges, on the machine whose timings the chain adopts:
# builds lineage-node with the `runtime-benchmarks` feature (profile `weights`), then
# - `benchmark pallet` for each Lineage pallet (pallets/<name>/src/weights.rs, through
#   scripts/weights/pallet-weights.hbs: the pallet's own `WeightInfo` trait and impls);
# - `benchmark pallet` for each other pallet the runtime uses (runtime/src/weights/<pallet>.rs,
#   the CLI's default template: the pallet's `WeightInfo` for `Runtime`);
# - `benchmark overhead` (runtime/src/weights/{block,extrinsic}_weights.rs: the base weight of a
#   block and of an extrinsic) and `benchmark storage` on ParityDB
#   (runtime/src/weights/paritydb_weights.rs: a storage read and write, on a state of real size).
#
#   scripts/weights/generate.sh [name ...]   (a pallet, `overhead` or `storage`; default: all)
#
# Run it whenever a call or its benchmark changes, on a machine with nothing else running (a build
# or a test beside it inflates every figure). Every pallet is benchmarked at the same resolution,
# STEPS and REPEAT below (each generated file states them); change them here, not per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh

STEPS=20
REPEAT=10

# Each benchmarked pallet's crate directory, by its name in the runtime's benchmarks
# (`pallet-lineage-params` in pallets/params/ is `pallet_lineage_params`).
declare -A dirs
for dir in pallets/*/; do
	[ -f "$dir/src/benchmarking.rs" ] || continue
	crate=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$dir/Cargo.toml" | head -n1)
	dirs[${crate//-/_}]="${dir%/}"
done

# The other pallets with calls, benchmarked into runtime/src/weights/.
runtime_pallets=(
	frame_system
	frame_system_extensions
	pallet_balances
	pallet_timestamp
	pallet_sudo
	pallet_utility
	pallet_transaction_payment
	pallet_preimage
	pallet_scheduler
	pallet_referenda
	pallet_conviction_voting
	pallet_collective
	pallet_membership
	pallet_treasury
	pallet_migrations
)

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=("${!dirs[@]}" "${runtime_pallets[@]}" overhead storage)
fi
for name in "${names[@]}"; do
	case "$name" in
	overhead | storage) ;;
	*)
		[ -n "${dirs[$name]:-}" ] || printf '%s\n' "${runtime_pallets[@]}" | grep -qx "$name" ||
			{ echo "no benchmarked pallet named $name" >&2; exit 1; }
		;;
	esac
done

# One feature set whatever is asked, so that the build is reused.
features="lineage-node/runtime-benchmarks"
for pallet in "${!dirs[@]}"; do
	features="$features,${pallet//_/-}/runtime-benchmarks"
done
# The benchmarking CLI brings a runtime of its own (frame-storage-access-test-runtime) whose wasm
# build looks itself up in the workspace metadata; the Lineage workspace lists it only with the
# feature on. Point the wasm builder at a throw-away workspace that depends on both with the
# feature enabled (the runtime, and the CLI that brings that runtime) and shares this workspace's
# Cargo.lock.
root=$(pwd)
# It is kept at one path and only rewritten when it changes: a new one each run would make cargo
# rebuild what depends on it.
hint="$CARGO_TARGET_DIR/weights-workspace"
staged=$(mktemp -d)
trap 'rm -rf "$staged"' EXIT
mkdir -p "$staged/bench/src"
touch "$staged/bench/src/lib.rs"
printf '[workspace]\nmembers = ["bench"]\nresolver = "2"\n' >"$staged/Cargo.toml"
cat >"$staged/bench/Cargo.toml" <<TOML
[package]
name = "lineage-weights"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
lineage-runtime = { path = "$root/runtime", features = ["runtime-benchmarks"] }
frame-benchmarking-cli = { version = "=64.0.0", default-features = false, features = ["runtime-benchmarks"] }
TOML
cp Cargo.lock "$staged/"
if ! diff -r -q "$staged" "$hint" >/dev/null 2>&1; then
	rm -rf "$hint"
	mkdir -p "$(dirname "$hint")"
	cp -r "$staged" "$hint"
fi
# The `weights` profile: host code at opt-level 3, as in production (the everyday release profile
# is lighter); the runtime's wasm is built the same way in both.
WASM_BUILD_WORKSPACE_HINT="$hint" cargo build --profile weights --locked --workspace --features "$features"
node="$CARGO_TARGET_DIR/weights/lineage-node"

mkdir -p runtime/src/weights
for name in "${names[@]}"; do
	case "$name" in
	overhead)
		echo "benchmarking the block and extrinsic overhead"
		"$node" benchmark overhead --chain dev --wasm-execution compiled \
			--weight-path runtime/src/weights --header scripts/weights/header.txt
		# The runtime reaches `sp_weights` through frame-support.
		sed -i 's/sp_weights::/frame_support::weights::/g' runtime/src/weights/{block,extrinsic}_weights.rs
		;;
	storage)
		# On a state of a long-lived chain's size, not a dev chain's few dozen keys: a dev chain on
		# the weights node takes 40,000 contributions from 2,000 accounts through the load harness
		# (about 130,000 keys of Lineage's own), then its sudo key writes FILL_KEYS more (default
		# 10,000,000) with scripts/weights/fill-state.js, then it stops; STORAGE_DB=<a stopped
		# node's --base-path> measures another state instead. A read is timed on each of
		# STORAGE_SAMPLE keys (default 1,000,000: the keys from a random one on, in random order),
		# a write in batches of 1,000 of them with one trie root and commit each (a full block
		# writes tens of thousands), both at the 95th percentile.
		db="${STORAGE_DB:-}"
		if [ -z "$db" ]; then
			db=$(mktemp -d)
			# A larger pool: the fill's blocks of 3.8 MB count against it until finalized.
			"$node" --dev --base-path "$db" --rpc-port 9960 --port 30360 --prometheus-port 9660 \
				--pool-kbytes 102400 >"$db/node.log" 2>&1 &
			dev=$!
			for _ in $(seq 120); do
				(: </dev/tcp/127.0.0.1/9960) 2>/dev/null && break
				sleep 1
			done
			# The node is stopped whether the load went through or not.
			loaded=0
			(cd scripts && node cli/lineage.js bench datasets.contribute --count 40000 --senders 2000 \
				--ws ws://127.0.0.1:9960 --prometheus http://127.0.0.1:9660/metrics) | tail -n 12 &&
				(cd scripts && node weights/fill-state.js --ws ws://127.0.0.1:9960 \
					--keys "${FILL_KEYS:-10000000}") | awk 'NR % 20 == 0; END { print }' &&
				loaded=1
			kill "$dev"
			wait "$dev" || true
			[ "$loaded" = 1 ] || { echo "loading the state failed: see $db/node.log" >&2; exit 1; }
		fi
		echo "benchmarking storage reads and writes on ParityDB"
		"$node" benchmark storage --dev --base-path "$db" --state-version 1 --batch-size 1000 \
			--keys-limit "${STORAGE_SAMPLE:-1000000}" --random-seed 1 --metric p95 --weight-path runtime/src/weights --header scripts/weights/header.txt
		# The runtime reaches these through frame-support; the template's notes on the two fields
		# are plain comments (rustdoc documents no expression fields).
		sed -i -e 's/sp_weights::/frame_support::weights::/g' \
			-e 's/sp_core::parameter_types/frame_support::parameter_types/' \
			-e 's#^\t\t\t///#\t\t\t//#' \
			-e 's#^\t\t/// `ParityDB` can be enabled.*#\t\t/// A storage read and write on ParityDB, the database the node keeps its state in.#' \
			-e '/are available for brave runtime engineers/d' \
			runtime/src/weights/paritydb_weights.rs
		[ -n "${STORAGE_DB:-}" ] || rm -rf "$db"
		;;
	*)
		steps="$STEPS"
		repeat="$REPEAT"
		if [ -n "${dirs[$name]:-}" ]; then
			output=(--template scripts/weights/pallet-weights.hbs --output "${dirs[$name]}/src/weights.rs")
		else
			output=(--header scripts/weights/header.txt --output "runtime/src/weights/$name.rs")
		fi
		echo "benchmarking $name (steps $steps, repeat $repeat)"
		"$node" benchmark pallet \
			--chain dev \
			--pallet "$name" \
			--extrinsic '*' \
			--steps "$steps" \
			--repeat "$repeat" \
			--wasm-execution compiled \
			--heap-pages 4096 \
			"${output[@]}"
		;;
	esac
done

# The generated files in rustfmt's layout.
cargo fmt --all
