"""Geofences and location privacy through the real server: a recorded drive in Monaco — depot, stop 1,
stop 2 — sent by the driver app as batches to POST /v1/pings, with GPS jitter around the fence
boundaries, late and duplicate points. The route's stops get their arrival and departure times, the
shipments their automatic milestones, and the public tracking view shows the driver's position only
as the privacy rules allow (a test per rule)."""

import math
import random
import time
import unittest

from lastmile_server import (SHIPMENT_BODY, ServerTestCase, expect, iso, make_driver, make_shipment, make_tenant,
                             wait_for_status)

DEPOT = (43.7350, 7.4210)
STOP1 = (43.7384, 7.4246)  # shipment A
STOP2 = (43.7412, 7.4283)  # shipment B
RADIUS_M = 60


def shipment_at(server, key, point):
    """A shipment promised for today around now: its ETA is never late (no late_risk in the history)."""
    address = dict(SHIPMENT_BODY["address"], lat=point[0], lon=point[1])
    now = time.time()
    return make_shipment(server, key, address=address, promised={"start": iso(now - 7200), "end": iso(now + 7200)})


def offset(point, north_m, east_m):
    lat, lon = point
    return (lat + north_m / 111_320.0, lon + east_m / (111_320.0 * math.cos(math.radians(lat))))


class Drive:
    """Fix times and positions of one recorded drive, one fix every 3 s, deterministic jitter."""

    def __init__(self, start_epoch, seed=7):
        self.t = start_epoch
        self.rng = random.Random(seed)
        self.fixes = []

    def stay(self, point, seconds, jitter_m=12):
        for _ in range(int(seconds // 3)):
            p = offset(point, self.rng.uniform(-jitter_m, jitter_m), self.rng.uniform(-jitter_m, jitter_m))
            self.add(p)

    def boundary(self, point, seconds):
        """Hovering around the fence edge (radius ± 15 m) without ever leaving the exit margin."""
        for _ in range(int(seconds // 3)):
            d = RADIUS_M + self.rng.uniform(-15, 15)
            a = self.rng.uniform(0, 2 * math.pi)
            self.add(offset(point, d * math.cos(a), d * math.sin(a)))

    def drive(self, a, b, seconds):
        n = int(seconds // 3)
        for i in range(1, n + 1):
            f = i / n
            self.add((a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f))

    def add(self, p):
        self.t += 3
        self.fixes.append({"t": iso(self.t), "lat": round(p[0], 7), "lon": round(p[1], 7), "accuracy": 8,
                           "speed": 5.0})

    def take(self):
        out, self.fixes = self.fixes, []
        return out


class GeofenceAndPrivacyTest(ServerTestCase):
    server_options = {"extra_args": ["--track-cache-ttl-ms", "0"]}

    def setUp(self):
        s = self.server
        tenant = make_tenant(s, show_driver_within_stops=1, geofence_radius_m=RADIUS_M)
        self.key = key = tenant["api_key"]
        self.driver = make_driver(s, key, name="Giulia Bianchi")
        self.device = self.driver["device_token"]
        self.a = shipment_at(s, key, STOP1)
        self.b = shipment_at(s, key, STOP2)
        for sid in (self.a["id"], self.b["id"]):
            for m in ("processed", "shipped"):
                expect(s.request("POST", f"/v1/shipments/{sid}/events", {"type": m}, token=key), 201, m)
        self.route = expect(s.request("POST", "/v1/routes", {
            "driver_id": self.driver["id"], "date": "2026-11-22", "depot": {"lat": DEPOT[0], "lon": DEPOT[1]},
            "stops": [{"shipment_ids": [self.a["id"]]}, {"shipment_ids": [self.b["id"]]}]}, token=key),
            201, "route")
        expect(s.request("POST", f"/v1/routes/{self.route['id']}/start", token=key), 200, "start")
        # The drive happened in the last minutes (the filter refuses fixes from the future).
        self.trip = Drive(time.time() - 1200)

    def send(self, fixes, token=None):
        ack = expect(self.server.request("POST", "/v1/pings", fixes, token=token or self.device), 200, "pings")
        self.assertEqual(ack["rejected"], [], "a recorded drive has no rejected fix")
        return ack

    def view(self, shipment):
        return expect(self.server.request("GET", f"/v1/track/{shipment['tracking_token']}"), 200, "track")

    def position(self, shipment):
        return (self.view(shipment).get("driver") or {}).get("position")

    def stops(self):
        return expect(self.server.request("GET", f"/v1/routes/{self.route['id']}", token=self.key), 200,
                      "route")["stops"]

    def wait_stop(self, index, field, status=None):
        """The stop once `field` is set (and, given `status`, once it has that status)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            stop = self.stops()[index]
            if stop[field] and (status is None or stop["status"] == status):
                return stop
            time.sleep(0.05)
        self.fail(f"stop {index} never got {field}" + (f" with status {status}" if status else ""))

    def test_a_recorded_drive_sets_stop_times_and_milestones_and_the_position_follows_the_privacy_rules(self):
        s, trip = self.server, self.trip
        trip.stay(DEPOT, 60)
        self.send(trip.take())
        time.sleep(0.2)
        # Rule 1: before out_for_delivery nobody sees the driver.
        self.assertEqual(self.view(self.a)["status"], "shipped")
        self.assertIsNone(self.position(self.a))
        self.assertEqual((self.view(self.a).get("driver") or {}).get("first_name"), "Giulia")

        trip.drive(DEPOT, STOP1, 90)
        self.send(trip.take())
        self.assertEqual(wait_for_status(s, self.key, self.a["id"], "arriving"), "arriving")
        self.assertEqual(wait_for_status(s, self.key, self.b["id"], "out_for_delivery"), "out_for_delivery")
        # Rule 2: only the next stop's customer sees the position; the first name only.
        pos = self.position(self.a)
        self.assertIsNotNone(pos)
        self.assertAlmostEqual(pos["lat"], STOP1[0], delta=0.002)
        self.assertIsNone(self.position(self.b), "stop 2 is not among the next 1 stop")
        self.assertNotIn("name", self.view(self.a)["driver"])

        # A long jittery stay at stop 1, including fixes hovering at the fence edge: one arrival.
        trip.stay(STOP1, 60)
        trip.boundary(STOP1, 45)
        trip.stay(STOP1, 30)
        batch = trip.take()
        self.send(batch[:20])
        dup = self.send(batch[10:20])  # the app re-sends after a lost acknowledgement
        self.assertEqual(dup["duplicates"], 10)
        self.assertEqual(dup["stored"], 0)
        self.send(batch[20:])
        stop1 = self.wait_stop(0, "arrived_at")
        self.assertEqual(stop1["status"], "arrived")
        self.assertIsNone(stop1["departed_at"], "hovering at the edge is not a departure")

        # The delivery, then leaving: stop 2 becomes the next one.
        expect(s.request("POST", f"/v1/shipments/{self.a['id']}/events", {"type": "delivered"}, token=self.device),
               201, "delivered")
        trip.drive(STOP1, STOP2, 90)
        self.send(trip.take())
        # The delivery reaches the route's view asynchronously: whether before or after the departure fix
        # is processed, the stop ends completed (tracking::on_shipment_status).
        stop1 = self.wait_stop(0, "departed_at", status="completed")
        self.assertLess(stop1["arrived_at"], stop1["departed_at"])
        self.assertEqual(wait_for_status(s, self.key, self.b["id"], "arriving"), "arriving")
        # Rule 3: never after delivery; the next customer's turn.
        self.assertIsNone(self.position(self.a))
        self.assertIsNotNone(self.position(self.b))

        # A late batch (older fixes arriving after newer ones) is kept but moves no fence.
        late = [{"t": iso(trip.t - 600), "lat": DEPOT[0], "lon": DEPOT[1], "accuracy": 8}]
        ack = self.send(late)
        self.assertEqual(ack["late"], 1)
        time.sleep(0.2)
        self.assertEqual(self.stops()[0]["status"], "completed")

        events = expect(s.request("GET", f"/v1/shipments/{self.a['id']}/events", token=self.key), 200, "events")
        # The parcel was never scanned: leaving the completed stop adds missing_scan (tests/integration/
        # test_custody.py covers it); this test is about the geofence's own events.
        types = [e["type"] for e in events["items"] if e["type"] != "missing_scan"]
        self.assertEqual(types, ["created", "processed", "shipped", "out_for_delivery", "arriving",
                                 "driver_arrived", "delivered"])
        self.assertEqual(types.count("driver_arrived"), 1, "jitter at the boundary never flaps")

    def test_a_customer_sees_no_position_with_a_zero_stop_rule(self):
        s = self.server
        tenant = make_tenant(s, show_driver_within_stops=0)
        key = tenant["api_key"]
        driver = make_driver(s, key, name="Ada Nobody")
        sh = shipment_at(s, key, STOP1)
        route = expect(s.request("POST", "/v1/routes", {
            "driver_id": driver["id"], "date": "2026-11-22", "depot": {"lat": DEPOT[0], "lon": DEPOT[1]},
            "stops": [{"shipment_ids": [sh["id"]]}]}, token=key), 201, "route")
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start")
        trip = Drive(time.time() - 600)
        trip.stay(DEPOT, 30)
        trip.drive(DEPOT, STOP1, 60)
        self.send(trip.take(), token=driver["device_token"])
        self.assertEqual(wait_for_status(s, key, sh["id"], "arriving"), "arriving")
        self.assertIsNone(self.position(sh))


if __name__ == "__main__":
    unittest.main()
