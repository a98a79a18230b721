#!/usr/bin/env bash
# Throwaway PostgreSQL clusters for graphstore's tests and benchmarks.
#
#   pg-test-cluster.sh start ENVFILE PORT [--ssl] [--standby-of PRIMARY_PORT] [--durable] [--large]
#   pg-test-cluster.sh stop ENVFILE
#   pg-test-cluster.sh restart ENVFILE
#   pg-test-cluster.sh pause ENVFILE     (stop the server, keep its data)
#   pg-test-cluster.sh resume ENVFILE    (start it again on the same port)
#
# start initdb's a fresh cluster in a new directory under $TMPDIR (default
# /tmp), owned by the postgres user when run as root (the server refuses to
# run as root), listening on 127.0.0.1:PORT only ("auto": a free port), and
# writes ENVFILE (shell syntax) with PGTEST_HOST, PGTEST_PORT, PGTEST_DIR,
# PGTEST_TLS_DIR. A cluster already recorded in ENVFILE is stopped and removed
# first, so an aborted run never blocks the next one. A port in use is an
# error: a server that happens to be running is never used.
#
# The cluster: UTF8, locale C; superuser "postgres" trusted on loopback; role
# gs_app (password "gs-app-password", not a superuser) authenticated with
# SCRAM; database "graphstore" in which gs_app may create schemas.
# Durability: fsync stays on, but synchronous_commit is off (a commit does not
# wait for its WAL flush; a crash may lose the last commits, never corrupt)
# unless --durable, which keeps the server's defaults for benchmarks.
# --large sizes the server for graphs of 10M+ rows on a machine with some
# 24 GiB, as an operator would: shared_buffers 4GB (the default 128MB holds
# none of a 10M-entity primary key), max_wal_size 16GB and checkpoint_timeout
# 30min (so a load is not one checkpoint after another).
# --ssl makes a CA and a server certificate for localhost/127.0.0.1 in
# PGTEST_TLS_DIR (ca.crt, server.crt, server.key, and wrong-ca.crt from an
# unrelated CA) and turns ssl on. --standby-of clones the primary on
# 127.0.0.1:PRIMARY_PORT with pg_basebackup -R and starts a streaming standby.
#
# stop shuts the cluster down (fast) and removes its directory and ENVFILE.
set -euo pipefail

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then bindir="$d"; break; fi
  done
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || die "initdb not found (install postgresql-15: scripts/install-deps.sh)"

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 20000))
    if ! port_busy "$p"; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

stop_cluster() {
  local envfile="$1"
  [ -f "$envfile" ] || return 0
  local PGTEST_DIR=""
  # shellcheck disable=SC1090
  . "$envfile"
  if [ -n "$PGTEST_DIR" ] && [ -d "$PGTEST_DIR" ]; then
    if [ -f "$PGTEST_DIR/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$PGTEST_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTEST_DIR"
  fi
  rm -f "$envfile"
}

make_tls() {
  local dir="$1"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=graphstore test CA" \
      -keyout ca.key -out ca.crt >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr >/dev/null 2>&1
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
      -extfile san.ext -out server.crt >/dev/null 2>&1
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=some other CA" \
      -keyout wrong-ca.key -out wrong-ca.crt >/dev/null 2>&1
    rm -f server.csr san.ext ca.srl
  ) || die "openssl failed to make the test certificates"
  chmod 600 "$dir/server.key"
}

start_cluster() {
  local envfile="$1" port="$2"
  shift 2
  local ssl=0 standby_of="" durable=0 large=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --ssl) ssl=1 ;;
      --standby-of) standby_of="${2:?--standby-of needs a port}"; shift ;;
      --durable) durable=1 ;;
      --large) large=1 ;;
      *) die "unknown option $1" ;;
    esac
    shift
  done
  stop_cluster "$envfile"
  if [ "$port" = "auto" ]; then port=$(free_port); fi
  if port_busy "$port"; then die "port $port on 127.0.0.1 is in use: stop what listens there or pick another port"; fi

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/graphstore-pg.XXXXXX")
  chmod 755 "$dir"
  mkdir -p "$(dirname "$envfile")"
  {
    echo "PGTEST_HOST=127.0.0.1"
    echo "PGTEST_PORT=$port"
    echo "PGTEST_DIR=$dir"
    echo "PGTEST_TLS_DIR=$dir/tls"
  } >"$envfile"
  [ "$ssl" -eq 1 ] && make_tls "$dir/tls"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi

  local data="$dir/data"
  if [ -n "$standby_of" ]; then
    as_owner "$bindir/pg_basebackup" -h 127.0.0.1 -p "$standby_of" -U postgres -D "$data" -R -X stream \
      -c fast >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; die "pg_basebackup failed"; }
  else
    as_owner "$bindir/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    cat >"$data/pg_hba.conf" <<'EOF'
# graphstore test cluster: the superuser is trusted on loopback, every other
# role authenticates with its password.
local   all          all                      trust
host    all          postgres   127.0.0.1/32  trust
host    replication  postgres   127.0.0.1/32  trust
host    all          all        127.0.0.1/32  scram-sha-256
EOF
  fi
  {
    echo "# graphstore test cluster"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    echo "max_connections = 300"
    if [ "$large" -eq 1 ]; then
      echo "shared_buffers = 4GB"
      echo "max_wal_size = 16GB"
      echo "checkpoint_timeout = 30min"
    else
      echo "shared_buffers = 128MB"
    fi
    echo "logging_collector = off"
    if [ "$durable" -eq 0 ]; then echo "synchronous_commit = off"; fi
    if [ "$ssl" -eq 1 ]; then
      echo "ssl = on"
      echo "ssl_cert_file = '$dir/tls/server.crt'"
      echo "ssl_key_file = '$dir/tls/server.key'"
    fi
  } >>"$data/postgresql.conf"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi

  as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; die "the server did not start"; }

  if [ -z "$standby_of" ]; then
    as_owner "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<'EOF' ||
CREATE ROLE gs_app LOGIN PASSWORD 'gs-app-password';
CREATE DATABASE graphstore TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';
GRANT CREATE ON DATABASE graphstore TO gs_app;
EOF
      die "setting up roles and the database failed"
  fi
  echo "pg-test-cluster: started $( [ -n "$standby_of" ] && echo standby || echo primary ) on 127.0.0.1:$port in $dir"
}

cmd="${1:-}"
case "$cmd" in
  start)
    [ $# -ge 3 ] || die "usage: $0 start ENVFILE PORT [--ssl] [--standby-of PORT] [--durable] [--large]"
    start_cluster "${@:2}"
    ;;
  stop)
    [ $# -ge 2 ] || die "usage: $0 stop ENVFILE"
    stop_cluster "$2"
    ;;
  restart)
    [ $# -ge 2 ] || die "usage: $0 restart ENVFILE"
    [ -f "$2" ] || die "no cluster recorded in $2"
    # shellcheck disable=SC1090
    . "$2"
    as_owner "$bindir/pg_ctl" -D "$PGTEST_DIR/data" -l "$PGTEST_DIR/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
  pause)
    [ $# -ge 2 ] || die "usage: $0 pause ENVFILE"
    [ -f "$2" ] || die "no cluster recorded in $2"
    # shellcheck disable=SC1090
    . "$2"
    as_owner "$bindir/pg_ctl" -D "$PGTEST_DIR/data" -m fast -w -t 60 stop >/dev/null
    ;;
  resume)
    [ $# -ge 2 ] || die "usage: $0 resume ENVFILE"
    [ -f "$2" ] || die "no cluster recorded in $2"
    # shellcheck disable=SC1090
    . "$2"
    as_owner "$bindir/pg_ctl" -D "$PGTEST_DIR/data" -l "$PGTEST_DIR/server.log" -w -t 60 start >/dev/null
    ;;
  *)
    die "usage: $0 start|stop|restart|pause|resume ENVFILE ..."
    ;;
esac
