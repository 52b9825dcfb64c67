"""Route optimization against the real server with the Monaco road network (docs/optimization.md).

POST /v1/optimize: a day's shipments and drivers become proposed routes that respect the promised
windows, shifts and capacities; `apply` creates them; without shipment_ids the day's unassigned
shipments are planned; shipments that cannot be planned are listed with a reason. `apply` is all or
nothing: a shipment routed by another call while the plan was solved makes it a 409 naming that shipment
with no route of the plan written; an applied plan survives kill -9; Idempotency-Key replays it.
POST /v1/routes/{id}/resequence and /v1/routes/reassign: a started route re-planned from the driver's
last ping, before/after ETAs and lateness, `apply` writes the new orders and eta_changed events;
a break stays between the same stops when reassign moves stops off its route.
Soft windows (`lateness_penalty`) plan late stops and report lateness that matches the returned times;
drivers' breaks land inside one of their windows with their duration and are stored with the routes on
apply.
Bad input is refused and changes nothing.
"""

import datetime
import threading
import time
import unittest

from lastmile_server import (ServerTestCase, expect, iso, make_api_key, make_driver, make_route, make_shipment,
                             make_tenant, monaco_graph, post_event, unique)

DATE = "2026-11-23"
DEPOT = {"lat": 43.7350, "lon": 7.4210}
POINTS = [(43.7384, 7.4246), (43.7396, 7.4270), (43.7370, 7.4230), (43.7410, 7.4290), (43.7330, 7.4200),
          (43.7365, 7.4255)]
SHIFT = {"start": f"{DATE}T08:00:00Z", "end": f"{DATE}T14:00:00Z"}


def parse(ts):
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def oversized(server, path, key):
    """A 2 MiB JSON body (over the 1 MiB limit), written until the server answers."""
    body = b'{"apply":true,"note":"' + b"x" * (2 << 20) + b'"}'
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    return server.send_raw(head, [body])


def address(p):
    return {"line1": "Monaco", "line2": "", "city": "Monaco", "postal_code": "98000", "country": "MC",
            "lat": p[0], "lon": p[1]}


class OptimizeApiTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server_options = {"extra_args": ["--map", monaco_graph()]}
        super().setUpClass()

    def setUp(self):
        tenant = make_tenant(self.server)
        self.key = tenant["api_key"]
        self.dispatcher = make_api_key(self.server, self.key, "dispatcher")["api_key"]
        self.drivers = [make_driver(self.server, self.key, name=f"Driver {i}")["id"] for i in range(2)]

    def shipment(self, point, start="09:00", end="12:00", date=DATE, parcels=1):
        return make_shipment(self.server, self.key, external_order_id=unique("ord"), address=address(point),
                             promised={"start": f"{date}T{start}:00Z", "end": f"{date}T{end}:00Z"},
                             parcels=[{"barcode": unique("P"), "weight_kg": 1.0} for _ in range(parcels)])["id"]

    def body(self, shipment_ids=None, **fields):
        b = {"date": DATE, "time_limit_s": 0.2,
             "drivers": [{"driver_id": d, "shift": SHIFT, "start": DEPOT, "capacity": 10} for d in self.drivers]}
        if shipment_ids is not None:
            b["shipment_ids"] = shipment_ids
        b.update(fields)
        return b

    def routes_of_day(self):
        return self.assertStatus(self.server.request("GET", "/v1/routes", token=self.key, params={"date": DATE}),
                                 200)["items"]

    def test_plan_respects_windows_then_apply_creates_the_routes(self):
        ids = [self.shipment(p) for p in POINTS]
        plan = self.assertStatus(self.server.request("POST", "/v1/optimize", self.body(ids), token=self.dispatcher),
                                 200)
        self.assertEqual(plan["source"], "road_network")
        self.assertFalse(plan["applied"])
        self.assertEqual(plan["unassigned"], [])
        self.assertEqual(plan["summary"]["stops"], len(ids))
        planned = [s["shipment_ids"][0] for r in plan["routes"] for s in r["stops"]]
        self.assertEqual(sorted(planned), sorted(ids))
        for r in plan["routes"]:
            self.assertIn(r["driver_id"], self.drivers)
            self.assertGreater(r["distance_m"], 0)
            self.assertGreaterEqual(parse(r["start_at"]), parse(SHIFT["start"]))
            self.assertLessEqual(parse(r["end_at"]), parse(SHIFT["end"]))
            previous = parse(r["start_at"])
            for s in r["stops"]:
                eta = parse(s["eta"])
                self.assertGreaterEqual(eta, parse(f"{DATE}T09:00:00Z"))
                self.assertLessEqual(eta, parse(f"{DATE}T12:00:00Z"))
                self.assertGreaterEqual(eta, previous)
                previous = eta
        self.assertEqual(self.routes_of_day(), [])  # a preview stores nothing

        applied = self.assertStatus(self.server.request("POST", "/v1/optimize", self.body(ids, apply=True),
                                                        token=self.key), 201)
        self.assertTrue(applied["applied"])
        for r in applied["routes"]:
            stored = self.assertStatus(self.server.request("GET", f"/v1/routes/{r['route_id']}", token=self.key), 200)
            self.assertEqual(stored["driver_id"], r["driver_id"])
            self.assertEqual([s["shipment_ids"] for s in stored["stops"]], [s["shipment_ids"] for s in r["stops"]])
        self.assertEqual(len(self.routes_of_day()), len(applied["routes"]))
        # Now on routes: listed again they are skipped, and the day has nothing left to plan.
        again = self.assertStatus(self.server.request("POST", "/v1/optimize", self.body(ids[:1]), token=self.key), 200)
        self.assertEqual(again["unassigned"], [{"shipment_id": ids[0], "reason": "on_route"}])
        rest = self.assertStatus(self.server.request("POST", "/v1/optimize", self.body(), token=self.key), 200)
        self.assertEqual(rest["summary"]["stops"], 0)

    def test_without_shipment_ids_the_days_unassigned_shipments_are_planned(self):
        today = [self.shipment(p) for p in POINTS[:3]]
        self.shipment(POINTS[3], date="2026-11-24")  # another day
        plan = self.assertStatus(self.server.request("POST", "/v1/optimize", self.body(), token=self.key), 200)
        planned = sorted(s["shipment_ids"][0] for r in plan["routes"] for s in r["stops"])
        self.assertEqual(planned, sorted(today))

    def test_shipments_that_cannot_be_planned_say_why(self):
        early = self.shipment(POINTS[0], start="05:00", end="06:00")  # before every shift
        heavy = self.shipment(POINTS[1], parcels=11)                     # more parcels than any van holds
        fine = self.shipment(POINTS[2])
        plan = self.assertStatus(self.server.request("POST", "/v1/optimize", self.body([early, heavy, fine]),
                                                     token=self.key), 200)
        reasons = {u["shipment_id"]: u["reason"] for u in plan["unassigned"]}
        self.assertEqual(reasons, {early: "time_window", heavy: "capacity"})
        self.assertEqual(plan["summary"]["stops"], 1)

    def test_a_shipment_no_driver_can_serve_around_their_breaks_is_unassigned_for_its_window(self):
        # Both drivers must start a two-hour lunch between 10:50 and 11:00: a stop promised for
        # 11:00-11:30 can be served neither before it (the service would end after 11:00) nor after it.
        lunch_bound = self.shipment(POINTS[3], start="11:00", end="11:30")
        fine = self.shipment(POINTS[2])
        body = self.body([lunch_bound, fine])
        for d in body["drivers"]:
            d["breaks"] = [{"id": "lunch", "duration_s": 7200,
                            "windows": [{"start": f"{DATE}T10:50:00Z", "end": f"{DATE}T11:00:00Z"}]}]
        plan = self.assertStatus(self.server.request("POST", "/v1/optimize", body, token=self.key), 200)
        self.assertEqual(plan["unassigned"], [{"shipment_id": lunch_bound, "reason": "time_window"}])
        self.assertEqual(plan["summary"]["stops"], 1)

    def test_bad_input_is_refused_and_changes_nothing(self):
        ids = [self.shipment(p) for p in POINTS[:2]]
        other = make_tenant(self.server)["api_key"]
        foreign = make_shipment(self.server, other, external_order_id=unique("ord"))["id"]
        driver_token = make_driver(self.server, self.key)["device_token"]
        reads = [(self.key, f"/v1/routes?date={DATE}")] + [(self.key, f"/v1/shipments/{i}") for i in ids]
        with self.unchanged(*reads):
            post = lambda body, token=self.key: self.server.request("POST", "/v1/optimize", body, token=token)
            self.assertError(post(self.body(ids + [foreign], apply=True)), 404, "not_found", "shipment_ids[2]")
            self.assertError(post(self.body(ids + ["shp_nope"], apply=True)), 404, "not_found", "shipment_ids[2]")
            unknown = self.body(ids, apply=True)
            unknown["drivers"][1]["driver_id"] = "drv_nope"
            self.assertError(post(unknown), 404, "not_found", "drivers[1].driver_id")
            self.assertError(post({}), 400, "missing_field", "date")
            self.assertError(post(self.body(ids, apply=True, time_limit_s=31)), 400, "invalid_field", "time_limit_s")
            self.assertError(post(self.body(ids, apply=True, time_limit_s=0)), 400, "invalid_field", "time_limit_s")
            self.assertError(post(self.body(ids, apply=True, drivers=[])), 400, "invalid_field", "drivers")
            self.assertError(post(self.body(ids + ids[:1], apply=True)), 400, "invalid_field", "shipment_ids[2]")
            backwards = self.body(ids, apply=True)
            backwards["drivers"][0]["shift"] = {"start": SHIFT["end"], "end": SHIFT["start"]}
            self.assertError(post(backwards), 400, "invalid_field", "drivers[0].shift.end")
            self.assertError(post(self.body(ids, apply=True, date="23/11/2026")), 400, "invalid_field", "date")
            self.assertError(post(self.body(ids, apply=True), token=driver_token), 403, "forbidden")
            self.assertError(oversized(self.server, "/v1/optimize", self.key), 413, "too_large")

    def test_a_shipment_routed_while_the_plan_is_solved_fails_the_whole_apply(self):
        ids = [self.shipment(p) for p in POINTS]
        rival = make_driver(self.server, self.key, name="Rival")["id"]
        for attempt in range(5):
            answer = {}
            apply = threading.Thread(target=lambda: answer.update(reply=self.server.request(
                "POST", "/v1/optimize", self.body(ids, apply=True, time_limit_s=3), token=self.key)))
            apply.start()
            time.sleep(0.3)  # the apply has read the shipments and is solving (seconds, not milliseconds)
            # While it solves, another optimization is refused: proof that it is between reading and writing.
            probe = self.server.request("POST", "/v1/optimize", self.body(ids[:1], time_limit_s=0.1), token=self.key)
            if probe.status != 503:
                apply.join()
                continue  # the probe took the solve slot first (the apply got 503): try again
            taken = make_route(self.server, self.key, rival, [ids[3]])
            apply.join()
            break
        else:
            self.fail("the apply never solved while the probe ran")
        err = self.assertError(answer["reply"], 409, "conflict")
        self.assertIn(ids[3], err["message"])
        self.assertRegex(err["field"], r"^routes\[\d+\]\.stops\[\d+\]\.shipment_ids\[0\]$")
        # Nothing of the plan was written: the day has only the rival's route, the other shipments no route.
        self.assertEqual([r["id"] for r in self.routes_of_day()], [taken["id"]])
        for i in ids:
            sh = self.assertStatus(self.server.request("GET", f"/v1/shipments/{i}", token=self.key), 200)
            self.assertEqual(sh.get("route_id"), taken["id"] if i == ids[3] else None, i)
        # Planned again, the routed shipment is skipped and the rest is applied.
        again = self.assertStatus(self.server.request("POST", "/v1/optimize", self.body(ids, apply=True),
                                                      token=self.key), 201)
        self.assertEqual(again["unassigned"], [{"shipment_id": ids[3], "reason": "on_route"}])
        self.assertEqual(again["summary"]["stops"], len(ids) - 1)

    def test_idempotency_key_replays_an_applied_plan(self):
        ids = [self.shipment(p) for p in POINTS[:3]]
        headers = {"Idempotency-Key": unique("plan")}
        post = lambda body: self.server.request("POST", "/v1/optimize", body, token=self.key, headers=headers)
        first = self.assertStatus(post(self.body(ids, apply=True)), 201)
        replay = post(self.body(ids, apply=True))
        self.assertEqual(replay.status, 201)
        self.assertEqual(replay.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(replay.body, first)
        self.assertEqual(len(self.routes_of_day()), len(first["routes"]))
        self.assertError(post(self.body(ids, apply=True, seed=2)), 409, "idempotency_conflict", "Idempotency-Key")
        bad = self.server.request("POST", "/v1/optimize", self.body(ids, apply=True), token=self.key,
                                  headers={"Idempotency-Key": "k" * 201})
        self.assertError(bad, 400, "invalid_field", "Idempotency-Key")
        self.assertEqual(len(self.routes_of_day()), len(first["routes"]))


    def test_soft_windows_plan_late_stops_and_report_their_lateness(self):
        # Six stops of 10 minutes that all promise 08:00–08:05: most can only be served late.
        ids = [self.shipment(p, start="08:00", end="08:05") for p in POINTS]
        window_end = parse(f"{DATE}T08:05:00Z")
        hard = self.assertStatus(self.server.request("POST", "/v1/optimize", self.body(ids, service_s=600),
                                                     token=self.key), 200)
        self.assertGreater(len(hard["unassigned"]), 0)  # hard windows (the default) leave them out
        self.assertNotIn("lateness_s", hard["summary"])
        for r in hard["routes"]:
            self.assertNotIn("lateness_s", r)
            self.assertEqual(r["breaks"], [])
            for s in r["stops"]:
                self.assertNotIn("lateness_s", s)
        soft = self.assertStatus(self.server.request("POST", "/v1/optimize",
                                                     self.body(ids, service_s=600, lateness_penalty=1),
                                                     token=self.key), 200)
        self.assertEqual(soft["unassigned"], [])
        self.assertEqual(soft["summary"]["stops"], len(ids))
        total = 0.0
        for r in soft["routes"]:
            route_sum = 0.0
            previous_end = parse(r["start_at"])
            for s in r["stops"]:
                eta = parse(s["eta"])
                self.assertGreaterEqual(eta, previous_end)  # never before the previous service ended
                # Independent recomputation: how far the returned eta is past the promised window's end.
                expected = max(0.0, (eta - window_end).total_seconds())
                self.assertAlmostEqual(s["lateness_s"], expected, delta=1, msg=s)
                route_sum += expected
                previous_end = eta + datetime.timedelta(seconds=s["service_s"])
            self.assertLessEqual(previous_end, parse(r["end_at"]))
            self.assertAlmostEqual(r["lateness_s"], route_sum, delta=len(r["stops"]))
            total += route_sum
        self.assertAlmostEqual(soft["summary"]["lateness_s"], total, delta=len(ids))
        # However the six are split between the two drivers, at least 2 × (300 + 900) s: a driver's second
        # stop starts at 08:10 at the earliest (300 s late), the third at 08:20 (900 s).
        self.assertGreaterEqual(total, 2 * 1200)

    def test_breaks_land_inside_a_window_with_their_duration_and_are_stored_on_apply(self):
        ids = [self.shipment(p) for p in POINTS]
        breaks = {self.drivers[0]: [{"id": "lunch", "duration_s": 1800,
                                     "windows": [{"start": f"{DATE}T10:00:00Z", "end": f"{DATE}T10:10:00Z"},
                                                 {"start": f"{DATE}T11:00:00Z", "end": f"{DATE}T11:30:00Z"}]},
                                    {"id": "coffee", "duration_s": 600,
                                     "windows": [{"start": f"{DATE}T08:30:00Z", "end": f"{DATE}T09:00:00Z"}]}],
                  self.drivers[1]: [{"id": "lunch", "duration_s": 2700,
                                     "windows": [{"start": f"{DATE}T09:30:00Z", "end": f"{DATE}T09:40:00Z"}]}]}
        body = self.body(ids, service_s=900)
        for d in body["drivers"]:
            d["breaks"] = breaks[d["driver_id"]]
        plan = self.assertStatus(self.server.request("POST", "/v1/optimize", body, token=self.key), 200)
        self.assertEqual(plan["unassigned"], [])
        self.assertTrue(plan["routes"])
        for r in plan["routes"]:
            wanted = {b["id"]: b for b in breaks[r["driver_id"]]}
            self.assertEqual(sorted(b["id"] for b in r["breaks"]), sorted(wanted))  # each taken once
            for b in r["breaks"]:
                spec = wanted[b["id"]]
                start, end = parse(b["start_at"]), parse(b["end_at"])
                self.assertEqual((end - start).total_seconds(), spec["duration_s"], b)
                self.assertTrue(any(parse(w["start"]) <= start <= parse(w["end"]) for w in spec["windows"]), b)
                self.assertGreaterEqual(b["waiting_s"], 0)
                k = b["after_stops"]
                self.assertTrue(0 <= k <= len(r["stops"]), b)
                # It sits between the services of stops k-1 and k (taken on arrival at stop k).
                if k > 0:
                    prev = r["stops"][k - 1]
                    self.assertLessEqual(parse(prev["eta"]) + datetime.timedelta(seconds=prev["service_s"]), start)
                else:
                    self.assertLessEqual(parse(r["start_at"]), start)
                if k < len(r["stops"]):
                    self.assertLessEqual(end, parse(r["stops"][k]["eta"]))
                else:
                    self.assertLessEqual(end, parse(r["end_at"]))
        applied = self.assertStatus(self.server.request("POST", "/v1/optimize", dict(body, apply=True),
                                                        token=self.key), 201)
        for r in applied["routes"]:
            self.assertTrue(r["breaks"])
            stored = self.assertStatus(self.server.request("GET", f"/v1/routes/{r['route_id']}", token=self.key), 200)
            # Only the shipments' stops are stored as stops: a break is no stop, it is one of the route's
            # breaks, with its place, duration and the window the plan starts it in (live ETAs include it).
            self.assertEqual([s["shipment_ids"] for s in stored["stops"]], [s["shipment_ids"] for s in r["stops"]])
            wanted = {b["id"]: b for b in breaks[r["driver_id"]]}
            self.assertEqual([b["id"] for b in stored["breaks"]], [b["id"] for b in r["breaks"]])
            for planned, kept in zip(r["breaks"], stored["breaks"]):
                self.assertEqual(kept["after_stops"], planned["after_stops"])
                self.assertEqual(kept["duration_s"], wanted[kept["id"]]["duration_s"])
                self.assertTrue(any((parse(w["start"]), parse(w["end"])) ==
                                    (parse(kept["window"]["start"]), parse(kept["window"]["end"]))
                                    for w in wanted[kept["id"]]["windows"]), kept)
                self.assertLessEqual(parse(kept["window"]["start"]), parse(planned["start_at"]))
                self.assertLessEqual(parse(planned["start_at"]), parse(kept["window"]["end"]))

    def test_bad_breaks_or_lateness_penalty_are_refused_and_change_nothing(self):
        ids = [self.shipment(p) for p in POINTS[:2]]
        reads = [(self.key, f"/v1/routes?date={DATE}")] + [(self.key, f"/v1/shipments/{i}") for i in ids]

        def window(start, end):
            return {"start": f"{DATE}T{start}:00Z", "end": f"{DATE}T{end}:00Z"}

        def with_breaks(*items):
            b = self.body(ids, apply=True)
            b["drivers"][0]["breaks"] = list(items)
            return b

        lunch = {"id": "lunch", "duration_s": 1800, "windows": [window("11:00", "12:00")]}
        with self.unchanged(*reads):
            post = lambda body: self.server.request("POST", "/v1/optimize", body, token=self.key)
            self.assertError(post(self.body(ids, apply=True, lateness_penalty=-1)), 400, "invalid_field",
                             "lateness_penalty")
            self.assertError(post(self.body(ids, apply=True, lateness_penalty=2e6)), 400, "invalid_field",
                             "lateness_penalty")
            self.assertError(post(self.body(ids, apply=True, lateness_penalty="1")), 400, "wrong_type",
                             "lateness_penalty")
            four = [dict(lunch, id=f"b{i}") for i in range(4)]
            self.assertError(post(with_breaks(*four)), 413, "too_large", "drivers[0].breaks")
            five = dict(lunch, windows=[window(f"{h:02d}:00", f"{h:02d}:30") for h in range(8, 13)])
            self.assertError(post(with_breaks(five)), 413, "too_large", "drivers[0].breaks[0].windows")
            self.assertError(post(with_breaks({"id": "lunch", "windows": lunch["windows"]})), 400, "missing_field",
                             "drivers[0].breaks[0].duration_s")
            self.assertError(post(with_breaks(dict(lunch, duration_s=0))), 400, "invalid_field",
                             "drivers[0].breaks[0].duration_s")
            self.assertError(post(with_breaks(dict(lunch, windows=[]))), 400, "invalid_field",
                             "drivers[0].breaks[0].windows")
            self.assertError(post(with_breaks(dict(lunch, windows=[window("12:00", "11:00")]))), 400,
                             "invalid_field", "drivers[0].breaks[0].windows[0].end")
            self.assertError(post(with_breaks(dict(lunch, windows=[window("11:00", "12:00"), window("11:30", "13:00")]))),
                             400, "invalid_field", "drivers[0].breaks[0].windows[1].start")
            self.assertError(post(with_breaks(dict(lunch, windows=[window("15:00", "16:00")]))), 400,
                             "invalid_field", "drivers[0].breaks[0].windows[0]")  # after the 14:00 shift end
            self.assertError(post(with_breaks(lunch, dict(lunch))), 400, "invalid_field", "drivers[0].breaks[1].id")
            self.assertError(post(with_breaks("lunch")), 400, "wrong_type", "drivers[0].breaks[0]")
            self.assertError(post(with_breaks(dict(lunch, windows=[{"start": "noon", "end": "13:00"}]))), 400,
                             "invalid_field", "drivers[0].breaks[0].windows[0].start")

class OptimizeApplyCrashTest(ServerTestCase):
    """An applied plan is durable: kill -9 right after the 201, every route of it (stops and breaks) is there after
    the restart."""

    @classmethod
    def setUpClass(cls):
        cls.server_options = {"extra_args": ["--map", monaco_graph()]}
        super().setUpClass()

    def test_every_route_of_an_applied_plan_survives_kill_9(self):
        key = make_tenant(self.server)["api_key"]
        drivers = [make_driver(self.server, key, name=f"Driver {i}")["id"] for i in range(3)]
        # Three stops of 10 minutes that must all start between 09:00 and 09:05: one route each.
        windows = [("09:00", "09:05"), ("09:00", "09:05"), ("09:00", "09:05"), ("11:00", "12:00"),
                   ("11:00", "12:00"), ("12:00", "13:00")]
        ids = [make_shipment(self.server, key, external_order_id=unique("ord"), address=address(p),
                             promised={"start": f"{DATE}T{a}:00Z", "end": f"{DATE}T{b}:00Z"})["id"]
               for p, (a, b) in zip(POINTS, windows)]
        body = {"date": DATE, "time_limit_s": 0.2, "shipment_ids": ids, "service_s": 600, "apply": True,
                "drivers": [{"driver_id": d, "shift": SHIFT, "start": DEPOT,
                             "breaks": [{"id": "lunch", "duration_s": 1800,
                                         "windows": [{"start": f"{DATE}T10:00:00Z", "end": f"{DATE}T13:00:00Z"}]}]}
                            for d in drivers]}
        applied = self.assertStatus(self.server.request("POST", "/v1/optimize", body, token=key), 201)
        self.assertEqual(len(applied["routes"]), 3)
        self.assertEqual(applied["unassigned"], [])
        self.server.restart(graceful=False)
        for r in applied["routes"]:
            stored = self.assertStatus(self.server.request("GET", f"/v1/routes/{r['route_id']}", token=key), 200)
            self.assertEqual([s["shipment_ids"] for s in stored["stops"]], [s["shipment_ids"] for s in r["stops"]])
            # The breaks were written in the same transaction as the stops.
            self.assertEqual([(b["id"], b["after_stops"]) for b in stored["breaks"]],
                             [(b["id"], b["after_stops"]) for b in r["breaks"]])
            self.assertEqual([b["id"] for b in stored["breaks"]], ["lunch"])
        for i in ids:
            sh = self.assertStatus(self.server.request("GET", f"/v1/shipments/{i}", token=key), 200)
            self.assertIsNotNone(sh.get("route_id"), i)


class ReplanApiTest(ServerTestCase):
    """A started route whose order makes a stop late; the driver's last ping is at the depot."""

    @classmethod
    def setUpClass(cls):
        cls.server_options = {"extra_args": ["--map", monaco_graph()]}
        super().setUpClass()

    def setUp(self):
        s = self.server
        self.key = make_tenant(s)["api_key"]
        self.drivers = [make_driver(s, self.key, name=f"Driver {i}") for i in range(2)]
        self.now = time.time()
        wide = {"start": iso(self.now - 3600), "end": iso(self.now + 6 * 3600)}
        tight = {"start": iso(self.now - 3600), "end": iso(self.now + 20 * 60)}
        self.ids = []
        for i, p in enumerate(POINTS[:4]):
            sh = make_shipment(s, self.key, external_order_id=unique("ord"), address=address(p),
                               promised=tight if i == 3 else wide)
            for m in ("processed", "shipped"):
                post_event(s, self.key, sh["id"], m)
            self.ids.append(sh["id"])
        # The tight stop last, after three stops of 15 minutes each: late.
        self.route = self.make_route(self.drivers[0], self.ids)
        expect(s.request("POST", f"/v1/routes/{self.route['id']}/start", token=self.key), 200, "start")
        fix = [{"t": iso(self.now - 30), "lat": DEPOT["lat"], "lon": DEPOT["lon"], "accuracy": 8}]
        expect(s.request("POST", "/v1/pings", fix, token=self.drivers[0]["device_token"]), 200, "ping")

    def make_route(self, driver, ids):
        body = {"driver_id": driver["id"], "date": DATE, "depot": DEPOT,
                "stops": [{"shipment_ids": [i], "service_s": 900} for i in ids]}
        return expect(self.server.request("POST", "/v1/routes", body, token=self.key), 201, "route")

    def get(self, path):
        return self.assertStatus(self.server.request("GET", path, token=self.key), 200)

    def test_resequence_fixes_the_late_stop_and_apply_announces_the_new_etas(self):
        path = f"/v1/routes/{self.route['id']}/resequence"
        preview = self.assertStatus(self.server.request("POST", path, {"time_limit_s": 1}, token=self.key), 200)
        self.assertEqual(preview["source"], "road_network")
        self.assertFalse(preview["applied"])
        self.assertTrue(preview["improved"])
        self.assertEqual(preview["before"]["late_stops"], 1)
        self.assertEqual(preview["before"]["stops"][3]["shipment_ids"], [self.ids[3]])
        self.assertGreater(preview["before"]["stops"][3]["late_s"], 0)
        self.assertEqual(preview["after"]["late_stops"], 0)
        after_ids = [st["shipment_ids"][0] for st in preview["after"]["stops"]]
        self.assertEqual(sorted(after_ids), sorted(self.ids))
        stored = self.get(f"/v1/routes/{self.route['id']}")
        self.assertEqual([st["shipment_ids"][0] for st in stored["stops"]], self.ids)  # a preview writes nothing

        applied = self.assertStatus(self.server.request("POST", path, {"time_limit_s": 1, "apply": True},
                                                        token=self.key), 200)
        self.assertTrue(applied["applied"])
        self.assertEqual([st["shipment_ids"][0] for st in applied["after"]["stops"]], after_ids)
        stored = self.get(f"/v1/routes/{self.route['id']}")
        self.assertEqual([st["shipment_ids"][0] for st in stored["stops"]], after_ids)
        self.assertEqual([st["sequence"] for st in stored["stops"]], list(range(4)))
        self.assertTrue(all(st["eta"] for st in stored["stops"]))
        # The tight stop moved forward by at least two stops of 15 minutes: its customer hears of it.
        events = self.get(f"/v1/shipments/{self.ids[3]}/events")["items"]
        changed = [e for e in events if e["type"] == "eta_changed"]
        self.assertEqual(len(changed), 1)
        self.assertEqual(changed[0]["payload"]["reason"], "replanned")
        self.assertLess(changed[0]["payload"]["shift_minutes"], -20)

    def test_resequence_moves_a_break_inside_its_window_and_apply_stores_its_new_place(self):
        s = self.server
        ids = []
        for point, minutes in ((POINTS[4], 10), (POINTS[5], 30)):
            sh = make_shipment(s, self.key, external_order_id=unique("ord"), address=address(point),
                               promised={"start": iso(self.now - 3600), "end": iso(self.now + minutes * 60)})
            for m in ("processed", "shipped"):
                post_event(s, self.key, sh["id"], m)
            ids.append(sh["id"])
        # A 30-minute lunch between the two stops makes the second late; the lunch may start any time in
        # the next hour, so after both stops it fits.
        lunch = {"id": "lunch", "after_stops": 1, "duration_s": 1800,
                 "window": {"start": iso(self.now - 60), "end": iso(self.now + 3600)}}
        body = {"driver_id": self.drivers[1]["id"], "date": DATE, "depot": DEPOT, "breaks": [lunch],
                "stops": [{"shipment_ids": [i], "service_s": 900} for i in ids]}
        route = expect(s.request("POST", "/v1/routes", body, token=self.key), 201, "route")
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=self.key), 200, "start")
        fix = [{"t": iso(self.now - 30), "lat": DEPOT["lat"], "lon": DEPOT["lon"], "accuracy": 8}]
        expect(s.request("POST", "/v1/pings", fix, token=self.drivers[1]["device_token"]), 200, "ping")

        path = f"/v1/routes/{route['id']}/resequence"
        preview = self.assertStatus(s.request("POST", path, {"time_limit_s": 1}, token=self.key), 200)
        self.assertEqual(preview["before"]["late_stops"], 1)
        self.assertEqual([(b["id"], b["after_stops"]) for b in preview["before"]["breaks"]], [("lunch", 1)])
        self.assertTrue(preview["improved"])
        self.assertEqual(preview["after"]["late_stops"], 0)
        self.assertEqual([(b["id"], b["after_stops"]) for b in preview["after"]["breaks"]], [("lunch", 2)])
        self.assertEqual(self.get(f"/v1/routes/{route['id']}")["breaks"], [lunch])  # a preview writes nothing

        applied = self.assertStatus(s.request("POST", path, {"time_limit_s": 1, "apply": True}, token=self.key), 200)
        self.assertTrue(applied["applied"])
        stored = self.get(f"/v1/routes/{route['id']}")
        self.assertEqual(stored["breaks"], [dict(lunch, after_stops=2)])
        self.assertEqual([st["shipment_ids"][0] for st in stored["stops"]],
                         [st["shipment_ids"][0] for st in applied["after"]["stops"]])

    def test_reassign_moves_a_stop_to_the_cheapest_route(self):
        other = self.make_route(self.drivers[1], [make_shipment(self.server, self.key, external_order_id=unique("o"),
                                                                address=address(POINTS[4]))["id"]])
        body = {"from_route": self.route["id"], "shipment_ids": [self.ids[1]], "to_routes": [other["id"]]}
        preview = self.assertStatus(self.server.request("POST", "/v1/routes/reassign", body, token=self.key), 200)
        moved_stop = self.route["stops"][1]["id"]
        # A handover is flagged when the stop's parcels are already on the first van (out for delivery).
        loaded = self.get(f"/v1/shipments/{self.ids[1]}")["status"] in ("out_for_delivery", "arriving")
        self.assertEqual(preview["moved"], [{"stop_id": moved_stop, "to_route": other["id"], "handover": loaded}])
        self.assertEqual(len(preview["from_route"]["after"]["stops"]), 3)
        self.assertEqual(len(preview["to_routes"][0]["after"]["stops"]), 2)
        self.assertEqual(len(self.get(f"/v1/routes/{self.route['id']}")["stops"]), 4)

        applied = self.assertStatus(self.server.request("POST", "/v1/routes/reassign", dict(body, apply=True),
                                                        token=self.key), 200)
        self.assertTrue(applied["applied"])
        source = self.get(f"/v1/routes/{self.route['id']}")
        target = self.get(f"/v1/routes/{other['id']}")
        self.assertNotIn(moved_stop, [st["id"] for st in source["stops"]])
        self.assertIn(moved_stop, [st["id"] for st in target["stops"]])
        self.assertEqual([st["sequence"] for st in source["stops"]], list(range(3)))
        self.assertEqual([st["sequence"] for st in target["stops"]], list(range(2)))
        self.assertEqual(self.get(f"/v1/shipments/{self.ids[1]}")["route_id"], other["id"])

    def test_reassign_keeps_the_breaks_between_the_same_stops_and_apply_stores_them(self):
        s = self.server
        driver = make_driver(s, self.key, name="Driver 2")
        wide = {"start": iso(self.now - 3600), "end": iso(self.now + 6 * 3600)}
        ids = [make_shipment(s, self.key, external_order_id=unique("o"), address=address(p), promised=wide)["id"]
               for p in (POINTS[4], POINTS[5], POINTS[0])]
        lunch = {"id": "lunch", "after_stops": 2, "duration_s": 1800, "window": None}
        body = {"driver_id": driver["id"], "date": DATE, "depot": DEPOT, "breaks": [dict(lunch, window=None)],
                "stops": [{"shipment_ids": [i], "service_s": 300} for i in ids]}
        source = expect(s.request("POST", "/v1/routes", body, token=self.key), 201, "route")
        other = self.make_route(self.drivers[1], [make_shipment(s, self.key, external_order_id=unique("o"),
                                                                address=address(POINTS[2]), promised=wide)["id"]])
        # The first stop leaves: the lunch stays between the two stops that were second and third.
        move = {"from_route": source["id"], "stop_ids": [source["stops"][0]["id"]], "to_routes": [other["id"]]}
        preview = self.assertStatus(s.request("POST", "/v1/routes/reassign", move, token=self.key), 200)
        self.assertEqual(len(preview["moved"]), 1)
        self.assertEqual(preview["from_route"]["before"]["breaks"], [lunch])
        self.assertEqual(preview["from_route"]["after"]["breaks"], [dict(lunch, after_stops=1)])
        self.assertEqual(preview["to_routes"][0]["after"]["breaks"], [])
        self.assertEqual(self.get(f"/v1/routes/{source['id']}")["breaks"], [lunch])  # a preview writes nothing

        applied = self.assertStatus(s.request("POST", "/v1/routes/reassign", dict(move, apply=True), token=self.key),
                                    200)
        self.assertTrue(applied["applied"])
        stored = self.get(f"/v1/routes/{source['id']}")
        self.assertEqual([st["shipment_ids"][0] for st in stored["stops"]], ids[1:])
        self.assertEqual(stored["breaks"], [dict(lunch, after_stops=1)])

    def test_bad_input_is_refused_and_changes_nothing(self):
        s = self.server
        stranger = make_tenant(s)["api_key"]
        foreign = make_route(s, stranger, make_driver(s, stranger)["id"],
                             [make_shipment(s, stranger, external_order_id=unique("o"))["id"]])
        other = self.make_route(self.drivers[1], [make_shipment(s, self.key, external_order_id=unique("o"),
                                                                address=address(POINTS[4]))["id"]])
        reseq = f"/v1/routes/{self.route['id']}/resequence"
        reads = [(self.key, f"/v1/routes/{self.route['id']}"), (self.key, f"/v1/routes/{other['id']}")] + \
                [(self.key, f"/v1/shipments/{i}/events") for i in self.ids]
        with self.unchanged(*reads):
            post = lambda path, body, token=self.key: s.request("POST", path, body, token=token)
            self.assertError(post("/v1/routes/rte_nope/resequence", {"apply": True}), 404, "not_found")
            self.assertError(post(f"/v1/routes/{foreign['id']}/resequence", {"apply": True}), 404, "not_found")
            self.assertError(post(reseq, {"apply": True, "time_limit_s": 31}), 400, "invalid_field", "time_limit_s")
            self.assertError(post(reseq, {"apply": True, "time_limit_s": 0.01}), 400, "invalid_field", "time_limit_s")
            self.assertError(post(reseq, {"apply": "yes"}), 400, "wrong_type", "apply")
            self.assertError(post(reseq, {"apply": True}, token=self.drivers[0]["device_token"]), 403, "forbidden")
            self.assertError(oversized(s, reseq, self.key), 413, "too_large")
            self.assertError(oversized(s, "/v1/routes/reassign", self.key), 413, "too_large")
            move = {"from_route": self.route["id"], "to_routes": [other["id"]], "apply": True}
            self.assertError(post("/v1/routes/reassign", dict(move, from_route="rte_nope")), 404, "not_found",
                             "from_route")
            self.assertError(post("/v1/routes/reassign", dict(move, to_routes=[foreign["id"]])), 404, "not_found",
                             "to_routes[0]")
            self.assertError(post("/v1/routes/reassign", dict(move, stop_ids=["stp_nope"])), 404, "not_found",
                             "stop_ids[0]")
            self.assertError(post("/v1/routes/reassign", dict(move, to_routes=[])), 400, "invalid_field", "to_routes")
            self.assertError(post("/v1/routes/reassign", dict(move, to_routes=[self.route["id"]])), 400,
                             "invalid_field", "to_routes[0]")
            self.assertError(post("/v1/routes/reassign", dict(move, time_limit_s=31)), 400, "invalid_field",
                             "time_limit_s")
            self.assertError(post("/v1/routes/reassign", {}), 400, "missing_field", "from_route")


class WithoutMapTest(ServerTestCase):
    """Without --map the same routes plan on great-circle estimates and say so."""

    def test_plan_and_resequence_on_great_circle_estimates(self):
        key = make_tenant(self.server)["api_key"]
        driver = make_driver(self.server, key)["id"]
        ids = [make_shipment(self.server, key, external_order_id=unique("ord"), address=address(p),
                             promised={"start": f"{DATE}T09:00:00Z", "end": f"{DATE}T12:00:00Z"})["id"]
               for p in POINTS[:3]]
        body = {"date": DATE, "time_limit_s": 0.2, "shipment_ids": ids, "apply": True,
                "drivers": [{"driver_id": driver, "shift": SHIFT, "start": DEPOT}]}
        plan = self.assertStatus(self.server.request("POST", "/v1/optimize", body, token=key), 201)
        self.assertEqual(plan["source"], "great_circle")
        self.assertEqual(plan["summary"]["stops"], 3)
        route_id = plan["routes"][0]["route_id"]
        again = self.assertStatus(self.server.request("POST", f"/v1/routes/{route_id}/resequence", {}, token=key), 200)
        self.assertEqual(again["source"], "great_circle")
        self.assertEqual(len(again["before"]["stops"]), 3)
        self.assertEqual(again["from"], DEPOT)  # a planned route starts at its depot


if __name__ == "__main__":
    unittest.main()
