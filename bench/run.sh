#!/usr/bin/env bash
# Load benchmark of the real lastmile server against nginx serving the same bytes (see bench/README.md).
#
#   LASTMILE_BIN=build/lastmile bash bench/run.sh      (what `make bench` runs after a Release build)
#
# Knobs (environment): BENCH_THREADS (wrk threads, server threads, nginx workers; default 2),
# BENCH_CONNECTIONS (default 32), BENCH_DURATION (seconds per case, default 10), BENCH_WARMUP (default 2),
# BENCH_STRICT=1 (exit 1 when the goal is not met).
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
LASTMILE_ADMIN_TOKEN=$ROOT_TOKEN "$BIN" serve --db "sqlite:$TMP/bench.db" --http "127.0.0.1:$LM_PORT" \
  --threads "$THREADS" --log-level warn >"$TMP/lastmile.log" 2>&1 &
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
  server {
    listen 127.0.0.1:$NG_PORT;
    root $TMP/www;
    location / { add_header Cache-Control no-store; }
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
  run_wrk "$out" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$@" \
    || { cat "$out" >&2; die "wrk failed"; }
}
warm() { run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$1" || true; }
# A second server on the same database with the tracking view cache off: the cold path (every
# request reads SQLite and renders JSON), reported next to the cached one.
COLD_PORT=$(free_port)
COLD_API="http://127.0.0.1:$COLD_PORT"
"$BIN" serve --db "sqlite:$TMP/bench.db" --http "127.0.0.1:$COLD_PORT" --threads "$THREADS" --log-level warn \
  --track-cache-ttl-ms 0 >"$TMP/lastmile-cold.log" 2>&1 &
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

echo "lastmile bench: $THREADS wrk threads, $CONNECTIONS connections, ${DURATION}s per case;" \
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

NG_RPS=$(rps "$TMP/nginx.txt")
TR_RPS=$(rps "$TMP/track.txt")
RATIO=$(awk -v a="$TR_RPS" -v b="$NG_RPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "0" }')
COLD_RATIO=$(awk -v a="$(rps "$TMP/track-cold.txt")" -v b="$NG_RPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "0" }')
MET=$(awk -v r="$RATIO" -v g="$GOAL" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')

echo
printf '%-44s %12s %10s %9s\n' "case" "requests/s" "p99 (ms)" "errors"
printf '%-44s %12s %10s %9s\n' "--------------------------------------------" "------------" "----------" "---------"
row() { printf '%-44s %12.0f %10s %9s\n' "$1" "$(rps "$2")" "$(p99_ms "$2")" "$(bad "$2")"; }
row "nginx: static copy of the tracking JSON" "$TMP/nginx.txt"
row "lastmile: GET /v1/track/{token}" "$TMP/track.txt"
row "lastmile: GET /v1/track/{token}, cache off" "$TMP/track-cold.txt"
row "lastmile: GET /healthz" "$TMP/healthz.txt"
row "lastmile: POST /v1/shipments (new each time)" "$TMP/post.txt"
echo
echo "tracking lookup, lastmile / nginx: ${RATIO}x   (goal >= ${GOAL}x: $MET)"
echo "tracking lookup with the view cache off, lastmile / nginx: ${COLD_RATIO}x"
echo "POST run: wrk completed $POSTS requests; $STORED new shipments are in the database"

if [[ ${BENCH_STRICT:-0} = 1 && $MET != met ]]; then
  exit 1
fi
