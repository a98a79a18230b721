#!/usr/bin/env bash
# Times the import's recovery paths through the CLI, each run in its own
# process: a fresh import of N entities against a re-import of the same N
# (all duplicates) with --on-conflict skip and replace, into inmemory and
# sqlite; and K records the store refuses under --on-error skip (dangling
# relations, and ids repeated within a batch). Prints one line per run with
# the import's own seconds (from --json). Not a test: figures depend on the
# machine.
#
#   bench/import_recovery.sh [GRAPHSTORE_BINARY] [N] [RUNS]
set -euo pipefail

BIN=${1:-build/bin/graphstore}
N=${2:-20000}
RUNS=${3:-3}
DIR=$(mktemp -d /tmp/import_recovery.XXXXXX)
trap 'rm -rf "$DIR"' EXIT

cat >"$DIR/graphstore.yaml" <<EOF
environments:
  mem:
    backend: inmemory
    options: {}
  sq:
    backend: sqlite
    options: {path: $DIR/bench.db}
EOF

entities() {  # entities FIRST COUNT
  awk -v a="$1" -v n="$2" 'BEGIN { for (i = a; i < a + n; i++) printf "{\"id\":\"e%d\",\"entity_type\":\"T\",\"properties\":{\"n\":%d}}\n", i, i }'
}
entities 0 "$N" >"$DIR/fresh.jsonl"
cat "$DIR/fresh.jsonl" "$DIR/fresh.jsonl" >"$DIR/twice.jsonl"

seconds() {  # seconds ENV FILE [OPTIONS...]: the import's seconds, or the error
  local env=$1 file=$2
  shift 2
  local out
  out=$("$BIN" --config "$DIR/graphstore.yaml" --env "$env" --json import "$file" --no-progress "$@" 2>/dev/null || true)
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("%.3f" % d["seconds"] if d["ok"] else "error: " + d["error"])' "$out"
}

echo "# duplicates: N=$N, $RUNS runs each; inmemory re-import = twice.jsonl (fresh + N duplicates) minus fresh"
for run in $(seq "$RUNS"); do
  f=$(seconds mem "$DIR/fresh.jsonl")
  s=$(seconds mem "$DIR/twice.jsonl" --on-conflict skip)
  r=$(seconds mem "$DIR/twice.jsonl" --on-conflict replace)
  echo "inmemory run $run: fresh $f s, fresh+dup skip $s s, fresh+dup replace $r s"
  rm -f "$DIR/bench.db"*
  f=$(seconds sq "$DIR/fresh.jsonl")
  s=$(seconds sq "$DIR/fresh.jsonl" --on-conflict skip)
  r=$(seconds sq "$DIR/fresh.jsonl" --on-conflict replace)
  echo "sqlite   run $run: fresh $f s, re-import skip $s s, re-import replace $r s"
done

echo "# refused records under --on-error skip (inmemory), $RUNS runs each"
for k in 500 1000 2000 4000; do
  entities 0 1000 >"$DIR/dangling.jsonl"
  awk -v n="$k" 'BEGIN { for (i = 0; i < n; i++) printf "{\"type\":\"relation\",\"data\":{\"id\":\"r%d\",\"relation_type\":\"K\",\"source_id\":\"e1\",\"target_id\":\"ghost%d\"}}\n", i, i }' >>"$DIR/dangling.jsonl"
  # Each id twice in a row: the second of each pair is refused by the store.
  awk -v n="$k" 'BEGIN { for (i = 0; i < n; i++) for (j = 0; j < 2; j++) printf "{\"id\":\"e%d\",\"entity_type\":\"T\"}\n", i }' >"$DIR/repeated.jsonl"
  for run in $(seq "$RUNS"); do
    d=$(seconds mem "$DIR/dangling.jsonl" --on-error skip --overwrite)
    p=$(seconds mem "$DIR/repeated.jsonl" --on-error skip --overwrite)
    echo "refused $k run $run: dangling relations $d s, repeated ids $p s"
  done
done
