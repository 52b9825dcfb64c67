#!/usr/bin/env bash
# Runs every fuzzer in BUILD_DIR for SECONDS each from its committed seed corpus
# (tests/fuzz/corpus/<name without _fuzz>/). New inputs go to a scratch corpus, not the repo.
set -euo pipefail
build="$1"; seconds="${2:-30}"
here="$(cd "$(dirname "$0")" && pwd)"
status=0
for bin in "$build"/tests/fuzz/*_fuzz; do
  name="$(basename "$bin" _fuzz)"
  seeds="$here/corpus/$name"
  work="$(mktemp -d)"
  echo "fuzz: $name for ${seconds}s (seeds: $(ls "$seeds" | wc -l))"
  if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 "$work" "$seeds" > "$work.log" 2>&1; then
    echo "fuzz: $name FAILED"; tail -60 "$work.log"; status=1
  else
    grep -E "^stat::number_of_executed_units|^Done" "$work.log" | sed "s/^/fuzz: $name: /"
  fi
  rm -rf "$work" "$work.log"
done
exit $status
