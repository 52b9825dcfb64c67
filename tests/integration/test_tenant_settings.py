"""The tenant settings document (docs/settings.md) through the real server.

GET/PUT /v1/tenant/settings: a versioned merge patch (a stale version is 409 and changes nothing), errors
that name the JSON path, an audit trail of who changed which path from what to what, roles and tenant
isolation; the older notification-settings and retention routes write through the same document. A change
takes effect at once: a geofence arrival happens at the new radius, the tracking page follows the new
privacy rule. An acknowledged PUT survives kill -9.
"""

import time
import unittest

from lastmile_server import (SHIPMENT_BODY, ServerTestCase, expect, iso, make_api_key, make_driver, make_shipment,
                             make_tenant, wait_for_status)
from test_geofence_and_privacy import Drive, offset  # one fix every 3 s, with deterministic jitter

DEPOT = (43.7350, 7.4210)
STOP1 = (43.7384, 7.4246)
STOP2 = (43.7412, 7.4283)


class TenantSettingsTest(ServerTestCase):

    def get(self, key):
        return expect(self.server.request("GET", "/v1/tenant/settings", token=key), 200, "get settings")

    def put(self, key, settings, version, status=200):
        reply = self.server.request("PUT", "/v1/tenant/settings", {"version": version, "settings": settings}, token=key)
        if status == 200:
            return expect(reply, 200, "put settings")
        return reply

    def test_versioned_validated_audited_isolated_and_durable(self):
        s = self.server
        tenant = make_tenant(s)
        admin = tenant["api_key"]
        dispatcher = make_api_key(s, admin, "dispatcher")["api_key"]
        doc = self.get(admin)
        self.assertEqual(doc["version"], 0)
        self.assertEqual(doc["settings"]["geofence"]["radius_m"], 75)
        self.assertIsNone(doc["settings"]["exceptions"]["tracking_stale_hours"])
        self.assertEqual(doc["defaults"]["exceptions"]["tracking_stale_hours"], 24)
        self.assertEqual(self.get(dispatcher)["version"], 0, "a dispatcher may read")

        saved = self.put(admin, {"geofence": {"radius_m": 120}, "exceptions": {"tracking_stale_hours": 6}}, 0)
        self.assertEqual(saved["version"], 1)
        self.assertEqual(saved["settings"]["geofence"]["radius_m"], 120)
        self.assertEqual(saved["settings"]["privacy"]["show_driver_within_stops"], 1, "untouched sections stay")

        # A stale version, a bad value, an unknown member, a dispatcher: refused, nothing changes.
        with self.unchanged((admin, "/v1/tenant/settings"), (admin, "/v1/tenant/settings/history")):
            self.assertError(self.put(admin, {"proof": {"max_distance_m": 80}}, 0, status=409), 409, "conflict",
                             "version")
            self.assertError(self.put(admin, {"geofence": {"radius_m": 5}}, 1, status=400), 400, "invalid_field",
                             "geofence.radius_m")
            self.assertError(self.put(admin, {"geofence": {"radius": 80}}, 1, status=400), 400, "invalid_field",
                             "geofence.radius")
            self.assertError(self.put(admin, {"notifications": {"templates": {"delivered": {"sms": {
                "body": "Hi {{nobody}}"}}}}}, 1, status=422), 422, "invalid_template",
                "notifications.templates.delivered.sms.body")
            self.assertError(self.put(dispatcher, {"proof": {"max_distance_m": 80}}, 1, status=403), 403, "forbidden")
            self.assertError(s.request("PUT", "/v1/tenant/settings", {"settings": {}}, token=admin), 400,
                             "missing_field", "version")

        # If-Match works as the version too.
        r = s.request("PUT", "/v1/tenant/settings", {"settings": {"proof": {"max_distance_m": 80}}}, token=admin,
                      headers={"If-Match": '"1"'})
        self.assertEqual(expect(r, 200, "put with If-Match")["version"], 2)
        self.assertEqual(r.headers.get("ETag"), '"2"')

        history = expect(s.request("GET", "/v1/tenant/settings/history", token=dispatcher), 200, "history")
        self.assertEqual([h["version"] for h in history["items"]], [2, 1])
        first = history["items"][1]
        self.assertEqual(first["base_version"], 0)
        self.assertEqual(first["via"], "tenant/settings")
        self.assertTrue(first["by"]["id"])
        self.assertEqual({c["path"]: (c["old"], c["new"]) for c in first["changes"]},
                         {"geofence.radius_m": (75, 120), "exceptions.tracking_stale_hours": (None, 6)})
        page = expect(s.request("GET", "/v1/tenant/settings/history", token=admin, params={"limit": 1}), 200, "page")
        self.assertEqual([h["version"] for h in page["items"]], [2])
        rest = expect(s.request("GET", "/v1/tenant/settings/history", token=admin,
                                params={"cursor": page["next_cursor"]}), 200, "page 2")
        self.assertEqual([h["version"] for h in rest["items"]], [1])

        # The older routes are views of the same document.
        notif = expect(s.request("GET", "/v1/notification-settings", token=admin), 200, "notification settings")
        notif_body = {k: v for k, v in notif.items() if k not in ("version", "variables")}
        notif_body["rules"]["delivered"] = ["sms"]
        expect(s.request("PUT", "/v1/notification-settings", notif_body, token=admin,
                         headers={"If-Match": str(notif["version"])}), 200, "put notification settings")
        expect(s.request("PUT", "/v1/tenant/retention", {"track_days": 30}, token=admin), 200, "put retention")
        doc = self.get(admin)
        self.assertEqual(doc["version"], 4)
        self.assertEqual(doc["settings"]["notifications"]["rules"]["delivered"], ["sms"])
        self.assertEqual(doc["settings"]["retention"]["track_days"], 30)
        vias = [h["via"] for h in expect(s.request("GET", "/v1/tenant/settings/history", token=admin), 200,
                                         "history")["items"]]
        self.assertEqual(vias[:2], ["tenant/retention", "notification-settings"])
        self.put(admin, {"retention": {"track_days": 45}}, 4)
        self.assertEqual(expect(s.request("GET", "/v1/tenant/retention", token=admin), 200, "retention")["track_days"],
                         45)

        # Another tenant sees its own document only, and cannot reach this one's.
        other = make_tenant(s)["api_key"]
        self.assertEqual(self.get(other)["settings"]["geofence"]["radius_m"], 75)
        self.assertEqual(expect(s.request("GET", "/v1/tenant/settings/history", token=other), 200, "h")["items"], [])
        self.put(other, {"geofence": {"radius_m": 300}}, 0)
        self.assertEqual(self.get(admin)["settings"]["geofence"]["radius_m"], 120)

        # kill -9 right after an acknowledged PUT: the new version is there after the restart.
        self.put(admin, {"privacy": {"show_driver_within_stops": 3}}, 5)
        s.kill()
        s.restart(graceful=False)
        doc = self.get(admin)
        self.assertEqual(doc["version"], 6)
        self.assertEqual(doc["settings"]["privacy"]["show_driver_within_stops"], 3)

    def test_a_change_takes_effect_at_once_for_geofences_and_the_tracking_page(self):
        s = self.server
        key = make_tenant(s)["api_key"]
        driver = make_driver(s, key, name="Giulia Bianchi")
        now = time.time()
        shipments = []
        for point in (STOP1, STOP2):
            address = dict(SHIPMENT_BODY["address"], lat=point[0], lon=point[1])
            sh = make_shipment(s, key, address=address, promised={"start": iso(now - 7200), "end": iso(now + 7200)})
            for m in ("processed", "shipped"):
                expect(s.request("POST", f"/v1/shipments/{sh['id']}/events", {"type": m}, token=key), 201, m)
            shipments.append(sh)
        route = expect(s.request("POST", "/v1/routes", {
            "driver_id": driver["id"], "date": "2026-11-22", "depot": {"lat": DEPOT[0], "lon": DEPOT[1]},
            "stops": [{"shipment_ids": [sh["id"]]} for sh in shipments]}, token=key), 201, "route")
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start")

        def send(fixes):
            ack = expect(s.request("POST", "/v1/pings", fixes, token=driver["device_token"]), 200, "pings")
            self.assertEqual(ack["rejected"], [])

        def stop1():
            return expect(s.request("GET", f"/v1/routes/{route['id']}", token=key), 200, "route")["stops"][0]

        def position():
            view = expect(s.request("GET", f"/v1/track/{shipments[0]['tracking_token']}"), 200, "track")
            return (view.get("driver") or {}).get("position")

        # Waiting 110 m south of stop 1: outside the default 75 m fence.
        near = offset(STOP1, -110, 0)
        trip = Drive(now - 1200)
        trip.stay(DEPOT, 30)
        trip.drive(DEPOT, near, 60)
        trip.stay(near, 60)
        send(trip.take())
        self.assertEqual(wait_for_status(s, key, shipments[1]["id"], "out_for_delivery"), "out_for_delivery")
        time.sleep(0.3)
        self.assertIsNone(stop1()["arrived_at"], "110 m is outside a 75 m fence")
        self.assertIsNotNone(position(), "stop 1 is next: its customer sees the driver (within 1 stop)")

        version = expect(s.request("GET", "/v1/tenant/settings", token=key), 200, "get")["version"]
        expect(s.request("PUT", "/v1/tenant/settings", {"version": version, "settings": {
            "geofence": {"radius_m": 200}, "privacy": {"show_driver_within_stops": 0}}}, token=key), 200, "put")
        self.assertIsNone(position(), "the tracking page follows the new privacy rule at once")

        trip.stay(near, 60)
        send(trip.take())
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not stop1()["arrived_at"]:
            time.sleep(0.05)
        self.assertIsNotNone(stop1()["arrived_at"], "the same place is inside the new 200 m fence")


class TrackingStaleTest(ServerTestCase):
    """tracking_stale on a clock 1000x faster (an hour in 3.6 s), passes every 60 s of server clock."""

    server_options = {"extra_args": ["--clock-speedup", "1000", "--tracking-stale-interval-s", "60"]}

    def cases(self, key, shipment):
        return expect(self.server.request("GET", "/v1/exceptions", token=key,
                                          params={"shipment_id": shipment["id"], "kind": "tracking_stale"}),
                      200, "exceptions")["items"]

    def wait_case(self, key, shipment, status, count):
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            items = self.cases(key, shipment)
            if len(items) >= count and any(c["status"] == status for c in items):
                return items
            time.sleep(0.05)
        self.fail(f"no {status} tracking_stale case (have {self.cases(key, shipment)})")

    def test_silence_in_transit_raises_tracking_stale_and_the_next_carrier_event_clears_it(self):
        s = self.server
        key = make_tenant(s)["api_key"]
        carrier = expect(s.request("POST", "/v1/carriers", {"name": "Slow Parcels"}, token=key), 201, "carrier")
        path = f"/v1/carriers/{carrier['id']}"
        expect(s.request("PUT", f"{path}/code-mappings", {"mappings": [
            {"code": "DEP", "milestone": "shipped"}, {"code": "OFD", "milestone": "out_for_delivery"}]},
            token=key), 200, "mappings")
        sh = make_shipment(s, key, carrier_id=carrier["id"])
        quiet = make_shipment(s, key, carrier_id=carrier["id"])  # never shipped: never stale
        expect(s.request("PUT", "/v1/tenant/settings", {"version": 0, "settings": {
            "exceptions": {"tracking_stale_hours": 1}}}, token=key), 200, "threshold")

        def push(event_id, code):
            ev = {"event_id": event_id, "tracking_number": sh["tracking_number"], "code": code,
                  "occurred_at": iso(time.time())}
            return expect(s.request("POST", f"{path}/events", {"events": [ev]}, token=key), 200, "push")["results"][0]

        self.assertEqual(push("e1", "DEP")["outcome"], "applied")
        case = self.wait_case(key, sh, "open", 1)[0]
        self.assertEqual(case["kind"], "tracking_stale")

        # The next carrier event clears it (here one that moves the shipment on).
        self.assertEqual(push("e2", "OFD")["outcome"], "applied")
        items = self.wait_case(key, sh, "resolved", 1)
        self.assertEqual(items[0]["resolution"], "auto")

        # Silent again: a new case; a carrier event that moves nothing (a repeated status) clears it too.
        items = self.wait_case(key, sh, "open", 2)
        self.assertNotEqual(push("e3", "OFD")["outcome"], "applied")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(c["status"] == "open" for c in self.cases(key, sh)):
            time.sleep(0.05)
        self.assertFalse([c for c in self.cases(key, sh) if c["status"] == "open"])
        self.assertEqual(self.cases(key, quiet), [])


class AutoRerouteTest(ServerTestCase):
    """rerouting.auto_apply (issue 9): a late_risk on a started route re-sequences it automatically when the
    new order makes fewer stops late, with the new ETAs announced (eta_changed) by the system."""

    def test_a_late_risk_reorders_the_route_when_the_tenant_allows_it(self):
        s = self.server
        key = make_tenant(s)["api_key"]
        expect(s.request("PUT", "/v1/tenant/settings", {"version": 0, "settings": {"rerouting": {"auto_apply": True}}},
                         token=key), 200, "allow auto-apply")
        driver = make_driver(s, key)
        now = time.time()
        east, west = offset(DEPOT, 0, 1500), offset(DEPOT, 0, -1500)
        wide = make_shipment(s, key, address=dict(SHIPMENT_BODY["address"], lat=east[0], lon=east[1]),
                             promised={"start": iso(now - 3600), "end": iso(now + 6 * 3600)})
        tight = make_shipment(s, key, address=dict(SHIPMENT_BODY["address"], lat=west[0], lon=west[1]),
                              promised={"start": iso(now - 3600), "end": iso(now + 18 * 60)})
        # The tight stop second, after a 15-minute stop on the other side of the depot: late.
        route = expect(s.request("POST", "/v1/routes", {
            "driver_id": driver["id"], "date": "2026-11-22", "depot": {"lat": DEPOT[0], "lon": DEPOT[1]},
            "stops": [{"shipment_ids": [wide["id"]], "service_s": 900},
                      {"shipment_ids": [tight["id"]], "service_s": 900}]}, token=key), 201, "route")
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start")
        start = now - 150
        for k in range(4):  # late on every estimate; raising needs two that agree
            batch = [{"t": iso(start + 33 * k + 3 * i), "lat": DEPOT[0], "lon": DEPOT[1] + 0.00001 * i,
                      "accuracy": 8, "speed": 1.0} for i in range(10)]
            expect(s.request("POST", "/v1/pings", batch, token=driver["device_token"]), 200, "pings")
        deadline = time.monotonic() + 15
        order = []
        while time.monotonic() < deadline:
            stops = expect(s.request("GET", f"/v1/routes/{route['id']}", token=key), 200, "route")["stops"]
            order = [st["shipment_ids"][0] for st in sorted(stops, key=lambda st: st["sequence"])]
            if order[0] == tight["id"]:
                break
            time.sleep(0.1)
        self.assertEqual(order, [tight["id"], wide["id"]], "the tight stop goes first")
        events = expect(s.request("GET", f"/v1/shipments/{wide['id']}/events", token=key), 200, "events")["items"]
        moved = [e for e in events if e["type"] == "eta_changed" and e["source"] == "optimize"]
        self.assertTrue(moved, "the customer whose ETA moved is told (eta_changed)")
        self.assertEqual(moved[0]["payload"]["reason"], "replanned")


if __name__ == "__main__":
    unittest.main()
