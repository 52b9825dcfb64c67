"""System endpoints and HTTP behaviour: health, readiness, metrics, OpenAPI, 404/405, keep-alive."""

import json
import re
import unittest

from lastmile_server import ServerTestCase, make_shipment, make_tenant

# Every path of docs/api.md with its methods (path parameters compared by position, not by name).
DOCUMENTED = {
    "/healthz": {"get"},
    "/readyz": {"get"},
    "/metrics": {"get"},
    "/v1/openapi.json": {"get"},
    "/v1/tenants": {"get", "post"},
    "/v1/api-keys": {"get", "post"},
    "/v1/api-keys/{id}": {"delete"},
    "/v1/carriers": {"get", "post"},
    "/v1/carriers/{id}": {"get"},
    "/v1/drivers": {"get", "post"},
    "/v1/drivers/{id}": {"get"},
    "/v1/vehicles": {"get", "post"},
    "/v1/vehicles/{id}": {"get"},
    "/v1/shipments": {"get", "post"},
    "/v1/shipments/{id}": {"get"},
    "/v1/shipments/{id}/events": {"get", "post"},
    "/v1/routes": {"get", "post"},
    "/v1/routes/{id}": {"get"},
    "/v1/routes/{id}/start": {"post"},
    "/v1/track/{id}": {"get"},
    "/v1/route": {"get"},
    "/v1/eta/model": {"get"},
    "/v1/matrix": {"post"},
    "/route/v1/driving/{id}": {"get"},
    "/table/v1/driving/{id}": {"get"},
    "/v1/tiles.json": {"get"},
    "/v1/tiles/style.json": {"get"},
    "/v1/tiles/{id}/{id}/{id}": {"get"},
}

SAMPLE_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})? '
                         r'(-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$')


def normalise(path):
    return re.sub(r"\{[^}]*\}", "{id}", path)


def samples(text, name):
    """[(labels dict, value)] of the samples of metric `name` in Prometheus text."""
    out = []
    for line in text.splitlines():
        m = SAMPLE_LINE.match(line)
        if m and m.group(1) == name:
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
            out.append((labels, float(m.group(3))))
    return out


class SystemTest(ServerTestCase):

    def test_healthz_says_ok(self):
        r = self.server.request("GET", "/healthz")
        self.assertEqual(self.assertStatus(r, 200), {"status": "ok"})
        self.assertIn("application/json", r.headers.get("Content-Type"))

    def test_readyz_says_ready_while_the_database_answers(self):
        r = self.server.request("GET", "/readyz")
        self.assertEqual(self.assertStatus(r, 200), {"status": "ready"})

    def test_metrics_count_requests_by_route_pattern_with_a_latency_histogram(self):
        tenant = make_tenant(self.server)
        shipment = make_shipment(self.server, tenant["api_key"])
        for _ in range(3):
            self.server.request("GET", "/healthz")
        self.server.request("GET", f"/v1/shipments/{shipment['id']}", token=tenant["api_key"])
        self.server.request("GET", f"/v1/track/{shipment['tracking_token']}")
        self.server.request("GET", "/v1/no-such-thing")

        r = self.server.request("GET", "/metrics")
        self.assertStatus(r, 200)
        self.assertTrue(r.headers.get("Content-Type", "").startswith("text/plain"), r.headers.get("Content-Type"))
        text = r.body
        for line in text.splitlines():
            if line and not line.startswith("#"):
                self.assertRegex(line, SAMPLE_LINE, "not a Prometheus sample line")
        self.assertIn("# TYPE lastmile_http_requests_total counter", text)
        self.assertIn("# TYPE lastmile_http_request_duration_seconds histogram", text)
        for name in ("lastmile_db_operation_duration_seconds", "lastmile_events_published_total",
                     "lastmile_http_connections_active"):
            self.assertIn(f"# TYPE {name} ", text, f"{name} is documented in docs/api.md")

        requests = samples(text, "lastmile_http_requests_total")
        healthz = [v for labels, v in requests
                   if labels.get("route") == "/healthz" and labels.get("method") == "GET" and labels.get("status") == "200"]
        self.assertTrue(healthz and healthz[0] >= 3, f"healthz count in {requests}")
        routes = {labels.get("route") for labels, _ in requests}
        self.assertTrue(any(r and r.startswith("/v1/shipments/") and "{" in r for r in routes),
                        f"requests are labelled by route pattern, not by raw path: {routes}")
        self.assertNotIn(shipment["id"], text, "ids must not become label values (unbounded cardinality)")
        self.assertNotIn(shipment["tracking_token"], text, "a tracking token is a secret")

        buckets = samples(text, "lastmile_http_request_duration_seconds_bucket")
        self.assertTrue(any(labels.get("le") == "+Inf" and labels.get("route") == "/healthz" for labels, _ in buckets),
                        "histogram has a +Inf bucket per route")
        self.assertTrue(samples(text, "lastmile_http_request_duration_seconds_count"))
        self.assertTrue(samples(text, "lastmile_http_request_duration_seconds_sum"))
        self.assertGreaterEqual(samples(text, "lastmile_events_published_total")[0][1], 1,
                                "the shipment's created event was published")

        later = samples(self.server.request("GET", "/metrics").body, "lastmile_http_requests_total")
        again = [v for labels, v in later
                 if labels.get("route") == "/healthz" and labels.get("method") == "GET" and labels.get("status") == "200"]
        self.assertEqual(again[0], healthz[0], "counters do not move without requests")
        for _ in range(2):
            self.server.request("GET", "/healthz")
        after = samples(self.server.request("GET", "/metrics").body, "lastmile_http_requests_total")
        moved = [v for labels, v in after
                 if labels.get("route") == "/healthz" and labels.get("method") == "GET" and labels.get("status") == "200"]
        self.assertEqual(moved[0], healthz[0] + 2)

    def test_openapi_document_is_3_1_and_describes_every_documented_path(self):
        r = self.server.request("GET", "/v1/openapi.json")
        doc = self.assertStatus(r, 200)
        self.assertIn("application/json", r.headers.get("Content-Type"))
        self.assertIsInstance(doc, dict, "valid JSON object")
        self.assertRegex(doc.get("openapi", ""), r"^3\.1\.\d+$")
        self.assertIn("title", doc.get("info", {}))
        self.assertIn("version", doc.get("info", {}))
        paths = {normalise(p): {m.lower() for m in item if m.lower() in
                                ("get", "post", "put", "patch", "delete")}
                 for p, item in doc.get("paths", {}).items()}
        missing = sorted(set(DOCUMENTED) - set(paths))
        self.assertEqual(missing, [], "paths of docs/api.md missing from the OpenAPI document")
        for path, methods in DOCUMENTED.items():
            self.assertTrue(methods <= paths[path], f"{path}: documented {sorted(methods)}, "
                                                    f"OpenAPI has {sorted(paths[path])}")

    def test_unknown_route_is_404_not_found_json(self):
        for path in ("/v1/no-such-thing", "/v1/shipments/x/y/z", "/", "/v2/shipments"):
            with self.subTest(path=path):
                self.assertError(self.server.request("GET", path), 404, "not_found")
        # no credentials needed to learn that a route does not exist; with them it is the same answer
        self.assertError(self.server.request("POST", "/v1/nothing", {}, token="whatever"), 404, "not_found")

    def test_wrong_method_is_405_with_an_allow_header(self):
        cases = [("DELETE", "/v1/shipments", {"GET", "POST"}),
                 ("PUT", "/healthz", {"GET"}),
                 ("POST", "/v1/shipments/shp_x", {"GET"}),
                 ("GET", "/v1/routes/rte_x/start", {"POST"}),
                 ("PATCH", "/v1/tenants", {"GET", "POST"})]
        for method, path, allowed in cases:
            with self.subTest(method=method, path=path):
                r = self.server.request(method, path)
                self.assertError(r, 405, "method_not_allowed")
                allow = {m.strip().upper() for m in (r.headers.get("Allow") or "").split(",") if m.strip()}
                self.assertTrue(allowed <= allow, f"Allow: {r.headers.get('Allow')!r}, expected {allowed}")
                self.assertNotIn(method, allow)

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        tenant = make_tenant(self.server)
        conn = self.server.connection()
        try:
            sockets = set()
            requests = [("GET", "/healthz", None, {}),
                        ("GET", "/v1/no-such-thing", None, {}),
                        ("POST", "/v1/carriers", json.dumps({"name": "Keep Alive Couriers"}),
                         {"Content-Type": "application/json", "Authorization": f"Bearer {tenant['api_key']}"}),
                        ("GET", "/v1/carriers", None, {"Authorization": f"Bearer {tenant['api_key']}"}),
                        ("POST", "/v1/carriers", "{not json",
                         {"Content-Type": "application/json", "Authorization": f"Bearer {tenant['api_key']}"}),
                        ("GET", "/readyz", None, {})]
            statuses = []
            for method, path, body, headers in requests:
                conn.request(method, path, body=body, headers=headers)
                sockets.add(id(conn.sock))
                resp = conn.getresponse()
                resp.read()
                statuses.append(resp.status)
                self.assertFalse(resp.will_close, f"server closed the connection after {method} {path}")
            self.assertEqual(statuses, [200, 404, 201, 200, 400, 200])
            self.assertEqual(len(sockets), 1, "all requests went over one TCP connection")
        finally:
            conn.close()

    def test_an_authenticated_route_without_credentials_is_401_json(self):
        self.assertError(self.server.request("GET", "/v1/shipments"), 401, "unauthenticated")


if __name__ == "__main__":
    unittest.main()
