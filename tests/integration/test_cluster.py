"""Cluster mode (docs/cluster.md): two `lastmile serve --cluster` nodes sharing one database and a real
3-server NATS JetStream cluster on loopback.

- pings posted to node 1 reach a WebSocket subscriber on node 2;
- under a bounded steady load, node 1 and one nats-server are killed (SIGKILL): every ping a node
  acknowledged is in the track history, the subscriber of node 1 is back on node 2 within 5 s and
  sees positions again, and no notification is sent twice (each milestone e-mail arrives once).

The shared database comes from `shared_database()`: one schema of a throwaway PostgreSQL the test starts
(pg_cluster.py), given to both nodes — cluster mode's production shape (docs/deployment.md).
"""

import datetime
import random
import re
import threading
import time
import unittest

from lastmile_server import SANITIZED, LastmileServer, expect, make_api_key, make_driver, make_shipment, make_tenant, post_event
import pg_cluster
from nats_cluster import NatsCluster
from notification_providers import SmtpSink
from ws_client import ConnectionClosed, Timeout, WebSocket

DRIVERS = 4
LOAD_ROUNDS = 40          # rounds of one ping per driver
ROUND_PAUSE_S = 0.08
KILL_AT_ROUND = 12
SHIPMENTS = 6
RECONNECT_LIMIT_S = 5.0
RETRY_FOR_S = 8.0         # a batch refused while the cluster fails over is sent again this long
CATCH_UP_S = 30.0         # takeover (lease TTL) + redelivery (ack wait) + commit, with margin


def shared_database(pg):
    """LastmileServer keyword arguments that make every node use the same database: one schema of `pg`."""
    return {"pg_url": f"{pg.url}?schema=cluster"}


def iso_ms(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def metric(server, name):
    text = server.request("GET", "/metrics").text
    m = re.search(rf"^{name} (\d+)$", text, re.M)
    return int(m.group(1)) if m else None


class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.nats = NatsCluster(3).start()
        cls.addClassCleanup(cls.nats.close)
        cls.smtp = SmtpSink()
        cls.addClassCleanup(cls.smtp.close)
        cls.pg = pg_cluster.PgCluster().start()
        cls.addClassCleanup(cls.pg.stop)
        cls.nodes = []
        for name in ("n1", "n2"):  # one after the other: the first creates the schema
            args = ["--cluster", cls.nats.urls, "--node-id", name, "--smtp-url", cls.smtp.url,
                    "--smtp-from", "no-reply@shop.example", "--webhook-backoff-scale", "0.001"]
            node = LastmileServer(extra_args=args, **shared_database(cls.pg))
            cls.addClassCleanup(node.close)
            node.start()
            cls.nodes.append(node)

    def ws(self, node, token, path="/v1/live"):
        w = WebSocket.connect(node.port, path, {"Authorization": f"Bearer {token}"})
        self.addCleanup(w.close)
        w.recv_until(lambda m: m.get("type") == "ready")
        return w

    def test_two_nodes_share_ingest_live_updates_and_survive_a_node_and_a_nats_server_dying(self):
        n1, n2 = self.nodes
        admin = make_tenant(n1)["api_key"]
        dispatcher = make_api_key(n1, admin, "dispatcher")["api_key"]
        expect(n1.request("PUT", "/v1/notification-settings",
                          {"rules": {"out_for_delivery": ["email"]}, "quiet_hours": None},
                          token=admin, headers={"If-Match": '"0"'}), 200, "notification settings")
        drivers = [make_driver(n1, admin, name=f"Driver {i}") for i in range(DRIVERS)]
        for node in (n1, n2):
            self.assertEqual(node.request("GET", "/readyz").status, 200)

        # A position ingested by node 1 reaches a subscriber of node 2 and one of node 1: one of the two
        # nodes owns the driver's shard, so the other got it through NATS.
        on_n2 = self.ws(n2, dispatcher)
        on_n1 = self.ws(n1, dispatcher)
        t0 = int(time.time() * 1000) - 120_000
        first = drivers[0]
        r = n1.request("POST", "/v1/pings", [{"t": iso_ms(t0), "lat": 43.73, "lon": 7.42, "accuracy": 5}],
                       token=first["device_token"])
        self.assertEqual(r.status, 200, r)
        m = on_n2.recv_until(lambda m: m.get("type") == "position", timeout=5)[-1]
        self.assertEqual(m["driver_id"], first["id"])
        on_n1.recv_until(lambda m: m.get("type") == "position", timeout=5)

        # Steady load on node 1 (node 2 once node 1 is gone), with milestones that send e-mails.
        shipments = [make_shipment(n1, admin, recipient={
            "name": "Ann Lee", "email": f"ann{i}.{random.randrange(1 << 30)}@example.com", "time_zone": "UTC"})
            for i in range(SHIPMENTS)]
        # Events committed on node 1 reach node 2's subscriber in global order (the event log's tail).
        seen = on_n2.recv_until(lambda m: m.get("type") == "event" and m["event"]["shipment_id"] == shipments[-1]["id"])
        ids = [m["id"] for m in seen if m.get("type") == "event"]
        self.assertEqual(ids, sorted(set(ids)))
        self.assertEqual({m["event"]["shipment_id"] for m in seen if m.get("type") == "event"},
                         {s["id"] for s in shipments})

        acked = {d["id"]: [] for d in drivers}
        killed = threading.Event()
        errors = []

        def load():
            for k in range(1, LOAD_ROUNDS + 1):
                if k == KILL_AT_ROUND:
                    n1.kill()
                    self.nats.kill(0)
                    killed.set()
                node = n2 if killed.is_set() else n1
                for i, d in enumerate(drivers):
                    fix = {"t": iso_ms(t0 + k * 1000), "lat": 43.73 + i * 0.01 + k * 0.0001, "lon": 7.42,
                           "accuracy": 5}
                    # As a device does: an unacknowledged batch is sent again (bounded), to the
                    # surviving node once node 1 is gone.
                    give_up = time.monotonic() + RETRY_FOR_S
                    while time.monotonic() < give_up:
                        target = n2 if killed.is_set() else node
                        try:
                            r = target.request("POST", "/v1/pings", [fix], token=d["device_token"], timeout=10)
                        except OSError as e:  # the node died under the request: not acknowledged
                            errors.append(repr(e))
                            continue
                        if r.status == 200 and r.body["accepted"] == 1:
                            acked[d["id"]].append(round(fix["lat"], 6))
                            break
                        errors.append(str(r))
                        time.sleep(0.1)
                # Half the milestones before the kill (sent by whichever node leads), half after it
                # (sent by node 2 once it has taken the outbox over).
                batch = k - 1 if k <= SHIPMENTS // 2 else k - KILL_AT_ROUND - 1 + SHIPMENTS // 2
                if k != KILL_AT_ROUND and (k <= SHIPMENTS // 2 or SHIPMENTS // 2 <= batch < SHIPMENTS):
                    for step in ("processed", "shipped", "out_for_delivery"):
                        post_event(node, admin, shipments[batch]["id"], step)
                time.sleep(ROUND_PAUSE_S)

        loader = threading.Thread(target=load)
        loader.start()
        # The subscriber of node 1 loses its connection and is back on node 2 within 5 s.
        try:
            on_n1.recv_until(lambda m: False, timeout=30)
        except (ConnectionClosed, OSError, Timeout):
            pass
        self.assertTrue(killed.wait(30))
        lost_at = time.monotonic()
        moved = self.ws(n2, dispatcher)
        self.assertLess(time.monotonic() - lost_at, RECONNECT_LIMIT_S)
        loader.join(timeout=60)
        self.assertFalse(loader.is_alive())

        # It sees positions again, processed by node 2 after the takeover.
        moved.recv_until(lambda m: m.get("type") == "position", timeout=CATCH_UP_S)

        # No acknowledged ping is lost: each is in its driver's track history.
        deadline = time.monotonic() + CATCH_UP_S
        for d in drivers:
            want = set(acked[d["id"]])
            self.assertGreater(len(want), LOAD_ROUNDS * 3 // 4, errors[:5])
            while True:
                track = expect(n2.request("GET", f"/v1/drivers/{d['id']}/track", token=admin,
                                          params={"format": "geojson"}), 200, "track")
                have = {round(lat, 6) for f in track["features"] for _, lat in f["geometry"]["coordinates"]}
                missing = want - have
                if not missing or time.monotonic() > deadline:
                    break
                time.sleep(0.25)
            self.assertEqual(missing, set(), f"acknowledged pings missing from {d['id']}\n{n2.stderr_text(40)}")

        # Each out_for_delivery e-mail is sent exactly once, whichever node was sending.
        want = {s["recipient"]["email"] for s in shipments}
        mails = self.smtp.wait_for(lambda got: want <= {to for _, tos, _ in got for to in tos}, timeout_s=CATCH_UP_S)
        time.sleep(1)  # a duplicate from a second sender would arrive now
        mails = self.smtp.snapshot()
        for address in want:
            got = [msg["Message-ID"] for _, tos, msg in mails if address in tos]
            self.assertEqual(len(got), 1, f"{address}: {got}")

        # The survivor is ready, holds every shard and counts its work.
        self.assertEqual(n2.request("GET", "/readyz").status, 200)
        deadline = time.monotonic() + CATCH_UP_S
        while metric(n2, "lastmile_cluster_shards_held") != 16 and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(metric(n2, "lastmile_cluster_shards_held"), 16)
        self.assertEqual(metric(n2, "lastmile_cluster_leader"), 1)
        self.assertGreater(metric(n2, "lastmile_cluster_acked_total"), 0)
        self.assertIn('lastmile_cluster_node{node="n2"} 1', n2.request("GET", "/metrics").text)


class ReadinessTest(unittest.TestCase):
    def test_a_node_without_nats_is_not_ready_refuses_pings_recovers_and_stops_quickly(self):
        nats = NatsCluster(1)
        self.addCleanup(nats.close)
        nats.start()
        node = LastmileServer(extra_args=["--cluster", nats.urls, "--node-id", "solo"])
        self.addCleanup(node.close)
        node.start()
        self.assertEqual(node.request("GET", "/readyz").status, 200)
        driver = make_driver(node, make_tenant(node)["api_key"])
        nats.kill(0)
        deadline = time.monotonic() + 10
        while node.request("GET", "/readyz").status == 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        r = node.request("GET", "/readyz")
        self.assertEqual((r.status, r.error.get("code")), (503, "unavailable"), r)
        self.assertEqual(node.request("GET", "/healthz").status, 200)  # alive, just not ready
        # A ping the stream cannot store is not acknowledged (after the publish timeout).
        r = node.request("POST", "/v1/pings", [{"t": iso_ms(int(time.time() * 1000)), "lat": 43.73, "lon": 7.42}],
                         token=driver["device_token"], timeout=20)
        self.assertEqual((r.status, r.error.get("code")), (503, "unavailable"), r)
        # The client library reconnects: ready again, without a restart.
        nats.start_server(0)
        nats.wait_healthy()
        deadline = time.monotonic() + 10
        while node.request("GET", "/readyz").status != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(node.request("GET", "/readyz").status, 200)
        self.assertEqual(node.stop(), 0, node.stderr_text())  # SIGTERM: leases handed over, clean exit
        # Stopping while NATS is away is quick too: the leases are left to expire.
        node.start()
        nats.kill(0)
        started = time.monotonic()
        self.assertEqual(node.stop(), 0, node.stderr_text())
        # Bounded by one KV call's timeout (2 s) and the drain, not by a wait for NATS (that hang took 30 s);
        # the margin is for a loaded CI machine and the sanitized build.
        self.assertLess(time.monotonic() - started, 20 if SANITIZED else 10)


if __name__ == "__main__":
    unittest.main()
