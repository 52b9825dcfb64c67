"""Outbound webhooks through the real server (docs/webhooks.md): a subscription is created only after
the validation handshake; every milestone reaches a local receiver signed (the test verifies the HMAC
like a receiver would); a receiver answering 500 gets retries with the same Webhook-Id and body; after
--webhook-max-attempts a message is dead and a replay brings it back; 410 Gone disables the
subscription; another tenant sees 404, a dispatcher 403; bad bodies are 400 with their code and store
nothing. The crash test kills -9 the server several times while statuses change and checks that every
expected message arrived, never with two different bodies for one Webhook-Id.
"""

import json
import random
import threading
import time
import unittest

from lastmile_server import (LastmileServer, ServerTestCase, expect, make_api_key, make_shipment, make_tenant,
                             post_event)
from webhook_receiver import Receiver, verify

FAST = ["--webhook-allow-private", "--webhook-backoff-scale", "0.001", "--webhook-max-attempts", "3"]


def envelope_key(event_id, type_, subscription_id):
    return f"{event_id}:{type_}:{subscription_id}"


class WebhooksTest(ServerTestCase):
    server_options = {"extra_args": FAST}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.close)

    def setUp(self):
        tenant = make_tenant(self.server)
        self.admin = tenant["api_key"]
        self.path = f"hook-{random.randrange(1 << 30)}"

    def subscribe(self, events=("shipment.*",), path=None, token=None):
        body = {"url": self.receiver.url(path or self.path), "events": list(events), "description": "ERP"}
        return self.server.request("POST", "/v1/webhooks", body, token=token or self.admin)

    def subscribed(self, events=("shipment.*",), path=None):
        return expect(self.subscribe(events, path), 201, "create webhook")

    def deliveries(self, webhook_id, token=None):
        return expect(self.server.request("GET", f"/v1/webhooks/{webhook_id}/deliveries", token=token or self.admin),
                      200, "list deliveries")["items"]

    def wait_log(self, webhook_id, predicate, timeout_s=10.0):
        deadline = time.monotonic() + timeout_s
        while True:
            items = self.deliveries(webhook_id)
            if predicate(items) or time.monotonic() > deadline:
                return items
            time.sleep(0.05)

    # ---- subscriptions -------------------------------------------------------------------------------

    def test_a_subscription_is_created_after_the_handshake_and_its_secret_shown_once(self):
        hook = self.subscribed(["shipment.delivered", "stop.*"])
        self.assertTrue(hook["id"].startswith("whk_"), hook)
        self.assertTrue(hook["secret"].startswith("whsec_"), hook)
        self.assertEqual(hook["status"], "active")
        self.assertEqual(hook["events"], ["shipment.delivered", "stop.*"])
        got = expect(self.server.request("GET", f"/v1/webhooks/{hook['id']}", token=self.admin), 200, "get")
        self.assertNotIn("secret", got)
        listed = expect(self.server.request("GET", "/v1/webhooks", token=self.admin), 200, "list")["items"]
        self.assertEqual([h["id"] for h in listed], [hook["id"]])

    def test_a_url_that_does_not_echo_the_check_is_refused_and_nothing_is_stored(self):
        self.receiver.behave(self.path, "no-echo")
        self.assertError(self.subscribe(), 422, "webhook_validation_failed", "url")
        self.receiver.behave(self.path, "500")
        self.assertError(self.subscribe(), 422, "webhook_validation_failed", "url")
        closed = {"url": "http://127.0.0.1:9/nothing-listens", "events": ["*"]}
        self.assertError(self.server.request("POST", "/v1/webhooks", closed, token=self.admin), 422,
                         "webhook_validation_failed", "url")
        listed = expect(self.server.request("GET", "/v1/webhooks", token=self.admin), 200, "list")["items"]
        self.assertEqual(listed, [])

    def test_bad_bodies_are_400_with_their_code_and_store_nothing(self):
        url = self.receiver.url(self.path)
        cases = [
            ({"events": ["*"]}, "missing_field", "url"),
            ({"url": url}, "missing_field", "events"),
            ({"url": url, "events": []}, "invalid_field", "events"),
            ({"url": url, "events": ["parcel.lost"]}, "invalid_field", "events[0]"),
            ({"url": url, "events": "shipment.*"}, "wrong_type", "events"),
            ({"url": "ftp://127.0.0.1/x", "events": ["*"]}, "invalid_field", "url"),
            ({"url": "http://user:pw@127.0.0.1/x", "events": ["*"]}, "invalid_field", "url"),
            ({"url": 42, "events": ["*"]}, "wrong_type", "url"),
        ]
        for body, code, field in cases:
            with self.subTest(body=body):
                self.assertError(self.server.request("POST", "/v1/webhooks", body, token=self.admin), 400, code, field)
        raw = self.server.request("POST", "/v1/webhooks", b"{not json", token=self.admin,
                                  headers={"Content-Type": "application/json"})
        self.assertError(raw, 400, "invalid_json")
        listed = expect(self.server.request("GET", "/v1/webhooks", token=self.admin), 200, "list")["items"]
        self.assertEqual(listed, [])
        self.assertEqual(self.receiver.deliveries(self.path), [])

    def test_roles_only_the_tenant_admin_manages_integrations_read(self):
        hook = self.subscribed()
        dispatcher = make_api_key(self.server, self.admin, "dispatcher")["api_key"]
        integration = make_api_key(self.server, self.admin, "integration")["api_key"]
        self.assertError(self.subscribe(token=dispatcher), 403, "forbidden")
        self.assertError(self.subscribe(token=integration), 403, "forbidden")
        self.assertError(self.server.request("GET", "/v1/webhooks", token=dispatcher), 403, "forbidden")
        expect(self.server.request("GET", "/v1/webhooks", token=integration), 200, "integration lists")
        expect(self.server.request("GET", f"/v1/webhooks/{hook['id']}/deliveries", token=integration), 200,
               "integration reads the log")
        self.assertError(self.server.request("DELETE", f"/v1/webhooks/{hook['id']}", token=integration), 403,
                         "forbidden")

    def test_another_tenants_subscription_is_404(self):
        hook = self.subscribed()
        other = make_tenant(self.server)["api_key"]
        for method, path in [("GET", f"/v1/webhooks/{hook['id']}"), ("DELETE", f"/v1/webhooks/{hook['id']}"),
                             ("GET", f"/v1/webhooks/{hook['id']}/deliveries"),
                             ("POST", f"/v1/webhooks/{hook['id']}/deliveries/dlv_x/replay")]:
            with self.subTest(method=method, path=path):
                self.assertError(self.server.request(method, path, {} if method == "POST" else None, token=other),
                                 404, "not_found")
        self.assertEqual(expect(self.server.request("GET", "/v1/webhooks", token=other), 200, "list")["items"], [])

    # ---- delivery ------------------------------------------------------------------------------------

    def test_a_status_change_arrives_signed_with_the_envelope(self):
        hook = self.subscribed(["shipment.processed"])
        shipment = make_shipment(self.server, self.admin, external_order_id="ORD-77")
        event = post_event(self.server, self.admin, shipment["id"], "processed")
        got = self.receiver.wait_for(self.path, lambda d: len(d) >= 1)
        self.assertEqual(len(got), 1, got)
        headers, body = got[0]
        self.assertTrue(verify(hook["secret"], headers, body), headers)
        self.assertFalse(verify("whsec_wrong", headers, body), "a forged secret must not verify")
        self.assertFalse(verify(hook["secret"], headers, body, now=time.time() + 600), "stale timestamps fail")
        self.assertEqual(headers["Webhook-Id"], envelope_key(event["id"], "shipment.processed", hook["id"]))
        doc = json.loads(body)
        self.assertEqual(doc["event_id"], event["id"])
        self.assertEqual(doc["type"], "shipment.processed")
        self.assertEqual(doc["version"], "2026-11-01")
        self.assertEqual(doc["data"]["shipment"]["tracking_number"], shipment["tracking_number"])
        self.assertEqual(doc["data"]["shipment"]["external_order_id"], "ORD-77")
        self.assertEqual(doc["data"]["shipment"]["status"], "processed")
        self.assertEqual(doc["data"]["event"]["id"], event["id"])
        self.assertNotIn("Marie", body)
        self.assertNotIn("+336", body)
        log = self.wait_log(hook["id"], lambda items: items and items[0]["state"] == "delivered")
        self.assertEqual(log[0]["state"], "delivered", log)
        self.assertEqual(log[0]["attempts"], 1)
        self.assertEqual(log[0]["last_status"], 200)
        metrics = self.server.request("GET", "/metrics").body
        metrics = metrics if isinstance(metrics, str) else metrics.decode() if isinstance(metrics, bytes) else str(metrics)
        for name in ("lastmile_outbox_pending", "lastmile_outbox_delivered_total", "lastmile_outbox_dead_total"):
            self.assertIn(name, metrics)

    def test_a_receiver_failing_twice_gets_the_same_message_three_times(self):
        self.receiver.behave(self.path, "fail:2")
        hook = self.subscribed(["shipment.shipped"])
        shipment = make_shipment(self.server, self.admin)
        post_event(self.server, self.admin, shipment["id"], "shipped")
        log = self.wait_log(hook["id"], lambda items: items and items[0]["state"] == "delivered")
        self.assertEqual(log[0]["state"], "delivered", log)
        self.assertEqual(log[0]["attempts"], 3)
        got = self.receiver.deliveries(self.path)
        self.assertEqual(len(got), 3)
        self.assertEqual({h["Webhook-Id"] for h, _ in got}, {log[0]["idempotency_key"]})
        self.assertEqual(len({b for _, b in got}), 1, "every retry sends the same body")

    def test_after_max_attempts_the_message_is_dead_and_a_replay_delivers_it(self):
        self.receiver.behave(self.path, "fail:3")  # the handshake passes; three tries fail
        hook = self.subscribed(["shipment.processed"])
        shipment = make_shipment(self.server, self.admin)
        post_event(self.server, self.admin, shipment["id"], "processed")
        log = self.wait_log(hook["id"], lambda items: items and items[0]["state"] == "dead")
        self.assertEqual(log[0]["state"], "dead", log)
        self.assertEqual(log[0]["attempts"], 3)
        self.assertEqual(log[0]["last_status"], 500)
        replay = self.server.request("POST", f"/v1/webhooks/{hook['id']}/deliveries/{log[0]['id']}/replay", {},
                                     token=self.admin)
        self.assertEqual(expect(replay, 202, "replay")["state"], "pending")
        log = self.wait_log(hook["id"], lambda items: items[0]["state"] == "delivered")
        self.assertEqual(log[0]["state"], "delivered", log)
        got = self.receiver.deliveries(self.path)
        self.assertEqual(len(got), 4)
        self.assertEqual(len({h["Webhook-Id"] for h, _ in got}), 1)

    def test_gone_disables_the_subscription(self):
        hook = self.subscribed(["shipment.*"])
        self.receiver.behave(self.path, "410")
        shipment = make_shipment(self.server, self.admin)
        post_event(self.server, self.admin, shipment["id"], "processed")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            got = expect(self.server.request("GET", f"/v1/webhooks/{hook['id']}", token=self.admin), 200, "get")
            if got["status"] == "disabled":
                break
            time.sleep(0.05)
        self.assertEqual(got["status"], "disabled", got)
        self.assertEqual(got["disabled_reason"], "gone")
        before = len(self.deliveries(hook["id"]))
        post_event(self.server, self.admin, shipment["id"], "shipped")
        self.assertEqual(len(self.deliveries(hook["id"])), before, "a disabled subscription gets nothing new")

    def test_a_rotated_secret_signs_next_to_the_old_one_during_the_grace_period(self):
        hook = self.subscribed(["shipment.processed", "shipment.shipped"])
        bad = self.server.request("POST", f"/v1/webhooks/{hook['id']}/rotate-secret", {"grace_hours": 500},
                                  token=self.admin)
        self.assertEqual(expect(bad, 400, "grace too long")["error"]["field"], "grace_hours")
        rotated = expect(self.server.request("POST", f"/v1/webhooks/{hook['id']}/rotate-secret", {"grace_hours": 2},
                                             token=self.admin), 200, "rotate")
        self.assertNotEqual(rotated["secret"], hook["secret"])
        self.assertIn("previous_secret_expires_at", rotated)
        self.assertNotIn("secret", expect(self.server.request("GET", f"/v1/webhooks/{hook['id']}", token=self.admin),
                                          200, "get"), "the secret is shown once")
        shipment = make_shipment(self.server, self.admin)
        post_event(self.server, self.admin, shipment["id"], "processed")
        headers, body = self.receiver.wait_for(self.path, lambda d: len(d) >= 1)[0]
        self.assertEqual(len(headers["Webhook-Signature"].split(" ")), 2, headers)
        self.assertTrue(verify(rotated["secret"], headers, body))
        self.assertTrue(verify(hook["secret"], headers, body), "the old secret still verifies in the grace period")
        # Rotating again without a grace period: only the newest secret signs.
        newest = expect(self.server.request("POST", f"/v1/webhooks/{hook['id']}/rotate-secret", {"grace_hours": 0},
                                            token=self.admin), 200, "rotate again")
        post_event(self.server, self.admin, shipment["id"], "shipped")
        headers, body = self.receiver.wait_for(self.path, lambda d: len(d) >= 2)[1]
        self.assertEqual(len(headers["Webhook-Signature"].split(" ")), 1, headers)
        self.assertTrue(verify(newest["secret"], headers, body))
        self.assertFalse(verify(rotated["secret"], headers, body))
        other = make_tenant(self.server)["api_key"]
        expect(self.server.request("POST", f"/v1/webhooks/{hook['id']}/rotate-secret", {}, token=other), 404,
               "another tenant's subscription")

    def test_a_gone_subscription_is_enabled_again_after_a_new_handshake(self):
        hook = self.subscribed(["shipment.processed", "shipment.shipped", "shipment.out_for_delivery"])
        self.receiver.behave(self.path, "410")
        shipment = make_shipment(self.server, self.admin)
        post_event(self.server, self.admin, shipment["id"], "processed")
        self.wait_log(hook["id"], lambda items: items and items[0]["state"] == "dead")
        self.assertEqual(expect(self.server.request("GET", f"/v1/webhooks/{hook['id']}", token=self.admin), 200,
                                "get")["disabled_reason"], "gone")
        post_event(self.server, self.admin, shipment["id"], "shipped")  # not queued while disabled
        self.receiver.behave(self.path, "no-echo")
        refused = self.server.request("POST", f"/v1/webhooks/{hook['id']}/enable", {}, token=self.admin)
        self.assertEqual(expect(refused, 422, "handshake fails")["error"]["code"], "webhook_validation_failed")
        self.receiver.behave(self.path, "ok")
        enabled = expect(self.server.request("POST", f"/v1/webhooks/{hook['id']}/enable", {}, token=self.admin),
                         200, "enable")
        self.assertEqual(enabled["status"], "active")
        self.assertNotIn("disabled_reason", enabled)
        post_event(self.server, self.admin, shipment["id"], "out_for_delivery")
        log = self.wait_log(hook["id"], lambda items: any(i["state"] == "delivered" for i in items))
        self.assertEqual([(i["type"], i["state"]) for i in log],
                         [("shipment.out_for_delivery", "delivered"), ("shipment.processed", "dead")], log)
        deleted = self.subscribed(["shipment.*"])
        expect(self.server.request("DELETE", f"/v1/webhooks/{deleted['id']}", token=self.admin), 200, "delete")
        again = self.server.request("POST", f"/v1/webhooks/{deleted['id']}/enable", {}, token=self.admin)
        self.assertEqual(expect(again, 409, "a deleted subscription stays deleted")["error"]["code"], "conflict")

    def test_deleting_a_subscription_disables_it(self):
        hook = self.subscribed()
        gone = expect(self.server.request("DELETE", f"/v1/webhooks/{hook['id']}", token=self.admin), 200, "delete")
        self.assertEqual(gone["status"], "disabled")
        shipment = make_shipment(self.server, self.admin)
        post_event(self.server, self.admin, shipment["id"], "processed")
        self.assertEqual(self.deliveries(hook["id"]), [])


class WebhookPrivateAddressTest(ServerTestCase):
    """Without --webhook-allow-private, a URL whose host only looks public — here the decimal form of
    127.0.0.1, which the URL check cannot recognise — is refused once connected, by its address."""

    def test_a_host_that_connects_to_loopback_fails_the_handshake(self):
        receiver = Receiver()
        self.addCleanup(receiver.close)
        admin = make_tenant(self.server)["api_key"]
        port = receiver.httpd.server_address[1]
        reply = self.server.request("POST", "/v1/webhooks", {"url": f"http://2130706433:{port}/hook",
                                                             "events": ["shipment.*"]}, token=admin)
        error = expect(reply, 422, "a loopback target in disguise")["error"]
        self.assertEqual(error["code"], "webhook_validation_failed")
        self.assertIn("private address 127.0.0.1", error["message"])
        self.assertEqual((receiver.handshakes, receiver.requests), (0, []), "nothing reached the receiver")
        listed = expect(self.server.request("GET", "/v1/webhooks", token=admin), 200, "list")
        self.assertEqual(listed["items"], [])


class WebhookCrashTest(unittest.TestCase):
    """kill -9 while statuses change: every message arrives, one body per Webhook-Id."""

    STEPS = ["processed", "shipped", "out_for_delivery", "delivered"]

    def setUp(self):
        self.receiver = Receiver()
        self.addCleanup(self.receiver.close)
        self.server = LastmileServer(extra_args=FAST[:3] + ["--webhook-max-attempts", "50"])
        self.addCleanup(self.server.close)
        self.server.start()

    def call(self, method, path, body=None, token=None, accept=(200, 201)):
        """Retries through the server's deaths; a 409 after a retry means the first try committed."""
        retried = False
        while True:
            try:
                r = self.server.request(method, path, body, token=token, timeout=5)
                if r.status in accept or (retried and r.status == 409):
                    return r
                if r.status not in (503,):
                    raise AssertionError(f"{method} {path}: {r}")
            except (OSError, ConnectionError) as e:  # the server is down: wait for the restart
                retried = True
            except Exception as e:  # http.client errors mid-kill
                if isinstance(e, AssertionError):
                    raise
                retried = True
            time.sleep(0.05)

    def test_every_message_arrives_once_per_key_across_kill_9(self):
        admin = make_tenant(self.server)["api_key"]
        hook = expect(self.server.request("POST", "/v1/webhooks", {"url": self.receiver.url("crash"),
                                                                   "events": ["shipment.*"]}, token=admin),
                      201, "create webhook")
        shipments = [make_shipment(self.server, admin)["id"] for _ in range(15)]
        kills = random.randint(3, 5)

        def killer():
            """kill -9 at random moments, then restart on the same database and port."""
            rng = random.Random()
            for _ in range(kills):
                time.sleep(rng.uniform(0.05, 0.35))
                self.server.kill()
                self.server.start(port=self.server.port)

        t = threading.Thread(target=killer)
        t.start()
        try:
            for step in self.STEPS:
                for sid in shipments:
                    self.call("POST", f"/v1/shipments/{sid}/events", {"type": step}, token=admin)
        finally:
            t.join()  # the last kills may hit the delivery backlog rather than the posting
        self.assertEqual(self.server.starts, kills + 1)

        expected = set()
        for sid in shipments:
            events = expect(self.server.request("GET", f"/v1/shipments/{sid}/events", token=admin), 200, "events")
            items = events["items"] if isinstance(events, dict) else events
            for e in items:
                expected.add(envelope_key(e["id"], "shipment." + e["type"], hook["id"]))
        self.assertEqual(len(expected), len(shipments) * (len(self.STEPS) + 1))

        got = self.receiver.wait_for("crash", lambda d: {h["Webhook-Id"] for h, _ in d} >= expected, timeout_s=30)
        bodies = {}
        for h, b in got:
            bodies.setdefault(h["Webhook-Id"], set()).add(b)
        self.assertEqual(set(bodies), expected, "every expected message arrived, and nothing else")
        for key, seen in bodies.items():
            self.assertEqual(len(seen), 1, f"two different bodies for {key}")


if __name__ == "__main__":
    unittest.main()
