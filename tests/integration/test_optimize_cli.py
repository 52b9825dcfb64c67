"""`lastmile optimize` with the real binary: Solomon C101 at a 2 s limit, checked by an independent
feasibility check written here (Euclidean distances recomputed from the instance file, every customer
once, windows, capacity, depot due date), a VROOM JSON problem answered in VROOM's solution shape, and
the error paths (exit code 1 with a stable error code on stderr). See docs/optimization.md.
"""

import json
import math
import os
import subprocess
import unittest

from lastmile_server import DEFAULT_BIN

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("LASTMILE_BIN", DEFAULT_BIN)
C101 = os.path.join(ROOT, "data", "solomon", "C101.txt")


def read_solomon(path):
    """(capacity, rows) where rows[i] = (x, y, demand, ready, due, service); row 0 is the depot."""
    with open(path) as f:
        lines = [l.split() for l in f if l.strip()]
    i = next(k for k, w in enumerate(lines) if w[0] == "VEHICLE")
    capacity = int(lines[i + 2][1])
    j = next(k for k, w in enumerate(lines) if w[0] == "CUSTOMER")
    rows = [tuple(float(v) for v in w[1:]) for w in lines[j + 2:]]
    return capacity, rows


def check_solomon_solution(capacity, rows, solution):
    """Raises AssertionError on any violation; returns (vehicles, distance) recomputed."""
    dist = lambda a, b: math.hypot(rows[a][0] - rows[b][0], rows[a][1] - rows[b][1])
    seen = []
    total = 0.0
    for route in solution["routes"]:
        stops = [s["job"] for s in route["stops"]]
        assert stops, "an empty route is listed"
        load = sum(rows[c][2] for c in stops)
        assert load <= capacity, f"route load {load} > {capacity}"
        t, here = 0.0, 0
        for c, stop in zip(stops, route["stops"]):
            t += dist(here, c)
            total += dist(here, c)
            assert abs(stop["arrival"] - t) < 1e-6, f"customer {c}: arrival {stop['arrival']} != {t}"
            t = max(t, rows[c][3])
            assert t <= rows[c][4] + 1e-6, f"customer {c} served at {t} after its due date {rows[c][4]}"
            t += rows[c][5]
            here = c
        t += dist(here, 0)
        total += dist(here, 0)
        assert t <= rows[0][4] + 1e-6, f"back at the depot at {t} after {rows[0][4]}"
        seen += stops
    assert sorted(seen + solution["unassigned"]) == list(range(1, len(rows))), "customers not served exactly once"
    return len(solution["routes"]), total


def run(*args, stdin=None):
    return subprocess.run([BIN, "optimize", *args], input=stdin, capture_output=True, text=True, timeout=120)


class OptimizeCliTest(unittest.TestCase):
    def test_c101_is_feasible_and_reaches_the_best_known_vehicle_count(self):
        r = run(C101, "--time-limit", "2", "--seed", "3")
        self.assertEqual(r.returncode, 0, r.stderr)
        solution = json.loads(r.stdout)
        capacity, rows = read_solomon(C101)
        vehicles, distance = check_solomon_solution(capacity, rows, solution)
        self.assertEqual(solution["unassigned"], [])
        self.assertEqual(vehicles, 10)  # C101's best-known: 10 / 828.94
        self.assertAlmostEqual(solution["distance"], distance, places=6)
        self.assertLess(distance, 828.94 * 1.02)
        self.assertRegex(r.stderr, r"optimize: C101 vehicles=10 distance=\d+\.\d\d .* feasible")

    def test_same_seed_and_iterations_give_the_same_output(self):
        a = run(C101, "--time-limit", "60", "--iterations", "300", "--seed", "9")
        b = run(C101, "--time-limit", "60", "--iterations", "300", "--seed", "9")
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(a.stdout, b.stdout)

    def test_vroom_json_in_and_out(self):
        problem = {
            "vehicles": [{"id": 5, "start_index": 0, "end_index": 0, "capacity": [3], "time_window": [0, 500]},
                         {"id": 6, "start_index": 0, "end_index": 0, "capacity": [3], "skills": [1]}],
            "jobs": [{"id": 11, "location_index": 1, "delivery": [1], "service": 5},
                     {"id": 12, "location_index": 2, "delivery": [1], "time_windows": [[50, 60]]},
                     {"id": 13, "location_index": 3, "pickup": [2], "skills": [1]}],
            "shipments": [],
            "matrices": {"car": {"durations": [[0, 10, 20, 30], [10, 0, 10, 20], [20, 10, 0, 10], [30, 20, 10, 0]]}},
        }
        r = run("--format", "json", "-", "--time-limit", "1", "--iterations", "200", stdin=json.dumps(problem))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out["code"], 0)
        self.assertEqual(out["summary"]["unassigned"], 0)
        served = {}
        for route in out["routes"]:
            self.assertEqual(route["steps"][0]["type"], "start")
            self.assertEqual(route["steps"][-1]["type"], "end")
            for step in route["steps"]:
                if step["type"] == "job":
                    served[step["id"]] = (route["vehicle"], step)
        self.assertEqual(sorted(served), [11, 12, 13])
        self.assertEqual(served[13][0], 6)  # the only vehicle with skill 1
        step12 = served[12][1]
        self.assertTrue(50 <= step12["arrival"] + step12["waiting_time"] <= 60)
        self.assertEqual(out["summary"]["duration"], sum(route["duration"] for route in out["routes"]))

    def test_vroom_shipments_pickup_before_delivery_with_carried_loads(self):
        """30 shipments and 10 jobs on a 12 x 12 grid (travel = Manhattan distance x 10), three vans of
        capacity 6; every answer re-checked here: arrivals and waiting from the matrix, windows, the load
        (the jobs' deliveries on board at the start, a shipment's amount from its pickup to its delivery),
        each shipment's two halves in one route, the pickup first, or both unassigned."""
        rnd = __import__("random").Random(5)
        points = [(6, 6)] + [(rnd.randrange(12), rnd.randrange(12)) for _ in range(70)]
        durations = [[10 * (abs(a[0] - b[0]) + abs(a[1] - b[1])) for b in points] for a in points]
        shipments, jobs, loc = [], [], 1
        for k in range(30):
            start = rnd.randrange(0, 1500)
            window = [[start, start + 400]] if k % 3 == 0 else [[0, 4000]]
            shipments.append({"amount": [rnd.randint(1, 4)],
                              "pickup": {"id": 100 + k, "location_index": loc, "service": 20, "time_windows": window},
                              "delivery": {"id": 100 + k, "location_index": loc + 1, "service": 20}})
            loc += 2
        for k in range(10):
            jobs.append({"id": 100 + k, "location_index": loc, "delivery": [rnd.randint(0, 2)], "service": 20})
            loc += 1
        problem = {"vehicles": [{"id": v, "start_index": 0, "end_index": 0, "capacity": [6], "time_window": [0, 4000]}
                                for v in (1, 2, 3)],
                   "jobs": jobs, "shipments": shipments, "matrices": {"car": {"durations": durations}}}
        r = run("--format", "json", "-", "--time-limit", "60", "--iterations", "300", stdin=json.dumps(problem))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        by_key = {("job", j["id"]): j for j in jobs}
        for s in shipments:
            by_key[("pickup", s["pickup"]["id"])] = dict(s["pickup"], amount=s["amount"])
            by_key[("delivery", s["delivery"]["id"])] = dict(s["delivery"], amount=s["amount"])
        where = {}
        for route in out["routes"]:
            steps = route["steps"]
            load = sum(by_key[("job", st["id"])]["delivery"][0] for st in steps if st["type"] == "job")
            self.assertEqual(steps[0]["load"], [load])
            t, here = 0, 0
            for k, st in enumerate(steps[1:-1], start=1):
                item = by_key[(st["type"], st["id"])]
                where[(st["type"], st["id"])] = (route["vehicle"], k)
                t += durations[here][item["location_index"]]
                self.assertEqual(st["arrival"], t)
                windows = item.get("time_windows", [[0, 4000]])
                start = next(max(t, w[0]) for w in windows if t <= w[1])
                self.assertEqual(st["waiting_time"], start - t)
                t = start + item["service"]
                if st["type"] == "job":
                    load -= item["delivery"][0]
                else:
                    load += item["amount"][0] if st["type"] == "pickup" else -item["amount"][0]
                self.assertEqual(st["load"], [load])
                self.assertTrue(0 <= load <= 6, f"load {load} at step {k} of vehicle {route['vehicle']}")
                here = item["location_index"]
            t += durations[here][0]
            self.assertEqual(steps[-1]["arrival"], t)
            self.assertLessEqual(t, 4000)
            self.assertEqual(load, 0)
        unassigned = {(u["type"], u["id"]) for u in out["unassigned"]}
        for s in shipments:
            p, d = ("pickup", s["pickup"]["id"]), ("delivery", s["delivery"]["id"])
            if p in unassigned or d in unassigned:
                self.assertTrue(p in unassigned and d in unassigned and p not in where and d not in where)
                continue
            self.assertEqual(where[p][0], where[d][0], f"shipment {p} split")
            self.assertLess(where[p][1], where[d][1], f"shipment {p}: delivery first")
        self.assertEqual(len(where) + len(unassigned), 70)
        self.assertLessEqual(len(unassigned), 10)
        self.assertEqual(out["summary"]["unassigned"], len(unassigned))

    def test_errors_have_stable_codes(self):
        r = run("--format", "json", "-", "--time-limit", "1",
                stdin='{"vehicles":[{"id":1,"start_index":0}],"shipments":[{"id":1}],"matrix":[[0]]}')
        self.assertEqual(r.returncode, 1)
        self.assertIn("optimize: error missing_field at shipments[0].pickup", r.stderr)
        self.assertEqual(r.stdout, "")
        r = run("--format", "json", "-", "--time-limit", "1",
                stdin='{"vehicles":[{"id":1,"start":[7.4,43.7]}],"matrix":[[0]]}')
        self.assertEqual(r.returncode, 1)
        self.assertIn("optimize: error unsupported at vehicles[0].start_index", r.stderr)
        r = run("-", "--time-limit", "1", stdin="X\nVEHICLE\nNUMBER CAPACITY\n2 x\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("optimize: error parse_error at line 4", r.stderr)
        r = run(os.path.join(ROOT, "no-such-file.txt"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("optimize: error io_error", r.stderr)


if __name__ == "__main__":
    unittest.main()
