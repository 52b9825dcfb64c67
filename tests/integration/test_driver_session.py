"""The driver app's sign-in and manifest through the real server: a dispatcher hands a driver a one-time
link, the phone redeems it once for its own driver token, and the day's manifest shows the route, stops,
parcels and instructions — and nothing of the recipients' phone numbers or email addresses."""

import threading
import time
import unittest

from lastmile_server import (ServerTestCase, expect, list_all, make_api_key, make_driver, make_route, make_shipment,
                             make_tenant, shipment_body)

TODAY = time.strftime("%Y-%m-%d", time.gmtime())


def new_link(server, key, driver_id):
    return expect(server.request("POST", f"/v1/drivers/{driver_id}/login-links", token=key), 201, "login link")


def redeem(server, code):
    return server.request("POST", "/v1/driver/session", {"code": code})


class DriverSessionTest(ServerTestCase):
    server_options = {"public_url": "https://track.example.com"}

    def setUp(self):
        s = self.server
        tenant = make_tenant(s)
        self.key = tenant["api_key"]
        self.driver = make_driver(s, self.key, name="Giulia Bianchi")

    def test_a_link_signs_a_driver_in_once_with_a_token_of_its_own(self):
        s = self.server
        link = new_link(s, self.key, self.driver["id"])
        self.assertGreaterEqual(len(link["code"]), 22, "128 bits, base64url")
        self.assertTrue(link["url"].endswith("/driver#code=" + link["code"]), link["url"])
        self.assertIn("expires_at", link)
        session = self.assertStatus(redeem(s, link["code"]), 201)
        self.assertEqual(session["driver"], {"id": self.driver["id"], "first_name": "Giulia"})
        self.assertNotEqual(session["token"], self.driver["device_token"])
        manifest = self.assertStatus(s.request("GET", "/v1/driver/manifest", token=session["token"]), 200)
        self.assertEqual(manifest["driver"]["id"], self.driver["id"])
        # Once only; an unknown code gets the very same answer.
        self.assertError(redeem(s, link["code"]), 401, "invalid_code")
        self.assertError(redeem(s, "A" * 22), 401, "invalid_code")
        self.assertError(s.request("POST", "/v1/driver/session", {}), 400, "missing_field", "code")

    def test_two_phones_racing_for_one_code_get_one_session(self):
        s = self.server
        link = new_link(s, self.key, self.driver["id"])
        results = []

        def go():
            results.append(redeem(s, link["code"]).status)

        threads = [threading.Thread(target=go) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [201] + [401] * 5)

    def test_a_shut_out_driver_cannot_redeem(self):
        s = self.server
        link = new_link(s, self.key, self.driver["id"])
        keys = list_all(s, "/v1/api-keys", self.key)
        device = [k for k in keys if k["name"] == f"device of {self.driver['id']}"]
        self.assertEqual(len(device), 1)
        expect(s.request("DELETE", f"/v1/api-keys/{device[0]['id']}", token=self.key), 204, "revoke")
        self.assertError(redeem(s, link["code"]), 401, "invalid_code")

    def test_links_are_for_office_staff_of_the_drivers_tenant(self):
        s = self.server
        other = make_tenant(s)["api_key"]
        self.assertError(s.request("POST", f"/v1/drivers/{self.driver['id']}/login-links", token=other), 404,
                         "not_found")
        self.assertError(s.request("POST", f"/v1/drivers/{self.driver['id']}/login-links",
                                   token=self.driver["device_token"]), 403, "forbidden")
        integration = make_api_key(s, self.key, "integration")["api_key"]
        self.assertError(s.request("POST", f"/v1/drivers/{self.driver['id']}/login-links", token=integration), 403,
                         "forbidden")


class ExpiredLinkTest(ServerTestCase):
    # The server's clock runs 1000x: a one-hour link is over after 3.6 s of wall time.
    server_options = {"extra_args": ["--clock-speedup", "1000", "--login-link-ttl-h", "1"]}

    def test_an_expired_link_is_refused_like_an_unknown_one(self):
        s = self.server
        key = make_tenant(s)["api_key"]
        driver = make_driver(s, key)
        link = new_link(s, key, driver["id"])
        self.assertTrue(link["url"].startswith(s.base_url + "/driver#code="), link["url"])
        time.sleep(4.5)
        self.assertError(redeem(s, link["code"]), 401, "invalid_code")


class ManifestTest(ServerTestCase):
    def setUp(self):
        s = self.server
        self.key = make_tenant(s)["api_key"]
        self.driver = make_driver(s, self.key, name="Luca Rossi")
        self.token = self.driver["device_token"]

    def test_the_manifest_lists_stops_shipments_and_parcels_without_contact_details(self):
        s = self.server
        a = make_shipment(s, self.key, parcels=[{"barcode": "MAN-A1", "weight_kg": 1.5, "description": "shoes"},
                                                 {"barcode": "MAN-A2", "weight_kg": 0.5, "description": "socks"}])
        b = make_shipment(s, self.key, parcels=[{"barcode": "MAN-B1", "weight_kg": 3, "description": "lamp"}])
        route = make_route(s, self.key, self.driver["id"], [a["id"], b["id"]], date=TODAY)
        expect(s.request("POST", "/v1/scans", {"id": "man-1", "barcode": "MAN-A1", "kind": "loaded",
                                               "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                         token=self.token), 201, "scan")
        r = s.request("GET", "/v1/driver/manifest", token=self.token)
        m = self.assertStatus(r, 200)
        self.assertEqual(m["driver"], {"id": self.driver["id"], "first_name": "Luca"})
        self.assertEqual(m["route"]["id"], route["id"])
        self.assertEqual(m["route"]["status"], "planned")
        self.assertEqual(m["route"]["date"], TODAY)
        stops = m["route"]["stops"]
        self.assertEqual([st["sequence"] for st in stops], [0, 1])
        first = stops[0]["shipments"][0]
        self.assertEqual(first["id"], a["id"])
        self.assertEqual(first["tracking_number"], a["tracking_number"])
        self.assertEqual(first["recipient"], {"name": "Marie Dupont"})
        self.assertEqual(first["address"]["line1"], "12 Avenue de la Costa")
        self.assertIn("1234", first["instructions"])  # the gate code
        self.assertEqual([p["barcode"] for p in first["parcels"]], ["MAN-A1", "MAN-A2"])
        self.assertEqual(first["parcels"][0]["scanned"], ["loaded"])
        self.assertEqual(first["parcels"][1]["scanned"], [])
        self.assertEqual(stops[0]["location"], {"lat": 43.7384, "lon": 7.4246})
        for secret in ("+33612345678", "marie@example.com", "phone", "email"):
            self.assertNotIn(secret, r.text, f"the manifest leaks {secret!r}")

    def test_in_progress_comes_before_planned_and_other_days_are_apart(self):
        s = self.server
        a = make_shipment(s, self.key)
        b = make_shipment(s, self.key)
        make_route(s, self.key, self.driver["id"], [a["id"]], date=TODAY)
        started = make_route(s, self.key, self.driver["id"], [b["id"]], date=TODAY)
        expect(s.request("POST", f"/v1/routes/{started['id']}/start", token=self.token), 200, "start")
        m = self.assertStatus(s.request("GET", "/v1/driver/manifest", token=self.token, params={"date": TODAY}), 200)
        self.assertEqual(m["route"]["id"], started["id"])
        other_day = self.assertStatus(s.request("GET", "/v1/driver/manifest", token=self.token,
                                                params={"date": "2001-01-01"}), 200)
        self.assertIsNone(other_day["route"])
        self.assertError(s.request("GET", "/v1/driver/manifest", token=self.token, params={"date": "tomorrow"}), 400,
                         "invalid_field", "date")

    def test_only_a_driver_has_a_manifest_and_sees_only_its_own(self):
        s = self.server
        other = make_driver(s, self.key, name="Olga Other")
        theirs = make_shipment(s, self.key)
        make_route(s, self.key, other["id"], [theirs["id"]], date=TODAY)
        m = self.assertStatus(s.request("GET", "/v1/driver/manifest", token=self.token), 200)
        self.assertTrue(m["route"] is None or theirs["id"] not in str(m))
        self.assertError(s.request("GET", "/v1/driver/manifest", token=self.key), 403, "forbidden")
        self.assertError(s.request("GET", "/v1/driver/manifest"), 401, "unauthenticated")


if __name__ == "__main__":
    unittest.main()
