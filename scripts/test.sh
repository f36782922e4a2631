#!/usr/bin/env bash
# Installs what is missing, builds QuantLens and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh Release
if [ -x scripts/fetch-test-models.sh ]; then
  scripts/fetch-test-models.sh || echo "warning: real-weight test files could not be fetched; the tests that need them will say they skipped"
fi
scripts/fetch-ggml-reference.sh || echo "warning: ggml's reference library could not be fetched; test_ggml_reference will say it skipped"
cd "${QL_BUILD_DIR:-build}"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$(nproc)" "$@"
