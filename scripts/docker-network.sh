#!/usr/bin/env bash
# Brings up the four-validator network of docker-compose.yml, checks through 127.0.0.1:9944 that it
# finalizes and that a transfer lands, and takes it down (volumes included).
#
# The image is built offline: a root file system holding the production binary and the shared
# libraries it links (no base image is pulled). Starts dockerd if none is running.
#   scripts/docker-network.sh [--keep]   (--keep leaves the network running)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
keep=0
[ "${1:-}" = "--keep" ] && keep=1

# Say at once what is missing, and how to install it.
missing() {
	echo "docker-network.sh: $1 is missing; install it (Debian: apt-get install -y docker.io docker-compose)" >&2
	exit 1
}
command -v docker >/dev/null 2>&1 || missing "docker"
if docker compose version >/dev/null 2>&1; then
	compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
	compose=(docker-compose)
else
	missing "docker-compose (or the docker compose plugin)"
fi

if ! docker info >/dev/null 2>&1; then
	command -v dockerd >/dev/null 2>&1 || missing "dockerd (no Docker daemon is running)"
	echo "starting dockerd"
	(dockerd >/tmp/lineage-dockerd.log 2>&1 &)
	for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
	docker info >/dev/null 2>&1 || {
		echo "docker-network.sh: dockerd did not start; see /tmp/lineage-dockerd.log" >&2
		exit 1
	}
fi

# The image runs what an operator would: the production build (opt-level 3 throughout, LTO), not
# the everyday `release` build the tests use. LINEAGE_IMAGE_NODE names another binary to package.
node_bin="${LINEAGE_IMAGE_NODE:-}"
if [ -z "$node_bin" ]; then
	cargo build --profile production --locked -p lineage-node
	node_bin="$CARGO_TARGET_DIR/production/lineage-node"
fi
node_bin=$(realpath "$node_bin")

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/rootfs/usr/local/bin" "$ctx/rootfs/tmp" "$ctx/data"
cp docker/Dockerfile "$ctx/"
cp "$node_bin" "$ctx/rootfs/usr/local/bin/lineage-node"
# The binary's shared libraries, at the paths the dynamic loader looks them up.
ldd "$node_bin" | grep -o '/[^ ]*' | while read -r lib; do
	mkdir -p "$ctx/rootfs$(dirname "$lib")"
	cp -L "$lib" "$ctx/rootfs$lib"
done
chmod 1777 "$ctx/rootfs/tmp"
# Root certificates: the node's HTTP client refuses to start without them.
mkdir -p "$ctx/rootfs/etc/ssl/certs"
cp -L /etc/ssl/certs/ca-certificates.crt "$ctx/rootfs/etc/ssl/certs/"
docker build -q -t lineage-node:local "$ctx"

"${compose[@]}" up -d
cleanup() {
	[ $keep -eq 1 ] || "${compose[@]}" down -v
	rm -rf "$ctx"
}
trap cleanup EXIT
(cd scripts && node check-network.js --ws ws://127.0.0.1:9944 --peers 3)
# The chain spec a light client starts from, built by the binary in the image (the same genesis),
# with Alice as boot node on her published ports; then a light client proves Alice's balances.
spec="$HOME/.cache/lineage/docker-chain-spec.json"
alice_key=0000000000000000000000000000000000000000000000000000000000000001
(cd scripts && LINEAGE_NODE="$node_bin" node lib/devnet-spec.js "$alice_key" 30333 30334 "$spec" local)
(cd scripts && node cli/lineage.js verify payouts 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY \
	--chain-spec "$spec" --timeout 120)
echo "light clients start from $spec (Alice on 127.0.0.1:30333, WebSocket 30334)"
"${compose[@]}" ps
