#!/usr/bin/env bash
# Runs clang-tidy with the repository's .clang-tidy over the C++ sources of
# sdk/, core/, plugins/, sharding/, cli/ and bench/, and fails on any warning.
#
#   scripts/tidy.sh            the sources changed since the base (below)
#   scripts/tidy.sh REF        the sources changed since REF
#   scripts/tidy.sh --all      every source (about 6 s of CPU per file, 10 minutes in all)
#
# The base is the merge base with main; on main itself (as in CI, which runs
# on the submitted main) it is the previous commit, so CI checks what the
# last landing changed. A changed header brings in the sources that include
# it. tests/ is left out: GoogleTest's macros expand to code that several
# bugprone checks flag, and it would double the time.
#
# Reads the compile commands of build-tidy/, a release configuration without
# unity builds (so every source has its own entry), configured here (no
# build). Uses both cores.
set -euo pipefail
cd "$(dirname "$0")/.."

scope='^(sdk|core|plugins|sharding|cli|bench)/'

cmake --preset release -B build-tidy -DGRAPHSTORE_UNITY_BUILD=OFF >/dev/null

tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
if [ -z "$tidy" ]; then
  echo "tidy: run-clang-tidy not found (scripts/install-deps.sh installs clang-tidy)" >&2
  exit 1
fi

# Every source the compile commands list, relative to the repository.
mapfile -t all_sources < <(python3 - <<'EOF'
import json, os
root = os.getcwd() + "/"
for e in json.load(open("build-tidy/compile_commands.json")):
    f = os.path.normpath(os.path.join(e["directory"], e["file"]))
    if f.startswith(root):
        print(f[len(root):])
EOF
)

sources=()
if [ "${1:-}" = "--all" ]; then
  for f in "${all_sources[@]}"; do
    if [[ $f =~ $scope ]]; then sources+=("$f"); fi
  done
else
  if [ -n "${1:-}" ]; then
    base=$1
  else
    base=$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD)
    if [ "$base" = "$(git rev-parse HEAD)" ]; then
      base=$(git rev-parse --verify -q HEAD~1 || git rev-parse HEAD)
    fi
  fi
  mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- sdk core plugins cli bench)
  declare -A wanted=()
  for f in "${changed[@]}"; do
    case "$f" in
      *.cpp) wanted[$f]=1 ;;
      *.hpp | *.h)
        # The sources that include the header by its file name.
        name=$(basename "$f")
        for s in "${all_sources[@]}"; do
          if [[ $s =~ $scope ]] && grep -qE "#include [<\"]([^\">]*/)?$name[\">]" "$s"; then wanted[$s]=1; fi
        done
        ;;
    esac
  done
  for s in "${all_sources[@]}"; do
    if [ -n "${wanted[$s]:-}" ]; then sources+=("$s"); fi
  done
  echo "tidy: ${#sources[@]} source(s) changed since $(git rev-parse --short "$base")"
fi

if [ ${#sources[@]} -eq 0 ]; then
  exit 0
fi

# -Wno-unknown-warning-option: the compile commands are GCC's (-Wno-restrict).
# -Wno-ambiguous-reversed-operator: RapidJSON's iterators compare in a way
# C++20 calls ambiguous; its headers are not ours to change.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$tidy" -p build-tidy -j 2 -quiet \
  -extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-ambiguous-reversed-operator \
  "${sources[@]/#/$PWD/}" >"$log" 2>&1 || status=$?
# run-clang-tidy colours its output whatever it writes to; the log drops that
# and clang-tidy's per-file counts.
sed -E 's/\x1b\[[0-9;]*m//g' "$log" |
  grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^Running clang-tidy|^clang-tidy-14 .*-p=' || true
if [ "$status" -ne 0 ]; then
  echo "tidy: clang-tidy found problems (see above)" >&2
  exit 1
fi
echo "tidy: ${#sources[@]} source(s) clean"
