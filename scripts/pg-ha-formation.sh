#!/usr/bin/env bash
# A throwaway pg_auto_failover formation for graphstore's high-availability
# tests and benchmarks (docs/high-availability.md).
#
#   pg-ha-formation.sh start ENVFILE
#   pg-ha-formation.sh stop ENVFILE
#   pg-ha-formation.sh primary ENVFILE        (print the current primary's port, from the monitor)
#   pg-ha-formation.sh kill-primary ENVFILE   (SIGKILL the primary node; print its port)
#   pg-ha-formation.sh kill-standby ENVFILE   (SIGKILL the other node; print its port)
#
# start makes a fresh directory under $TMPDIR (default /tmp), owned by the
# postgres user when run as root, and starts on free 127.0.0.1 ports a
# pg_auto_failover monitor and two PostgreSQL 15 nodes (pg_autoctl 2.0, Debian
# package postgresql-15-auto-failover), each node's `pg_autoctl run` in its own
# process group with its log in the directory. It returns once the formation
# has a primary and a secondary in sync (synchronous replication: a commit is
# acknowledged only once the standby has it), and writes ENVFILE (shell
# syntax): HA_DIR, HA_MONITOR_PORT, HA_PORTS ("p1,p2"), HA_DSN (a libpq
# multi-host key/value conninfo for gs_app with target_session_attrs=read-write),
# HA_URI (the monitor's formation URI), HA_NODE1_PORT/HA_NODE1_DIR and the same
# for node 2. A formation already recorded in ENVFILE is stopped first.
#
# The nodes: UTF8, locale C, no TLS (loopback only), small (shared_buffers
# 16MB, max_connections 40); every role trusted on loopback except gs_app
# (password "gs-app-password", SCRAM, not a superuser), which may create
# schemas in database "graphstore", as in scripts/pg-test-cluster.sh. The
# monitor's health checks are tuned so that a lost primary is failed over in a
# few seconds instead of pg_auto_failover's default of some 20-30 s.
#
# kill-primary SIGKILLs the current primary's pg_autoctl process group and its
# postgres (a machine lost, not a shutdown); the monitor then promotes the
# standby, which runs alone as wait_primary. kill-standby does the same to
# the other node; the primary then goes on alone as wait_primary. stop kills
# everything of the formation and removes its directory and ENVFILE.
set -euo pipefail

die() { echo "pg-ha-formation: $*" >&2; exit 1; }

bindir="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
[ -x "$bindir/initdb" ] || die "initdb not found in $bindir (install postgresql-15: scripts/install-deps.sh)"
autoctl_bin="$(command -v pg_autoctl || true)"
[ -n "$autoctl_bin" ] || autoctl_bin="$bindir/pg_autoctl"
[ -x "$autoctl_bin" ] || die "pg_autoctl not found (install postgresql-15-auto-failover: scripts/install-deps.sh)"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_autoctl keeps its configuration and state under XDG_CONFIG_HOME and
# XDG_DATA_HOME: inside the formation's directory, so stop removes them too.
autoctl() {
  as_owner env XDG_CONFIG_HOME="$dir/xdg/config" XDG_DATA_HOME="$dir/xdg/data" PG_CONFIG="$bindir/pg_config" \
    "$autoctl_bin" "$@"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 20000))
    if ! port_busy "$p" && [[ " ${taken_ports:-} " != *" $p "* ]]; then
      taken_ports="${taken_ports:-} $p"
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

monitor_sql() {
  as_owner "$bindir/psql" -h 127.0.0.1 -p "$HA_MONITOR_PORT" -U postgres -d pg_auto_failover -X -A -t -q -c "$1"
}

# Kills a process group started by run_bg (its id is in PIDFILE) with SIGNAL.
kill_group() {
  local pidfile="$1" sig="$2" pgid
  [ -f "$pidfile" ] || return 0
  pgid=$(cat "$pidfile")
  [ -n "$pgid" ] && kill "-$sig" -- "-$pgid" 2>/dev/null || true
}

# SIGKILLs the postmaster of data directory DATA and its children. The
# children (each in a session of its own) would otherwise outlive it for a
# moment, and a backend could still commit and answer: not a machine lost.
# The postmaster is stopped first so that it forks no new ones meanwhile.
kill_postmaster() {
  local data="$1" pid children
  [ -f "$data/postmaster.pid" ] || return 0
  pid=$(head -1 "$data/postmaster.pid")
  [ -n "$pid" ] || return 0
  kill -STOP "$pid" 2>/dev/null || return 0
  children=$(ps -o pid= --ppid "$pid" || true)
  # shellcheck disable=SC2086
  [ -z "$children" ] || kill -KILL $children 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
}

# Runs `pg_autoctl run` for PGDATA in the background, in a session (and so a
# process group) of its own whose id goes to PGDATA.pid.
run_bg() {
  local pgdata="$1" log="$2"
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pgdata.pid" \
    bash -c "$(declare -f as_owner autoctl); dir='$dir' bindir='$bindir' autoctl_bin='$autoctl_bin'; autoctl run --pgdata '$pgdata'" \
    >"$log" 2>&1 </dev/null &
}

stop_formation() {
  local envfile="$1"
  [ -f "$envfile" ] || return 0
  local HA_DIR=""
  # shellcheck disable=SC1090
  . "$envfile"
  if [ -n "$HA_DIR" ] && [ -d "$HA_DIR" ]; then
    local n
    for n in node1 node2 monitor; do kill_postmaster "$HA_DIR/$n"; done
    for n in node1 node2 monitor; do kill_group "$HA_DIR/$n.pid" KILL; done
    rm -rf "$HA_DIR"
  fi
  rm -f "$envfile"
}

# initdb's DATA with the formation's settings (pg_autoctl then adopts it).
init_cluster() {
  local data="$1" port="$2"
  as_owner "$bindir/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C --auth-local=trust \
    --auth-host=trust >"$data.initdb.log" 2>&1 || { cat "$data.initdb.log" >&2; die "initdb failed"; }
  as_owner tee "$data/pg_hba.conf" >/dev/null <<'EOF'
# graphstore HA test formation: gs_app authenticates with its password, every
# other role (postgres, pg_auto_failover's) is trusted on loopback.
local   all          all                      trust
host    all          gs_app     127.0.0.1/32  scram-sha-256
host    all          all        127.0.0.1/32  trust
host    replication  all        127.0.0.1/32  trust
EOF
  as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
# graphstore HA test formation
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
shared_buffers = 16MB
max_connections = 40
logging_collector = off
EOF
}

# Waits (up to SECONDS) until the monitor reports a primary and a secondary,
# both having reached their goal state.
wait_in_sync() {
  local seconds="$1" deadline state
  deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt "$deadline" ]; do
    state=$(monitor_sql "SELECT string_agg(reportedstate::text, ',' ORDER BY reportedstate::text)
                         FROM pgautofailover.node WHERE reportedstate = goalstate" 2>/dev/null || true)
    [ "$state" = "primary,secondary" ] && return 0
    sleep 0.2
  done
  return 1
}

start_formation() {
  local envfile="$1"
  stop_formation "$envfile"
  local started=$SECONDS
  dir=$(mktemp -d "${TMPDIR:-/tmp}/graphstore-pgha.XXXXXX")
  chmod 755 "$dir"
  mkdir -p "$dir/xdg/config" "$dir/xdg/data" "$(dirname "$envfile")"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
  HA_MONITOR_PORT=$(free_port)
  local p1 p2
  p1=$(free_port)
  p2=$(free_port)
  {
    echo "HA_DIR=$dir"
    echo "HA_MONITOR_PORT=$HA_MONITOR_PORT"
    echo "HA_NODE1_PORT=$p1"
    echo "HA_NODE1_DIR=$dir/node1"
    echo "HA_NODE2_PORT=$p2"
    echo "HA_NODE2_DIR=$dir/node2"
  } >"$envfile"

  # The monitor and the first node are initdb'd here, so their settings are
  # in place before the first start (pg_autoctl adopts an existing cluster);
  # the second node is a pg_basebackup of the first, settings included.
  # Both at once: initdb is most of a second of CPU each.
  init_cluster "$dir/monitor" "$HA_MONITOR_PORT" &
  local monitor_init=$!
  init_cluster "$dir/node1" "$p1" || die "initdb of node1 failed"
  wait "$monitor_init" || die "initdb of the monitor failed"
  # Fast failover: a health check each second, a node unhealthy after 2 s
  # without news (defaults: 5 s, 20 s), and a lost primary given 4 s, not 30,
  # to demote itself before the standby is promoted. That wait is what keeps
  # two primaries apart: it must stay longer than the keepers'
  # network_partition_timeout (set to 2 s below), after which a primary cut
  # off from the monitor and its standby demotes itself. Set before the
  # monitor's first start.
  as_owner tee -a "$dir/monitor/postgresql.conf" >/dev/null <<'EOF'
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 2000
pgautofailover.startup_grace_period = 2000
pgautofailover.primary_demote_timeout = 4000
EOF
  autoctl create monitor --pgdata "$dir/monitor" --pgport "$HA_MONITOR_PORT" --hostname 127.0.0.1 \
    --no-ssl --skip-pg-hba >"$dir/monitor.create.log" 2>&1 ||
    { cat "$dir/monitor.create.log" >&2; die "pg_autoctl create monitor failed"; }
  run_bg "$dir/monitor" "$dir/monitor.log"

  local monitor_uri="postgres://autoctl_node@127.0.0.1:$HA_MONITOR_PORT/pg_auto_failover?sslmode=disable"
  local deadline=$((SECONDS + 30))
  until monitor_sql "SELECT 1" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { cat "$dir/monitor.log" >&2; die "the monitor did not start"; }
    sleep 0.2
  done

  local n port
  for n in 1 2; do
    port=$p1
    [ "$n" -eq 2 ] && port=$p2
    autoctl create postgres --pgdata "$dir/node$n" --pgport "$port" --pghost "$dir" --listen 127.0.0.1 --hostname 127.0.0.1 \
      --name "node$n" --dbname graphstore --monitor "$monitor_uri" --no-ssl --skip-pg-hba \
      >"$dir/node$n.create.log" 2>&1 ||
      { cat "$dir/node$n.create.log" >&2; die "pg_autoctl create postgres (node$n) failed"; }
    # The keeper's own waits around a promotion (defaults 20 s and 5 s).
    autoctl config set --pgdata "$dir/node$n" timeout.network_partition_timeout 2 >/dev/null
    autoctl config set --pgdata "$dir/node$n" timeout.prepare_promotion_walreceiver 1 >/dev/null
    run_bg "$dir/node$n" "$dir/node$n.log"
  done

  wait_in_sync 60 || { monitor_sql "SELECT nodename, reportedstate, goalstate FROM pgautofailover.node" >&2 || true
                       die "the formation did not reach primary + secondary in 60 s (logs in $dir)"; }

  local primary
  primary=$(primary_port)
  as_owner "$bindir/psql" -h 127.0.0.1 -p "$primary" -U postgres -d graphstore -X -v ON_ERROR_STOP=1 -q \
    >/dev/null <<'EOF' || die "setting up the role gs_app failed"
CREATE ROLE gs_app LOGIN PASSWORD 'gs-app-password';
GRANT CREATE ON DATABASE graphstore TO gs_app;
EOF
  local uri
  uri=$(autoctl show uri --pgdata "$dir/monitor" --formation default)
  {
    echo "HA_PORTS=$p1,$p2"
    echo "HA_DSN=\"host=127.0.0.1,127.0.0.1 port=$p1,$p2 dbname=graphstore user=gs_app password=gs-app-password target_session_attrs=read-write\""
    echo "HA_URI=\"$uri\""
  } >>"$envfile"
  echo "pg-ha-formation: monitor on 127.0.0.1:$HA_MONITOR_PORT, nodes on $p1 and $p2 (primary $primary)," \
    "in sync after $((SECONDS - started)) s, in $dir"
}

primary_port() {
  monitor_sql "SELECT primary_port FROM pgautofailover.get_primary('default', 0)"
}

load_env() {
  [ -f "$1" ] || die "no formation recorded in $1"
  # shellcheck disable=SC1090
  . "$1"
  dir="$HA_DIR"
}

cmd="${1:-}"
[ $# -ge 2 ] || die "usage: $0 start|stop|primary|kill-primary|kill-standby ENVFILE"
case "$cmd" in
  start) start_formation "$2" ;;
  stop) stop_formation "$2" ;;
  primary)
    load_env "$2"
    primary_port
    ;;
  kill-primary | kill-standby)
    load_env "$2"
    port=$(primary_port)
    [ -n "$port" ] || die "the monitor knows no primary"
    if [ "$cmd" = kill-standby ]; then
      if [ "$port" = "$HA_NODE1_PORT" ]; then port=$HA_NODE2_PORT; else port=$HA_NODE1_PORT; fi
    fi
    if [ "$port" = "$HA_NODE1_PORT" ]; then node=node1; else node=node2; fi
    kill_postmaster "$dir/$node"
    kill_group "$dir/$node.pid" KILL
    echo "$port"
    ;;
  *) die "usage: $0 start|stop|primary|kill-primary|kill-standby ENVFILE" ;;
esac
