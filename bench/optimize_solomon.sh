#!/usr/bin/env bash
# Route optimization benchmark (issue 9): `lastmile optimize` on every Solomon C1 and R1 instance in
# data/solomon at a fixed time limit, one instance at a time, and a table against the best-known
# solutions (data/solomon/bks.csv: vehicles first, then distance). Every solution is checked by the
# binary's feasibility checker before it is printed (exit code 3 otherwise).
#
#   LASTMILE_BIN=build/lastmile bash bench/optimize_solomon.sh     (part of `make bench`)
#
# Knobs (environment): OPT_SECONDS (time limit per instance, default 10), OPT_THREADS (parallel searches,
# default 2), OPT_SEED (default 1), OPT_INSTANCES (space-separated names, default all C1 and R1).
# Gap % = (distance - BKS distance) / BKS distance; the averages are over all instances, and the "same
# vehicles" average only over those solved with the best-known vehicle count.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${LASTMILE_BIN:-build/lastmile}
SECONDS_PER=${OPT_SECONDS:-10}
THREADS=${OPT_THREADS:-2}
SEED=${OPT_SEED:-1}
DATA=data/solomon
INSTANCES=${OPT_INSTANCES:-$(cd "$DATA" && ls C1*.txt R1*.txt | sed 's/\.txt$//' | tr '\n' ' ')}
[[ -x $BIN ]] || { echo "optimize bench: no lastmile binary at $BIN" >&2; exit 1; }

echo "Solomon VRPTW (C1, R1): lastmile optimize --time-limit $SECONDS_PER --threads $THREADS --seed $SEED"
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
for name in $INSTANCES; do
  line=$("$BIN" optimize --format solomon "$DATA/$name.txt" --time-limit "$SECONDS_PER" --threads "$THREADS" \
         --seed "$SEED" 2>&1 >/dev/null | grep '^optimize: ') || { echo "optimize bench: $name failed" >&2; exit 1; }
  vehicles=$(sed -E 's/.* vehicles=([0-9]+) .*/\1/' <<<"$line")
  distance=$(sed -E 's/.* distance=([0-9.]+) .*/\1/' <<<"$line")
  echo "$name $vehicles $distance" >>"$RESULTS"
done

python3 - "$RESULTS" "$DATA/bks.csv" <<'PY'
import csv, sys
bks = {r["instance"]: (int(r["vehicles"]), float(r["distance"])) for r in csv.DictReader(open(sys.argv[2]))}
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
fmt = "{:<9} {:>8} {:>10} {:>8} {:>10} {:>8}"
print(fmt.format("instance", "vehicles", "distance", "BKS veh", "BKS dist", "gap %"))
print(fmt.format("-" * 9, "-" * 8, "-" * 10, "-" * 8, "-" * 10, "-" * 8))
groups = {}
for name, v, d in rows:
    v, d = int(v), float(d)
    bv, bd = bks[name]
    gap = 100 * (d - bd) / bd
    print(fmt.format(name, v, f"{d:.2f}", bv, f"{bd:.2f}", f"{gap:+.2f}"))
    for g in (name[:2], "all"):
        groups.setdefault(g, []).append((v, d, bv, bd, gap))
print()
for g in [k for k in ("C1", "R1", "all") if k in groups]:
    xs = groups[g]
    n = len(xs)
    same = [x for x in xs if x[0] == x[2]]
    avg = lambda i: sum(x[i] for x in xs) / n
    same_gap = f"{sum(x[4] for x in same) / len(same):+.2f}%" if same else "n/a"
    print(f"average {g:<3}: vehicles {avg(0):.2f} (BKS {avg(2):.2f}), distance {avg(1):.2f} (BKS {avg(3):.2f}), "
          f"gap {avg(4):+.2f}%; BKS vehicle count on {len(same)}/{n}, their gap {same_gap}")
PY
