#!/usr/bin/env bash
# The long soak runs (tests/soak/README.md): SQLite, then PostgreSQL, one
# after the other, each for SECONDS of load followed by the full content
# check. Run it under the build lock on a shared machine:
#
#   flock /tmp/gs_build.lock scripts/soak.sh [all|sqlite|postgres] [SECONDS]
#
# SECONDS defaults to 180. BUILD_DIR (default build) holds
# bin/graphstore_soak; SOAK_DIR (default $TMPDIR/graphstore-soak) receives
# each run's database file or schema name, logs and figures, kept for
# inspection. PostgreSQL runs on a throwaway cluster this script starts with
# scripts/pg-test-cluster.sh and removes at exit. Exit 0 when every run
# passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "soak: $*" >&2; exit 1; }

which="${1:-all}"
seconds="${2:-180}"
case "$which" in all|sqlite|postgres) ;; *) die "unknown backend '$which' (all, sqlite or postgres)" ;; esac
bin="${BUILD_DIR:-build}/bin/graphstore_soak"
[ -x "$bin" ] || die "$bin is missing: cmake --build ${BUILD_DIR:-build} --target graphstore_soak"
out="${SOAK_DIR:-${TMPDIR:-/tmp}/graphstore-soak}"
mkdir -p "$out"

status=0
if [ "$which" != postgres ]; then
  "$bin" sqlite --dir "$out/sqlite" --processes 4 --threads 4 --seconds "$seconds" || status=1
fi
if [ "$which" != sqlite ]; then
  env="$out/pg.env"
  trap 'scripts/pg-test-cluster.sh stop "$env"' EXIT
  scripts/pg-test-cluster.sh start "$env" auto >/dev/null
  # Three terminations of every backend of the store, evenly spaced.
  "$bin" postgres --env-file "$env" --dir "$out/postgres" --threads 32 --seconds "$seconds" --faults 3 || status=1
fi
exit "$status"
