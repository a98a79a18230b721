#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/README.md) with libFuzzer for a bounded time
# each, one after the other, and prints what each found:
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60, every target)
#
# Builds them in build-fuzz with clang (installed when missing: Debian's
# clang-14 ships libFuzzer): the code with -fsanitize=fuzzer-no-link,address,
# undefined, the targets linked with -fsanitize=fuzzer. Each target runs on a
# copy of fuzz/corpus/<target> (the repository's corpus is never written);
# crashes land in build-fuzz/findings/<target>/. Builds and runs take
# /tmp/gs_build.lock, so that nobody builds or benchmarks meanwhile.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
build=$root/build-fuzz
lock=/tmp/gs_build.lock
all_targets=(record_text jsonl_import json_import csv_import byte_stream env_expand config_file journal_payload
             plugin_options serve_requests plugin_descriptor)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

if ! command -v clang++ >/dev/null || ! command -v clang >/dev/null; then
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $sudo apt-get update
  $sudo apt-get install -y clang
fi

# Clang warns where GCC does not (rapidjson's iterators under C++20's
# reversed operators); -Werror stays for GCC, which builds everything else.
# pointer-overflow alone is recoverable, so that fuzz/ubsan.supp can silence
# RapidJSON's own report; every other UBSan finding stops the run.
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fsanitize-recover=pointer-overflow"
sanitize="$sanitize -fno-omit-frame-pointer"
quiet="-Wno-ambiguous-reversed-operator"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  "-DCMAKE_C_FLAGS=$sanitize" "-DCMAKE_CXX_FLAGS=$sanitize $quiet" \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" \
  "-DCMAKE_MODULE_LINKER_FLAGS=-fsanitize=address,undefined" \
  "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address,undefined" \
  -DGRAPHSTORE_BUILD_TESTS=OFF -DGRAPHSTORE_BUILD_BENCH=OFF -DGRAPHSTORE_PYTHON=OFF \
  -DGRAPHSTORE_FUZZ_LIBFUZZER=ON >/dev/null
flock "$lock" cmake --build "$build" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$root/fuzz/ubsan.supp
results=()
for t in "${targets[@]}"; do
  work=$build/fuzz-work/$t
  findings=$build/findings/$t
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp -r "$root/fuzz/corpus/$t/." "$work/"
  log=$build/findings/$t.log
  echo "== $t: ${seconds}s"
  status=0
  (cd "$findings" && flock "$lock" "$build/bin/fuzz_$t" "$work" -max_total_time="$seconds" -print_final_stats=1 \
      -timeout=10 -rss_limit_mb=2048 -max_len=8192 -artifact_prefix="$findings/" >"$log" 2>&1) || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  new=$(grep -o 'stat::new_units_added: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  covft=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' | tr -d ' ' | sed 's/ft:/\/ft:/' || echo "?")
  crashes=$(find "$findings" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  results+=("$t|$runs|$covft|$new|$crashes|$status")
done

printf '\n%-18s %12s %20s %8s %8s\n' target executions "coverage cov/ft" new crashes
for r in "${results[@]}"; do
  IFS='|' read -r t runs covft new crashes status <<<"$r"
  printf '%-18s %12s %20s %8s %8s\n' "$t" "$runs" "$covft" "$new" "$crashes"
done
echo "logs and crash inputs: $build/findings/"
