#!/usr/bin/env bash
# Analytics dashboard queries over a million deliveries (bench/README.md, "Analytics"): a fresh server and
# database; 20 carriers and 400 drivers created over HTTP; the server stopped; build/analytics_seed writes the
# daily rollups of BENCH_ANALYTICS_DELIVERIES deliveries (default 1,000,000) over 365 days through the store;
# the server restarted on that database; then each dashboard query is timed over HTTP (one keep-alive
# connection, BENCH_ANALYTICS_REQUESTS requests after 3 warm-ups): p50 and p99 in ms, goal < 200 ms.
# BENCH_ANALYTICS_KEEP_DB=PATH keeps a copy of the seeded database. Then the aggregator's throughput:
# BENCH_ANALYTICS_FOLD shipments (default 5,000) created and delivered, the log folded, events/s printed.
#
#   LASTMILE_BIN=build/lastmile bash bench/analytics.sh     (run by bench/run.sh; BENCH_ANALYTICS=0 skips it)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT_DIR=$(pwd)
BIN=${LASTMILE_BIN:-build/lastmile}
[[ $BIN = /* ]] || BIN="$ROOT_DIR/$BIN"
SEED=${LASTMILE_ANALYTICS_SEED_BIN:-$(dirname "$BIN")/analytics_seed}
DELIVERIES=${BENCH_ANALYTICS_DELIVERIES:-1000000}
REQUESTS=${BENCH_ANALYTICS_REQUESTS:-50}
GOAL_MS=200

die() { echo "bench/analytics: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "no lastmile binary at $BIN"
[[ -x $SEED ]] || die "no analytics_seed at $SEED (it is built with the project: cmake --build build)"

TMP=$(mktemp -d /tmp/lastmile-bench-analytics.XXXXXX)
SERVER_PID=""
cleanup() {
  local code=$?
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [[ $code -ne 0 && -f $TMP/lastmile.log ]]; then tail -n 20 "$TMP/lastmile.log" >&2; fi
  [[ -n ${BENCH_ANALYTICS_KEEP_DB:-} && -f $TMP/analytics.db ]] && cp "$TMP/analytics.db" "$BENCH_ANALYTICS_KEEP_DB"
  rm -rf "$TMP"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
API="http://127.0.0.1:$PORT"
ROOT_TOKEN="bench-root-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
start_server() {
  LASTMILE_ADMIN_TOKEN=$ROOT_TOKEN "$BIN" serve --db "sqlite:$TMP/analytics.db" --http "127.0.0.1:$PORT" \
    --threads 2 --osmand off --log-level warn --rate-limit-key 0 --rate-limit-ip 0 >>"$TMP/lastmile.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "$API/healthz" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || die "lastmile exited during start-up"
    sleep 0.1
  done
  die "lastmile did not start"
}
start_server

SETUP=$(API=$API ROOT=$ROOT_TOKEN python3 - <<'PY'
import json, os, urllib.request
api, root = os.environ["API"], os.environ["ROOT"]
def post(path, body, token):
    req = urllib.request.Request(api + path, json.dumps(body).encode(),
                                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=30))
tenant = post("/v1/tenants", {"name": "Bench Analytics"}, root)
key = tenant["api_key"]
carriers = [post("/v1/carriers", {"name": f"Carrier {c:02d}"}, key)["id"] for c in range(20)]
for d in range(400):
    post("/v1/drivers", {"name": f"Driver {d:03d}", "carrier_id": carriers[d % 20]}, key)
for c in carriers:
    req = urllib.request.Request(api + f"/v1/carriers/{c}/rate-card",
                                 json.dumps({"per_stop": 1.8, "per_km": 0.35, "per_parcel": 0.2}).encode(),
                                 {"Authorization": "Bearer " + key, "Content-Type": "application/json"}, method="PUT")
    urllib.request.urlopen(req, timeout=30)
print(tenant["id"], key, carriers[0])
PY
) || die "cannot create the tenant, carriers and drivers"
read -r TENANT KEY CARRIER <<<"$SETUP"
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

END_DAY=$(date -u +%Y-%m-%d)
"$SEED" "$TMP/analytics.db" "$TENANT" "$DELIVERIES" 365 "$END_DAY" || die "seeding failed"
start_server

API=$API KEY=$KEY CARRIER=$CARRIER END_DAY=$END_DAY REQUESTS=$REQUESTS GOAL_MS=$GOAL_MS python3 - <<'PY'
import datetime, http.client, os, time, urllib.parse
api = urllib.parse.urlparse(os.environ["API"])
key, end = os.environ["KEY"], os.environ["END_DAY"]
n, goal = int(os.environ["REQUESTS"]), float(os.environ["GOAL_MS"])
day = lambda back: (datetime.date.fromisoformat(end) - datetime.timedelta(days=back)).isoformat()
cases = [
    ("carriers, 90 days, per day (trend)", "/v1/analytics/carriers", {"from": day(89), "to": end, "group": "day"}),
    ("carriers, 90 days, per week", "/v1/analytics/carriers", {"from": day(89), "to": end, "group": "week"}),
    ("carriers, 365 days, total", "/v1/analytics/carriers", {"from": day(364), "to": end, "group": "total"}),
    ("drivers, 30 days, total", "/v1/analytics/drivers", {"from": day(29), "to": end, "group": "total"}),
    ("drivers of one carrier, 30 days, per day", "/v1/analytics/drivers",
     {"from": day(29), "to": end, "group": "day", "carrier_id": os.environ["CARRIER"]}),
    ("CSV export: drivers, 30 days, per day", "/v1/analytics/drivers",
     {"from": day(29), "to": end, "group": "day", "format": "csv"}),
]
conn = http.client.HTTPConnection(api.hostname, api.port, timeout=60)
worst = 0.0
print(f"analytics over {end}: p50 / p99 ms of {n} requests each (goal < {goal:.0f} ms)")
for name, path, params in cases:
    url = path + "?" + urllib.parse.urlencode(params)
    times, size = [], 0
    for i in range(n + 3):
        t0 = time.perf_counter()
        conn.request("GET", url, headers={"Authorization": "Bearer " + key})
        r = conn.getresponse()
        body = r.read()
        dt = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            raise SystemExit(f"{name}: HTTP {r.status} {body[:200]!r}")
        if i >= 3:
            times.append(dt)
        size = len(body)
    times.sort()
    p50, p99 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]
    worst = max(worst, p99)
    print(f"  {name:<44} p50 {p50:7.1f}  p99 {p99:7.1f}   ({size / 1024:.0f} KiB)")
print(f"analytics: worst p99 {worst:.1f} ms — goal {'met' if worst < goal else 'NOT met'}")
PY

# The aggregator itself: BENCH_ANALYTICS_FOLD shipments (default 5,000) created and delivered through the
# store on the same database (server stopped), then the whole log folded (analytics_seed --fold).
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
"$SEED" --fold "$TMP/analytics.db" "$TENANT" "${BENCH_ANALYTICS_FOLD:-5000}" || die "the fold measurement failed"
