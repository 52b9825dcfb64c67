"""Live ETA through the real server (docs/eta.md): a driver app's batches on the bundled Monaco road
network give the shipment's stop an ETA with its P10–P90 window in the public tracking view and on the
customer's live stream (no ids), the dispatcher's stream gets every stop's ETA, a driver's break still
ahead delays the stops after it, and a promise the driver can no longer keep raises late_risk (event
and live exception) while the drive goes on. Without
a map the ETA is a great-circle estimate and the staff message says so.
"""

import calendar
import json
import os
import time
import unittest

from lastmile_server import (DEFAULT_BIN, SHIPMENT_BODY, monaco_graph, ServerTestCase, expect, iso, make_api_key, make_driver,
                             make_route, make_shipment, make_tenant, post_event)
from ws_client import Timeout, WebSocket

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("LASTMILE_BIN", DEFAULT_BIN)

DEPOT = (43.7350, 7.4210)
STOP = (43.7412, 7.4283)  # about 1 km by road from the depot
STOP2 = (43.7396, 7.4270)  # a few hundred metres on from STOP



def fixes(start_epoch, a, b, seconds, step=3):
    """A straight drive from a to b, one fix every `step` s (the ETA only needs positions)."""
    out, n = [], max(1, int(seconds // step))
    for i in range(n + 1):
        f = i / n
        out.append({"t": iso(start_epoch + i * step), "lat": round(a[0] + (b[0] - a[0]) * f, 7),
                    "lon": round(a[1] + (b[1] - a[1]) * f, 7), "accuracy": 8, "speed": 6.0})
    return out


def next_of_type(ws, wanted, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            m = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        except Timeout:
            break
        if wanted(m):
            return m
    raise AssertionError("no such live message")


class EtaWithMapTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server_options = {"extra_args": ["--map", monaco_graph(), "--track-cache-ttl-ms", "0",
                                             "--eta-push-change-s", "0"]}
        super().setUpClass()

    def setUp(self):
        s = self.server
        self.key = make_tenant(s)["api_key"]
        self.dispatcher = make_api_key(s, self.key, "dispatcher")["api_key"]
        self.driver = make_driver(s, self.key)
        now = time.time()
        self.start = now - 600  # the drive happened in the last minutes (no fix from the future)

    def route_to(self, promised_end_epoch):
        s = self.server
        address = dict(SHIPMENT_BODY["address"], lat=STOP[0], lon=STOP[1])
        shipment = make_shipment(s, self.key, address=address,
                                 promised={"start": iso(self.start - 3600), "end": iso(promised_end_epoch)})
        for m in ("processed", "shipped"):
            post_event(s, self.key, shipment["id"], m)
        route = make_route(s, self.key, self.driver["id"], [shipment["id"]],
                           depot={"lat": DEPOT[0], "lon": DEPOT[1]})
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=self.key), 200, "start")
        return shipment, route

    def send(self, batch):
        ack = expect(self.server.request("POST", "/v1/pings", batch, token=self.driver["device_token"]), 200, "pings")
        self.assertEqual(ack["rejected"], [])

    def test_the_tracking_view_and_the_customer_stream_show_the_eta_window(self):
        s = self.server
        shipment, route = self.route_to(time.time() + 7200)
        customer = WebSocket.connect(s.port, f"/v1/live?token={shipment['tracking_token']}")
        staff = WebSocket.connect(s.port, f"/v1/live?route={route['id']}", {"Authorization": f"Bearer {self.dispatcher}"})
        self.assertEqual(json.loads(customer.recv())["type"], "ready")
        self.assertEqual(json.loads(staff.recv())["type"], "ready")
        halfway = ((DEPOT[0] + STOP[0]) / 2, (DEPOT[1] + STOP[1]) / 2)
        self.send(fixes(self.start, DEPOT, DEPOT, 30))
        self.send(fixes(self.start + 33, DEPOT, halfway, 60))

        mine = next_of_type(customer, lambda m: m["type"] == "eta")
        self.assertEqual(set(mine), {"type", "eta", "earliest", "latest"})  # no ids, no other stops
        self.assertLessEqual(mine["earliest"], mine["eta"])
        self.assertLessEqual(mine["eta"], mine["latest"])
        theirs = next_of_type(staff, lambda m: m["type"] == "eta")
        self.assertEqual(theirs["route_id"], route["id"])
        self.assertEqual(theirs["source"], "road_network")
        self.assertEqual([x["stop_id"] for x in theirs["stops"]], [route["stops"][0]["id"]])

        # The stored ETA reaches the tracking view and the route (the same value, once both batches
        # are processed: poll until they agree).
        deadline = time.monotonic() + 5
        view, stop = {}, {}
        while time.monotonic() < deadline:
            view = expect(s.request("GET", f"/v1/track/{shipment['tracking_token']}"), 200, "track")
            stop = expect(s.request("GET", f"/v1/routes/{route['id']}", token=self.key), 200, "route")["stops"][0]
            if view.get("eta") and stop["eta"] == view["eta"]["at"]:
                break
            time.sleep(0.05)
        eta = view["eta"]
        self.assertIsNotNone(eta, "the stored ETA reaches the tracking view")
        self.assertEqual(stop["eta"], eta["at"])
        self.assertEqual(stop["eta_earliest"], eta["earliest"])
        self.assertEqual(stop["eta_latest"], eta["latest"])
        self.assertLessEqual(eta["earliest"], eta["at"])
        self.assertLessEqual(eta["at"], eta["latest"])
        # About half a kilometre by road is left: a minute or a few, after the last fix.
        last_fix = self.start + 33 + 60
        at = calendar.timegm(time.strptime(eta["at"][:19], "%Y-%m-%dT%H:%M:%S"))
        self.assertGreater(at, last_fix)
        self.assertLess(at, last_fix + 900)
        customer.close()
        staff.close()

    def test_a_promise_that_cannot_be_kept_raises_late_risk_before_arrival(self):
        s = self.server
        # The window ends as the driver leaves the depot: every estimate says "late".
        shipment, route = self.route_to(self.start + 30)
        staff = WebSocket.connect(s.port, f"/v1/live?route={route['id']}", {"Authorization": f"Bearer {self.dispatcher}"})
        self.assertEqual(json.loads(staff.recv())["type"], "ready")
        halfway = ((DEPOT[0] + STOP[0]) / 2, (DEPOT[1] + STOP[1]) / 2)
        self.send(fixes(self.start, DEPOT, DEPOT, 30))
        self.send(fixes(self.start + 33, DEPOT, halfway, 30))
        self.send(fixes(self.start + 66, halfway, halfway, 30))
        ex = next_of_type(staff, lambda m: m["type"] == "exception" and m["kind"] == "late_risk")
        self.assertEqual(ex["stop_id"], route["stops"][0]["id"])
        self.assertGreater(ex["late_by_s"], 60)
        deadline = time.monotonic() + 5
        late = []
        while time.monotonic() < deadline and not late:
            events = expect(s.request("GET", f"/v1/shipments/{shipment['id']}/events", token=self.key), 200, "events")
            late = [e for e in events["items"] if e["type"] == "late_risk"]
            time.sleep(0.05)
        self.assertEqual(len(late), 1, "raised once")
        self.assertEqual(late[0]["source"], "eta")
        self.assertGreater(late[0]["payload"]["late_by_s"], 60)
        self.assertEqual(late[0]["payload"]["stop_id"], route["stops"][0]["id"])
        # Not a status change: the shipment is still on its way.
        view = expect(s.request("GET", f"/v1/track/{shipment['tracking_token']}"), 200, "track")
        self.assertIn(view["status"], ("out_for_delivery", "arriving"))
        staff.close()


    def test_a_break_ahead_on_the_route_delays_the_stops_after_it(self):
        s = self.server
        later = []
        for point in (STOP, STOP2):
            address = dict(SHIPMENT_BODY["address"], lat=point[0], lon=point[1])
            shipment = make_shipment(s, self.key, address=address,
                                     promised={"start": iso(self.start - 3600), "end": iso(time.time() + 4 * 3600)})
            for m in ("processed", "shipped"):
                post_event(s, self.key, shipment["id"], m)
            later.append(shipment["id"])
        # A one-hour lunch after the first stop, not before 10 minutes from now.
        lunch_from = time.time() + 600
        route = make_route(s, self.key, self.driver["id"], later, depot={"lat": DEPOT[0], "lon": DEPOT[1]},
                           breaks=[{"id": "lunch", "after_stops": 1, "duration_s": 3600,
                                    "window": {"start": iso(lunch_from), "end": iso(lunch_from + 7200)}}])
        self.assertEqual(route["breaks"], [{"id": "lunch", "after_stops": 1, "duration_s": 3600,
                                            "window": {"start": iso(lunch_from), "end": iso(lunch_from + 7200)}}])
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=self.key), 200, "start")
        halfway = ((DEPOT[0] + STOP[0]) / 2, (DEPOT[1] + STOP[1]) / 2)
        self.send(fixes(self.start, DEPOT, DEPOT, 30))
        self.send(fixes(self.start + 33, DEPOT, halfway, 60))

        def epoch(text):
            return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))

        deadline = time.monotonic() + 5
        stops = []
        while time.monotonic() < deadline:
            stops = expect(s.request("GET", f"/v1/routes/{route['id']}", token=self.key), 200, "route")["stops"]
            if all(x["eta"] for x in stops):
                break
            time.sleep(0.05)
        self.assertTrue(all(x["eta"] for x in stops), stops)
        first, second = epoch(stops[0]["eta"]), epoch(stops[1]["eta"])
        # The lunch starts when the first stop's service ends or its window opens, whichever is later; the
        # drive between the two stops (under a kilometre) takes a few minutes more.
        lunch_start = max(first + 120, lunch_from)
        self.assertGreaterEqual(second, lunch_start + 3600 - 1)
        self.assertLess(second, lunch_start + 3600 + 900)

    def test_office_staff_read_the_tenants_learned_model(self):
        s = self.server
        model = expect(s.request("GET", "/v1/eta/model", token=self.dispatcher), 200, "model")
        # A new tenant has no history: the identity model.
        self.assertEqual(model["legs"], 0)
        self.assertEqual(model["classes"]["residential"]["factor"], 1)
        self.assertEqual(model["service"]["fleet_ratio"], 1)
        self.assertIn("log_p90", model["window"])
        r = s.request("GET", "/v1/eta/model", token=self.driver["device_token"])
        self.assertEqual((r.status, r.error.get("code")), (403, "forbidden"))
        r = s.request("GET", "/v1/eta/model")
        self.assertEqual(r.status, 401)


class EtaWithoutMapTest(ServerTestCase):
    server_options = {"extra_args": ["--eta-push-change-s", "0"]}

    def test_without_a_map_the_eta_is_a_great_circle_estimate(self):
        s = self.server
        key = make_tenant(s)["api_key"]
        driver = make_driver(s, key)
        address = dict(SHIPMENT_BODY["address"], lat=STOP[0], lon=STOP[1])
        shipment = make_shipment(s, key, address=address)
        for m in ("processed", "shipped"):
            post_event(s, key, shipment["id"], m)
        route = make_route(s, key, driver["id"], [shipment["id"]], depot={"lat": DEPOT[0], "lon": DEPOT[1]})
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start")
        staff = WebSocket.connect(s.port, "/v1/live", {"Authorization": f"Bearer {key}"})
        self.assertEqual(json.loads(staff.recv())["type"], "ready")
        start = time.time() - 300
        expect(s.request("POST", "/v1/pings", fixes(start, DEPOT, DEPOT, 30), token=driver["device_token"]), 200, "pings")
        m = next_of_type(staff, lambda m: m["type"] == "eta")
        self.assertEqual(m["source"], "great_circle")
        self.assertEqual(len(m["stops"]), 1)
        staff.close()


if __name__ == "__main__":
    unittest.main()
