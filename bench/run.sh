#!/usr/bin/env bash
# Load benchmark of the real lastmile server against nginx serving the same bytes (see bench/README.md).
#
#   LASTMILE_BIN=build/lastmile bash bench/run.sh      (what `make bench` runs after a Release build)
#
# Knobs (environment): BENCH_THREADS (wrk threads, server threads, nginx workers; default 2),
# BENCH_CONNECTIONS (default 32), BENCH_INGEST_CONNECTIONS (the POST /v1/pings cases, nginx's and lastmile's
# alike, default 128: devices each hold a connection, and a durable reply keeps its request in flight
# for one fsync), BENCH_DURATION (seconds per case, default 10), BENCH_WARMUP (default 2),
# BENCH_STRICT=1 (exit 1 when a goal is not met), BENCH_LIVE=0 (skip the live-push part, bench/live.sh),
# BENCH_MAP=0 (skip the road-network part, bench/map_bench), BENCH_ETA_REAL=0 (skip the ETA-on-real-histories
# part, bench/eta_real_bench), BENCH_ETA_SIM=0 (skip the ETA-on-simulated-Monaco-drives part, bench/eta_sim_bench),
# BENCH_SIM=0 (skip the simulated-devices part, `lastmile simulate --rate`; its knobs BENCH_SIM_* are listed there).
# BENCH_ANALYTICS=0 (skip the analytics part, bench/analytics.sh).
# BENCH_CLUSTER=0 (skip the scale-out part, bench/cluster.sh: CPU per ping SQLite vs PostgreSQL, 1 vs 2 nodes).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT_DIR=$(pwd)
BIN=${LASTMILE_BIN:-build/lastmile}
[[ $BIN = /* ]] || BIN="$ROOT_DIR/$BIN"
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
GOAL=0.5
INGEST_BATCH_GOAL=500000  # points/s in batches of 100 (issue 3)
INGEST_SINGLE_GOAL=0.5    # single-point requests/s, lastmile / nginx
INGEST_CONNECTIONS=${BENCH_INGEST_CONNECTIONS:-128}
INGEST_DRIVERS=$(( INGEST_CONNECTIONS > 64 ? INGEST_CONNECTIONS : 64 ))  # one driver per connection

die() { echo "bench: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "no lastmile binary at $BIN (run \`make build\` or set LASTMILE_BIN)"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v curl >/dev/null || die "curl is not installed"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NGINX ]] || die "nginx is not installed (apt-get install nginx-light)"

TMP=$(mktemp -d /tmp/lastmile-bench.XXXXXX)
SERVER_PID="" NGINX_PID="" WRK_PID="" COLD_PID=""
cleanup() {
  local code=$?
  [[ -n $WRK_PID ]] && kill "$WRK_PID" 2>/dev/null && wait "$WRK_PID" 2>/dev/null || true
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [[ -n $COLD_PID ]] && kill "$COLD_PID" 2>/dev/null && wait "$COLD_PID" 2>/dev/null || true
  [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  if [[ $code -ne 0 && -f $TMP/lastmile.log ]]; then
    echo "--- last lines of the lastmile log ---" >&2; tail -n 20 "$TMP/lastmile.log" >&2
  fi
  rm -rf "$TMP"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

wait_http() {  # URL PID NAME LOG
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { cat "$4" >&2 || true; die "$3 exited during start-up"; }
    sleep 0.1
  done
  cat "$4" >&2 || true
  die "$3 did not answer $1 within 20 s"
}

# ---- lastmile on a fresh SQLite database ---------------------------------------------------------------
LM_PORT=$(free_port)
API="http://127.0.0.1:$LM_PORT"
ROOT_TOKEN="bench-root-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
# The load comes from one address and a few keys at far more than the default rate limits: they are
# off here (the benchmark measures the server, not its limits).
NO_RATE_LIMITS="--rate-limit-key 0 --rate-limit-ip 0"
LASTMILE_ADMIN_TOKEN=$ROOT_TOKEN "$BIN" serve --db "sqlite:$TMP/bench.db" --http "127.0.0.1:$LM_PORT" \
  --threads "$THREADS" --osmand off --log-level warn $NO_RATE_LIMITS >"$TMP/lastmile.log" 2>&1 &
SERVER_PID=$!
wait_http "$API/healthz" "$SERVER_PID" lastmile "$TMP/lastmile.log"

J='Content-Type: application/json'
KEY=$(curl -sf "$API/v1/tenants" -H "Authorization: Bearer $ROOT_TOKEN" -H "$J" \
  -d '{"name":"Bench Shop","brand_color":"#0a7d5a"}' | json_field api_key) || die "cannot create a tenant"
SHIPMENT_JSON=$(curl -sf "$API/v1/shipments" -H "Authorization: Bearer $KEY" -H "$J" -d '{
  "external_order_id":"BENCH-1",
  "recipient":{"name":"Marie Dupont","phone":"+33612345678","email":"marie@example.com"},
  "address":{"line1":"12 Avenue de la Costa","city":"Monaco","postal_code":"98000","country":"MC","lat":43.7384,"lon":7.4246},
  "promised":{"start":"2026-11-23T09:00:00Z","end":"2026-11-23T12:00:00Z"},
  "parcels":[{"barcode":"PKG-1","weight_kg":1.2}]}') || die "cannot create a shipment"
SID=$(json_field id <<<"$SHIPMENT_JSON")
TOKEN=$(json_field tracking_token <<<"$SHIPMENT_JSON")
for m in processed shipped; do
  curl -sf -o /dev/null "$API/v1/shipments/$SID/events" -H "Authorization: Bearer $KEY" -H "$J" -d "{\"type\":\"$m\"}" \
    || die "cannot post the $m event"
done
TRACK_PATH="/v1/track/$TOKEN"

# Drivers for the ingest cases, one device token per line (bench/pings.lua spreads them over wrk's threads).
API=$API KEY=$KEY N=$INGEST_DRIVERS python3 - >"$TMP/drivers.txt" <<'PY' || die "cannot create the drivers"
import json, os, urllib.request
for i in range(int(os.environ["N"])):
    req = urllib.request.Request(os.environ["API"] + "/v1/drivers", json.dumps({"name": f"Bench Driver {i + 1}"}).encode(),
                                 {"Authorization": "Bearer " + os.environ["KEY"], "Content-Type": "application/json"})
    print(json.load(urllib.request.urlopen(req, timeout=30))["device_token"])
PY

# ---- nginx serving the same body at the same path ----------------------------------------------------
mkdir -p "$TMP/www/v1/track" "$TMP/nginx"
curl -sf "$API$TRACK_PATH" -o "$TMP/www$TRACK_PATH" || die "cannot fetch the tracking view"
chmod 755 "$TMP" "$TMP/www" "$TMP/www/v1" "$TMP/www/v1/track"
chmod 644 "$TMP/www$TRACK_PATH"
NG_PORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes $THREADS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  types { }
  default_type application/json;
  # POST /v1/pings: the body is read and dropped, the answer is lastmile's when every point is stored
  # (a body under 1000 bytes is bench/pings_single.lua's one point, the others pings_batch.lua's 100).
  map \$content_length \$pings_reply {
    "~^[0-9]{1,3}\$" '{"received":1,"accepted":1,"late":0,"duplicates":0,"stored":1,"rejected":[]}';
    default '{"received":100,"accepted":100,"late":0,"duplicates":0,"stored":100,"rejected":[]}';
  }
  server {
    listen 127.0.0.1:$NG_PORT;
    root $TMP/www;
    location / { add_header Cache-Control no-store; }
    location = /v1/pings { return 200 \$pings_reply; }
  }
}
EOF
"$NGINX" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
wait_http "http://127.0.0.1:$NG_PORT$TRACK_PATH" "$NGINX_PID" nginx "$TMP/nginx/error.log"
cmp -s <(curl -sf "http://127.0.0.1:$NG_PORT$TRACK_PATH") <(curl -sf "$API$TRACK_PATH") \
  || die "nginx and lastmile do not answer the same body"
BODY_BYTES=$(wc -c <"$TMP/www$TRACK_PATH")

# ---- load -------------------------------------------------------------------------------------------------
# run_case NAME OUTFILE wrk-args... ; prints nothing, leaves wrk's output in OUTFILE
# wrk runs in the background and is waited for, so that Ctrl-C / SIGTERM reach the trap at once.
run_wrk() {  # OUTFILE wrk-args...
  local out=$1; shift
  wrk "$@" >"$out" 2>&1 &
  WRK_PID=$!
  local code=0
  wait "$WRK_PID" || code=$?
  WRK_PID=""
  return $code
}
run_case() {
  local out=$1; shift
  run_wrk "$out" -t"$THREADS" -c"${WRK_CONNECTIONS:-$CONNECTIONS}" -d"${DURATION}s" --timeout 5s --latency "$@" \
    || { cat "$out" >&2; die "wrk failed"; }
}
warm() { run_wrk "${WARM_OUT:-/dev/null}" -t"$THREADS" -c"${WRK_CONNECTIONS:-$CONNECTIONS}" -d"${WARMUP}s" "$@" || true; }
# A second server on the same database with the tracking view cache off: the cold path (every
# request reads SQLite and renders JSON), reported next to the cached one.
COLD_PORT=$(free_port)
COLD_API="http://127.0.0.1:$COLD_PORT"
"$BIN" serve --db "sqlite:$TMP/bench.db" --http "127.0.0.1:$COLD_PORT" --threads "$THREADS" --osmand off --log-level warn \
  --track-cache-ttl-ms 0 $NO_RATE_LIMITS >"$TMP/lastmile-cold.log" 2>&1 &
COLD_PID=$!
wait_http "$COLD_API/healthz" "$COLD_PID" "lastmile (cache off)" "$TMP/lastmile-cold.log"

rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99_ms() {
  awk '$1=="99%" { v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
                   f = (u=="us") ? 0.001 : (u=="ms") ? 1 : (u=="s") ? 1000 : (u=="m") ? 60000 : 1;
                   printf "%.2f", v*f }' "$1"
}
bad() {  # non-2xx/3xx responses plus socket errors
  awk '/Non-2xx or 3xx responses:/ {n+=$NF} /Socket errors:/ {gsub(",", ""); n+=$4+$6+$8+$10} END {print n+0}' "$1"
}

echo "lastmile bench: $THREADS wrk threads, $CONNECTIONS connections ($INGEST_CONNECTIONS for the ingest cases), ${DURATION}s per case;" \
     "server --threads $THREADS, nginx worker_processes $THREADS; tracking body $BODY_BYTES bytes"

warm "http://127.0.0.1:$NG_PORT$TRACK_PATH"
run_case "$TMP/nginx.txt" "http://127.0.0.1:$NG_PORT$TRACK_PATH"
warm "$API$TRACK_PATH"
run_case "$TMP/track.txt" "$API$TRACK_PATH"
run_case "$TMP/healthz.txt" "$API/healthz"
warm "$COLD_API$TRACK_PATH"
run_case "$TMP/track-cold.txt" "$COLD_API$TRACK_PATH"
kill "$COLD_PID" 2>/dev/null; wait "$COLD_PID" 2>/dev/null || true
LASTMILE_KEY=$KEY BENCH_RUN_ID="$$-$RANDOM" run_case "$TMP/post.txt" -s "$ROOT_DIR/bench/post_shipment.lua" "$API/v1/shipments"

POSTS=$(awk '/requests in/ {print $1}' "$TMP/post.txt")
curl -sf -o /dev/null "$API/readyz" || die "lastmile is not ready after the load"
STORED=$(API=$API KEY=$KEY python3 - <<'PY'
import json, os, urllib.request
n, cursor = 0, None
while True:
    url = os.environ["API"] + "/v1/shipments?limit=500" + (f"&cursor={cursor}" if cursor else "")
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + os.environ["KEY"]})
    page = json.load(urllib.request.urlopen(req, timeout=30))
    n += len(page["items"])
    cursor = page["next_cursor"]
    if not cursor:
        break
print(n - 1)  # minus the shipment of the tracking cases
PY
) || STORED="?"

# ---- ingest: POST /v1/pings (durable), and nginx answering the same request -----------------------------
# bench/pings.lua reads every reply and ends wrk's output with a line
#   pings: responses=… non200=… points=… stored=… accepted=… late=… duplicates=… rejected=… max_t=…
pings() { awk -v k="$2" '/^pings:/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"; }
export BENCH_PINGS_TOKENS="$TMP/drivers.txt" BENCH_PINGS_THREADS=$THREADS
PINGS_T0=0     # each lastmile run starts after the previous one's last fix, so every driver's track moves on
ACKED=0        # points the replies say were stored, warm-ups included
after_lastmile() {  # OUTFILE of a lastmile run: carries its last fix time and stored count on
  [[ -n $(pings "$1" max_t) ]] || { cat "$1" >&2; die "no pings: line in $1 (bench/pings.lua)"; }
  PINGS_T0=$(( $(pings "$1" max_t) + 1 ))
  ACKED=$(( ACKED + $(pings "$1" stored) ))
}
pings_case() {  # NAME SCRIPT: warm-up + run against nginx, then lastmile; leaves $TMP/NAME-{nginx,lastmile}.txt
  local name=$1 script="$ROOT_DIR/bench/$2"
  warm -s "$script" "http://127.0.0.1:$NG_PORT/v1/pings"
  run_case "$TMP/$name-nginx.txt" -s "$script" "http://127.0.0.1:$NG_PORT/v1/pings"
  BENCH_PINGS_T0=$PINGS_T0 WARM_OUT="$TMP/$name-warm.txt" warm -s "$script" "$API/v1/pings"
  after_lastmile "$TMP/$name-warm.txt"
  BENCH_PINGS_T0=$PINGS_T0 run_case "$TMP/$name-lastmile.txt" -s "$script" "$API/v1/pings"
  after_lastmile "$TMP/$name-lastmile.txt"
  # A benchmark of refused or rejected points measures nothing: every answer must be a 200 that stored
  # (at least 99 % of) the points sent, and nginx must have answered 200 too.
  local share
  share=$(awk -v s="$(pings "$TMP/$name-lastmile.txt" stored)" -v p="$(pings "$TMP/$name-lastmile.txt" points)" \
    'BEGIN { printf "%.2f", (p > 0) ? 100 * s / p : 0 }')
  if [[ $(pings "$TMP/$name-lastmile.txt" non200) != 0 || $(pings "$TMP/$name-nginx.txt" non200) != 0 ]] \
     || awk -v s="$share" 'BEGIN { exit !(s < 99) }'; then
    grep -h '^pings:' "$TMP/$name-nginx.txt" "$TMP/$name-lastmile.txt" >&2
    die "$name: only ${share}% of the points sent to lastmile were stored, or a reply was not 200"
  fi
}
export WRK_CONNECTIONS=$INGEST_CONNECTIONS
pings_case batch100 pings_batch.lua
pings_case single pings_single.lua
unset WRK_CONNECTIONS
curl -sf -o /dev/null "$API/readyz" || die "lastmile is not ready after the ingest load"
TRACK_ROWS=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1], timeout=30).execute("SELECT coalesce(sum(points), 0) FROM track_chunks").fetchone()[0])' \
  "$TMP/bench.db") || die "cannot count the stored track points"
(( TRACK_ROWS >= ACKED )) || die "the replies acknowledged $ACKED stored points but track_chunks holds $TRACK_ROWS"

NG_RPS=$(rps "$TMP/nginx.txt")
TR_RPS=$(rps "$TMP/track.txt")
RATIO=$(awk -v a="$TR_RPS" -v b="$NG_RPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "0" }')
COLD_RATIO=$(awk -v a="$(rps "$TMP/track-cold.txt")" -v b="$NG_RPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "0" }')
MET=$(awk -v r="$RATIO" -v g="$GOAL" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')
B=$TMP/batch100-lastmile.txt S=$TMP/single-lastmile.txt
BATCH_PPS=$(awk -v r="$(rps "$B")" -v s="$(pings "$B" stored)" -v n="$(pings "$B" responses)" \
  'BEGIN { printf "%.0f", (n > 0) ? r * s / n : 0 }')  # stored points per second
BATCH_MET=$(awk -v r="$BATCH_PPS" -v g="$INGEST_BATCH_GOAL" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')
SINGLE_RATIO=$(awk -v a="$(rps "$S")" -v b="$(rps "$TMP/single-nginx.txt")" \
  'BEGIN { if (b > 0) printf "%.2f", a / b; else print "0" }')
SINGLE_MET=$(awk -v r="$SINGLE_RATIO" -v g="$INGEST_SINGLE_GOAL" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')
stored_line() {  # NAME FILE
  awk -v n="$1" '/^pings:/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "ingest %s: %.2f%% of %d points stored (accepted %d, late %d, duplicates %d, rejected %d)\n",
           n, 100 * v["stored"] / v["points"], v["points"], v["accepted"], v["late"], v["duplicates"], v["rejected"] }' "$2"
}

echo
printf '%-44s %12s %10s %9s\n' "case" "requests/s" "p99 (ms)" "errors"
printf '%-44s %12s %10s %9s\n' "--------------------------------------------" "------------" "----------" "---------"
row() { printf '%-44s %12.0f %10s %9s\n' "$1" "$(rps "$2")" "$(p99_ms "$2")" "$(bad "$2")"; }
row "nginx: static copy of the tracking JSON" "$TMP/nginx.txt"
row "lastmile: GET /v1/track/{token}" "$TMP/track.txt"
row "lastmile: GET /v1/track/{token}, cache off" "$TMP/track-cold.txt"
row "lastmile: GET /healthz" "$TMP/healthz.txt"
row "lastmile: POST /v1/shipments (new each time)" "$TMP/post.txt"
row "nginx: same POST /v1/pings, 100 points" "$TMP/batch100-nginx.txt"
row "lastmile: POST /v1/pings, 100 points" "$B"
row "nginx: same POST /v1/pings, 1 point" "$TMP/single-nginx.txt"
row "lastmile: POST /v1/pings, 1 point" "$S"
echo
echo "tracking lookup, lastmile / nginx: ${RATIO}x   (goal >= ${GOAL}x: $MET)"
echo "tracking lookup with the view cache off, lastmile / nginx: ${COLD_RATIO}x"
echo "POST run: wrk completed $POSTS requests; $STORED new shipments are in the database"
printf 'ingest batch100: %s points/s (%.0f req/s, p99 %s ms), nginx same request %.0f req/s   (goal >= %s points/s: %s)\n' \
  "$BATCH_PPS" "$(rps "$B")" "$(p99_ms "$B")" "$(rps "$TMP/batch100-nginx.txt")" "$INGEST_BATCH_GOAL" "$BATCH_MET"
printf 'ingest single: %.0f req/s = %s × nginx (%.0f req/s; p99 %s ms)   (goal >= %sx: %s)\n' \
  "$(rps "$S")" "$SINGLE_RATIO" "$(rps "$TMP/single-nginx.txt")" "$(p99_ms "$S")" "$INGEST_SINGLE_GOAL" "$SINGLE_MET"
stored_line batch100 "$B"
stored_line single "$S"
echo "ingest: the replies acknowledged $ACKED stored points (warm-ups included); track_chunks holds $TRACK_ROWS points" \
     "($INGEST_DRIVERS drivers)"

if [[ ${BENCH_STRICT:-0} = 1 && ( $MET != met || $BATCH_MET != met || $SINGLE_MET != met ) ]]; then
  exit 1
fi

# The parts below start servers of their own: this one is idle now.
kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""  # idle now

# ---- simulated devices (issue 5): `lastmile simulate --rate`, the load generator, on a fresh server --------
# BENCH_SIM_DRIVERS devices (default 2000) per run, batches of BENCH_SIM_BATCH fixes (default 5: a phone's batch)
# on BENCH_SIM_CONNECTIONS connections (default 32), BENCH_SIM_DURATION s (default 20) at each target rate of
# BENCH_SIM_RATES (default "5000 20000 80000" fixes/s). The achieved fixes/s is related to this run's batch100
# figure; the server's /metrics must count every fix sent as acknowledged and stored (bench/README.md,
# "Simulated devices"). BENCH_SIM=0 skips it.
if [[ ${BENCH_SIM:-1} != 0 ]]; then
  SIM_PORT=$(free_port)
  SIM_API="http://127.0.0.1:$SIM_PORT"
  LASTMILE_ADMIN_TOKEN=$ROOT_TOKEN "$BIN" serve --db "sqlite:$TMP/sim.db" --http "127.0.0.1:$SIM_PORT" \
    --threads "$THREADS" --osmand off --log-level warn $NO_RATE_LIMITS >"$TMP/lastmile-sim.log" 2>&1 &
  SERVER_PID=$!
  wait_http "$SIM_API/healthz" "$SERVER_PID" "lastmile (simulated devices)" "$TMP/lastmile-sim.log"
  SIM_KEY=$(curl -sf "$SIM_API/v1/tenants" -H "Authorization: Bearer $ROOT_TOKEN" -H "$J" -d '{"name":"Bench Fleet"}' \
    | json_field api_key) || die "cannot create the simulated fleet's tenant"
  SIM_DRIVERS=${BENCH_SIM_DRIVERS:-2000} SIM_BATCH=${BENCH_SIM_BATCH:-5} SIM_CONNECTIONS=${BENCH_SIM_CONNECTIONS:-32}
  SIM_DURATION=${BENCH_SIM_DURATION:-20}
  # counter NAME...: the sum of those series in a saved /metrics page ($TMP/metrics.txt)
  counter() { awk 'BEGIN { for (i = 1; i < ARGC; i++) want[ARGV[i]] = 1; ARGC = 1 } ($1 in want) { s += $2 }
                   END { printf "%.0f", s }' "$@" <"$TMP/metrics.txt"; }
  server_counts() {  # → "acknowledged stored" (JSON batches: accepted + late + duplicates)
    curl -sf "$SIM_API/metrics" >"$TMP/metrics.txt" || die "cannot read /metrics"
    local p='lastmile_pings_total{protocol="json_batch",result='
    echo "$(counter "${p}\"accepted\"}" "${p}\"late\"}" "${p}\"duplicate\"}") $(counter lastmile_pipeline_points_stored_total)"
  }
  echo
  echo "simulated devices (lastmile simulate --rate): $SIM_DRIVERS devices, batches of $SIM_BATCH fixes," \
       "$SIM_CONNECTIONS connections, ${SIM_DURATION}s per target rate; fresh server --threads $THREADS"
  SIM_ROW='%-13s %15s %8s %11s %10s %7s %9s %9s %13s %10s\n'
  printf "$SIM_ROW" "target fix/s" "achieved fix/s" "req/s" "x batch100" "x single" "errors" "p50 (ms)" "p99 (ms)" \
    "server acked" "stored"
  for RATE in ${BENCH_SIM_RATES:-5000 20000 80000}; do
    read -r ACK0 STORED0 < <(server_counts)
    "$BIN" simulate --server "$SIM_API" --api-key "$SIM_KEY" --drivers "$SIM_DRIVERS" --rate "$RATE" \
      --batch "$SIM_BATCH" --duration "$SIM_DURATION" --threads "$SIM_CONNECTIONS" >"$TMP/sim-$RATE.txt" 2>&1 &
    WRK_PID=$!  # waited for like wrk, so that Ctrl-C reaches the trap at once
    SIM_CODE=0; wait "$WRK_PID" || SIM_CODE=$?; WRK_PID=""
    read -r ACK1 STORED1 < <(server_counts)
    # load: fixes sent N in W s = A fixes/s (target R); acknowledged K / rejected J; HTTP errors E; request latency p50 X ms, p99 Y ms
    read -r SENT ACHIEVED ACKED BAD P50 P99 < <(awk '/^load: fixes sent/ {
        for (i = 1; i <= NF; i++) { if ($i == "sent") s = $(i+1); if ($i == "fixes/s") a = $(i-1);
          if ($i == "acknowledged") k = $(i+1); if ($i == "rejected") r = $(i+1); if ($i == "errors") e = $(i+1);
          if ($i == "p50") p = $(i+1); if ($i == "p99") q = $(i+1) }
        gsub(/;/, "", r); gsub(/;/, "", e); print s, a, k, r + e, p, q }' "$TMP/sim-$RATE.txt")
    [[ -n ${SENT:-} ]] || { cat "$TMP/sim-$RATE.txt" >&2; die "no result line from lastmile simulate --rate $RATE"; }
    SIM_RPS=$(( ACHIEVED / SIM_BATCH ))
    printf "$SIM_ROW" "$RATE" "$ACHIEVED" "$SIM_RPS" \
      "$(awk -v a="$ACHIEVED" -v b="$BATCH_PPS" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }')" \
      "$(awk -v a="$SIM_RPS" -v b="$(rps "$S")" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')" "$BAD" "$P50" "$P99" \
      "$(( ACK1 - ACK0 ))" "$(( STORED1 - STORED0 ))"
    if (( SIM_CODE != 0 || ACKED != SENT || ACK1 - ACK0 != SENT || STORED1 - STORED0 < SENT )); then
      die "simulated devices at $RATE fixes/s: sent $SENT, the replies acknowledged $ACKED, /metrics counted" \
          "$(( ACK1 - ACK0 )) acknowledged and $(( STORED1 - STORED0 )) stored (simulate exit $SIM_CODE)"
    fi
  done
  echo "x batch100: achieved fixes/s / the $BATCH_PPS points/s of wrk's 100-point batches above;" \
       "x single: the generator's requests/s / wrk's 1-point requests/s above ($(rps "$S"))"
  kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
fi

# ---- live push (issue 3): bench/live.sh, its own server and database (bench/README.md, "Live push") ----
[[ ${BENCH_LIVE:-1} = 0 ]] || LASTMILE_BIN=$BIN bash "$ROOT_DIR/bench/live.sh" || exit $?

# ---- road network (src/map): bench/map_bench, in process on the bundled Monaco map ------------------------
# Import + contraction hierarchy, 10,000 CH routes (A* on the same pairs), a 100×100 matrix (bench/README.md,
# "Road network"). BENCH_MAP=0 skips it; LASTMILE_MAP_BENCH_BIN overrides where the program is.
if [[ ${BENCH_MAP:-1} != 0 ]]; then
  MAP_BENCH=${LASTMILE_MAP_BENCH_BIN:-$(dirname "$BIN")/map_bench}
  if [[ ! -x $MAP_BENCH ]]; then
    cmake --build "$(dirname "$BIN")" --target map_bench >/dev/null || die "cannot build $MAP_BENCH"
  fi
  MAP_ARGS=(--pbf "$ROOT_DIR/data/osm/monaco.osm.pbf")
  [[ ${BENCH_STRICT:-0} = 1 ]] && MAP_ARGS+=(--strict)
  echo
  "$MAP_BENCH" "${MAP_ARGS[@]}" || exit $?
fi

# ---- ETA on real histories (src/eta, issue 4): bench/eta_real_bench, in process -------------------------------
# Learned corrections vs none on LaDe scans and the Munich 1 Hz trip, great-circle estimates (bench/README.md,
# "ETA on real histories"). BENCH_ETA_REAL=0 skips it; LASTMILE_ETA_BENCH_BIN overrides where the program is.
if [[ ${BENCH_ETA_REAL:-1} != 0 ]]; then
  ETA_BENCH=${LASTMILE_ETA_BENCH_BIN:-$(dirname "$BIN")/eta_real_bench}
  if [[ ! -x $ETA_BENCH ]]; then
    cmake --build "$(dirname "$BIN")" --target eta_real_bench >/dev/null || die "cannot build $ETA_BENCH"
  fi
  echo
  "$ETA_BENCH" --traces "$ROOT_DIR/tests/data/traces" || exit $?
fi

# ---- ETA on simulated Monaco drives (src/eta + src/sim, issue 4): bench/eta_sim_bench, in process ------------
# Mean and P90 error 30/15/5 min before arrival, with and without corrections learned from 40 simulated routes
# (bench/README.md, "ETA on simulated Monaco drives"; about a second). BENCH_ETA_SIM=0 skips it;
# LASTMILE_ETA_SIM_BENCH_BIN overrides where the program is.
if [[ ${BENCH_ETA_SIM:-1} != 0 ]]; then
  ETA_SIM_BENCH=${LASTMILE_ETA_SIM_BENCH_BIN:-$(dirname "$BIN")/eta_sim_bench}
  if [[ ! -x $ETA_SIM_BENCH ]]; then
    cmake --build "$(dirname "$BIN")" --target eta_sim_bench >/dev/null || die "cannot build $ETA_SIM_BENCH"
  fi
  echo
  "$ETA_SIM_BENCH" --pbf "$ROOT_DIR/data/osm/monaco.osm.pbf" || exit $?
fi

# ---- route optimization (src/optimize, issue 9): bench/optimize_solomon.sh, the real binary -------------------
# Solomon C1 and R1 at OPT_SECONDS per instance (default 10, so about 3.5 minutes) on OPT_THREADS searches
# (default 2), against the best-known solutions (bench/README.md, "Route optimization"). BENCH_OPTIMIZE=0 skips it.
if [[ ${BENCH_OPTIMIZE:-1} != 0 ]]; then
  echo
  LASTMILE_BIN=$BIN bash "$ROOT_DIR/bench/optimize_solomon.sh" || exit $?
fi

# ---- analytics (issue 10): bench/analytics.sh, its own server and database (bench/README.md, "Analytics") ------
# Dashboard queries over the rollups of 1,000,000 deliveries (BENCH_ANALYTICS_DELIVERIES). BENCH_ANALYTICS=0 skips it.
if [[ ${BENCH_ANALYTICS:-1} != 0 ]]; then
  echo
  LASTMILE_BIN=$BIN bash "$ROOT_DIR/bench/analytics.sh" || exit $?
fi

# ---- scale-out (issue 11): bench/cluster.sh, its own servers and databases (bench/README.md, "Scale-out") --------
# CPU per ping on SQLite vs a throwaway PostgreSQL; ingest points/s with 1 vs 2 nodes behind nginx (skipped until
# cluster mode is built). BENCH_CLUSTER=0 skips it.
if [[ ${BENCH_CLUSTER:-1} != 0 ]]; then
  echo
  LASTMILE_BIN=$BIN bash "$ROOT_DIR/bench/cluster.sh" || exit $?
fi
