"""Routing over HTTP with the real binary: `lastmile import-map` on the bundled Monaco extract, then
`serve --map` answering GET /v1/route, POST /v1/matrix and the OSRM-compatible /route/v1 and /table/v1
between two Monaco addresses; without --map the same endpoints answer great-circle estimates; a bad
map file stops the server at start with exit code 1 (docs/routing.md, docs/api.md "Routing").
"""

import math
import os
import subprocess
import tempfile
import unittest

from lastmile_server import (DEFAULT_BIN, LastmileServer, ServerTestCase, make_api_key, make_driver, make_tenant,
                             monaco_graph)

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("LASTMILE_BIN", DEFAULT_BIN)

# Avenue de la Costa → Boulevard des Moulins (Monte-Carlo): a few hundred metres by road.
A = (43.7384, 7.4246)
B = (43.7396, 7.4270)
SEA = (43.70, 7.45)  # 2 km out at sea: no road within 500 m


def latlon(p):
    return f"{p[0]},{p[1]}"


def lonlat(p):
    return f"{p[1]},{p[0]}"


def haversine_m(a, b):
    r = 6371008.8
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))





class RoadNetworkTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server_options = {"extra_args": ["--map", monaco_graph()]}
        super().setUpClass()
        tenant = make_tenant(cls.server)
        cls.key = tenant["api_key"]
        cls.dispatcher = make_api_key(cls.server, cls.key, "dispatcher")["api_key"]
        cls.driver = make_driver(cls.server, cls.key)["device_token"]

    def test_route_between_two_addresses(self):
        r = self.assertStatus(self.server.request("GET", "/v1/route", token=self.dispatcher,
                                                  params={"from": latlon(A), "to": latlon(B)}), 200)
        self.assertEqual(r["source"], "road_network")
        straight = haversine_m(A, B)
        self.assertGreater(r["distance_m"], straight)
        self.assertLess(r["distance_m"], 5 * straight)
        self.assertGreater(r["duration_s"], 10)
        self.assertLess(r["duration_s"], 600)
        self.assertEqual(r["geometry"]["type"], "LineString")
        first = r["geometry"]["coordinates"][0]
        self.assertLess(haversine_m(A, (first[1], first[0])), 100)  # [lon, lat], snapped near A
        poly = self.assertStatus(self.server.request("GET", "/v1/route", token=self.driver, params={
            "from": latlon(A), "to": latlon(B), "geometry": "polyline"}), 200)
        self.assertIsInstance(poly["geometry"], str)
        self.assertEqual(poly["distance_m"], r["distance_m"])

    def test_matrix_equals_routes(self):
        body = {"sources": [list(A), list(B)], "destinations": [list(B), list(A)]}
        m = self.assertStatus(self.server.request("POST", "/v1/matrix", body, token=self.key), 200)
        self.assertEqual(m["source"], "road_network")
        self.assertEqual(len(m["durations"]), 2)
        self.assertEqual(len(m["distances"][0]), 2)
        r = self.server.request("GET", "/v1/route", token=self.key, params={"from": latlon(A), "to": latlon(B)}).body
        self.assertAlmostEqual(m["durations"][0][0], r["duration_s"], delta=0.11)
        self.assertAlmostEqual(m["distances"][0][0], r["distance_m"], delta=0.11)
        self.assertEqual(m["durations"][1][0], 0)  # B → B
        self.assertGreater(m["durations"][1][1], 0)  # B → A

    def test_osrm_route_and_table(self):
        path = f"/route/v1/driving/{lonlat(A)};{lonlat(B)}"
        o = self.assertStatus(self.server.request("GET", path, token=self.key,
                                                  params={"overview": "full", "geometries": "geojson"}), 200)
        self.assertEqual(o["code"], "Ok")
        route = o["routes"][0]
        self.assertEqual(len(route["legs"]), 1)
        self.assertEqual(route["geometry"]["type"], "LineString")
        self.assertEqual(len(o["waypoints"]), 2)
        loc = o["waypoints"][0]["location"]
        self.assertLess(haversine_m(A, (loc[1], loc[0])), 100)
        self.assertIsInstance(o["waypoints"][0]["name"], str)
        r = self.server.request("GET", "/v1/route", token=self.key, params={"from": latlon(A), "to": latlon(B)}).body
        self.assertAlmostEqual(route["distance"], r["distance_m"], delta=0.11)
        no_geometry = self.assertStatus(self.server.request("GET", path, token=self.key,
                                                            params={"overview": "false"}), 200)
        self.assertNotIn("geometry", no_geometry["routes"][0])

        table = self.assertStatus(self.server.request(
            "GET", f"/table/v1/driving/{lonlat(A)};{lonlat(B)}", token=self.key,
            params={"sources": "0", "annotations": "duration,distance"}), 200)
        self.assertEqual(table["code"], "Ok")
        self.assertEqual(len(table["durations"]), 1)
        self.assertEqual(len(table["durations"][0]), 2)
        self.assertEqual(table["durations"][0][0], 0)
        self.assertAlmostEqual(table["distances"][0][1], r["distance_m"], delta=0.11)
        self.assertEqual(len(table["sources"]), 1)
        self.assertEqual(len(table["destinations"]), 2)

    def test_errors(self):
        s = self.server
        self.assertError(s.request("GET", "/v1/route", token=self.key, params={"from": latlon(SEA), "to": latlon(B)}),
                         422, "not_routable")
        self.assertError(s.request("GET", "/v1/route", token=self.key, params={"from": "43.7;7.4", "to": latlon(B)}),
                         400, "invalid_field", "from")
        self.assertError(s.request("GET", "/v1/route", token=self.key, params={"from": latlon(A)}),
                         400, "missing_field", "to")
        self.assertError(s.request("POST", "/v1/matrix", {"sources": [list(A)] * 101}, token=self.key),
                         413, "too_large", "sources")
        self.assertError(s.request("POST", "/v1/matrix", {"sources": [list(A), list(SEA)]}, token=self.key),
                         422, "not_routable")
        self.assertError(s.request("GET", "/v1/route", params={"from": latlon(A), "to": latlon(B)}),
                         401, "unauthenticated")
        o = s.request("GET", f"/route/v1/driving/{lonlat(A)};{lonlat(SEA)}", token=self.key)
        self.assertEqual(o.status, 400)
        self.assertEqual(o.body["code"], "NoSegment")
        o = s.request("GET", f"/route/v1/driving/{lonlat(A)}", token=self.key)
        self.assertEqual((o.status, o.body["code"]), (400, "InvalidQuery"))
        o = s.request("GET", "/table/v1/driving/" + ";".join([lonlat(A)] * 101), token=self.key)
        self.assertEqual((o.status, o.body["code"]), (400, "TooBig"))
        # OSRM's URLs take a key unless the server runs with --osrm-public.
        self.assertError(s.request("GET", f"/route/v1/driving/{lonlat(A)};{lonlat(B)}"), 401, "unauthenticated")


class GreatCircleTest(ServerTestCase):
    server_options = {"extra_args": ["--detour-factor", "1.5", "--fallback-speed-kmh", "36", "--osrm-public"]}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = make_tenant(cls.server)["api_key"]

    def test_estimates_say_great_circle(self):
        r = self.assertStatus(self.server.request("GET", "/v1/route", token=self.key,
                                                  params={"from": latlon(A), "to": latlon(B)}), 200)
        self.assertEqual(r["source"], "great_circle")
        expected = haversine_m(A, B) * 1.5
        self.assertAlmostEqual(r["distance_m"], expected, delta=0.2)
        self.assertAlmostEqual(r["duration_s"], expected / 10, delta=0.2)  # 36 km/h = 10 m/s
        # Far from any map: still an estimate, never not_routable.
        m = self.assertStatus(self.server.request("POST", "/v1/matrix", {"sources": [list(A), list(SEA)]},
                                                  token=self.key), 200)
        self.assertEqual(m["source"], "great_circle")
        self.assertEqual(m["durations"][0][0], 0)

    def test_osrm_public_with_the_flag(self):
        o = self.assertStatus(self.server.request("GET", f"/route/v1/driving/{lonlat(A)};{lonlat(B)}"), 200)
        self.assertEqual(o["code"], "Ok")
        self.assertEqual(o["source"], "great_circle")


class BadMapTest(unittest.TestCase):
    def test_a_bad_map_file_stops_the_server_with_exit_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.lmgraph")
            with open(bad, "wb") as f:
                f.write(b"not a graph at all")
            for path, code in ((bad, "not_a_graph"), (os.path.join(tmp, "missing.lmgraph"), "file_not_found")):
                done = subprocess.run([BIN, "serve", "--map", path, "--db", f"sqlite:{tmp}/db", "--http",
                                       "127.0.0.1:0", "--osmand", "off"], capture_output=True, timeout=30)
                self.assertEqual(done.returncode, 1, done.stderr)
                self.assertIn(code, done.stderr.decode())


class RouteCommandTest(unittest.TestCase):
    def test_route_prints_duration_and_distance(self):
        done = subprocess.run([BIN, "route", monaco_graph(), "--from", latlon(A), "--to", latlon(B)],
                              capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        fields = dict(kv.split("=") for kv in done.stdout.decode().split())
        self.assertGreater(float(fields["distance_m"]), haversine_m(A, B))
        self.assertGreater(float(fields["duration_s"]), 0)
        done = subprocess.run([BIN, "route", monaco_graph(), "--from", latlon(SEA), "--to", latlon(B)],
                              capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 1)
        self.assertIn("outside_map", done.stderr.decode())


if __name__ == "__main__":
    unittest.main()
