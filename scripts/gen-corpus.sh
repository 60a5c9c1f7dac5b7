#!/usr/bin/env bash
# Regenerates the gen-* seed files in fuzz/corpus/<target>/ from real messages: builds
# mdmlab_corpus_gen (GCC tree) and runs it. It starts the reference server in-process, drives
# a simulated Mac and our SCEP client through a recording proxy, and writes what crossed the
# wire (plus APNs requests and test-key PKIMessages built with the same code paths).
# Hand-written seeds (any name not starting with gen-) are left alone.
# Usage: scripts/gen-corpus.sh [BUILD_DIR]   (default build; JOBS=N to limit the build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
jobs=${JOBS:-$(nproc)}
export CCACHE_BASEDIR=$(pwd) CCACHE_NOHASHDIR=true
[ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs" --target mdmlab_corpus_gen
"$build"/fuzz/mdmlab_corpus_gen fuzz/corpus
echo "gen-corpus: $(find fuzz/corpus -name 'gen-*' | wc -l) generated files, $(du -sk fuzz/corpus | cut -f1) KiB in fuzz/corpus"
