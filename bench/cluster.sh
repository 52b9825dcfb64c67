#!/usr/bin/env bash
# Scale-out benchmarks of issue 11 (see bench/README.md, "Scale-out"), loopback only:
#  (a) the server CPU cost per ping on SQLite vs PostgreSQL: the same bounded load (`lastmile simulate --rate R
#      --duration D`, batched fixes) against a fresh server on a SQLite file, then on a throwaway PostgreSQL
#      (tests/integration/pg_cluster.py); CPU seconds (user + system, /proc/PID/stat) of lastmile, and of every
#      PostgreSQL process, per 1,000 points stored;
#  (b) ingest points/s with 1 node vs 2 nodes behind nginx (deploy/nginx/lastmile.conf), both on PostgreSQL and
#      a JetStream nats-server: needs `lastmile serve --cluster` and the PostgreSQL backend, skipped (and said
#      so) when the binary has neither.
#
#   LASTMILE_BIN=build/lastmile bash bench/cluster.sh        (bench/run.sh calls it: `make bench`)
#
# Knobs (environment): BENCH_THREADS (server threads, default 2), BENCH_CLUSTER_RATE (fixes/s of (a), default
# 20000), BENCH_CLUSTER_DURATION (seconds per run, default 10), BENCH_CLUSTER_DRIVERS (devices, default 500),
# BENCH_CLUSTER_BATCH (fixes per request, default 50), BENCH_CLUSTER_CONNECTIONS (default 16),
# BENCH_CLUSTER_SCALE_RATE (target fixes/s of (b): above what the machine does, default 200000).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT_DIR=$(pwd)
BIN=${LASTMILE_BIN:-build/lastmile}
[[ $BIN = /* ]] || BIN="$ROOT_DIR/$BIN"
THREADS=${BENCH_THREADS:-2}
RATE=${BENCH_CLUSTER_RATE:-20000}
DURATION=${BENCH_CLUSTER_DURATION:-10}
DRIVERS=${BENCH_CLUSTER_DRIVERS:-500}
BATCH=${BENCH_CLUSTER_BATCH:-50}
CONNECTIONS=${BENCH_CLUSTER_CONNECTIONS:-16}
SCALE_RATE=${BENCH_CLUSTER_SCALE_RATE:-200000}
PG_CLUSTER=$ROOT_DIR/tests/integration/pg_cluster.py

die() { echo "bench cluster: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "no lastmile binary at $BIN (run \`make build\` or set LASTMILE_BIN)"
command -v curl >/dev/null || die "curl is not installed"

TMP=$(mktemp -d /tmp/lastmile-bench-cluster.XXXXXX)
SERVER_PIDS=() NATS_PID="" NGINX_PID="" LOAD_PID="" PG_STARTED=""
stop_pid() { [[ -n $1 ]] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
stop_servers() { local p; for p in "${SERVER_PIDS[@]}"; do stop_pid "$p"; done; SERVER_PIDS=(); }
cleanup() {
  local code=$?
  stop_pid "$LOAD_PID"
  stop_servers
  stop_pid "$NGINX_PID"
  stop_pid "$NATS_PID"
  [[ -n $PG_STARTED ]] && python3 "$PG_CLUSTER" stop "$TMP/pg" >/dev/null 2>&1
  if [[ $code -ne 0 ]]; then
    for log in "$TMP"/lastmile-*.log; do
      [[ -f $log ]] && { echo "--- last lines of $(basename "$log") ---" >&2; tail -n 20 "$log" >&2; }
    done
  fi
  rm -rf "$TMP"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
ROOT_TOKEN="bench-root-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
NO_LIMITS=(--rate-limit-key 0 --rate-limit-ip 0 --auth-failures-per-min 0)

# CPU seconds (user + system) of a process; with `tree`, of a PostgreSQL postmaster and all its children: the
# postmaster's own and its reaped children's times (cutime, cstime) plus each live child's.
cpu_seconds() {  # PID [tree]
  python3 - "$@" <<'PY'
import os, sys
def fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    return s[s.rindex(")") + 2:].split()  # [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime
pid, tree = int(sys.argv[1]), len(sys.argv) > 2
f = fields(pid)
ticks = int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if tree else 0)
if tree:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                c = fields(entry)
            except (OSError, ValueError):
                continue
            if int(c[1]) == pid:
                ticks += int(c[11]) + int(c[12])
print(f"{ticks / os.sysconf('SC_CLK_TCK'):.2f}")
PY
}

# start_node NAME DB PORT [serve flags…]: a lastmile node in the background (pid appended to SERVER_PIDS);
# returns 1 when it exits during start-up (its log in $TMP/lastmile-NAME.log).
start_node() {
  local name=$1 db=$2 port=$3; shift 3
  LASTMILE_ADMIN_TOKEN=$ROOT_TOKEN "$BIN" serve --db "$db" --http "127.0.0.1:$port" --threads "$THREADS" \
    --osmand off --log-level warn "${NO_LIMITS[@]}" "$@" >"$TMP/lastmile-$name.log" 2>&1 &
  local pid=$!
  SERVER_PIDS+=("$pid")
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  die "lastmile ($name) did not answer /readyz within 20 s"
}

# load API RATE OUTFILE: `lastmile simulate --rate` with the knobs above, its tenant made with the root token;
# sets SENT ACHIEVED ACKED BAD P99 from its result line, dies unless every fix sent was acknowledged.
load() {
  local api=$1 rate=$2 out=$3 key code=0
  key=$(curl -sf "$api/v1/tenants" -H "Authorization: Bearer $ROOT_TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"Bench Cluster Fleet"}' | json_field api_key) || die "cannot create a tenant at $api"
  "$BIN" simulate --server "$api" --api-key "$key" --drivers "$DRIVERS" --rate "$rate" --batch "$BATCH" \
    --duration "$DURATION" --threads "$CONNECTIONS" >"$out" 2>&1 &
  LOAD_PID=$!
  wait "$LOAD_PID" || code=$?
  LOAD_PID=""
  # load: fixes sent N in W s = A fixes/s (target R); acknowledged K / rejected J; HTTP errors E; request latency p50 X ms, p99 Y ms
  read -r SENT ACHIEVED ACKED BAD P99 < <(awk '/^load: fixes sent/ {
      for (i = 1; i <= NF; i++) { if ($i == "sent") s = $(i+1); if ($i == "fixes/s") a = $(i-1);
        if ($i == "acknowledged") k = $(i+1); if ($i == "rejected") r = $(i+1); if ($i == "errors") e = $(i+1);
        if ($i == "p99") q = $(i+1) }
      gsub(/;/, "", r); gsub(/;/, "", e); print s, a, k, r + e, q }' "$out")
  [[ -n ${SENT:-} ]] || { cat "$out" >&2; die "no result line from lastmile simulate (exit $code)"; }
  (( code == 0 && ACKED == SENT )) || { cat "$out" >&2; die "simulate: sent $SENT, acknowledged $ACKED (exit $code)"; }
}

per_k() { awk -v c="$1" -v n="$2" 'BEGIN { printf "%.3f", (n > 0) ? 1000 * c / n : 0 }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }

# ---- (a) CPU per ping: SQLite vs PostgreSQL ------------------------------------------------------------------
echo "scale-out bench (a): CPU per ping, SQLite vs PostgreSQL — lastmile simulate --drivers $DRIVERS --rate $RATE" \
     "--batch $BATCH --duration $DURATION --threads $CONNECTIONS against a fresh server --threads $THREADS"
ROW='%-11s %11s %11s %10s %14s %14s %16s\n'
printf "$ROW" "backend" "points" "points/s" "p99 (ms)" "lastmile CPU s" "postgres CPU s" "CPU s / 1k pts"
cpu_case() {  # NAME DB [postmaster pid]
  local name=$1 db=$2 pm=${3:-} port l0 l1 p0=0 p1=0
  port=$(free_port)
  if ! start_node "$name" "$db" "$port"; then
    SERVER_PIDS=()
    if grep -q "not built" "$TMP/lastmile-$name.log"; then
      printf '%-11s skipped: lastmile says "%s"\n' "$name" "$(sed -n 's/.*critical //p' "$TMP/lastmile-$name.log" | head -1)"
      return 1
    fi
    cat "$TMP/lastmile-$name.log" >&2; die "lastmile ($name) exited during start-up"
  fi
  l0=$(cpu_seconds "${SERVER_PIDS[0]}"); [[ -n $pm ]] && p0=$(cpu_seconds "$pm" tree)
  load "http://127.0.0.1:$port" "$RATE" "$TMP/load-$name.txt"
  l1=$(cpu_seconds "${SERVER_PIDS[0]}"); [[ -n $pm ]] && p1=$(cpu_seconds "$pm" tree)
  stop_servers
  local lcpu pcpu
  lcpu=$(minus "$l1" "$l0"); pcpu=$(minus "$p1" "$p0")
  printf "$ROW" "$name" "$ACKED" "$ACHIEVED" "$P99" "$lcpu" "$([[ -n $pm ]] && echo "$pcpu" || echo -)" \
    "$(per_k "$(awk -v a="$lcpu" -v b="$pcpu" 'BEGIN { print a + b }')" "$ACKED")"
}
cpu_case sqlite "sqlite:$TMP/bench.db"
PG_OK=0
if python3 "$PG_CLUSTER" start "$TMP/pg" >"$TMP/pg-start.log" 2>&1; then
  PG_STARTED=1
  PG_URL=$(cat "$TMP/pg/url")
  PG_PID=$(cat "$TMP/pg/pid")
  cpu_case postgresql "$PG_URL?schema=bench_cpu" "$PG_PID" && PG_OK=1
else
  cat "$TMP/pg-start.log" >&2
  echo "postgresql  skipped: no throwaway PostgreSQL (tests/integration/pg_cluster.py start failed; scripts/bootstrap installs it)"
fi
echo "CPU s / 1k pts: (lastmile + postgres CPU seconds) per 1,000 points acknowledged, creating the $DRIVERS devices" \
     "included; points/s is the generator's achieved rate at its target of $RATE"

# ---- (b) ingest points/s, 1 node vs 2 nodes behind nginx ------------------------------------------------------
echo
echo "scale-out bench (b): ingest points/s, 1 node vs 2 nodes behind nginx (PostgreSQL + a JetStream nats-server)"
if ! "$BIN" serve --help 2>/dev/null | grep -q -- '--cluster'; then
  echo "skipped: cluster mode not built (lastmile serve --help lists no --cluster)"
  exit 0
fi
(( PG_OK )) || { echo "skipped: the PostgreSQL backend is not built or did not start (see (a))"; exit 0; }
NATS=$(command -v nats-server || echo /usr/sbin/nats-server)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NATS ]] || die "nats-server is not installed (scripts/bootstrap)"
[[ -x $NGINX ]] || die "nginx is not installed (scripts/bootstrap)"

printf '%-6s %13s %15s %10s %8s\n' "nodes" "target fix/s" "achieved fix/s" "p99 (ms)" "errors"
for NODES in 1 2; do
  # A fresh nats-server (JetStream store) and a fresh schema per run: nothing carried over from the last.
  NATS_PORT=$(free_port)
  rm -rf "$TMP/nats"
  "$NATS" -js -sd "$TMP/nats" -a 127.0.0.1 -p "$NATS_PORT" >"$TMP/nats.log" 2>&1 &
  NATS_PID=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && break; sleep 0.1; done
  PORTS=()
  for i in $(seq 1 "$NODES"); do
    PORTS+=("$(free_port)")
    start_node "node$i" "$PG_URL?schema=bench_scale_$NODES" "${PORTS[-1]}" --cluster "nats://127.0.0.1:$NATS_PORT" \
      --node-id "bench-$i" || die "lastmile (node$i) exited during start-up"
  done
  # deploy/nginx/lastmile.conf with the nodes' loopback addresses (1 node: both upstream lines name it).
  NG_PORT=$(free_port)
  mkdir -p "$TMP/nginx"
  sed -e "s/172\.30\.0\.21:8080/127.0.0.1:${PORTS[0]}/; s/172\.30\.0\.22:8080/127.0.0.1:${PORTS[-1]}/" \
      -e "s/172\.30\.0\.21:5055/127.0.0.1:${PORTS[0]}/; s/172\.30\.0\.22:5055/127.0.0.1:${PORTS[-1]}/" \
      -e "s/listen 80;/listen 127.0.0.1:$NG_PORT;/; s/listen 5055;/listen 127.0.0.1:$(free_port);/" \
      "$ROOT_DIR/deploy/nginx/lastmile.conf" >"$TMP/nginx/site.conf"
  cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  include $TMP/nginx/site.conf;
}
EOF
  "$NGINX" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout.log" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$NG_PORT/readyz" && break; sleep 0.1; done
  load "http://127.0.0.1:$NG_PORT" "$SCALE_RATE" "$TMP/scale-$NODES.txt"
  printf '%-6s %13s %15s %10s %8s\n' "$NODES" "$SCALE_RATE" "$ACHIEVED" "$P99" "$BAD"
  stop_servers
  stop_pid "$NGINX_PID"; NGINX_PID=""
  stop_pid "$NATS_PID"; NATS_PID=""
done
echo "(every process on the same $(nproc) cores: the generator, nginx, nats-server, PostgreSQL and the nodes)"
