#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time on a copy of its seed corpus (with its
# dictionary when there is one). Fails on the first crash, leak or timeout; prints a table of
# exec/s, coverage (edges) and corpus size, and writes it as JSON.
# Usage: scripts/fuzz-smoke.sh BUILD_DIR SECONDS [TARGET]
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-10}
only=${3:-}
out_dir=reports/fuzz
mkdir -p "$out_dir"
json="$out_dir/fuzz-smoke.json"
work=$(mktemp -d /tmp/mdmlab-fuzz.XXXXXX)
# OpenSSL's process-wide tables look like leaks at exit; real leaks in our code still fail.
export LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
trap 'rm -rf "$work"' EXIT
printf '%-26s %10s %8s %8s %8s\n' target exec/s edges corpus result
echo "[" >"$json"
first=1
status=0
for bin in "$build"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  corpus="$work/$name"; mkdir -p "$corpus"
  cp -r fuzz/corpus/"$name"/. "$corpus"/ 2>/dev/null || true
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/$name-")
  [ -f fuzz/dicts/"$name".dict ] && args+=(-dict=fuzz/dicts/"$name".dict)
  log="$work/$name.log"
  if "$bin" "${args[@]}" "$corpus" >"$log" 2>&1; then result=ok; else result=CRASH; status=1; fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  corpus_size=$(find "$corpus" -type f | wc -l)
  execs=$(( runs / seconds ))
  printf '%-26s %10s %8s %8s %8s\n' "$name" "$execs" "${edges:-0}" "$corpus_size" "$result"
  [ $first -eq 1 ] || echo "," >>"$json"
  first=0
  printf '  {"target": "%s", "seconds": %s, "runs": %s, "exec_per_second": %s, "edges": %s, "corpus": %s, "result": "%s"}' \
    "$name" "$seconds" "${runs:-0}" "$execs" "${edges:-0}" "$corpus_size" "$result" >>"$json"
  if [ "$result" != ok ]; then
    echo "---- $name output (tail) ----"; tail -40 "$log"
    mkdir -p fuzz/regressions/"$name"
    for a in "$work/$name"-*; do [ -f "$a" ] && cp "$a" fuzz/regressions/"$name"/ && echo "saved $(basename "$a") to fuzz/regressions/$name/"; done
  fi
done
echo "" >>"$json"; echo "]" >>"$json"
echo "fuzz-smoke: table written to $json"
exit $status
