"""The README's user story, end to end, against the real server.

A shipper gets a tenant, a carrier and a driver; a shipment is created, processed and shipped, put on a
route that the dispatcher starts (out for delivery), then arrives and is delivered. The customer's public
tracking view shows the story with personal data masked, and the event history tells who did what.
"""

import re
import time
import unittest
from datetime import datetime

from lastmile_server import ServerTestCase, expect, iso, make_carrier, make_driver, make_tenant, wait_for_status

PUBLIC_URL = "https://track.example.test"
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def luhn_ok(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def parse_utc(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class WalkthroughTest(ServerTestCase):
    server_options = {"public_url": PUBLIC_URL}

    def test_readme_story_from_tenant_to_delivered_and_tracked(self):
        s = self.server

        # 1. The root admin creates a tenant (a shipper); the reply carries its admin API key, once.
        tenant = make_tenant(s, name="Riviera Shop Walkthrough", brand_color="#0a7d5a")
        self.assertRegex(tenant["id"], r"^\S+$")
        self.assertEqual(tenant["name"], "Riviera Shop Walkthrough")
        self.assertTrue(tenant["api_key"])
        key = tenant["api_key"]

        # 2. A carrier and a driver; the driver gets a device token for its phone or GPS tracker.
        carrier = make_carrier(s, key, name="Monaco Express")
        self.assertEqual(carrier["name"], "Monaco Express")
        self.assertTrue(carrier["id"].startswith("car_"), carrier["id"])
        self.assertEqual(carrier["code"], "monaco-express", "code defaults to a slug of the name")
        self.assertRegex(carrier["created_at"], ISO_UTC)
        driver = make_driver(s, key, name="Luca Rossi", carrier_id=carrier["id"], phone="+37761234567",
                             email="luca@example.com")
        self.assertTrue(driver["device_token"])
        self.assertRegex(driver["device_id"], r"^\d{12}$", "device_id defaults to a random 12-digit number")
        self.assertTrue(driver["id"].startswith("drv_"), driver["id"])
        self.assertEqual(driver["carrier_id"], carrier["id"])

        # 3. A shipment: tracking number LM + 11 digits (Luhn), a 22-character token and a public link.
        body = {
            "external_order_id": "SO-1001", "carrier_id": carrier["id"],
            "recipient": {"name": "Marie Dupont", "phone": "+33612345678", "email": "marie@example.com"},
            "address": {"line1": "12 Avenue de la Costa", "city": "Monaco", "postal_code": "98000", "country": "MC",
                        "lat": 43.7384, "lon": 7.4246},
            "promised": {"start": "2026-11-23T09:00:00Z", "end": "2026-11-23T12:00:00Z"},
            "parcels": [{"barcode": "PKG-1001-1", "weight_kg": 1.2}],
        }
        r = s.request("POST", "/v1/shipments", body, token=key, headers={"Idempotency-Key": "order-1001"})
        shipment = expect(r, 201, "create shipment")
        self.assertRegex(shipment["tracking_number"], r"^LM\d{11}$")
        self.assertTrue(luhn_ok(shipment["tracking_number"][2:]), f"Luhn check digit of {shipment['tracking_number']}")
        self.assertRegex(shipment["tracking_token"], r"^[A-Za-z0-9_-]{22}$")
        self.assertEqual(shipment["tracking_url"], f"{PUBLIC_URL}/t/{shipment['tracking_token']}")
        self.assertEqual(shipment["status"], "created")
        self.assertEqual(shipment["external_order_id"], "SO-1001")
        self.assertEqual(shipment["carrier_id"], carrier["id"])
        self.assertEqual(shipment["recipient"]["name"], "Marie Dupont")
        self.assertEqual(shipment["address"]["line1"], "12 Avenue de la Costa")
        self.assertEqual(shipment["route_id"], None)
        self.assertTrue(shipment["id"].startswith("shp_"), shipment["id"])
        self.assertRegex(shipment["created_at"], ISO_UTC)
        self.assertRegex(shipment["updated_at"], ISO_UTC)
        self.assertEqual(parse_utc(shipment["promised"]["start"]), parse_utc("2026-11-23T09:00:00Z"))
        sid, token = shipment["id"], shipment["tracking_token"]
        self.assertEqual(expect(s.request("GET", f"/v1/shipments/{sid}", token=key), 200, "read shipment"), shipment)

        # 4. Milestones: processed → shipped.
        for milestone in ("processed", "shipped"):
            event = expect(s.request("POST", f"/v1/shipments/{sid}/events", {"type": milestone}, token=key), 201,
                           milestone)
            self.assertEqual(event["type"], milestone)
            self.assertEqual(event["shipment_id"], sid)
            self.assertEqual(event["shipment_status"], milestone)
            self.assertRegex(event["at"], ISO_UTC)
        self.assertEqual(s.request("GET", f"/v1/shipments/{sid}", token=key).body["status"], "shipped")

        # Before the route starts, the public view shows no driver.
        early = expect(s.request("GET", f"/v1/track/{token}"), 200, "track before route")
        self.assertEqual(early["status"], "shipped")
        self.assertIsNone(early.get("driver"))

        # 5. A route with the shipment; once started, the driver's phone leaving the depot puts the
        #    shipment out for delivery and, its stop being the next one, arriving.
        route = expect(s.request("POST", "/v1/routes", {
            "driver_id": driver["id"], "date": "2026-11-23", "depot": {"lat": 43.7350, "lon": 7.4210},
            "stops": [{"shipment_ids": [sid], "service_s": 120}]}, token=key), 201, "create route")
        self.assertEqual(route["status"], "planned")
        self.assertEqual(route["driver_id"], driver["id"])
        self.assertEqual(route["date"], "2026-11-23")
        self.assertEqual(len(route["stops"]), 1)
        stop = route["stops"][0]
        self.assertEqual(stop["shipment_ids"], [sid])
        self.assertEqual(stop["status"], "pending")
        self.assertIn("eta", stop)
        self.assertTrue(stop["id"])
        on_route = s.request("GET", f"/v1/shipments/{sid}", token=key).body
        self.assertEqual(on_route["route_id"], route["id"])
        self.assertEqual(on_route["stop_id"], stop["id"])

        started = expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start route")
        self.assertEqual(started["status"], "in_progress")
        self.assertRegex(started["started_at"] or "", ISO_UTC)
        self.assertEqual(s.request("GET", f"/v1/routes/{route['id']}", token=key).body["status"], "in_progress")
        self.assertEqual(s.request("GET", f"/v1/shipments/{sid}", token=key).body["status"], "shipped",
                         "still at the depot")
        now = time.time()
        pings = [{"t": iso(now - 3), "lat": 43.7350, "lon": 7.4210, "accuracy": 8},    # at the depot
                 {"t": iso(now), "lat": 43.7359, "lon": 7.4220, "accuracy": 8}]        # ~130 m away
        ack = expect(s.request("POST", "/v1/pings", pings, token=driver["device_token"]), 200, "pings")
        self.assertEqual(ack["stored"], 2)
        self.assertEqual(wait_for_status(s, key, sid, "arriving"), "arriving")

        during = expect(s.request("GET", f"/v1/track/{token}"), 200, "track during route")
        self.assertEqual(during["status"], "arriving")
        self.assertEqual((during.get("driver") or {}).get("first_name"), "Luca")
        self.assertEqual(during.get("stops_before"), 0)

        # 6. The driver's app reports the delivery.
        device = driver["device_token"]
        delivered = expect(s.request("POST", f"/v1/shipments/{sid}/events",
                                     {"type": "delivered", "note": "handed over", "lat": 43.7384, "lon": 7.4246},
                                     token=device), 201, "delivered")
        self.assertEqual(delivered["shipment_status"], "delivered")
        self.assertEqual(delivered["payload"].get("note"), "handed over")
        self.assertAlmostEqual(delivered["location"]["lat"], 43.7384)

        # An illegal change afterwards is refused and changes nothing.
        r = s.request("POST", f"/v1/shipments/{sid}/events", {"type": "processed"}, token=key)
        self.assertError(r, 409, "illegal_transition", field="type")
        self.assertEqual(s.request("GET", f"/v1/shipments/{sid}", token=key).body["status"], "delivered")

        # 7. The public tracking view: no credentials, personal data masked.
        r = s.request("GET", f"/v1/track/{token}")
        view = expect(r, 200, "public tracking view")
        self.assertIn("application/json", r.headers.get("Content-Type", ""))
        self.assertEqual(view["status"], "delivered")
        self.assertEqual(view["tag"], "Delivered")
        self.assertEqual(view["tracking_number"], shipment["tracking_number"])
        self.assertEqual(view["shipper"]["name"], "Riviera Shop Walkthrough")
        self.assertEqual(view["shipper"]["brand_color"], "#0a7d5a")
        self.assertEqual(view["carrier"], {"name": "Monaco Express"})
        self.assertEqual(view["recipient"], {"first_name": "Marie"})
        self.assertEqual(view["address"]["street"], "Avenue de la Costa")
        self.assertEqual(view["address"]["city"], "Monaco")
        self.assertEqual(view["address"]["postal_code"], "98000")
        self.assertEqual(view["address"]["country"], "MC")
        self.assertEqual(parse_utc(view["promised"]["start"]), parse_utc("2026-11-23T09:00:00Z"))
        self.assertEqual(parse_utc(view["promised"]["end"]), parse_utc("2026-11-23T12:00:00Z"))
        self.assertEqual([e["type"] for e in view["timeline"]],
                         ["created", "processed", "shipped", "out_for_delivery", "arriving", "delivered"])
        times = [parse_utc(e["at"]) for e in view["timeline"]]
        for e in view["timeline"]:
            self.assertRegex(e["at"], ISO_UTC)
            self.assertTrue(e.get("tag"))
        self.assertEqual(times, sorted(times), "timeline is in order")
        self.assertEqual((view.get("driver") or {}).get("first_name"), "Luca")
        self.assertIsNone(view["driver"].get("position"), "no position before any ping")
        self.assertIsNone(view["eta"], "no ETA without a position, none after delivery")
        tags = [e["tag"] for e in view["timeline"]]
        self.assertEqual(tags[0], "InfoReceived")
        self.assertEqual(tags[-1], "Delivered")
        self.assertTrue(set(tags) <= {"InfoReceived", "InTransit", "OutForDelivery", "AttemptFail", "Delivered",
                                      "AvailableForPickup", "Exception"}, tags)

        text = r.text
        for secret in ("Dupont", "+33612345678", "612345678", "marie@example.com", "12 Avenue",
                       "Rossi", "+37761234567", "luca@example.com", driver["device_token"], key):
            self.assertNotIn(secret, text, f"the public view leaks {secret!r}")
        self.assertNotRegex(text, r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+", "no email in the public view")
        self.assertNotIn("phone", text)
        self.assertNotIn("email", text)

        # 8. The event history, oldest first, says who did it and through which channel.
        events = expect(s.request("GET", f"/v1/shipments/{sid}/events", token=key), 200, "list events")["items"]
        self.assertEqual([e["type"] for e in events],
                         ["created", "processed", "shipped", "out_for_delivery", "arriving", "delivered"])
        at = [parse_utc(e["at"]) for e in events]
        self.assertEqual(at, sorted(at), "events oldest first")
        for e in events:
            self.assertEqual(e["shipment_id"], sid)
            self.assertTrue(e["id"])
            self.assertIsInstance(e["actor"], str)
            self.assertTrue(e["actor"], f"event {e['type']} has an actor")
            self.assertIsInstance(e["source"], str)
            self.assertTrue(e["source"], f"event {e['type']} has a source")
            self.assertRegex(e["recorded_at"], ISO_UTC)
        by_type = {e["type"]: e for e in events}
        self.assertEqual(by_type["out_for_delivery"]["source"], "geofence")
        self.assertEqual(by_type["arriving"]["source"], "geofence")
        self.assertEqual(by_type["arriving"]["actor"], f"driver:{driver['id']}")
        self.assertNotEqual(by_type["delivered"]["actor"], by_type["processed"]["actor"],
                            "the driver's events name the driver, not the tenant admin")
        self.assertEqual(by_type["delivered"]["payload"].get("note"), "handed over")
        self.assertEqual(len({e["id"] for e in events}), len(events))

        # An unknown token is 404 and says nothing else.
        self.assertError(s.request("GET", "/v1/track/AAAAAAAAAAAAAAAAAAAAAA"), 404, "not_found")
        self.assertError(s.request("GET", "/v1/track/nope"), 404, "not_found")


if __name__ == "__main__":
    unittest.main()
