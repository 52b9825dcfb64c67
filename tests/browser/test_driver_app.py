"""The driver app /driver in a real browser (issue 7; docs/web.md, "The driver app").

The real server with the Monaco road network and the built web bundle; a tenant with a dispatcher
key, a carrier, a driver and a route for today with two stops (two shipments, three parcels). Debian's
Chromium at phone size, driven by playwright-core from driver_app.mjs: the manifest and the service
worker are served and the worker registers; the driver signs in with a one-time link (the code is
single use); sees the route with its lunch break between the stops; starts it with a simulated position (positions reach the server in
batches); scans parcels (a duplicate, a parcel of another route and an unknown barcode are shown as such); goes offline, captures
the proof of delivery with a generated 2000×1500 photo (resized to 1600 px) and a drawn signature,
reopens the app offline (the service worker), comes back online and the outbox sends it (the first
answer is lost on the way: the re-send with the same idempotency key must not make a second proof);
records a failed attempt (a 503 first: retried); the customer tracking page and the dashboard show the proof; the dashboard's
"invite driver" makes a link with a QR code. Then, over the API: exactly one proof, delivered once,
the scans in the shipment's events, the attempt. Screenshots in build/test-artifacts/driver-*.png.
"""

import os
import struct
import time
import unittest
import zlib

from browser_harness import ARTIFACTS, BrowserTestCase, run_script
from lastmile_server import (expect, iso, make_api_key, make_carrier, make_driver, make_route, make_shipment,  # noqa: E402
                             make_tenant)

DEPOT = {"lat": 43.7350, "lon": 7.4210}


def png(width, height):
    """A valid RGB PNG: a gradient (so the JPEG encoder has something to encode)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = bytearray(1 + 3 * width)
    row[1::3] = bytes(x * 255 // width for x in range(width))
    row[3::3] = bytes([128]) * width
    rows = bytearray()
    for y in range(height):
        row[2::3] = bytes([y * 255 // height]) * width
        rows += row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")


def address(line1, lat, lon):
    return {"line1": line1, "city": "Monaco", "postal_code": "98000", "country": "MC", "lat": lat, "lon": lon}


class DriverAppInTheBrowser(BrowserTestCase):
    pages = ("driver.html",)

    def test_a_driver_delivers_with_proof_offline(self):
        s = self.server
        # Starting the route sends the shipments out for delivery (not the depot geofence: no drive here).
        admin = make_tenant(s, name="Riviera Boutique " + str(int(time.time() * 1000) % 100000),
                            out_for_delivery_on="route_start")["api_key"]
        key = make_api_key(s, admin, "dispatcher", name="ops desk")["api_key"]
        carrier = make_carrier(s, key, name="Monaco Express")
        driver = make_driver(s, key, name="Luca Rossi", carrier_id=carrier["id"])
        suffix = str(int(time.time() * 1000) % 1000000)
        first = make_shipment(s, key, carrier_id=carrier["id"], external_order_id="SO-8001",
                              recipient={"name": "Marie Dupont"},
                              address=address("12 Avenue de la Costa", 43.7384, 7.4246),
                              instructions={"safe_place": "behind the blue gate", "note": "ring twice"},
                              parcels=[{"barcode": f"MC-{suffix}-A1", "description": "shoes"},
                                       {"barcode": f"MC-{suffix}-A2", "description": "bag"}])
        second = make_shipment(s, key, carrier_id=carrier["id"], external_order_id="SO-8002",
                               recipient={"name": "Jean Martin"},
                               address=address("3 Boulevard des Moulins", 43.7410, 7.4270),
                               parcels=[{"barcode": f"MC-{suffix}-B1", "description": "books"}])
        elsewhere = make_shipment(s, key, carrier_id=carrier["id"], external_order_id="SO-8003",  # on no route
                                  recipient={"name": "Sofia Bianchi"}, address=address("8 Rue Grimaldi", 43.7320, 7.4190),
                                  parcels=[{"barcode": f"MC-{suffix}-C1", "description": "lamp"}])
        lunch_from = time.time() + 3 * 3600
        route = make_route(s, key, driver["id"], [first["id"], second["id"]],
                           date=time.strftime("%Y-%m-%d", time.gmtime()), depot=DEPOT,
                           breaks=[{"id": "lunch", "after_stops": 1, "duration_s": 1800,
                                    "window": {"start": iso(lunch_from), "end": iso(lunch_from + 3600)}}])
        link = expect(s.request("POST", f"/v1/drivers/{driver['id']}/login-links", {}, token=key), 201,
                      "login link")
        self.assertIn("/driver#code=", link["url"])
        photo = os.path.join(ARTIFACTS, "driver-test-photo.png")
        os.makedirs(ARTIFACTS, exist_ok=True)
        with open(photo, "wb") as f:
            f.write(png(2000, 1500))
        config = {
            "base_url": s.base_url, "api_key": key, "driver_id": driver["id"], "driver_name": "Luca Rossi",
            "route_id": route["id"], "code": link["code"], "depot": DEPOT,
            "first_address": {"lat": 43.7384, "lon": 7.4246},
            "first": {"id": first["id"], "tracking_number": first["tracking_number"],
                      "token": first["tracking_token"], "barcodes": [p["barcode"] for p in first["parcels"]]},
            "second": {"id": second["id"], "tracking_number": second["tracking_number"],
                       "barcodes": [p["barcode"] for p in second["parcels"]]},
            "elsewhere_barcode": elsewhere["parcels"][0]["barcode"],
            "photo": photo,
            "screenshot": os.path.join(ARTIFACTS, "driver-route.png"),
        }
        run_script(self, "driver_app.mjs", config, server=s)

        # Over the API, after the browser: exactly one proof, delivered once, the scans, the attempt.
        proof = expect(s.request("GET", f"/v1/shipments/{first['id']}/proof", token=key), 200, "proof")
        self.assertEqual(len(proof["photos"]), 1, proof)
        self.assertLessEqual(max(proof["photos"][0]["width"], proof["photos"][0]["height"]), 1600, proof)
        self.assertEqual(proof["photos"][0]["width"], 1600, proof)  # 2000×1500 resized on the phone
        self.assertIsNotNone(proof["signature"], proof)
        self.assertEqual(proof["recipient_name"], "Marie Dupont")
        self.assertEqual(proof["left_at"], "front_door")
        self.assertTrue(proof["verification"]["ok"], proof)
        self.assertIsNotNone(proof.get("location"), proof)  # the GPS fix at capture, at the address
        self.assertFalse(proof.get("location_mismatch"), proof)
        events = expect(s.request("GET", f"/v1/shipments/{first['id']}/events", token=key), 200, "events")["items"]
        types = [e["type"] for e in events]
        self.assertEqual(types.count("delivered"), 1, types)
        scans = [e for e in events if e["type"] == "scan"]
        scanned = {(e["payload"]["barcode"], e["payload"]["kind"]) for e in scans}
        for barcode in config["first"]["barcodes"]:
            self.assertIn((barcode, "loaded"), scanned, scans)
        custody = expect(s.request("GET", f"/v1/shipments/{first['id']}/custody", token=key), 200, "custody")
        self.assertGreaterEqual(len(custody["items"]), 3, custody)  # A1 loaded (twice) and A2 loaded
        events = expect(s.request("GET", f"/v1/shipments/{second['id']}/events", token=key), 200, "events")["items"]
        self.assertEqual([e["type"] for e in events].count("attempt_failed"), 1, events)
        r = expect(s.request("GET", f"/v1/routes/{route['id']}", token=key), 200, "route")
        self.assertEqual(r["status"], "in_progress")


if __name__ == "__main__":
    unittest.main()
