#!/usr/bin/env bash
# Installs what building and testing Lineage needs on a Debian machine with a Rust toolchain and
# Node.js 20: system packages, the wasm target, and the scripts' npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v curl >/dev/null 2>&1 || need+=(curl)
dpkg -s libssl-dev >/dev/null 2>&1 || need+=(libssl-dev)
# The explorer's browser test drives Debian's chromium through playwright-core.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The indexer's tests run its server back end on a PostgreSQL server of their own.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y --no-install-recommends "${need[@]}" ||
		{ $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${need[@]}"; }
fi

rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt

(cd scripts && npm ci --no-audit --no-fund --loglevel=error)
