#!/usr/bin/env bash
# Live-push benchmarks of issue 3 (see bench/README.md, "Live push"): ping → WebSocket latency under
# background ingest, and fan-out to many idle WebSocket subscribers (memory per connection, one update to all).
# Starts its own lastmile on a fresh SQLite database; drives it with bench/ws_load (built with the project).
#
#   LASTMILE_BIN=build/lastmile bash bench/live.sh        (bench/run.sh calls it at the end: `make bench`)
#
# Knobs (environment): BENCH_THREADS (server threads, default 2), BENCH_LIVE_SUBSCRIBERS (default 50000;
# capped by the open-file limit, see below), BENCH_LIVE_SAMPLES (default 1000), BENCH_LIVE_BACKGROUND
# (background points/s during the latency samples, default 20000), BENCH_LIVE_IDLE (seconds the subscribers
# stay idle before the memory reading, default 5), BENCH_STRICT=1 (exit 1 when a goal is not met),
# LASTMILE_WS_LOAD (default: the target ws_load of the binary's build folder, built here when out of date).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT_DIR=$(pwd)
BIN=${LASTMILE_BIN:-build/lastmile}
[[ $BIN = /* ]] || BIN="$ROOT_DIR/$BIN"
WS_LOAD=${LASTMILE_WS_LOAD:-}
THREADS=${BENCH_THREADS:-2}
SUBSCRIBERS=${BENCH_LIVE_SUBSCRIBERS:-50000}
SAMPLES=${BENCH_LIVE_SAMPLES:-1000}
BACKGROUND=${BENCH_LIVE_BACKGROUND:-20000}
IDLE=${BENCH_LIVE_IDLE:-5}
BG_DRIVERS=64
LATENCY_GOAL_MS=20       # p99, HTTP acknowledgement of the fix → its position message (issue 3)
MEMORY_GOAL_BYTES=4096   # server RSS per idle subscriber
BROADCAST_GOAL_MS=1000   # one update to every subscriber

die() { echo "bench live: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "no lastmile binary at $BIN (run \`make build\` or set LASTMILE_BIN)"
if [[ -z $WS_LOAD ]]; then  # the target ws_load (bench/CMakeLists.txt) of the binary's build folder, up to date
  BUILD_DIR=$(dirname "$BIN")
  [[ -f $BUILD_DIR/CMakeCache.txt ]] || die "$BUILD_DIR is no CMake build folder: set LASTMILE_WS_LOAD"
  cmake --build "$BUILD_DIR" --target ws_load >/dev/null || die "cannot build ws_load (cmake --build $BUILD_DIR --target ws_load)"
  WS_LOAD=$BUILD_DIR/bench/ws_load
fi
[[ -x $WS_LOAD ]] || die "no ws_load at $WS_LOAD"
command -v curl >/dev/null || die "curl is not installed"

# Open files: every subscriber is a socket in the server and one in ws_load (both inherit this limit).
# The hard limit can only be raised with CAP_SYS_RESOURCE; without it, the subscriber count is capped below.
WANT_FDS=$(( SUBSCRIBERS + 4096 ))
if (( $(ulimit -Hn) < WANT_FDS )); then ulimit -Hn "$WANT_FDS" 2>/dev/null || true; fi
HARD_FDS=$(ulimit -Hn)
ulimit -n $(( HARD_FDS < WANT_FDS ? HARD_FDS : WANT_FDS ))
FD_LIMIT=$(ulimit -n)

TMP=$(mktemp -d /tmp/lastmile-bench-live.XXXXXX)
SERVER_PID="" LOAD_PID=""
cleanup() {
  local code=$?
  [[ -n $LOAD_PID ]] && kill "$LOAD_PID" 2>/dev/null && wait "$LOAD_PID" 2>/dev/null || true
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [[ $code -ne 0 && -f $TMP/lastmile.log ]]; then
    echo "--- last lines of the lastmile log (live) ---" >&2; tail -n 20 "$TMP/lastmile.log" >&2
  fi
  rm -rf "$TMP"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
kv() { awk -v k="$1" 'index($0, k "=") == 1 { print substr($0, length(k) + 2) }' "$2"; }
metric() { curl -sf "$API/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }

# run_load OUTFILE ws_load-args...: ws_load in the background (so Ctrl-C reaches the trap), its key=value
# lines in OUTFILE; returns ws_load's exit code.
run_load() {
  local out=$1; shift
  "$WS_LOAD" "$@" >"$out" 2>"$out.err" &
  LOAD_PID=$!
  local code=0
  wait "$LOAD_PID" || code=$?
  LOAD_PID=""
  return $code
}

# ---- lastmile on a fresh SQLite database -----------------------------------------------------------------
PORT=$(free_port)
API="http://127.0.0.1:$PORT"
ROOT_TOKEN="bench-root-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
LASTMILE_ADMIN_TOKEN=$ROOT_TOKEN "$BIN" serve --db "sqlite:$TMP/live.db" --http "127.0.0.1:$PORT" \
  --threads "$THREADS" --osmand off --log-level warn --rate-limit-key 0 --rate-limit-ip 0 \
  --max-connections 10000000 >"$TMP/lastmile.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
  curl -sf -o /dev/null "$API/healthz" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/lastmile.log" >&2; die "lastmile exited during start-up"; }
  sleep 0.1
done
curl -sf -o /dev/null "$API/healthz" || die "lastmile did not answer $API/healthz within 20 s"

J='Content-Type: application/json'
ADMIN=$(curl -sf "$API/v1/tenants" -H "Authorization: Bearer $ROOT_TOKEN" -H "$J" \
  -d '{"name":"Bench Live","brand_color":"#0a7d5a"}' | json_field api_key) || die "cannot create a tenant"
DISPATCHER=$(curl -sf "$API/v1/api-keys" -H "Authorization: Bearer $ADMIN" -H "$J" \
  -d '{"role":"dispatcher","name":"bench live desk"}' | json_field api_key) || die "cannot create a dispatcher key"
# Drivers, "<device token> <id>" a line: the probe, the broadcaster, then the background ones.
API=$API KEY=$DISPATCHER N=$(( BG_DRIVERS + 2 )) python3 - >"$TMP/drivers.txt" <<'PY' || die "cannot create the drivers"
import json, os, urllib.request
for i in range(int(os.environ["N"])):
    req = urllib.request.Request(os.environ["API"] + "/v1/drivers", json.dumps({"name": f"Live Driver {i + 1}"}).encode(),
                                 {"Authorization": "Bearer " + os.environ["KEY"], "Content-Type": "application/json"})
    d = json.load(urllib.request.urlopen(req, timeout=30))
    print(d["device_token"], d["id"])
PY
read -r PROBE_TOKEN PROBE_ID < <(sed -n 1p "$TMP/drivers.txt")
read -r CAST_TOKEN CAST_ID < <(sed -n 2p "$TMP/drivers.txt")
tail -n +3 "$TMP/drivers.txt" | cut -d' ' -f1 >"$TMP/bg-tokens.txt"

# ---- 1. ping → WebSocket latency under background ingest --------------------------------------------------
run_load "$TMP/latency.txt" latency --port "$PORT" --dispatcher "$DISPATCHER" --driver-token "$PROBE_TOKEN" \
  --driver-id "$PROBE_ID" --bg-tokens "$TMP/bg-tokens.txt" --bg-rate "$BACKGROUND" --bg-connections 8 \
  --samples "$SAMPLES" --max-seconds 120 \
  || { cat "$TMP/latency.txt" "$TMP/latency.txt.err" >&2; die "the latency run failed"; }
L=$TMP/latency.txt

# ---- 2. fan-out ------------------------------------------------------------------------------------------
# As many subscribers as the open-file limit leaves room for, beside the server's own descriptors.
SERVER_FDS=$(ls "/proc/$SERVER_PID/fd" | wc -l)
N=$SUBSCRIBERS CAPPED=""
if (( N > FD_LIMIT - SERVER_FDS - 100 )); then
  N=$(( FD_LIMIT - SERVER_FDS - 100 ))
  CAPPED="capped from $SUBSCRIBERS by the open-file limit $FD_LIMIT (ulimit -Hn $HARD_FDS; raising it needs CAP_SYS_RESOURCE)"
fi
(( N > 0 )) || die "no room for any subscriber under the open-file limit $FD_LIMIT"

run_load "$TMP/shipments.txt" shipments --port "$PORT" --key "$DISPATCHER" --count "$N" --concurrency 64 \
  --out "$TMP/tokens.txt" --max-seconds 300 --run "$$" \
  || { cat "$TMP/shipments.txt" "$TMP/shipments.txt.err" >&2; die "cannot create $N shipments"; }

# 2a. customers, one shipment each (?token=): memory per idle connection.
sleep 1
code=0
run_load "$TMP/customers.txt" fanout --port "$PORT" --count "$N" --tokens "$TMP/tokens.txt" --server-pid "$SERVER_PID" \
  --threads 2 --parallel 256 --idle-seconds "$IDLE" --max-seconds 240 || code=$?
C=$TMP/customers.txt
(( code == 0 || code == 2 )) || { cat "$C" "$C.err" >&2; die "the customer fan-out run failed"; }

# The server lets go of the customers' sessions before the next run.
for _ in $(seq 1 600); do
  [[ $(metric 'lastmile_live_sessions{transport="websocket"}') == 0 ]] && break
  sleep 0.1
done

# 2b. dispatchers, tenant-wide (?access_token=): one position reaches every one of them.
code=0
run_load "$TMP/dispatchers.txt" fanout --port "$PORT" --count "$N" --access-token "$DISPATCHER" \
  --server-pid "$SERVER_PID" --threads 2 --parallel 256 --idle-seconds "$IDLE" --max-seconds 240 \
  --broadcast-token "$CAST_TOKEN" --broadcast-driver-id "$CAST_ID" --broadcast-timeout 30 || code=$?
D=$TMP/dispatchers.txt
(( code == 0 || code == 2 )) || { cat "$D" "$D.err" >&2; die "the dispatcher fan-out run failed"; }

# ---- report ----------------------------------------------------------------------------------------------
goal() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN { ok = (op == "<") ? (v < g) : (v <= g); print ok ? "met" : "NOT met" }'; }
LAT_P50=$(kv latency_p50_ms "$L") LAT_P99=$(kv latency_p99_ms "$L")
LAT_MET=$(goal "$LAT_P99" "<" "$LATENCY_GOAL_MS")
# A fix whose position never came, or a refused background batch, voids the figure.
(( $(kv latency_timeouts "$L") == 0 && $(kv latency_errors "$L") == 0 && $(kv bg_non200 "$L") == 0 )) \
  || LAT_MET="NOT met"
BYTES=$(kv bytes_per_connection "$C")
CUSTOMERS=$(kv fanout_ready "$C")
MEM_MET=$(goal "${BYTES:-999999999}" "<=" "$MEMORY_GOAL_BYTES")
CAST_ROUNDS=$(kv broadcast_rounds "$D") CAST_COMPLETE=$(kv broadcast_complete_rounds "$D")
CAST_EXPECTED=$(kv broadcast_expected "$D")
CAST_MS=$(kv broadcast_last_ms "$D")                         # median over the rounds, from the ack
CAST_WORST=$(kv broadcast_last_from_send_max_ms "$D")        # worst round, from the request being sent
CAST_MET=$(goal "${CAST_WORST:-999999}" "<" "$BROADCAST_GOAL_MS")
[[ -n $CAST_ROUNDS && $CAST_COMPLETE == "$CAST_ROUNDS" && $CAST_EXPECTED == "$N" ]] || CAST_MET="NOT met"
[[ $CUSTOMERS == "$N" ]] || MEM_MET="NOT met"

echo
printf 'live latency: p50 %.2f ms, p99 %.2f ms (%d samples, background %.0f points/s)   (goal p99 < %s ms: %s)\n' \
  "$LAT_P50" "$LAT_P99" "$(kv latency_samples "$L")" "$(kv bg_points_per_s "$L")" "$LATENCY_GOAL_MS" "$LAT_MET"
printf '  ack → position of the same fix on a dispatcher WebSocket; max %.2f ms; %d of the positions arrived before the ack (counted 0); from the request: p50 %.2f, p99 %.2f ms; %d never arrived, %d pings failed; background: %.0f batches/s of 100, %d refused\n' \
  "$(kv latency_max_ms "$L")" "$(kv latency_before_ack "$L")" "$(kv latency_from_send_p50_ms "$L")" \
  "$(kv latency_from_send_p99_ms "$L")" "$(kv latency_timeouts "$L")" "$(kv latency_errors "$L")" \
  "$(kv bg_requests_per_s "$L")" "$(( $(kv bg_non200 "$L") + $(kv bg_errors "$L") ))"
printf 'live fan-out: %d subscribers, %s bytes/idle connection, broadcast to all in %.1f ms   (goals <= %s bytes: %s; < %s ms: %s)\n' \
  "$N" "${BYTES:-?}" "${CAST_MS:-0}" "$MEMORY_GOAL_BYTES" "$MEM_MET" "$BROADCAST_GOAL_MS" "$CAST_MET"
printf '  memory: %d customer WebSockets (?token=, one shipment each) opened in %.1f s, idle %s s (%s other messages); server VmRSS %s → %s KiB; the second half alone: %s bytes/connection\n' \
  "$CUSTOMERS" "$(kv fanout_open_seconds "$C")" "$IDLE" "$(kv fanout_idle_messages "$C")" "$(kv rss_before_kib "$C")" \
  "$(kv rss_after_kib "$C")" "$(kv bytes_per_connection_marginal "$C")"
printf '  broadcast: %s rounds of one position to %s tenant-wide dispatcher WebSockets (%s of %s rounds reached all); ack → last subscriber: median %.1f ms, max %.1f ms; request sent → last: median %.1f ms, max %.1f ms (the ack took %.1f ms, ack → first %.1f ms)\n' \
  "${CAST_ROUNDS:-0}" "$(kv fanout_ready "$D")" "${CAST_COMPLETE:-0}" "${CAST_ROUNDS:-0}" "${CAST_MS:-0}" \
  "$(kv broadcast_last_max_ms "$D")" "$(kv broadcast_last_from_send_ms "$D")" "${CAST_WORST:-0}" \
  "$(kv broadcast_ack_ms "$D")" "$(kv broadcast_first_ms "$D")"
[[ -z $CAPPED ]] || echo "  subscribers $CAPPED"
for f in "$C" "$D"; do
  err=$(kv fanout_first_error "$f")
  [[ -z $err ]] || echo "  $(basename "$f" .txt): $(kv fanout_failed "$f") connections failed, first: $err"
done

if [[ ${BENCH_STRICT:-0} = 1 && ( $LAT_MET != met || $MEM_MET != met || $CAST_MET != met ) ]]; then
  exit 1
fi
