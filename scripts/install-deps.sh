#!/usr/bin/env bash
# Installs the Debian packages QuantLens needs to build, test and draw charts. Idempotent: quiet and
# quick when everything is present; runs apt-get only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-translations-l10n qt6-qpa-plugins libqcustomplot-dev libgl-dev libxkbcommon-dev libvulkan-dev
  libeigen3-dev libomp-dev nlohmann-json3-dev libzip-dev zlib1g-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  fonts-dejavu-core fonts-noto-cjk fontconfig
  nodejs npm
)
if [ "${QL_FUZZ:-0}" = "1" ]; then packages+=(clang libclang-rt-dev); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node/npm may come from outside Debian (e.g. a preinstalled Node.js): accept any working npm.
if command -v npm >/dev/null 2>&1; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || tmp+=("$p"); done; missing=("${tmp[@]+"${tmp[@]}"}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "QuantLens: installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
