"""`serve --router osrm://HOST:PORT`: routes and matrices answered by an external server speaking OSRM's API.

The external server is a real one on loopback: our own `lastmile serve --map monaco.lmgraph --osrm-public`
(its /route/v1 and /table/v1 speak OSRM's API). A second lastmile started with `--router osrm://…` must answer
GET /v1/route and POST /v1/matrix as the first does with its own map, saying `"source": "external_osrm"`;
NoSegment becomes 422 not_routable; an unreachable or silent router is an error, within the timeout; a bad
--router value (or one given with --map) stops the server with exit code 1 (docs/routing.md, "External router").
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from lastmile_server import DEFAULT_BIN, LastmileServer, make_tenant, monaco_graph

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("LASTMILE_BIN", DEFAULT_BIN)

A = (43.7384, 7.4246)  # Avenue de la Costa
B = (43.7396, 7.4270)  # Boulevard des Moulins
C = (43.7311, 7.4197)  # near the port
D = (43.7277, 7.4155)  # Fontvieille
SEA = (43.70, 7.45)    # no road within 500 m


def latlon(p):
    return f"{p[0]},{p[1]}"


class ExternalRouterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lastmile-osrm-")
        graph = monaco_graph(BIN)
        cls.osrm = LastmileServer(extra_args=["--map", graph, "--osrm-public"]).start()
        cls.client = LastmileServer(extra_args=["--router", f"osrm://127.0.0.1:{cls.osrm.port}",
                                                "--router-timeout-ms", "5000"]).start()
        cls.osrm_key = make_tenant(cls.osrm)["api_key"]
        cls.client_key = make_tenant(cls.client)["api_key"]

    @classmethod
    def tearDownClass(cls):
        for s in (cls.client, cls.osrm):
            s.stop()
            s.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def route(self, server, key, a, b):
        return server.request("GET", "/v1/route", token=key, params={"from": latlon(a), "to": latlon(b)})

    def test_route_matches_the_router_behind_it(self):
        for a, b in ((A, B), (B, A), (C, D), (A, D)):
            mine = self.route(self.osrm, self.osrm_key, a, b)
            theirs = self.route(self.client, self.client_key, a, b)
            self.assertEqual(mine.status, 200, mine.body)
            self.assertEqual(theirs.status, 200, theirs.body)
            self.assertEqual(mine.body["source"], "road_network")
            self.assertEqual(theirs.body["source"], "external_osrm")
            self.assertAlmostEqual(theirs.body["duration_s"], mine.body["duration_s"], delta=0.11)
            self.assertAlmostEqual(theirs.body["distance_m"], mine.body["distance_m"], delta=0.11)
            mine_line, their_line = mine.body["geometry"]["coordinates"], theirs.body["geometry"]["coordinates"]
            self.assertEqual(len(their_line), len(mine_line))
            for p, q in zip(mine_line, their_line):
                self.assertAlmostEqual(p[0], q[0], delta=2e-6)
                self.assertAlmostEqual(p[1], q[1], delta=2e-6)

    def test_matrix_matches_the_router_behind_it(self):
        body = {"sources": [list(A), list(B), list(C)], "destinations": [list(D), list(A), list(B), list(C)]}
        mine = self.osrm.request("POST", "/v1/matrix", body, token=self.osrm_key)
        theirs = self.client.request("POST", "/v1/matrix", body, token=self.client_key)
        self.assertEqual(mine.status, 200, mine.body)
        self.assertEqual(theirs.status, 200, theirs.body)
        self.assertEqual(theirs.body["source"], "external_osrm")
        for key in ("durations", "distances"):
            self.assertEqual(len(theirs.body[key]), 3)
            for row_mine, row_theirs in zip(mine.body[key], theirs.body[key]):
                self.assertEqual(len(row_theirs), 4)
                for x, y in zip(row_mine, row_theirs):
                    self.assertAlmostEqual(x, y, delta=0.11)
        self.assertEqual(theirs.body["durations"][1][2], 0)  # B → B

    def test_no_segment_is_not_routable(self):
        r = self.route(self.client, self.client_key, A, SEA)
        self.assertEqual(r.status, 422, r.body)
        self.assertEqual(r.body["error"]["code"], "not_routable")
        m = self.client.request("POST", "/v1/matrix", {"sources": [list(A), list(SEA)]}, token=self.client_key)
        self.assertEqual(m.status, 422, m.body)

    def test_unreachable_and_silent_routers_fail_within_the_timeout(self):
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepts connections (the kernel does), never answers
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
        closed.close()  # nothing listens there
        try:
            for port, timeout_ms in ((silent.getsockname()[1], 400), (closed_port, 5000)):
                server = LastmileServer(extra_args=["--router", f"osrm://127.0.0.1:{port}",
                                                    "--router-timeout-ms", str(timeout_ms)]).start()
                try:
                    key = make_tenant(server)["api_key"]
                    t0 = time.monotonic()
                    r = self.route(server, key, A, B)
                    elapsed = time.monotonic() - t0
                    self.assertEqual(r.status, 503, r.body)
                    self.assertEqual(r.error.get("code"), "unavailable")
                    self.assertLess(elapsed, timeout_ms / 1000 + 2)
                finally:
                    server.stop()
                    server.close()
        finally:
            silent.close()

    def test_bad_router_option_stops_the_server(self):
        with tempfile.TemporaryDirectory() as tmp:
            for args in (["--router", "http://127.0.0.1:5000"], ["--router", "osrm://127.0.0.1:0"],
                         ["--router", "osrm://127.0.0.1:5000", "--map", os.path.join(tmp, "x.lmgraph")]):
                done = subprocess.run([BIN, "serve", "--db", f"sqlite:{tmp}/db", "--http", "127.0.0.1:0",
                                       "--osmand", "off"] + args, capture_output=True, timeout=30)
                self.assertEqual(done.returncode, 1, done.stderr)
                self.assertIn("--router", done.stderr.decode())


if __name__ == "__main__":
    unittest.main()
