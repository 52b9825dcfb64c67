"""Chat (DESIGN R12, docs/chat-and-surveys.md): one thread per shipment between the customer (tracking token),
the driver of the shipment's route and the office, pushed live over the WebSocket.

Roles × tenants: the customer by token; tenant_admin and dispatcher by key; a driver only for shipments on
its own routes (another driver's shipment is 404); carrier and integration keys 403; another tenant 404.
Privacy: authors are labels ("Marie", "Luca", the shipper's name); no phone number or e-mail address ever
appears in a chat or public answer. Bad bodies are refused with a stable code and store nothing.
"""

import json
import unittest

from lastmile_server import (ServerTestCase, expect, make_api_key, make_carrier, make_driver, make_route,
                             make_shipment, make_tenant, unique)
from ws_client import WebSocket

PHONES_AND_EMAILS = ("+33612345678", "marie@example.com", "+37761234567", "luca@example.com", "612345678")


def is_message(m):
    return m.get("type") == "message"


class ChatTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        # Letters only after the name: a random suffix with 7 digits in a row would look like a phone number,
        # and the dispatcher's label would then be "Dispatch" (domain::dispatcher_label).
        suffix = unique("").strip().translate(str.maketrans("0123456789", "ghijklmnop"))
        tenant = make_tenant(s, name=f"Acme Parcels {suffix}")
        cls.admin = tenant["api_key"]
        cls.dispatcher = make_api_key(s, cls.admin, "dispatcher")["api_key"]
        cls.integration = make_api_key(s, cls.admin, "integration")["api_key"]
        carrier = make_carrier(s, cls.admin)
        cls.carrier_key = make_api_key(s, cls.admin, "carrier", carrier_id=carrier["id"])["api_key"]
        cls.luca = make_driver(s, cls.admin, name="Luca Rossi", phone="+37761234567", email="luca@example.com")
        cls.anna = make_driver(s, cls.admin, name="Anna Bianchi")
        cls.other_admin = make_tenant(s)["api_key"]

    def new_shipment(self, on_route_of=None):
        sh = make_shipment(self.server, self.admin, carrier_id=None)
        if on_route_of:
            make_route(self.server, self.admin, on_route_of["id"], [sh["id"]])
        return sh

    # ---- helpers ----

    def track_post(self, token, body, **kw):
        return self.server.request("POST", f"/v1/track/{token}/messages", body, **kw)

    def track_get(self, token, **params):
        return self.server.request("GET", f"/v1/track/{token}/messages", params=params or None)

    def staff_post(self, shipment_id, body, key):
        return self.server.request("POST", f"/v1/shipments/{shipment_id}/messages", body, token=key)

    def staff_get(self, shipment_id, key, **params):
        return self.server.request("GET", f"/v1/shipments/{shipment_id}/messages", token=key, params=params or None)

    def assertNoContactDetails(self, *bodies):
        for body in bodies:
            text = json.dumps(body)
            for secret in PHONES_AND_EMAILS:
                self.assertNotIn(secret, text)

    # ---- tests ----

    def test_customer_driver_and_dispatcher_share_one_thread_with_labels_only(self):
        sh = self.new_shipment(on_route_of=self.luca)
        token = sh["tracking_token"]
        r = self.track_post(token, {"body": "  Can you leave it with the neighbour?  ", "client_id": "web-1"})
        self.assertStatus(r, 201)
        m = r.body["message"]
        self.assertEqual((m["seq"], m["body"], m["channel"]), (1, "Can you leave it with the neighbour?", "web"))
        self.assertEqual(m["author"], {"role": "customer", "label": "Marie"})
        d = expect(self.staff_post(sh["id"], {"body": "Yes, number 14."}, self.luca["device_token"]), 201, "driver")
        self.assertEqual(d["message"]["author"], {"role": "driver", "label": "Luca"})
        self.assertEqual(d["message"]["channel"], "app")
        o = expect(self.staff_post(sh["id"], {"body": "Noted on the shipment."}, self.dispatcher), 201, "dispatch")
        self.assertEqual(o["message"]["author"]["role"], "dispatcher")
        self.assertTrue(o["message"]["author"]["label"].startswith("Acme Parcels"))  # the shipper's name
        public = expect(self.track_get(token), 200, "customer reads")
        self.assertEqual([x["seq"] for x in public["items"]], [1, 2, 3])
        self.assertEqual([x["author"]["label"] for x in public["items"]][:2], ["Marie", "Luca"])
        self.assertFalse(public["closed"])
        staff = expect(self.staff_get(sh["id"], self.admin), 200, "admin reads")
        self.assertEqual(staff["items"], public["items"])
        view = expect(self.server.request("GET", f"/v1/track/{token}"), 200, "track")
        self.assertNoContactDetails(r.body, d, o, public, staff, view)

    def test_paging_after_a_seq(self):
        sh = self.new_shipment()
        for i in range(5):
            self.assertStatus(self.track_post(sh["tracking_token"], {"body": f"m{i}"}), 201)
        page = expect(self.track_get(sh["tracking_token"], after=2, limit=2), 200, "page")
        self.assertEqual([x["body"] for x in page["items"]], ["m2", "m3"])
        self.assertEqual(page["last_seq"], 4)
        rest = expect(self.staff_get(sh["id"], self.dispatcher, after=page["last_seq"]), 200, "rest")
        self.assertEqual([x["body"] for x in rest["items"]], ["m4"])
        self.assertError(self.track_get(sh["tracking_token"], after=-1), 400, "invalid_field", "after")
        self.assertError(self.track_get(sh["tracking_token"], limit=0), 400, "invalid_field", "limit")

    def test_a_client_id_makes_the_post_idempotent(self):
        sh = self.new_shipment()
        first = expect(self.track_post(sh["tracking_token"], {"body": "hello", "client_id": "c-1"}), 201, "first")
        again = self.track_post(sh["tracking_token"], {"body": "hello", "client_id": "c-1"})
        self.assertStatus(again, 200)
        self.assertEqual(again.body["message"]["id"], first["message"]["id"])
        self.assertError(self.track_post(sh["tracking_token"], {"body": "other", "client_id": "c-1"}), 409,
                         "idempotency_mismatch", "client_id")
        self.assertEqual(len(expect(self.track_get(sh["tracking_token"]), 200, "list")["items"]), 1)

    def test_roles_and_tenants(self):
        sh = self.new_shipment(on_route_of=self.luca)
        sid = sh["id"]
        for key in (self.admin, self.dispatcher, self.luca["device_token"]):
            self.assertStatus(self.staff_get(sid, key), 200)
        self.assertError(self.staff_get(sid, self.anna["device_token"]), 404, "not_found")
        self.assertError(self.staff_post(sid, {"body": "x"}, self.anna["device_token"]), 404, "not_found")
        for key in (self.carrier_key, self.integration):
            self.assertError(self.staff_get(sid, key), 403, "forbidden")
            self.assertError(self.staff_post(sid, {"body": "x"}, key), 403, "forbidden")
        self.assertError(self.staff_get(sid, self.other_admin), 404, "not_found")
        self.assertError(self.staff_post(sid, {"body": "x"}, self.other_admin), 404, "not_found")
        self.assertError(self.server.request("GET", f"/v1/shipments/{sid}/messages"), 401, "unauthenticated")
        self.assertError(self.track_post("AAAAAAAAAAAAAAAAAAAAAA", {"body": "x"}), 404, "not_found")
        self.assertError(self.track_get("short"), 404, "not_found")
        self.assertEqual(expect(self.track_get(sh["tracking_token"]), 200, "list")["items"], [])

    def test_bad_bodies_are_refused_and_store_nothing(self):
        sh = self.new_shipment()
        token = sh["tracking_token"]
        with self.unchanged((self.admin, f"/v1/shipments/{sh['id']}/messages")):
            self.assertError(self.track_post(token, {}), 400, "missing_field", "body")
            self.assertError(self.track_post(token, {"body": "   "}), 400, "missing_field", "body")
            self.assertError(self.track_post(token, {"body": 42}), 400, "wrong_type", "body")
            self.assertError(self.track_post(token, {"body": "x" * 1001}), 400, "invalid_field", "body")
            self.assertError(self.track_post(token, {"body": "bell\u0007"}), 400, "invalid_field", "body")
            self.assertError(self.track_post(token, {"body": "ok", "client_id": "a b"}), 400, "invalid_field",
                             "client_id")
            self.assertError(self.track_post(token, "not json"), 400, "invalid_json")
            self.assertError(self.staff_post(sh["id"], {"body": ""}, self.admin), 400, "missing_field", "body")
        self.assertStatus(self.track_post(token, {"body": "é" * 1000}), 201)

    def test_new_messages_are_pushed_live_to_the_customer_and_to_staff(self):
        sh = self.new_shipment(on_route_of=self.luca)
        customer = WebSocket.connect(self.server.port, f"/v1/live?token={sh['tracking_token']}")
        self.addCleanup(customer.close)
        staff = WebSocket.connect(self.server.port, "/v1/live", {"Authorization": f"Bearer {self.dispatcher}"})
        self.addCleanup(staff.close)
        for w in (customer, staff):
            w.recv_until(lambda m: m.get("type") == "ready")
        self.assertStatus(self.track_post(sh["tracking_token"], {"body": "Where are you?"}), 201)
        got = staff.recv_until(is_message)[-1]
        self.assertEqual(got["shipment_id"], sh["id"])
        self.assertEqual(got["message"]["body"], "Where are you?")
        self.assertStatus(self.staff_post(sh["id"], {"body": "Two stops away."}, self.luca["device_token"]), 201)
        seen = customer.recv_until(lambda m: is_message(m) and m["message"]["seq"] == 2)
        pushed = [m for m in seen if is_message(m)]
        self.assertEqual(pushed[-1]["message"]["author"], {"role": "driver", "label": "Luca"})
        self.assertNoContactDetails(*seen)

    def test_staff_see_threads_awaiting_a_reply(self):
        sh = self.new_shipment()
        self.assertStatus(self.track_post(sh["tracking_token"], {"body": "one"}), 201)
        self.assertStatus(self.track_post(sh["tracking_token"], {"body": "two"}), 201)
        threads = expect(self.server.request("GET", "/v1/chat/threads", token=self.dispatcher), 200, "threads")
        mine = [t for t in threads["items"] if t["shipment_id"] == sh["id"]]
        self.assertEqual(mine[0]["awaiting_reply"], 2)
        self.assertStatus(self.staff_post(sh["id"], {"body": "answer"}, self.dispatcher), 201)
        threads = expect(self.server.request("GET", "/v1/chat/threads", token=self.dispatcher), 200, "threads")
        self.assertEqual([t for t in threads["items"] if t["shipment_id"] == sh["id"]][0]["awaiting_reply"], 0)
        other = expect(self.server.request("GET", "/v1/chat/threads", token=self.other_admin), 200, "other tenant")
        self.assertNotIn(sh["id"], [t["shipment_id"] for t in other["items"]])


if __name__ == "__main__":
    unittest.main()
