"""The PostgreSQL backend's own behaviour (docs/deployment.md): what the rest of the suite cannot show by
running again on PostgreSQL (ctest's pg.integration.*) — a database that goes away and comes back, and
connections the server loses.

The test starts its own throwaway PostgreSQL (pg_cluster.py) so it can stop and restart it.
"""

import time
import unittest

import pg_cluster
from lastmile_server import ADMIN_TOKEN, LastmileServer, expect, make_tenant, shipment_body


def wait_for(check, timeout_s=15.0):
    """Polls `check()` until it returns a true value (returned) or the time is up (AssertionError)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


class PostgresTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = pg_cluster.PgCluster().start()
        cls.addClassCleanup(cls.pg.stop)
        cls.server = LastmileServer(pg_url=cls.pg.url)
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.key = make_tenant(cls.server, "Postgres Co")["api_key"]

    def create(self, order):
        return self.server.request("POST", "/v1/shipments", shipment_body(external_order_id=order), token=self.key)

    def test_the_schema_is_the_one_the_url_names(self):
        tables = self.pg.psql(f"SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                              f"'{self.server.pg_schema}'")
        self.assertGreater(int(tables), 30)
        version = self.pg.psql(f"SELECT max(version) FROM {self.server.pg_schema}.schema_version")
        self.assertGreaterEqual(int(version), 20)

    def test_a_nul_character_is_refused_not_stored_cut_short(self):
        # Valid JSON, but PostgreSQL's text cannot hold U+0000 (SQLite stores it as it is).
        body = shipment_body(external_order_id="nul-1")
        body["recipient"]["name"] = "Ann\u0000e"
        r = self.create_body(body)
        self.assertEqual((r.status, r.error.get("code")), (400, "invalid_field"), str(r))
        listed = expect(self.server.request("GET", "/v1/shipments?limit=500", token=self.key), 200, "list")
        self.assertNotIn("nul-1", {s["external_order_id"] for s in listed["items"]})

    def create_body(self, body):
        return self.server.request("POST", "/v1/shipments", body, token=self.key)

    def test_lost_connections_are_reopened(self):
        expect(self.create("before-kill"), 201, "create")
        # Every connection the server holds is cut, as a database failover or an idle timeout would.
        self.pg.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = 'lastmile' AND pid <> pg_backend_pid()")
        # The first call on a dead connection may fail (503, nothing written); the server then reconnects.
        first = self.create("after-kill-1")
        self.assertIn(first.status, (201, 503), str(first))
        created = wait_for(lambda: self.create(f"after-kill-{time.monotonic_ns()}").status == 201)
        self.assertTrue(created)
        listed = expect(self.server.request("GET", "/v1/shipments?limit=500", token=self.key), 200, "list")
        orders = {s["external_order_id"] for s in listed["items"]}
        self.assertIn("before-kill", orders)
        if first.status == 503:
            self.assertNotIn("after-kill-1", orders)  # not acknowledged, not stored

    def test_readiness_follows_the_database_and_writes_fail_cleanly_while_it_is_down(self):
        expect(self.server.request("GET", "/readyz"), 200, "ready")
        self.pg.pause()
        try:
            ready = wait_for(lambda: self.server.request("GET", "/readyz").status == 503 and True)
            self.assertTrue(ready)
            r = self.create("while-down")
            self.assertEqual(r.status, 503, str(r))
            self.assertEqual(r.error.get("code"), "unavailable", str(r))
            self.assertEqual(self.server.request("GET", "/healthz").status, 200)  # the process itself is fine
        finally:
            self.pg.resume()
        wait_for(lambda: self.server.request("GET", "/readyz").status == 200)
        expect(self.create("after-restart"), 201, "create")
        listed = expect(self.server.request("GET", "/v1/shipments?limit=500", token=self.key), 200, "list")
        orders = {s["external_order_id"] for s in listed["items"]}
        self.assertIn("after-restart", orders)
        self.assertNotIn("while-down", orders)

    def test_a_second_node_on_the_same_schema_migrates_nothing_and_sees_the_data(self):
        expect(self.create("seen-by-both"), 201, "create")
        other = LastmileServer(pg_url=self.server.db_url)  # the same schema
        other.start(admin_token=ADMIN_TOKEN)
        try:
            listed = expect(other.request("GET", "/v1/shipments?limit=500", token=self.key), 200, "list on node 2")
            self.assertIn("seen-by-both", {s["external_order_id"] for s in listed["items"]})
            expect(other.request("POST", "/v1/shipments", shipment_body(external_order_id="from-node-2"),
                                 token=self.key), 201, "create on node 2")
        finally:
            other.stop()
        versions = self.pg.psql(f"SELECT count(*) FROM {self.server.pg_schema}.schema_version")
        self.assertEqual(int(versions), int(self.pg.psql(f"SELECT max(version) FROM {self.server.pg_schema}.schema_version")))


if __name__ == "__main__":
    unittest.main()
