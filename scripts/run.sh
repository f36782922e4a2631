#!/usr/bin/env bash
# Installs what is missing, builds QuantLens (Release) and starts the window. With no display it
# renders the built-in demo session's charts headless and prints where they are.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh Release
app=${QL_BUILD_DIR:-build}/app/quantlens
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" "$@"
fi
out=${QL_DEMO_OUT:-$PWD/out/demo}
echo "No display found: writing the demo charts headless."
QT_QPA_PLATFORM=offscreen "$app" export --demo --out "$out"
