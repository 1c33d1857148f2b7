#!/usr/bin/env bash
# Installs everything anwbis's development, demo and tests need on a Debian machine:
# Debian's AWS CLI v2, Chromium and tmux, systemd's socket activator, D-Bus and GNOME Keyring (the keychain tests), zsh and fish (the shell-output tests run every shell
# `anwbis env --shell` writes for), moto (the local AWS emulator), the npm workspace
# (which brings its own Node 24 through the npm package `node`), built, and, when Go is installed,
# AWS's EC2 instance-metadata mock.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
/usr/bin/aws --version 2>/dev/null | grep -q 'aws-cli/2\.' || need_apt+=(awscli)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v tmux >/dev/null || need_apt+=(tmux) # the picker's real-terminal tests
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
# The completion tests drive real shells; the old-Node test runs the bin on Debian's older Node.
for shell in zsh fish; do command -v "$shell" >/dev/null || need_apt+=("$shell"); done
[ -f /usr/share/bash-completion/bash_completion ] || need_apt+=(bash-completion)
[ -x /usr/bin/node ] || need_apt+=(nodejs)
# The keychain tests start their own session bus and GNOME Keyring (tools/src/keyring); secret-tool
# reads what anwbis stored, gdbus waits for the keyring to be ready.
command -v dbus-daemon >/dev/null || need_apt+=(dbus)
command -v gnome-keyring-daemon >/dev/null || need_apt+=(gnome-keyring)
command -v gdbus >/dev/null || need_apt+=(libglib2.0-bin)
command -v secret-tool >/dev/null || need_apt+=(libsecret-tools)
# The daemon's socket-activation test runs it under systemd-socket-activate.
command -v systemd-socket-activate >/dev/null || need_apt+=(systemd)
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
# npm ci installs exactly the lockfile. A registry mirror that lacks other platforms' optional
# binaries (@swc/core-darwin-arm64, …) yields a lockfile without them, which npm ci then calls
# out of sync; npm install with the same lockfile installs the same versions.
ci_log=$(mktemp)
if ! npm ci --no-audit --no-fund --loglevel=error >"$ci_log" 2>&1; then
  if grep -q 'Missing: .* from lock file' "$ci_log"; then
    echo "setup: npm ci refused the lockfile (optional packages of other platforms missing); using npm install"
    npm install --no-audit --no-fund --no-save --loglevel=error
  else
    cat "$ci_log" >&2
    rm -f "$ci_log"
    exit 1
  fi
fi
rm -f "$ci_log"

# `npx anwbis` runs the built CLI (packages/cli/dist): build it, so the checkout is usable as is.
echo "setup: building"
build_log=$(mktemp)
if ! npm run build >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  exit 1
fi
rm -f "$build_log"

# AWS's EC2 instance-metadata mock (IMDSv1/v2), for the --from_ec2_role tests (tools/src/imds).
AEMM_MODULE='github.com/aws/amazon-ec2-metadata-mock/cmd/ec2-metadata-mock@v1.13.0'
go_bin="$(command -v go || true)"
[ -n "$go_bin" ] || [ ! -x /usr/local/go/bin/go ] || go_bin=/usr/local/go/bin/go
if [ ! -x tools/.bin/ec2-metadata-mock ]; then
  if [ -n "$go_bin" ]; then
    echo "setup: installing ec2-metadata-mock (go install $AEMM_MODULE)"
    GOBIN="$PWD/tools/.bin" "$go_bin" install "$AEMM_MODULE"
  else
    echo "setup: Go not found; skipping ec2-metadata-mock (the instance-metadata tests need it: GOBIN=\"\$PWD/tools/.bin\" go install $AEMM_MODULE)" >&2
  fi
fi
