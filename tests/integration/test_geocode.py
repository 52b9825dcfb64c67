"""Geocoding over HTTP with the real binary (docs/geocoding.md): `lastmile import-map` on the bundled
Monaco extract writes the map's OSM addresses next to the graph, `serve --map` answers GET /v1/geocode
from them with a confidence score; without them the route answers 503; a corrupt address file stops
the server at start, as a corrupt map does.
"""

import os
import shutil
import subprocess
import tempfile
import unittest

from lastmile_server import (DEFAULT_BIN, ServerTestCase, make_api_key, make_driver, make_shipment, make_tenant,
                             monaco_graph, shipment_body)

BIN = os.environ.get("LASTMILE_BIN", DEFAULT_BIN)


class GeocodeTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server_options = {"extra_args": ["--map", monaco_graph()]}
        super().setUpClass()
        tenant = make_tenant(cls.server)
        cls.key = tenant["api_key"]
        cls.dispatcher = make_api_key(cls.server, cls.key, "dispatcher")["api_key"]
        cls.driver = make_driver(cls.server, cls.key)["device_token"]

    def geocode(self, token=None, status=200, **params):
        return self.assertStatus(self.server.request("GET", "/v1/geocode", token=token or self.dispatcher,
                                                     params=params), status)

    def test_a_house_number_of_the_map_is_found_with_full_confidence(self):
        r = self.geocode(q="10 av. Princesse-Grace, 98000 Monaco")
        best = r["results"][0]
        self.assertEqual(best["level"], "house_number")
        self.assertEqual(best["confidence"], 1.0)
        self.assertEqual(best["label"], "10 Avenue Princesse Grace, 98000 Monaco")
        self.assertAlmostEqual(best["lat"], 43.745, delta=0.01)
        self.assertAlmostEqual(best["lon"], 7.43, delta=0.02)
        self.assertEqual(r["accept_confidence"], 0.6)

    def test_structured_fields_work_as_a_shipment_address_gives_them(self):
        r = self.geocode(line1="17 avenue de l'Annonciade", city="Monaco", postal_code="98000", limit="1")
        self.assertEqual(len(r["results"]), 1)
        self.assertEqual(r["results"][0]["label"], "17 Avenue de l'Annonciade, 98000 Monaco")

    def test_a_street_without_that_number_answers_lower_levels(self):
        r = self.geocode(q="3 boulevard du Larvotto", postal_code="98000")
        self.assertEqual(r["results"][0]["level"], "street")
        self.assertLess(r["results"][0]["confidence"], 0.6)
        r = self.geocode(q="Nowhere lane 1", postal_code="75001")
        self.assertEqual(r["results"], [])

    def test_bad_parameters_are_refused_with_their_field(self):
        self.assertEqual(self.geocode(status=400)["error"]["code"], "missing_field")
        for params, field in (({"q": "x" * 501}, "q"), ({"q": "rue", "limit": "0"}, "limit"),
                              ({"q": "rue", "limit": "11"}, "limit"), ({"q": "rue", "limit": "2x"}, "limit")):
            e = self.geocode(status=400, **params)["error"]
            self.assertEqual((e["code"], e["field"]), ("invalid_field", field), params)

    def created_event(self, sid):
        events = self.assertStatus(self.server.request("GET", f"/v1/shipments/{sid}/events", token=self.key), 200)
        return events["items"][0] if "items" in events else events["events"][0]

    def test_a_shipment_without_coordinates_is_placed_on_its_address(self):
        address = {"line1": "10 av. Princesse Grace", "line2": "", "city": "Monaco", "postal_code": "98000",
                   "country": "MC"}
        sid = make_shipment(self.server, self.key, address=address)["id"]
        sh = self.assertStatus(self.server.request("GET", f"/v1/shipments/{sid}", token=self.key), 200)
        self.assertAlmostEqual(sh["address"]["lat"], 43.745, delta=0.01)
        created = self.created_event(sid)
        self.assertEqual(created["payload"]["location"]["source"], "geocoded")
        self.assertEqual(created["payload"]["location"]["geocode"]["level"], "house_number")

    def test_given_coordinates_stand_unless_the_house_number_itself_matches(self):
        given = {"line1": "3 boulevard du Larvotto", "line2": "", "city": "Monaco", "postal_code": "98000",
                 "country": "MC", "lat": 43.7460, "lon": 7.4330}
        sid = make_shipment(self.server, self.key, address=given)["id"]
        sh = self.assertStatus(self.server.request("GET", f"/v1/shipments/{sid}", token=self.key), 200)
        self.assertEqual((sh["address"]["lat"], sh["address"]["lon"]), (43.7460, 7.4330))
        location = self.created_event(sid)["payload"]["location"]
        self.assertEqual((location["source"], location["geocode"]["level"]), ("provided", "street"))
        # Bulk creation takes the same path.
        r = self.assertStatus(self.server.request("POST", "/v1/shipments/bulk", token=self.key, body={
            "shipments": [shipment_body(address={"line1": "17 avenue de l'Annonciade", "line2": "", "city": "Monaco",
                                                 "postal_code": "98000", "country": "MC"},
                                        external_order_id="geo-bulk-1")]}), 200)
        sid = r["results"][0]["id"]
        sh = self.assertStatus(self.server.request("GET", f"/v1/shipments/{sid}", token=self.key), 200)
        self.assertIsNotNone(sh["address"]["lat"])

    def test_roles(self):
        self.geocode(token=self.key, q="10 avenue Princesse Grace")
        self.geocode(token=self.driver, status=403, q="10 avenue Princesse Grace")
        self.geocode(token="lm_nope_nope", status=401, q="10 avenue Princesse Grace")


class NoAddressesTest(ServerTestCase):
    """A map imported before addresses existed (no .addresses file next to it): routing works,
    geocoding answers 503 unavailable."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lastmile-geocode-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        graph = os.path.join(cls.tmp, "old.lmgraph")
        shutil.copyfile(monaco_graph(), graph)
        cls.server_options = {"extra_args": ["--map", graph]}
        super().setUpClass()
        cls.key = make_tenant(cls.server)["api_key"]

    def test_geocode_is_unavailable(self):
        r = self.server.request("GET", "/v1/geocode", token=self.key, params={"q": "10 avenue Princesse Grace"})
        self.assertEqual(r.status, 503, r)
        self.assertEqual(r.error["code"], "unavailable")


class BadAddressFileTest(unittest.TestCase):
    def test_a_corrupt_address_file_stops_the_server_with_exit_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            graph = os.path.join(tmp, "x.lmgraph")
            shutil.copyfile(monaco_graph(), graph)
            with open(monaco_graph() + ".addresses", "rb") as f:
                text = f.read()
            with open(graph + ".addresses", "wb") as f:
                f.write(text[: len(text) // 2])  # cut in the middle: no end line
            done = subprocess.run([BIN, "serve", "--map", graph, "--db", f"sqlite:{tmp}/db", "--http",
                                   "127.0.0.1:0", "--osmand", "off"], capture_output=True, timeout=30)
            self.assertEqual(done.returncode, 1, done.stderr)
            self.assertIn("corrupt", done.stderr.decode())


if __name__ == "__main__":
    unittest.main()
