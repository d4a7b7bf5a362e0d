#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests of the whole workspace, then the end-to-end
# tests in scripts/test against real nodes. Builds first (the node and the tests share one build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# zepter (features reach every dependency that has them, .config/zepter.yaml), once per machine.
zepter="$HOME/.cache/lineage/tools/bin/zepter"
if [ "$("$zepter" --version 2>/dev/null)" != "zepter 1.88.2" ]; then
	env -u CARGO_TARGET_DIR cargo install zepter --version 1.88.2 --locked --root "$HOME/.cache/lineage/tools"
fi
source scripts/env.sh
start=$(date +%s)
cargo fmt --all -- --check
"$zepter" run check
# The scripts' formatter (prettier, width 100 like rustfmt) and linter (eslint), and the
# manifests' layout (taplo, .config/taplo.toml).
(cd scripts && npm run --silent lint)
# --timings: where the build time went, in $CARGO_TARGET_DIR/cargo-timings/cargo-timing.html
cargo build --release --locked --workspace --timings
built=$(date +%s)
cargo clippy --release --locked --workspace --all-targets -- -D warnings
# The code behind the `runtime-benchmarks` and `try-runtime` features too: each pallet's
# benchmarks, the runtime's benchmark list, try_state and the migrations' checks, built natively
# (no wasm for this feature set). The node is left out: its `benchmark` command pulls in
# polkadot-sdk's own benchmark runtimes, which do not compile with `try-runtime` unified on.
SKIP_WASM_BUILD=1 cargo clippy --release --locked --workspace --exclude lineage-node --all-targets \
	--features lineage-runtime/runtime-benchmarks,lineage-runtime/try-runtime,lineage-fuzz/try-runtime \
	-- -D warnings
linted=$(date +%s)
cargo test --release --locked --workspace
# Every benchmark of the Lineage pallets, run as tests against each pallet's mock, so that no
# benchmarking.rs goes unbuilt between two weight regenerations.
benchmarked=(pallet-compute pallet-datasets pallet-models pallet-rewards pallet-lineage-params)
cargo test --release --locked "${benchmarked[@]/#/-p=}" \
	--features "$(printf '%s/runtime-benchmarks,' "${benchmarked[@]}")" --lib
# The runtime's tests again with every pallet's try_state after every block, then the fuzzer's
# saved inputs and a short seeded pass (the runtime natively: no wasm build for this feature set).
SKIP_WASM_BUILD=1 cargo test --release --locked -p lineage-runtime -p lineage-fuzz \
	--features lineage-fuzz/try-runtime
tested=$(date +%s)
(cd scripts && npm test)
done_at=$(date +%s)
echo "build $((built - start)) s, clippy $((linted - built)) s, cargo test $((tested - linted)) s, end-to-end $((done_at - tested)) s"
