#!/usr/bin/env bash
# Builds the article parser's libFuzzer target with clang (ASan+UBSan) and
# runs it for a while, seeded with the sample articles.
#
#   deploy/fuzz.sh [SECONDS]     (default 60)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
build="$root/build-fuzz"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang-14 \
    -DCMAKE_CXX_COMPILER=clang++-14 -DNEWSEVENTS_FUZZ=ON -DNEWSEVENTS_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
ninja -C "$build" -j2 parse_fuzzer >"$build/ninja.log" 2>&1 || { tail -40 "$build/ninja.log"; exit 1; }
fuzzer=$(find "$build" -name parse_fuzzer -type f -perm -u+x | head -1)
corpus="$build/corpus"
mkdir -p "$corpus"
cp "$root"/data/samples/*.txt "$corpus/"
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
  "$corpus" 2>&1 | tail -15
