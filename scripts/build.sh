#!/usr/bin/env bash
# Installs what is missing, then configures and builds one preset
# (release, debug, asan or tsan; default release). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
./scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
