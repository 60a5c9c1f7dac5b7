#!/usr/bin/env bash
# Installs every Debian 12 package mdmlab's build, tests and peers need.
# Idempotent: packages already present are skipped; daemons are kept from auto-starting
# (prometheus, certmonger would otherwise start and hold ports during install).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang-14 libclang-rt-14-dev lld-14 clang-format
  # libraries
  libboost1.81-dev libboost-test1.81-dev libboost-url1.81-dev libssl-dev openssl
  nlohmann-json3-dev libpugixml-dev libnghttp2-dev libsqlite3-dev sqlite3 libpq-dev
  libmosquitto-dev libcli11-dev libcpp-jwt-dev liboauth-dev libfmt-dev
  # third-party peers used by tests
  scep certmonger prometheus nghttp2-client python3 procps curl dbus-daemon
  # the scenario schema checked by jsonschema; report.html opened in headless Chromium
  python3-jsonschema chromium
  # the ABM simulator's independent DEP client signs with oauthlib
  python3-oauthlib
  # sealed secrets (AES-256-GCM) opened by pyca/cryptography
  python3-cryptography
  # the Entra simulator's tokens, fetched by Microsoft's MSAL and checked by PyJWT
  python3-msal python3-jwt python3-requests
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
# Keep Debian from starting daemons while installing.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/mdmlab-apt.log 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/mdmlab-apt.log 2>&1 || {
    tail -30 /tmp/mdmlab-apt.log; exit 1; }
fi
# A service a package started anyway (policy-rc.d missing or ignored) must not hold our
# ports: stop it with its own init script, never by killing processes by name.
for svc in prometheus certmonger prometheus-node-exporter; do
  if [ -x "/etc/init.d/$svc" ] && $SUDO "/etc/init.d/$svc" status >/dev/null 2>&1; then
    $SUDO "/etc/init.d/$svc" stop >/dev/null 2>&1 || echo "setup: could not stop $svc" >&2
  fi
done
echo "setup: done"
