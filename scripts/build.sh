#!/usr/bin/env bash
# Configures and builds QuantLens (Release by default) into build/. Usage: scripts/build.sh [BUILD_TYPE]
set -euo pipefail
cd "$(dirname "$0")/.."
"$PWD/scripts/install-deps.sh"
type=${1:-Release}
dir=${QL_BUILD_DIR:-build}
gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
# Configure unless a complete build tree is there: a configure that failed (say, before the
# packages were installed) leaves a cache behind but no build files.
if [ ! -f "$dir/CMakeCache.txt" ] || { [ ! -f "$dir/build.ninja" ] && [ ! -f "$dir/Makefile" ]; }; then
  cmake -S . -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE="$type" ${QL_CMAKE_ARGS:-} >/dev/null
fi
cmake --build "$dir" --parallel "$(nproc)"
