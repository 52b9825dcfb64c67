#!/usr/bin/env bash
# Runs every fuzzer in BUILD_DIR for SECONDS each from its committed seed corpus
# (tests/fuzz/corpus/<name without _fuzz>/), JOBS at a time (default: the number of cores; each
# fuzzer is one process on one core). New inputs go to a scratch corpus, not the repo.
# Usage: run_all.sh BUILD_DIR [SECONDS] [JOBS]
set -euo pipefail
build="$1"; seconds="${2:-30}"; jobs="${3:-$(nproc)}"
here="$(cd "$(dirname "$0")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# One fuzzer; its report goes to $scratch/<name>.out, its exit status to $scratch/<name>.rc.
run_one() {
  local bin="$1" name seeds work
  name="$(basename "$bin" _fuzz)"
  seeds="$here/corpus/$name"
  work="$scratch/$name.corpus"
  mkdir -p "$work"
  {
    echo "fuzz: $name for ${seconds}s (seeds: $(ls "$seeds" | wc -l))"
    if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
         -print_final_stats=1 "$work" "$seeds" > "$scratch/$name.log" 2>&1; then
      echo "fuzz: $name FAILED"; tail -60 "$scratch/$name.log"; echo 1 > "$scratch/$name.rc"
    else
      grep -E "^stat::number_of_executed_units|^Done" "$scratch/$name.log" | sed "s/^/fuzz: $name: /"
      echo 0 > "$scratch/$name.rc"
    fi
  } > "$scratch/$name.out"
  rm -rf "$work"
}

running=0
for bin in "$build"/tests/fuzz/*_fuzz; do
  if (( running >= jobs )); then wait -n || true; running=$((running - 1)); fi
  run_one "$bin" &
  running=$((running + 1))
done
wait

# Every report, then the failed ones again at the very end: a CI log is often read from its tail.
failed=()
for bin in "$build"/tests/fuzz/*_fuzz; do
  name="$(basename "$bin" _fuzz)"
  cat "$scratch/$name.out"
  [ "$(cat "$scratch/$name.rc" 2>/dev/null || echo 1)" = 0 ] || failed+=("$name")
done
for name in "${failed[@]}"; do
  echo "===== fuzz: $name FAILED; its report again:"
  cat "$scratch/$name.out" 2>/dev/null || echo "fuzz: $name left no report"
done
echo "fuzz: $(( $(ls "$build"/tests/fuzz/*_fuzz | wc -l) - ${#failed[@]} )) passed, ${#failed[@]} failed${failed:+ (${failed[*]})}"
[ ${#failed[@]} -eq 0 ]
