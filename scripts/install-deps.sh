#!/usr/bin/env bash
# Installs the Debian 12 packages graphstore needs to build and test, skipping
# what is present. Runs apt-get update once, and only when something is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  libboost-dev           # Boost.DLL (header-only with std::filesystem)
  libyaml-cpp-dev        # config files
  rapidjson-dev          # JSON options, records and properties
  libcli11-dev           # the graphstore CLI
  zlib1g-dev             # gzip streams
  libgtest-dev libgmock-dev
  libbenchmark-dev       # bench/
  libhnswlib-dev         # bench/hnsw_bench: hnswlib 0.6.2 (header-only), what our HNSW is measured against
  libsqlitecpp-dev       # plugins/sqlite: SQLiteCpp 3.2.1 (static, PIC) over the system SQLite
  libsqlite3-dev         # plugins/sqlite and tests/sqlite: SQLite 3.40 with FTS5 and JSON1
  libpqxx-dev            # plugins/postgres: libpqxx 6.4 (pulls in libpq-dev)
  postgresql-15          # tests/postgres start throwaway servers (initdb, pg_ctl, pg_basebackup)
  postgresql-client-15   # psql, used by scripts/pg-test-cluster.sh
  postgresql-15-auto-failover # pg_autoctl 2.0: scripts/pg-ha-formation.sh, the HA tests (label ha)
  openssl                # self-signed certificates for the PostgreSQL TLS tests
  clang-tidy             # scripts/tidy.sh (clang-tidy 14, run-clang-tidy)
  python3                # scripts/tidy.sh reads the compile commands; the Python package's interpreter
  python3-dev            # python/: the headers the extension modules compile against
  pybind11-dev           # python/native: the extension graphstore._native (pybind11 2.10)
  python3-numpy          # embeddings in and out as numpy.float32 arrays
  python3-pytest         # python/tests: the pytest suites ctest runs
  python3-pytest-asyncio # python/tests: the asyncio layers' suites
  # `pip install .` of the source tree, offline (--no-build-isolation uses
  # these instead of fetching a build backend).
  python3-pip python3-setuptools python3-wheel
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
