#!/usr/bin/env bash
# The main job: the scenario suites (apple-smoke, enrollment security, the user channel, a
# fleet of Macs, enrollment profiles, ADE through the ABM simulator, OTA) against the embedded
# reference server, reports in demo-reports/<suite>/ (or
# $MDMLAB_REPORT_DIR): junit.xml, run.json, report.html (sequence diagrams), report.md. Then a SCEP interop tour: start
# `mdmlab serve`, enroll with our client and micromdm's scepclient, show a refused challenge,
# verify every certificate with OpenSSL, keep the server's metrics; and an ADE tour: the server
# syncs with `mdmlab simulate abm` and assigns its ADE profile to the organisation's Macs.
set -euo pipefail
build_dir=${1:-build}
cli="$build_dir/apps/mdmlab"
reports=${MDMLAB_REPORT_DIR:-demo-reports}
rm -rf "$reports"
mkdir -p "$reports/devices"
reports=$(cd "$reports" && pwd)
suite_rc=0
suites="apple-smoke apple-enrollment-security apple-user-channel apple-fleet apple-enrollment-profiles ade apple-ota apple-ddm windows-smoke"
for suite in $suites; do
  echo "== mdmlab run scenarios/suites/$suite.json"
  "$cli" --log-level warn run "scenarios/suites/$suite.json" --report-dir "$reports/$suite" || suite_rc=$?
  echo
done

work=$(mktemp -d /tmp/mdmlab-demo.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); dep_port=$(free_port); abm_control=$(free_port)
challenge="demo-$(openssl rand -hex 8)"
url="http://127.0.0.1:$port/scep"

# ABM first: it writes the server token the server then reads.
"$cli" simulate abm --listen "127.0.0.1:$dep_port" --control-listen "127.0.0.1:$abm_control" \
  --token-file "$work/dep-token.json" --devices 3 >"$reports/abm.log" 2>&1 &
abm=$!
for _ in $(seq 100); do [ -s "$work/dep-token.json" ] && break; sleep 0.1; done
"$cli" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --scep-challenge "$challenge" \
  --dep-url "http://127.0.0.1:$dep_port" --dep-token "$work/dep-token.json" \
  >"$reports/serve.log" 2>&1 &
server=$!
trap 'kill $server $abm 2>/dev/null || true; wait $server $abm 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

pass=0; fail=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@" >>"$reports/demo.log" 2>&1; then echo "  ok    $name"; pass=$((pass+1));
  else echo "  FAIL  $name"; fail=$((fail+1)); fi
}

echo "== SCEP interop tour: mdmlab serve at http://127.0.0.1:$port"
for i in 1 2 3; do
  check "mdmlab client enrolls mac-$i" "$cli" scep enroll --url "$url" --challenge "$challenge" \
    --subject "CN=mac-$i,O=mdmlab-demo" --key "$work/mac-$i.key" --cert-out "$reports/devices/mac-$i.pem"
  check "mac-$i certificate chains to the CA" openssl verify -CAfile "$work/data/ca.pem" "$reports/devices/mac-$i.pem"
done
check "legacy client (DES + SHA-1, GET) enrolls" "$cli" scep enroll --url "$url" --challenge "$challenge" \
  --subject "CN=legacy-1" --key "$work/legacy.key" --cert-out "$reports/devices/legacy-1.pem" --cipher DES-CBC --digest SHA1 --get
check "wrong challenge is refused (FAILURE badRequest)" bash -c \
  "! '$cli' scep enroll --url '$url' --challenge wrong --key '$work/bad.key' --cert-out '$work/bad.pem' | tee /dev/stderr | grep -q SUCCESS"
if command -v scepclient >/dev/null; then
  check "micromdm scepclient enrolls" bash -c "cd '$work' && scepclient -server-url='$url' -private-key sc.key \
    -certificate '$reports/devices/scepclient.pem' -challenge '$challenge' -cn scepclient-1"
  check "scepclient certificate chains to the CA" openssl verify -CAfile "$work/data/ca.pem" "$reports/devices/scepclient.pem"
fi
echo "== ADE tour: the server syncs with mdmlab simulate abm (3 Macs in the organisation)"
admin() { curl -sf -H "Authorization: Bearer $(cat "$work/data/admin-token")" "http://127.0.0.1:$port$1"; }
for _ in $(seq 100); do admin /admin/v1/apple/dep | grep -q '"assigned":3' && break; sleep 0.1; done
check "the server defined its ADE profile and assigned it to the 3 Macs" bash -c \
  "curl -sf -H 'Authorization: Bearer $(cat "$work/data/admin-token")' http://127.0.0.1:$port/admin/v1/apple/dep | tee -a '$reports/dep-status.json' | grep -q '\"assigned\":3'"
check "ABM shows the server's profile on every Mac" bash -c \
  "curl -sf http://127.0.0.1:$abm_control/control/v1/devices | python3 -c 'import json,sys; d=json.load(sys.stdin)[\"devices\"]; sys.exit(not (len(d)==3 and all(x.get(\"profile_status\")==\"assigned\" for x in d)))'"
admin /admin/v1/apple/dep/devices >"$reports/dep-devices.json" || true
curl -sf "http://127.0.0.1:$port/metrics" >"$reports/metrics.txt"
if command -v promtool >/dev/null; then check "promtool accepts /metrics" bash -c "promtool check metrics < '$reports/metrics.txt'"; fi
cp "$work/data/ca.pem" "$reports/ca.pem"
{
  echo "mdmlab demo $(date -u +%FT%TZ): $pass passed, $fail failed"
  grep -E '^mdmlab_(scep_requests|dep_requests)_total' "$reports/metrics.txt"
} >"$reports/summary.txt"
echo
grep -E '^mdmlab_(scep_requests|dep_requests)_total' "$reports/metrics.txt" | sed 's/^/  /'
echo
echo "$pass passed, $fail failed"
echo "reports: $reports (<suite>/report.html, report.md, junit.xml, run.json for $suites; summary.txt, metrics.txt, dep-devices.json, devices/*.pem)"
[ "$fail" -eq 0 ] && [ "$suite_rc" -eq 0 ]
