#!/usr/bin/env bash
# Installs everything anwbis's development, demo and tests need on a Debian machine:
# Debian's AWS CLI v2 and Chromium, moto (the local AWS emulator) and the npm workspace
# (which brings its own Node 24 through the npm package `node`).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
/usr/bin/aws --version 2>/dev/null | grep -q 'aws-cli/2\.' || need_apt+=(awscli)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! python3 -c 'import moto.server, flask, werkzeug' 2>/dev/null; then
  echo "setup: installing moto (the local AWS emulator)"
  python3 -m pip install --quiet 'moto[server]' || python3 -m pip install --quiet --break-system-packages 'moto[server]'
fi

echo "setup: installing npm packages"
npm ci --no-audit --no-fund --loglevel=error
