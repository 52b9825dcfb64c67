"""Chain of custody through the real server: drivers and office staff scan parcels (DC processed, loaded,
hand-off, delivered, returned); each scan says who, where and when, earns clear warnings when the parcel is on
another route, scanned twice or out of order, is replayed safely by the offline queue, and survives kill -9.
A stop completed with a delivered parcel never scanned opens a missing_scan case in the exception queue."""

import threading
import time
import unittest
import uuid

from lastmile_server import (SHIPMENT_BODY, LastmileServer, ServerTestCase, expect, iso, make_carrier, make_driver,
                             make_route, make_shipment, make_tenant, wait_for_status)
from test_geofence_and_privacy import DEPOT, RADIUS_M, STOP1, STOP2, Drive


def scan_body(barcode, kind, **fields):
    return {"id": str(uuid.uuid4()), "barcode": barcode, "kind": kind, "at": iso(time.time() - 5),
            "lat": 43.7351, "lon": 7.4211, "accuracy": 7.5, **fields}


def parcels(*barcodes):
    return [{"barcode": b, "weight_kg": 1.0, "description": "box"} for b in barcodes]


def codes(reply_body):
    return [w["code"] for w in reply_body["warnings"]]


class ScansTest(ServerTestCase):
    def setUp(self):
        s = self.server
        self.key = make_tenant(s)["api_key"]
        self.driver = make_driver(s, self.key, name="Giulia Bianchi")
        self.token = self.driver["device_token"]
        tag = uuid.uuid4().hex[:8]
        self.a1, self.a2, self.b1 = f"A1-{tag}", f"A2-{tag}", f"B1-{tag}"
        self.a = make_shipment(s, self.key, parcels=parcels(self.a1, self.a2))
        self.b = make_shipment(s, self.key, parcels=parcels(self.b1))
        self.route = make_route(s, self.key, self.driver["id"], [self.a["id"]])
        self.other = make_driver(s, self.key, name="Olga Other")
        self.other_route = make_route(s, self.key, self.other["id"], [self.b["id"]])

    def scan(self, barcode, kind, token=None, **fields):
        return self.server.request("POST", "/v1/scans", scan_body(barcode, kind, **fields), token=token or self.token)

    def custody(self, shipment_id, token=None):
        return expect(self.server.request("GET", f"/v1/shipments/{shipment_id}/custody", token=token or self.key),
                      200, "custody")["items"]

    def test_a_scan_records_who_where_when_and_which_parcel(self):
        body = scan_body(self.a2, "loaded", route_id=self.route["id"])
        got = self.assertStatus(self.server.request("POST", "/v1/scans", body, token=self.token), 201)
        self.assertEqual(got["id"], body["id"])
        self.assertEqual(got["shipment_id"], self.a["id"])
        self.assertEqual(got["parcel_index"], 1)
        self.assertEqual(got["kind"], "loaded")
        self.assertEqual(got["driver_id"], self.driver["id"])
        self.assertTrue(got["actor"])
        self.assertEqual(got["location"], {"lat": 43.7351, "lon": 7.4211, "accuracy": 7.5})
        self.assertEqual(got["warnings"], [])
        self.assertEqual(self.custody(self.a["id"]), [got])
        events = expect(self.server.request("GET", f"/v1/shipments/{self.a['id']}/events", token=self.key), 200,
                        "events")["items"]
        scan_events = [e for e in events if e["type"] == "scan"]
        self.assertEqual(len(scan_events), 1)
        self.assertEqual(scan_events[0]["payload"]["scan_id"], body["id"])
        self.assertEqual(scan_events[0]["payload"]["barcode"], self.a2)
        self.assertEqual(scan_events[0]["payload"]["accuracy"], 7.5)
        shipment = expect(self.server.request("GET", f"/v1/shipments/{self.a['id']}", token=self.key), 200, "get")
        self.assertEqual(shipment["status"], "created", "a scan changes no milestone")

    def test_warnings_for_another_route_a_second_scan_and_an_impossible_order(self):
        self.assertEqual(codes(self.assertStatus(self.scan(self.b1, "loaded"), 201)), ["wrong_route"])
        self.assertEqual(codes(self.assertStatus(self.scan(self.a1, "delivered"), 201)), ["out_of_sequence"])
        self.assertEqual(codes(self.assertStatus(self.scan(self.a2, "loaded"), 201)), [])
        self.assertEqual(codes(self.assertStatus(self.scan(self.a2, "loaded"), 201)), ["duplicate_scan"])
        self.assertEqual(codes(self.assertStatus(self.scan(self.a2, "delivered"), 201)), [])
        self.assertEqual(codes(self.assertStatus(self.scan(self.a2, "handoff", to_carrier_id=make_carrier(
            self.server, self.key)["id"]), 201)), ["out_of_sequence"])
        self.assertEqual(codes(self.assertStatus(self.scan(self.a2, "returned"), 201)), [])
        kinds = [(i["barcode"], i["kind"]) for i in self.custody(self.a["id"])]
        self.assertEqual(kinds, [(self.a1, "delivered"), (self.a2, "loaded"), (self.a2, "loaded"),
                                 (self.a2, "delivered"), (self.a2, "handoff"), (self.a2, "returned")])

    def test_the_offline_queue_may_resend_a_scan_but_not_change_it(self):
        body = scan_body(self.a1, "loaded")
        first = self.assertStatus(self.server.request("POST", "/v1/scans", body, token=self.token), 201)
        again = self.server.request("POST", "/v1/scans", body, token=self.token)
        self.assertEqual(again.status, 200)
        self.assertEqual(again.body, first)
        changed = dict(body, kind="delivered")
        self.assertError(self.server.request("POST", "/v1/scans", changed, token=self.token), 409,
                         "idempotency_mismatch", "id")
        self.assertEqual(len(self.custody(self.a["id"])), 1)

    def test_unknown_parcels_other_tenants_and_other_routes(self):
        s = self.server
        self.assertError(self.scan("NO-SUCH-PARCEL", "loaded"), 404, "unknown_parcel", "barcode")
        outsider = make_tenant(s)["api_key"]
        self.assertError(self.scan(self.a1, "dc_processed", token=outsider), 404, "unknown_parcel", "barcode")
        self.assertError(s.request("GET", f"/v1/shipments/{self.a['id']}/custody", token=outsider), 404, "not_found")
        # Naming another driver's route is refused; reading another route's custody log too.
        self.assertError(self.scan(self.a1, "loaded", route_id=self.other_route["id"]), 404, "not_found", "route_id")
        self.assertError(s.request("GET", f"/v1/shipments/{self.b['id']}/custody", token=self.token), 404,
                         "not_found")
        self.assertEqual(len(self.custody(self.a["id"], token=self.token)), 0)
        # A hand-off names a carrier of this tenant.
        self.assertError(self.scan(self.a1, "handoff", to_carrier_id="car_nope"), 404, "not_found", "to_carrier_id")
        self.assertError(self.scan(self.a1, "handoff"), 400, "missing_field", "to_carrier_id")

    def test_bad_bodies_are_400_with_the_field(self):
        s = self.server
        cases = [
            (dict(scan_body(self.a1, "lost")), "invalid_field", "kind"),
            ({k: v for k, v in scan_body(self.a1, "loaded").items() if k != "barcode"}, "missing_field", "barcode"),
            (scan_body(self.a1, "loaded", lat=123), "invalid_field", "lat"),
            (scan_body("X" * 129, "loaded"), "invalid_field", "barcode"),
            (scan_body(self.a1, "loaded", accuracy="good"), "wrong_type", "accuracy"),
            (scan_body(self.a1, "loaded", at=iso(time.time() + 3600)), "invalid_field", "at"),
        ]
        for body, code, field in cases:
            with self.subTest(field=field):
                self.assertError(s.request("POST", "/v1/scans", body, token=self.token), 400, code, field)
        self.assertEqual(self.custody(self.a["id"]), [])
        self.assertError(s.request("POST", "/v1/scans", scan_body(self.a1, "loaded")), 401, "unauthenticated")

    def test_office_staff_scan_at_the_dc(self):
        got = self.assertStatus(self.scan(self.a1, "dc_processed", token=self.key), 201)
        self.assertIsNone(got["driver_id"])
        self.assertEqual(got["warnings"], [])


class MissingScanTest(ServerTestCase):
    server_options = {"extra_args": ["--track-cache-ttl-ms", "0"]}

    def test_leaving_a_stop_with_a_delivered_parcel_never_scanned_opens_a_case(self):
        s = self.server
        key = make_tenant(s, show_driver_within_stops=1, geofence_radius_m=RADIUS_M)["api_key"]
        driver = make_driver(s, key, name="Giulia Bianchi")
        device = driver["device_token"]
        tag = uuid.uuid4().hex[:8]
        now = time.time()
        address = dict(SHIPMENT_BODY["address"], lat=STOP1[0], lon=STOP1[1])
        a = make_shipment(s, key, address=address, parcels=parcels(f"S-{tag}", f"U-{tag}"),
                          promised={"start": iso(now - 7200), "end": iso(now + 7200)})
        b = make_shipment(s, key, address=dict(address, lat=STOP2[0], lon=STOP2[1]), parcels=parcels(f"B-{tag}"),
                          promised={"start": iso(now - 7200), "end": iso(now + 7200)})
        for sid in (a["id"], b["id"]):
            for m in ("processed", "shipped"):
                expect(s.request("POST", f"/v1/shipments/{sid}/events", {"type": m}, token=key), 201, m)
        route = make_route(s, key, driver["id"], [a["id"], b["id"]], depot={"lat": DEPOT[0], "lon": DEPOT[1]})
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start")
        expect(s.request("POST", "/v1/scans", scan_body(f"S-{tag}", "loaded"), token=device), 201, "scan")

        trip = Drive(time.time() - 1200)
        trip.stay(DEPOT, 60)
        trip.drive(DEPOT, STOP1, 90)
        trip.stay(STOP1, 60)
        expect(s.request("POST", "/v1/pings", trip.take(), token=device), 200, "pings")
        # The geofence's effects follow the acknowledgement: wait for the arrival at stop 1.
        self.assertEqual(wait_for_status(s, key, a["id"], "arriving"), "arriving")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not expect(s.request("GET", f"/v1/routes/{route['id']}", token=key),
                                                         200, "route")["stops"][0]["arrived_at"]:
            time.sleep(0.05)
        expect(s.request("POST", f"/v1/shipments/{a['id']}/events", {"type": "delivered"}, token=device), 201,
               "delivered")
        trip.drive(STOP1, STOP2, 90)
        expect(s.request("POST", "/v1/pings", trip.take(), token=device), 200, "pings")

        deadline, cases = time.monotonic() + 10, []
        while time.monotonic() < deadline and not cases:
            cases = expect(s.request("GET", "/v1/exceptions", token=key,
                                     params={"kind": "missing_scan", "shipment_id": a["id"]}), 200, "queue")["items"]
            time.sleep(0.1)
        self.assertEqual(len(cases), 1, "one missing_scan case for the shipment")
        case = cases[0]
        self.assertEqual(case["status"], "open")
        detail = expect(s.request("GET", f"/v1/exceptions/{case['id']}", token=key), 200, "case")
        self.assertIn(f"U-{tag}", str(detail))
        self.assertNotIn(f"S-{tag}", str(detail["details"]) if "details" in detail else "")
        events = expect(s.request("GET", f"/v1/shipments/{a['id']}/events", token=key), 200, "events")["items"]
        missing = [e for e in events if e["type"] == "missing_scan"]
        self.assertEqual(len(missing), 1)
        self.assertEqual(missing[0]["payload"]["barcodes"], [f"U-{tag}"])
        # Shipment B is not delivered: nothing is raised for it.
        other = expect(s.request("GET", "/v1/exceptions", token=key,
                                 params={"kind": "missing_scan", "shipment_id": b["id"]}), 200, "queue")["items"]
        self.assertEqual(other, [])


class ScanDurabilityTest(unittest.TestCase):
    def test_every_acknowledged_scan_survives_kill_9_exactly_once(self):
        server = LastmileServer().start()
        self.addCleanup(server.close)
        key = make_tenant(server)["api_key"]
        tag = uuid.uuid4().hex[:8]
        shipments = [make_shipment(server, key, parcels=parcels(f"K{i}-{tag}")) for i in range(4)]
        acked, stop = [], threading.Event()

        def post(i):
            n = 0
            while not stop.is_set():
                body = scan_body(f"K{i}-{tag}", "dc_processed" if n % 2 else "loaded")
                n += 1
                try:
                    r = server.request("POST", "/v1/scans", body, token=key, timeout=5)
                except Exception:
                    return  # the server is gone
                if r.status == 201:
                    acked.append((shipments[i]["id"], body["id"]))

        threads = [threading.Thread(target=post, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        server.kill()
        stop.set()
        for t in threads:
            t.join()
        self.assertGreater(len(acked), 4, "scans were acknowledged before the kill")
        server.restart(graceful=False)
        for sh in shipments:
            items = expect(server.request("GET", f"/v1/shipments/{sh['id']}/custody", token=key), 200,
                           "custody")["items"]
            ids = [i["id"] for i in items]
            self.assertEqual(len(ids), len(set(ids)), "no scan twice")
            for sid, scan_id in acked:
                if sid == sh["id"]:
                    self.assertIn(scan_id, ids, "an acknowledged scan is durable")
            events = expect(server.request("GET", f"/v1/shipments/{sh['id']}/events", token=key), 200,
                            "events")["items"]
            self.assertEqual(sorted(e["payload"]["scan_id"] for e in events if e["type"] == "scan"), sorted(ids),
                             "each scan has exactly one event")
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
