#!/usr/bin/env bash
# Design (a), measured end to end: tenants spread over two PostgreSQL shards
# by LIST partitioning on tenant_id on a coordinator whose partitions are
# postgres_fdw foreign tables. See README.md.
#
#   bench/shard_designs/run_fdw.sh            (defaults: 4 tenants/shard, 100k/300k each, 20 s x 3)
#   N_ENT=5000 N_REL=15000 DURATION=2 REPS=1 bench/shard_designs/run_fdw.sh   (smoke test)
#
# Starts three throwaway servers with scripts/pg-test-cluster.sh (default
# settings: synchronous_commit off, shared_buffers 128MB), stops and removes
# them on exit, whatever happens. Every timed step (the load, each pgbench
# batch) holds $BENCH_LOCK, one batch at a time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cluster="$root/scripts/pg-test-cluster.sh"

TENANTS_PER_SHARD=${TENANTS_PER_SHARD:-4}
N_ENT=${N_ENT:-100000}
N_REL=${N_REL:-300000}
DURATION=${DURATION:-20}
REPS=${REPS:-3}
CLIENTS=${CLIENTS:-"1 4"}
REMOTE_ESTIMATE=${REMOTE_ESTIMATE:-true}     # use_remote_estimate of the main runs
ALT_ESTIMATE=${ALT_ESTIMATE:-1}              # 1: also one pass with the other setting, coordinator only
DC=${DC:-1}                                  # 1: also measure the default-collation parents (schema dc)
DURATION_ALT=${DURATION_ALT:-10}             # pgbench -T of those extra passes
REPS_DC=${REPS_DC:-2}
BENCH_LOCK=${BENCH_LOCK:-/tmp/gs_bench.lock}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/shard_designs.XXXXXX")}
mkdir -p "$OUT"

envdir=$(mktemp -d "${TMPDIR:-/tmp}/shard_designs_env.XXXXXX")
cleanup() {
  local n
  for n in coord shard1 shard2; do "$cluster" stop "$envdir/$n.env" >/dev/null 2>&1 || true; done
  rm -rf "$envdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
port_of() { (. "$envdir/$1.env" && echo "$PGTEST_PORT"); }
sql() { local port=$1; shift; psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d graphstore -v ON_ERROR_STOP=1 "$@"; }

t0=$(date +%s)
for n in coord shard1 shard2; do "$cluster" start "$envdir/$n.env" auto >&2; done
P0=$(port_of coord); P1=$(port_of shard1); P2=$(port_of shard2)
log "coordinator :$P0, shard1 :$P1, shard2 :$P2; results in $OUT"

# Tenant ids are digit strings so pgbench can pass them as parameters:
# shard k holds k*100+1 .. k*100+TENANTS_PER_SHARD.
tenants_of() { seq $(($1 * 100 + 1)) $(($1 * 100 + TENANTS_PER_SHARD)); }
literal_list() { tenants_of "$1" | sed "s/.*/'&'/" | paste -sd, -; }
T1LO=101; T1HI=$((100 + TENANTS_PER_SHARD)); T2LO=201; T2HI=$((200 + TENANTS_PER_SHARD))

# --- schema and load (timed: under the bench lock) ---------------------------
for p in "$P1" "$P2"; do sql "$p" -f "$here/shard_schema.sql"; done
load_shard() {
  local shard=$1 port=$2 t
  for t in $(tenants_of "$shard"); do
    sql "$port" -v tenant="$t" -v n_ent="$N_ENT" -v n_rel="$N_REL" -f "$here/load_tenant.sql"
  done
  sql "$port" -c "VACUUM ANALYZE"
}
(
  flock 9
  s=$(date +%s.%N)
  load_shard 1 "$P1" & a=$!
  load_shard 2 "$P2" & b=$!
  wait "$a"; wait "$b"
  e=$(date +%s.%N)
  printf 'load: %d tenants x (%d entities + %d relations) on 2 shards in parallel: %.1f s\n' \
    $((2 * TENANTS_PER_SHARD)) "$N_ENT" "$N_REL" "$(echo "$e - $s" | bc)" | tee "$OUT/load.txt" >&2
) 9>"$BENCH_LOCK"
for p in "$P1" "$P2"; do
  sql "$p" -At -c "SELECT 'shard :' || current_setting('port') || ' entities ' || pg_size_pretty(pg_total_relation_size('entities')) || ', relations ' || pg_size_pretty(pg_total_relation_size('relations'))" >>"$OUT/load.txt"
done

# --- coordinator --------------------------------------------------------------
sql "$P0" -v s1_port="$P1" -v s2_port="$P2" -v s1_tenants="$(literal_list 1)" -v s2_tenants="$(literal_list 2)" \
  -v remote_estimate="$REMOTE_ESTIMATE" -f "$here/coordinator.sql"
# The same parents in schema dc without COLLATE "C" (coordinator_parents.sql says why).
sql "$P0" -v schema=dc -v collate= -v s1_tenants="$(literal_list 1)" -v s2_tenants="$(literal_list 2)" \
  -f "$here/coordinator_parents.sql"
n_coord=$(sql "$P0" -At -c "SELECT count(*) FROM entities WHERE id = '1'")
[ "$n_coord" -eq $((2 * TENANTS_PER_SHARD)) ] || { log "coordinator sees $n_coord tenants' entity 1, expected $((2 * TENANTS_PER_SHARD))"; exit 1; }
set_estimate() {
  sql "$P0" -c "ALTER SERVER shard1 OPTIONS (SET use_remote_estimate '$1')" \
    -c "ALTER SERVER shard2 OPTIONS (SET use_remote_estimate '$1')"
}

# --- EXPLAIN through the coordinator ----------------------------------------
s=7; g3=$((1 + (s + 2) % N_ENT)); g4=$((1 + (s + 3) % N_ENT))
for est in "$REMOTE_ESTIMATE" $([ "$ALT_ESTIMATE" = 1 ] && { [ "$REMOTE_ESTIMATE" = true ] && echo false || echo true; }); do
  set_estimate "$est"
  { echo "##### use_remote_estimate = $est"; sql "$P0" -v t=101 -v s=$s -v g3=$g3 -v g4=$g4 -f "$here/explain.sql"; } \
    >"$OUT/explain_remote_estimate_$est.txt" 2>&1
done
set_estimate "$REMOTE_ESTIMATE"
{ echo "##### default-collation coordinator (schema dc), use_remote_estimate = $REMOTE_ESTIMATE"
  PGOPTIONS="-c search_path=dc" sql "$P0" -v t=101 -v s=$s -v g3=$g3 -v g4=$g4 -f "$here/explain.sql"; } \
  >"$OUT/explain_dc_remote_estimate_$REMOTE_ESTIMATE.txt" 2>&1
log "EXPLAIN output in $OUT/explain_remote_estimate_*.txt"

# --- pgbench ------------------------------------------------------------------
results="$OUT/results.csv"
echo "shape,route,estimate,clients,rep,tps,latency_ms" >"$results"
# run SHAPE ROUTE CLIENTS REP ESTIMATE SCRIPT [pgbench -D ...]
run() {
  local shape=$1 route=$2 c=$3 rep=$4 est=$5 script=$6; shift 6
  local port; port=$([ "$route" = direct ] && echo "$P1" || echo "$P0")
  local o opts=""
  [ "$route" = coord_dc ] && opts="-c search_path=dc"
  o=$(PGOPTIONS="$opts" pgbench -n -M prepared -h 127.0.0.1 -p "$port" -U postgres -c "$c" -j "$c" -T "$DURATION" \
    -f "$here/pgbench/$script" -D tlo=$T1LO -D thi=$T1HI -D t2lo=$T2LO -D t2hi=$T2HI -D n="$N_ENT" "$@" \
    graphstore 2>&1) || { echo "$o" >&2; return 1; }
  local tps lat
  tps=$(echo "$o" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
  lat=$(echo "$o" | sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p')
  echo "$shape,$route,$est,$c,$rep,$tps,$lat" >>"$results"
  log "$shape $route c=$c rep $rep (use_remote_estimate $est): $tps tps, $lat ms"
}
# One batch per shape, under the lock: REPS x CLIENTS x routes, interleaved.
batch() {
  local shape=$1 routes=$2 script=$3; shift 3
  (
    flock 9
    local rep c route
    for rep in $(seq 1 "$REPS"); do
      for c in $CLIENTS; do
        for route in $routes; do run "$shape" "$route" "$c" "$rep" "$REMOTE_ESTIMATE" "$script" "$@"; done
      done
    done
  ) 9>"$BENCH_LOCK"
}
batch get_entity "direct coord" get_entity.sql
batch neighbors "direct coord" neighbors.sql
batch find_paths_d3 "direct coord" find_paths.sql -D depth=3
batch find_paths_d4 "direct coord" find_paths.sql -D depth=4
batch insert_entity "direct coord" insert_entity.sql
batch two_tenants "coord" two_tenants.sql

if [ "$ALT_ESTIMATE" = 1 ]; then
  alt=$([ "$REMOTE_ESTIMATE" = true ] && echo false || echo true)
  set_estimate "$alt"
  (
    flock 9
    DURATION=$DURATION_ALT
    for c in $CLIENTS; do
      run get_entity coord "$c" 1 "$alt" get_entity.sql
      run neighbors coord "$c" 1 "$alt" neighbors.sql
      run find_paths_d3 coord "$c" 1 "$alt" find_paths.sql -D depth=3
      run find_paths_d4 coord "$c" 1 "$alt" find_paths.sql -D depth=4
    done
  ) 9>"$BENCH_LOCK"
  set_estimate "$REMOTE_ESTIMATE"
fi

if [ "$DC" = 1 ]; then
  (
    flock 9
    DURATION=$DURATION_ALT
    for rep in $(seq 1 "$REPS_DC"); do
      for c in $CLIENTS; do
        run get_entity coord_dc "$c" "$rep" "$REMOTE_ESTIMATE" get_entity.sql
        run neighbors coord_dc "$c" "$rep" "$REMOTE_ESTIMATE" neighbors.sql
        run find_paths_d3 coord_dc "$c" "$rep" "$REMOTE_ESTIMATE" find_paths.sql -D depth=3
        run find_paths_d4 coord_dc "$c" "$rep" "$REMOTE_ESTIMATE" find_paths.sql -D depth=4
      done
    done
  ) 9>"$BENCH_LOCK"
fi

# --- consistency --------------------------------------------------------------
{
  echo "##### a shard that fails at COMMIT, after the other shard's remote COMMIT"
  for failing in 1 2; do
    fp=$([ "$failing" = 1 ] && echo "$P1" || echo "$P2")
    sql "$fp" -c "CREATE OR REPLACE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS \$f\$ BEGIN IF NEW.id LIKE 'crash-%' THEN RAISE EXCEPTION 'shard fails at COMMIT (simulated crash)'; END IF; RETURN NULL; END \$f\$" \
      -c "CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON entities DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_at_commit()"
    echo "=== failing shard: shard$failing"
    psql -X -h 127.0.0.1 -p "$P0" -U postgres -d graphstore -v t1=$T1LO -v t2=$T2LO -v tag="crash-$failing" \
      -f "$here/consistency.sql" 2>&1 || true
    for k in 1 2; do
      kp=$([ "$k" = 1 ] && echo "$P1" || echo "$P2")
      echo "shard$k holds: $(sql "$kp" -At -c "SELECT coalesce(string_agg(tenant_id || '/' || id, ' '), '(nothing)') FROM entities WHERE id = 'crash-$failing'"), prepared transactions: $(sql "$kp" -At -c 'SELECT count(*) FROM pg_prepared_xacts')"
    done
    sql "$fp" -c "DROP TRIGGER fail_at_commit ON entities"
  done
  echo
  echo "##### a tenant no partition lists (adding a tenant is DDL on the coordinator)"
  sql "$P0" -c "INSERT INTO entities (tenant_id, id, entity_type, properties, created_at, updated_at) VALUES ('999', 'x', 'person', '{}', 1, 1)" 2>&1 || true
  echo
  echo "##### per-tenant foreign partitions over a shard's shared table: the duplicate trap"
  sql "$P0" -c "CREATE TABLE entities_per_tenant (LIKE entities) PARTITION BY LIST (tenant_id)" 2>&1
  for k in 1 2; do
    for t in $(tenants_of "$k"); do
      sql "$P0" -c "CREATE FOREIGN TABLE ept_$t PARTITION OF entities_per_tenant FOR VALUES IN ('$t') SERVER shard$k OPTIONS (table_name 'entities')"
    done
  done
  echo "rows with id '1' (one per tenant: $((2 * TENANTS_PER_SHARD))): per-shard partitions $(sql "$P0" -At -c "SELECT count(*) FROM entities WHERE id = '1'"), per-tenant partitions $(sql "$P0" -At -c "SELECT count(*) FROM entities_per_tenant WHERE id = '1'")"
  echo "same with tenant_id = '101' (pruned to one partition): $(sql "$P0" -At -c "SELECT count(*) FROM entities_per_tenant WHERE tenant_id = '101' AND id = '1'")"
} >"$OUT/consistency.txt" 2>&1
log "consistency findings in $OUT/consistency.txt"

# --- summary ------------------------------------------------------------------
python3 - "$results" <<'EOF' | tee "$OUT/summary.txt"
import csv, sys, statistics as st
rows = list(csv.DictReader(open(sys.argv[1])))
main_est = rows[0]["estimate"]
groups = {}
for r in rows: groups.setdefault((r["shape"], r["clients"], r["route"], r["estimate"]), []).append(r)
def rng(v, fmt): return (fmt % min(v)) + ("" if min(v) == max(v) else "-" + (fmt % max(v)))
def cell(g):
    l = [float(r["latency_ms"]) for r in g]; t = [float(r["tps"]) for r in g]
    return "%s (%s)" % (rng(l, "%.3f"), rng(t, "%.0f")), st.median(l)
print("latency ms range (tps range) over runs; ratio = median coordinator latency / median direct latency")
print("%-14s %-3s %-24s %-26s %-7s %s" % ("shape", "c", "direct", "through coordinator", "ratio", "variant"))
for (shape, c, route, est), g in groups.items():
    if route == "direct": continue
    d = groups.get((shape, c, "direct", main_est))
    cs, cm = cell(g)
    ds, dm = cell(d) if d else ("-", None)
    ratio = "%.1f" % (cm / dm) if dm else "-"
    variant = ("default-collation coordinator " if route == "coord_dc" else "") + "use_remote_estimate=" + est
    print("%-14s %-3s %-24s %-26s %-7s %s" % (shape, c, ds, cs, ratio, variant))
EOF
cat "$OUT/load.txt"
log "done in $(( $(date +%s) - t0 )) s; output in $OUT"
