# Sourced by the build and test scripts: one target directory, kept outside the checkout so that it
# survives between clones on the same machine, shared by the node build and the tests.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lineage/target}"
# The wasm builder must use this workspace's Cargo.lock even though the target directory is elsewhere.
WASM_BUILD_WORKSPACE_HINT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export WASM_BUILD_WORKSPACE_HINT
export LINEAGE_NODE="$CARGO_TARGET_DIR/release/lineage-node"
