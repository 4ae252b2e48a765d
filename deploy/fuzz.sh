#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan, fuzz/CMakeLists.txt)
# and runs each for SECONDS, one after the other, one process at a time.
#
#   deploy/fuzz.sh [SECONDS [TARGET...]]    (default 60 s; all targets)
#
# Targets: parse_fuzzer filter_fuzzer page_token_fuzzer request_fuzzer
# sink_fuzzer. Each keeps its corpus in build-fuzz/corpus/<target>, so runs
# build on each other; it is seeded from fuzz/corpus/<target> (checked in),
# data/samples (the parser) and fuzz_seeds (the proto-input targets). A
# crash, leak or UB report stops that target, leaves the input in
# build-fuzz/artifacts/<target>/ and makes the script exit 1 after the other
# targets ran. Every run appends a line to build-fuzz/fuzz_runs.tsv (date,
# target, seconds, executions, cov, ft, corpus files, crashes); docs/security.md
# sums them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse_fuzzer filter_fuzzer page_token_fuzzer request_fuzzer sink_fuzzer)
fi
build="$root/build-fuzz"
if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang-14 \
    -DCMAKE_CXX_COMPILER=clang++-14 -DNEWSEVENTS_FUZZ=ON -DNEWSEVENTS_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
    -DNEWSEVENTS_NODE_MODULES="${NEWSEVENTS_NODE_MODULES:-$root/tools/node_modules}" >/dev/null
fi
ninja -C "$build" -j2 "${targets[@]}" fuzz_seeds >"$build/ninja.log" 2>&1 ||
  { tail -40 "$build/ninja.log"; exit 1; }
"$build/fuzz/fuzz_seeds" "$build/seeds" "$root/data/samples"

max_len() {
  case $1 in
    parse_fuzzer|sink_fuzzer) echo 65536 ;;
    request_fuzzer) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

failed=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  seeds=()
  for dir in "$root/fuzz/corpus/$target" "$build/seeds/$target"; do
    [ -d "$dir" ] && seeds+=("$dir")
  done
  [ "$target" = parse_fuzzer ] && seeds+=("$root/data/samples")
  options=(-max_total_time="$seconds" -max_len="$(max_len "$target")"
           -rss_limit_mb=2048 -timeout=30 -print_final_stats=1
           -artifact_prefix="$artifacts/")
  [ -f "$root/fuzz/$target.dict" ] && options+=(-dict="$root/fuzz/$target.dict")
  echo "=== fuzz: $target for $seconds s"
  log="$build/$target.log"
  status=0
  "$build/fuzz/$target" "${options[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
  crashes=0
  if [ $status -ne 0 ]; then
    failed=1
    crashes=1
    grep -a -A30 -m1 'ERROR\|runtime error\|unexpected error\|deadly signal' "$log" || tail -40 "$log"
  fi
  grep -aE '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed|new_units|peak_rss)' "$log" || true
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -aE '^#[0-9]+[[:space:]]' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  files=$(find "$corpus" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$seconds" \
    "${execs:-0}" "${cov:-?}" "${ft:-?}" "$files" "$crashes" >>"$build/fuzz_runs.tsv"
done
exit $failed
