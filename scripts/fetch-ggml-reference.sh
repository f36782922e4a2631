#!/usr/bin/env bash
# Fetches ggml's own quantizers (libggml-base.so from the npm package @node-llama-cpp/linux-x64, a build
# of llama.cpp's ggml 0.5 for x86-64 Linux) into .cache/ggml-reference/, so that
# tests/core/test_ggml_reference.cpp can compare QuantLens' ggml formats with ggml byte for byte.
# Idempotent; nothing is installed system-wide. The test skips with a message when the file is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/ggml-reference
lib="$dest/libggml-base.so"
want=6c342c8aeb20cb31a18099d6f79de4de6703814d1cfd5c4d754a8643087e486e
if [ -f "$lib" ] && [ "$(sha256sum "$lib" | cut -d' ' -f1)" = "$want" ]; then exit 0; fi
if [ "$(uname -m)" != x86_64 ] || [ "$(uname -s)" != Linux ]; then
  echo "fetch-ggml-reference: the reference library is built for x86-64 Linux only; skipping" >&2
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "fetch-ggml-reference: npm not found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @node-llama-cpp/linux-x64@3.22.1 >/dev/null)
tar -xzf "$tmp"/node-llama-cpp-linux-x64-3.22.1.tgz -C "$tmp" package/bins/linux-x64/libggml-base.so package/LICENSE
got=$(sha256sum "$tmp/package/bins/linux-x64/libggml-base.so" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
  echo "fetch-ggml-reference: libggml-base.so has sha256 $got, expected $want" >&2
  exit 1
fi
mkdir -p "$dest"
cp "$tmp/package/bins/linux-x64/libggml-base.so" "$lib"
cp "$tmp/package/LICENSE" "$dest/LICENSE.node-llama-cpp"
echo "fetch-ggml-reference: $lib"
