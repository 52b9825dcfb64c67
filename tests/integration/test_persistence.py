"""Durability: a graceful restart keeps everything; kill -9 loses nothing that was acknowledged.

DESIGN.md §6: "Nothing acknowledged is ever lost: kill -9 at any moment, restart, and every acknowledged
ping, event, POD and message is there." A 201 means the write is on disk (README: synchronous=FULL).
"""

import http.client
import random
import threading
import time
import unittest

from lastmile_server import (ADMIN_TOKEN, LastmileServer, expect, list_all, make_api_key, make_carrier, make_driver,
                             make_route, make_tenant, make_vehicle, post_event, shipment_body, stored_bytes)

PUBLIC_URL = "https://track.example.test"
OTHER_ROOT = "a-different-root-token-for-the-second-start"


class Writers:
    """Threads that create shipments and post a `processed` event on each, recording what got a 201.

    `kill_after`: the writer that records the n-th acknowledged shipment kills the server with SIGKILL at
    once, so the kill lands right after a 201 while the other writers are mid-request.
    """

    def __init__(self, server, key, threads=4, kill_after=None, tag="w"):
        self.server, self.key, self.tag = server, key, tag
        self.kill_after = kill_after
        self.acked_shipments = {}   # id -> shipment body
        self.acked_events = {}      # event id -> shipment id
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.killed = threading.Event()
        self.unexpected = []
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def join(self, timeout=60):
        for t in self.threads:
            t.join(timeout)

    def run(self, n):
        i = 0
        while not self.stop.is_set():
            i += 1
            try:
                r = self.server.request("POST", "/v1/shipments",
                                        shipment_body(external_order_id=f"{self.tag}-{n}-{i}"), token=self.key, timeout=10)
            except (OSError, http.client.HTTPException):
                return  # the server is gone: this request was never acknowledged
            if r.status != 201:
                if r.status != 503:  # 503 unavailable: "shutting down" (docs/api.md), not acknowledged
                    self.unexpected.append(str(r))
                return
            with self.lock:
                self.acked_shipments[r.body["id"]] = r.body
                if self.kill_after and len(self.acked_shipments) >= self.kill_after and not self.killed.is_set():
                    self.killed.set()
                    self.server.kill()
                    return
            try:
                e = self.server.request("POST", f"/v1/shipments/{r.body['id']}/events", {"type": "processed"},
                                        token=self.key, timeout=10)
            except (OSError, http.client.HTTPException):
                return
            if e.status != 201:
                if e.status != 503:
                    self.unexpected.append(str(e))
                return
            with self.lock:
                self.acked_events[e.body["id"]] = r.body["id"]


class PersistenceTest(unittest.TestCase):

    def new_server(self, **options):
        server = LastmileServer(**options)
        self.addCleanup(server.close)
        return server.start()

    def test_sigterm_exits_0_and_a_restart_keeps_everything_and_every_credential(self):
        s = self.new_server(public_url=PUBLIC_URL)
        tenant = make_tenant(s, name="Persistent Shop", brand_color="#123456",
                             out_for_delivery_on="route_start")
        key = tenant["api_key"]
        carrier = make_carrier(s, key, name="Persistent Couriers")
        driver = make_driver(s, key, name="Pia Persist", carrier_id=carrier["id"], device_id="persist-1")
        make_vehicle(s, key, plate="MC-P1")
        body = shipment_body(external_order_id="P-1", carrier_id=carrier["id"])
        first = s.request("POST", "/v1/shipments", body, token=key, headers={"Idempotency-Key": "persist-1"})
        shipment = expect(first, 201, "create shipment")
        sid = shipment["id"]
        post_event(s, key, sid, "processed")
        post_event(s, key, sid, "shipped", note="left the depot")
        route = make_route(s, key, driver["id"], [sid])
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start route")
        post_event(s, key, sid, "arriving")
        dispatcher = make_api_key(s, key, "dispatcher")
        revoked = make_api_key(s, key, "integration")
        expect(s.request("DELETE", f"/v1/api-keys/{revoked['id']}", token=key), 204, "revoke")

        reads = [(key, f"/v1/shipments/{sid}"), (key, f"/v1/shipments/{sid}/events"), (key, f"/v1/routes/{route['id']}"),
                 (key, f"/v1/drivers/{driver['id']}"), (key, f"/v1/carriers/{carrier['id']}"),
                 (key, "/v1/shipments?limit=500"), (key, "/v1/carriers"), (key, "/v1/drivers"), (key, "/v1/vehicles"),
                 (key, "/v1/routes"), (key, "/v1/api-keys"), (s.admin_token, "/v1/tenants"),
                 (None, f"/v1/track/{shipment['tracking_token']}")]
        before = {path: expect(s.request("GET", path, token=t), 200, path) for t, path in reads}

        self.assert_stops_cleanly(s)
        # "only its SHA-256 is stored": no secret is in the database files (or PostgreSQL schema) in clear
        on_disk = stored_bytes(s)
        self.assertIn(sid.encode(), on_disk, "looked at the right files")
        for secret in (key, dispatcher["api_key"], revoked["api_key"], driver["device_token"], ADMIN_TOKEN):
            self.assertNotIn(secret.encode(), on_disk, "a secret is stored in clear")
        s.start(port=None, admin_token=OTHER_ROOT)  # LASTMILE_ADMIN_TOKEN only counts on first start

        for t, path in reads:
            with self.subTest(path=path):
                self.assertEqual(expect(s.request("GET", path, token=t), 200, path), before[path])
        self.assertEqual(s.request("GET", "/readyz").status, 200)
        self.assertEqual(s.request("GET", "/v1/shipments", token=dispatcher["api_key"]).status, 200)
        self.assertEqual(s.request("GET", "/v1/routes", token=driver["device_token"]).status, 200)
        self.assertEqual(s.request("GET", "/v1/tenants", token=ADMIN_TOKEN).status, 200)
        self.assertEqual(s.request("GET", "/v1/tenants", token=OTHER_ROOT).status, 401)
        self.assertEqual(s.request("GET", "/v1/shipments", token=revoked["api_key"]).status, 401)

        again = s.request("POST", "/v1/shipments", body, token=key, headers={"Idempotency-Key": "persist-1"})
        self.assertEqual((again.status, again.body), (first.status, first.body), "idempotency survives a restart")
        dup = s.request("POST", "/v1/shipments", body, token=key)
        self.assertEqual((dup.status, dup.body["id"]), (200, sid), "external_order_id survives a restart")
        taken = s.request("POST", "/v1/drivers", {"name": "Twin", "device_id": "persist-1"}, token=key)
        self.assertEqual(taken.status, 409, str(taken))
        self.assertEqual(post_event(s, key, sid, "delivered")["shipment_status"], "delivered")
        self.assertEqual(s.request("GET", f"/v1/track/{shipment['tracking_token']}").body["status"], "delivered")
        self.assert_stops_cleanly(s)

    def test_sigterm_under_load_drains_and_loses_no_acknowledged_write(self):
        s = self.new_server(threads=2)
        key = make_tenant(s)["api_key"]
        writers = Writers(s, key, threads=6, tag="drain").start()
        deadline = time.monotonic() + 10
        while len(writers.acked_shipments) < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        code = s.stop()
        writers.stop.set()
        writers.join()
        self.assertEqual(code, 0, f"exit code on SIGTERM under load\n--- server stderr ---\n{s.stderr_text(tail=15)}")
        self.assertEqual(writers.unexpected, [], "answers other than 201 while shutting down")
        s.start()
        self.assert_all_there(s, key, writers.acked_shipments, writers.acked_events)

    def test_kill_9_right_after_a_201_loses_nothing_acknowledged(self):
        s = self.new_server(threads=2)
        key = make_tenant(s)["api_key"]
        all_shipments, all_events = {}, {}
        rng = random.Random()
        for round_ in range(3):
            with self.subTest(round=round_):
                kill_after = rng.randint(5, 25)
                writers = Writers(s, key, threads=4, kill_after=kill_after, tag=f"k{round_}").start()
                writers.killed.wait(30)
                writers.stop.set()
                writers.join()
                self.assertTrue(writers.killed.is_set(), f"never reached {kill_after} acknowledged creates")
                self.assertEqual(writers.unexpected, [])
                self.assertFalse(s.running())
                all_shipments.update(writers.acked_shipments)
                all_events.update(writers.acked_events)
                s.start()
                self.assert_all_there(s, key, all_shipments, all_events)
        # still a working database afterwards
        expect(s.request("POST", "/v1/shipments", shipment_body(external_order_id="after-kills"), token=key), 201,
               "create after the kills")
        self.assert_stops_cleanly(s)

    def assert_stops_cleanly(self, s):
        code = s.stop()
        self.assertEqual(code, 0, f"exit code on SIGTERM (README: drain, flush, exit 0)\n--- server stderr ---\n"
                                  f"{s.stderr_text(tail=15)}")

    def assert_all_there(self, s, key, shipments, events):
        self.assertEqual(s.request("GET", "/readyz").status, 200)
        listed = list_all(s, "/v1/shipments", key)
        listed_ids = [i["id"] for i in listed]
        self.assertEqual(len(listed_ids), len(set(listed_ids)), "no duplicate rows after recovery")
        missing = sorted(set(shipments) - set(listed_ids))
        self.assertEqual(missing, [], "acknowledged shipments lost")
        by_shipment = {}
        for eid, sid in events.items():
            by_shipment.setdefault(sid, set()).add(eid)
        for sid, body in shipments.items():
            got = s.request("GET", f"/v1/shipments/{sid}", token=key)
            self.assertEqual(got.status, 200, f"{sid}: {got}")
            self.assertEqual(got.body["tracking_number"], body["tracking_number"])
            self.assertEqual(got.body["tracking_token"], body["tracking_token"])
            history = s.request("GET", f"/v1/shipments/{sid}/events", token=key).body["items"]
            history_ids = {e["id"] for e in history}
            self.assertEqual(history[0]["type"], "created")
            lost = by_shipment.get(sid, set()) - history_ids
            self.assertEqual(lost, set(), f"acknowledged events of {sid} lost")
            if by_shipment.get(sid):
                self.assertEqual(got.body["status"], "processed")
        sample = next(iter(shipments.values()), None)
        if sample:
            self.assertEqual(s.request("GET", f"/v1/track/{sample['tracking_token']}").status, 200)


if __name__ == "__main__":
    unittest.main()
