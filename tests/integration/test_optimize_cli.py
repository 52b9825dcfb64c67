"""`lastmile optimize` with the real binary: Solomon C101 at a 2 s limit, checked by an independent
feasibility check written here (Euclidean distances recomputed from the instance file, every customer
once, windows, capacity, depot due date), a VROOM JSON problem answered in VROOM's solution shape, a
driver break (its step recomputed here), soft windows with --lateness-penalty (each stop's lateness
recomputed here), and the error paths (exit code 1 with a stable error code on stderr). See docs/optimization.md.
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

    def test_vroom_breaks(self):
        # One van, two jobs, a 60 s lunch break in [100, 150] or [400, 500]: it fits only between the
        # jobs (job 1 must start by 50, job 2 not before 150), the van waiting for the window to open.
        problem = {
            "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 1000],
                          "breaks": [{"id": 5, "time_windows": [[100, 150], [400, 500]], "service": 60,
                                      "description": "lunch"}]}],
            "jobs": [{"id": 1, "location_index": 1, "service": 10, "time_windows": [[0, 50]]},
                     {"id": 2, "location_index": 2, "service": 10, "time_windows": [[150, 300]]}],
            "matrices": {"car": {"durations": [[0, 20, 30], [20, 0, 15], [30, 15, 0]]}},
        }
        r = run("--format", "json", "-", "--time-limit", "5", "--iterations", "100", stdin=json.dumps(problem))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        steps = out["routes"][0]["steps"]
        self.assertEqual([s["type"] for s in steps], ["start", "job", "break", "job", "end"])
        brk = steps[2]
        self.assertEqual((brk["id"], brk["description"], brk["service"]), (5, "lunch", 60))
        # Recomputed here: job 1 done at 30, job 2 reached at 45 where the break waits until 100 and
        # ends at 160 (job 2's step arrival), job 2 done at 170, back at 200.
        self.assertEqual((brk["arrival"], brk["waiting_time"]), (45, 55))
        self.assertEqual(steps[3]["arrival"], 160)
        self.assertEqual(steps[4]["arrival"], 200)
        self.assertEqual(out["summary"]["service"], 80)

    def test_lateness_penalty_on_vroom_input(self):
        problem = {"vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
                   "jobs": [{"id": 7, "location_index": 1, "time_windows": [[0, 2]]}],
                   "matrix": [[0, 3], [3, 0]]}
        hard = run("--format", "json", "-", "--iterations", "10", stdin=json.dumps(problem))
        self.assertEqual(hard.returncode, 0, hard.stderr)
        self.assertEqual(json.loads(hard.stdout)["summary"]["unassigned"], 1)
        soft = run("--format", "json", "-", "--iterations", "10", "--lateness-penalty", "4", stdin=json.dumps(problem))
        self.assertEqual(soft.returncode, 0, soft.stderr)
        out = json.loads(soft.stdout)
        self.assertEqual(out["summary"]["unassigned"], 0)
        self.assertEqual(out["summary"]["lateness"], 1)
        self.assertEqual(out["summary"]["cost"], 6 + 4 * 1)
        self.assertEqual(out["routes"][0]["steps"][1]["lateness"], 1)
        bad = run("--format", "json", "-", "--lateness-penalty", "-1", stdin=json.dumps(problem))
        self.assertNotEqual(bad.returncode, 0)

    def test_soft_windows_with_a_lateness_penalty(self):
        # R101 with 15 vans (it needs 19 on time): every customer served, the lateness priced; the
        # lateness of each stop is recomputed here from the instance's due dates.
        r101 = os.path.join(ROOT, "data", "solomon", "R101.txt")
        with open(r101) as f:
            text = f.read().replace("\n  25         200\n", "\n  15         200\n")
        self.assertIn("  15         200", text)
        r = run("-", "--time-limit", "30", "--iterations", "300", "--lateness-penalty", "0.5", stdin=text)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        capacity, rows = read_solomon(r101)
        self.assertEqual(out["unassigned"], [])
        self.assertLessEqual(out["vehicles"], 15)
        total = 0.0
        for route in out["routes"]:
            for stop in route["stops"]:
                late = max(0.0, stop["start"] - rows[stop["job"]][4])
                self.assertAlmostEqual(stop["lateness"], late, places=6)
                self.assertGreaterEqual(stop["start"], rows[stop["job"]][3] - 1e-9)  # never before the window
                total += late
        self.assertGreater(total, 0)
        self.assertAlmostEqual(out["lateness"], total, places=4)
        self.assertRegex(r.stderr, r"lateness=\d+\.\d\d feasible")

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
