"""The dispatcher's exception queue (docs/api.md, "Exception queue"; DESIGN R8, R16) through the real
server: a failed attempt, a late risk and a silent device (raised by the live pipeline) become cases in
GET /v1/exceptions, and the device's next position resolves its case;
a dispatcher acknowledges, notes and resolves them; illegal changes are 409, bad input 400, another
tenant's case 404, other roles 403; the queue pages newest first; a delivery resolves a shipment's cases
automatically; every change reaches the dispatcher's live stream and never a customer's; and a case is
durable with the event that raised it (kill -9 right after the 201, restart: it is there).
"""

import time
import unittest

from lastmile_server import (SHIPMENT_BODY, LastmileServer, ServerTestCase, expect, iso, list_all, make_api_key,
                             make_carrier, make_driver, make_route, make_shipment, make_tenant, post_event)
from ws_client import Timeout, WebSocket

DEPOT = (43.7350, 7.4210)
STOP = (43.7412, 7.4283)


def fail_attempt(server, key, shipment_id, reason="nobody home"):
    """out_for_delivery, then attempt_failed with a reason: raises an attempt_failed case."""
    post_event(server, key, shipment_id, "out_for_delivery")
    return post_event(server, key, shipment_id, "attempt_failed", reason=reason)


def is_queue(m):
    return m.get("type") == "exception_queue"


class ExceptionQueueTest(ServerTestCase):
    def setUp(self):
        s = self.server
        tenant = make_tenant(s)
        self.admin = tenant["api_key"]
        self.dispatcher = make_api_key(s, self.admin, "dispatcher")["api_key"]

    def queue(self, token=None, **params):
        return expect(self.server.request("GET", "/v1/exceptions", token=token or self.dispatcher, params=params), 200,
                      "list exceptions")

    def case_of(self, shipment_id, kind="attempt_failed"):
        items = self.queue(shipment_id=shipment_id, kind=kind)["items"]
        self.assertEqual(len(items), 1, items)
        return items[0]

    def act(self, case_id, action, body=None, token=None):
        return self.server.request("POST", f"/v1/exceptions/{case_id}/{action}", body if body is not None else {},
                                   token=token or self.dispatcher)

    def detail(self, case_id, token=None):
        return self.server.request("GET", f"/v1/exceptions/{case_id}", token=token or self.dispatcher)

    def test_a_failed_attempt_is_queued_then_acknowledged_noted_and_resolved(self):
        shipment = make_shipment(self.server, self.admin)
        event = fail_attempt(self.server, self.admin, shipment["id"], reason="gate closed")
        case = self.case_of(shipment["id"])
        self.assertTrue(case["id"].startswith("exc_"), case)
        self.assertEqual(case["status"], "open")
        self.assertEqual(case["count"], 1)
        self.assertEqual(case["details"], {"reason": "gate closed"})
        self.assertIsNone(case["acknowledged"])
        self.assertIsNone(case["resolution"])

        acked = self.assertStatus(self.act(case["id"], "acknowledge", {"note": "calling the customer"}), 200)
        self.assertEqual(acked["status"], "acknowledged")
        self.assertEqual(acked["acknowledged"]["role"], "dispatcher")
        self.assertTrue(acked["acknowledged"]["by"].startswith("key_"), acked)
        noted = self.assertStatus(self.act(case["id"], "notes", {"note": "redelivery tomorrow 9–12 ✓"}), 200)
        self.assertEqual(noted["status"], "acknowledged")
        self.assertGreater(noted["revision"], acked["revision"])
        done = self.assertStatus(self.act(case["id"], "resolve", {"resolution": "handled"}), 200)
        self.assertEqual(done["status"], "resolved")
        self.assertEqual(done["resolution"], "handled")

        d = self.assertStatus(self.detail(case["id"]), 200)
        self.assertEqual([h["type"] for h in d["history"]], ["raised", "acknowledged", "note", "resolved"])
        self.assertEqual(d["history"][0]["event_id"], event["id"])
        self.assertEqual([n["note"] for n in d["notes"]], ["calling the customer", "redelivery tomorrow 9–12 ✓"])
        self.assertEqual(self.queue(status="open", shipment_id=shipment["id"])["items"], [])
        self.assertEqual(len(self.queue(status="resolved", shipment_id=shipment["id"])["items"]), 1)

    def test_illegal_transitions_are_409_and_change_nothing(self):
        shipment = make_shipment(self.server, self.admin)
        fail_attempt(self.server, self.admin, shipment["id"])
        case = self.case_of(shipment["id"])
        self.assertStatus(self.act(case["id"], "acknowledge"), 200)
        with self.unchanged((self.dispatcher, f"/v1/exceptions/{case['id']}")):
            self.assertError(self.act(case["id"], "acknowledge"), 409, "illegal_transition", "status")
        self.assertStatus(self.act(case["id"], "resolve", {"resolution": "false_alarm", "note": "scan error"}), 200)
        with self.unchanged((self.dispatcher, f"/v1/exceptions/{case['id']}")):
            self.assertError(self.act(case["id"], "resolve"), 409, "illegal_transition", "status")
            self.assertError(self.act(case["id"], "acknowledge", {"note": "x"}), 409, "illegal_transition", "status")
        # A note on a resolved case is still welcome.
        self.assertStatus(self.act(case["id"], "notes", {"note": "customer confirmed"}), 200)

    def test_bad_input_is_400_with_a_stable_code_and_changes_nothing(self):
        shipment = make_shipment(self.server, self.admin)
        fail_attempt(self.server, self.admin, shipment["id"])
        case = self.case_of(shipment["id"])
        with self.unchanged((self.dispatcher, f"/v1/exceptions/{case['id']}")):
            self.assertError(self.act(case["id"], "notes", {}), 400, "missing_field", "note")
            self.assertError(self.act(case["id"], "notes", {"note": ""}), 400, "invalid_field", "note")
            self.assertError(self.act(case["id"], "notes", {"note": "é" * 2001}), 400, "invalid_field", "note")
            self.assertError(self.act(case["id"], "notes", {"note": 42}), 400, "wrong_type", "note")
            self.assertError(self.act(case["id"], "resolve", {"resolution": "auto"}), 400, "invalid_field", "resolution")
            self.assertError(self.act(case["id"], "resolve", {"resolution": "closed"}), 400, "invalid_field",
                             "resolution")
            self.assertError(self.act(case["id"], "acknowledge", {"note": "ok" * 1001}), 400, "invalid_field", "note")
            r = self.server.request("POST", f"/v1/exceptions/{case['id']}/acknowledge", b"{not json",
                                    token=self.dispatcher, headers={"Content-Type": "application/json"})
            self.assertError(r, 400, "invalid_json")
        self.assertStatus(self.act(case["id"], "notes", {"note": "é" * 2000}), 200)  # exactly the limit
        for params, field in (({"status": "closed"}, "status"), ({"kind": "late"}, "kind"), ({"limit": "0"}, "limit"),
                              ({"cursor": "nope"}, "cursor")):
            r = self.server.request("GET", "/v1/exceptions", token=self.dispatcher, params=params)
            self.assertError(r, 400, "invalid_field", field)

    def test_another_tenants_case_is_404_and_never_listed(self):
        shipment = make_shipment(self.server, self.admin)
        fail_attempt(self.server, self.admin, shipment["id"])
        case = self.case_of(shipment["id"])
        other = make_tenant(self.server)["api_key"]
        with self.unchanged((self.dispatcher, f"/v1/exceptions/{case['id']}")):
            self.assertError(self.detail(case["id"], token=other), 404, "not_found")
            for action in ("acknowledge", "resolve", "notes"):
                self.assertError(self.act(case["id"], action, {"note": "mine now"}, token=other), 404, "not_found")
        self.assertEqual(list_all(self.server, "/v1/exceptions", other), [])
        self.assertError(self.detail("exc_doesnotexist0000"), 404, "not_found")

    def test_only_office_staff_work_the_queue_and_a_carrier_reads_its_own(self):
        s = self.server
        carrier = make_carrier(s, self.admin)
        carrier_key = make_api_key(s, self.admin, "carrier", carrier_id=carrier["id"])["api_key"]
        integration = make_api_key(s, self.admin, "integration")["api_key"]
        driver = make_driver(s, self.admin)
        shipment = make_shipment(s, self.admin)
        fail_attempt(s, self.admin, shipment["id"])
        case = self.case_of(shipment["id"])
        for token in (integration, driver["device_token"]):
            self.assertError(s.request("GET", "/v1/exceptions", token=token), 403, "forbidden")
            self.assertError(self.detail(case["id"], token=token), 403, "forbidden")
        for token in (carrier_key, integration, driver["device_token"]):
            for action in ("acknowledge", "resolve", "notes"):
                self.assertError(self.act(case["id"], action, {"note": "x"}, token=token), 403, "forbidden")
        # The carrier reads the cases of its own shipments only.
        theirs = make_shipment(s, self.admin, carrier_id=carrier["id"])
        fail_attempt(s, self.admin, theirs["id"])
        own = self.case_of(theirs["id"])
        self.assertEqual([c["id"] for c in list_all(s, "/v1/exceptions", carrier_key)], [own["id"]])
        self.assertEqual(self.assertStatus(self.detail(own["id"], token=carrier_key), 200)["id"], own["id"])
        self.assertError(self.detail(case["id"], token=carrier_key), 404, "not_found")
        self.assertError(s.request("GET", "/v1/exceptions"), 401, "unauthenticated")
        self.assertEqual(self.queue(token=self.admin, shipment_id=shipment["id"])["items"][0]["id"], case["id"])

    def test_the_queue_pages_newest_first_and_filters(self):
        shipments = [make_shipment(self.server, self.admin) for _ in range(5)]
        for sh in shipments:
            fail_attempt(self.server, self.admin, sh["id"])
        post_event(self.server, self.admin, shipments[0]["id"], "exception", note="parcel damaged")
        pages, cursor = [], None
        while True:
            params = {"limit": 2, "kind": "attempt_failed"}
            if cursor:
                params["cursor"] = cursor
            page = self.queue(**params)
            pages.append(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual([len(p) for p in pages], [2, 2, 1])
        order = [c["shipment_id"] for p in pages for c in p]
        self.assertEqual(order, [sh["id"] for sh in reversed(shipments)])
        mixed = self.queue(shipment_id=shipments[0]["id"])["items"]
        self.assertEqual([c["kind"] for c in mixed], ["exception", "attempt_failed"])  # newest first
        self.assertEqual(mixed[0]["details"], {"note": "parcel damaged"})

    def test_a_delivery_resolves_the_shipments_cases_automatically(self):
        shipment = make_shipment(self.server, self.admin)
        fail_attempt(self.server, self.admin, shipment["id"])
        post_event(self.server, self.admin, shipment["id"], "out_for_delivery")
        post_event(self.server, self.admin, shipment["id"], "delivered")
        case = self.case_of(shipment["id"])
        self.assertEqual(case["status"], "resolved")
        self.assertEqual(case["resolution"], "auto")
        self.assertEqual(case["resolved"]["role"], "system")
        self.assertEqual(self.queue(status="open", shipment_id=shipment["id"])["items"], [])

    def test_changes_are_pushed_to_dispatchers_and_never_to_customers(self):
        s = self.server
        shipment = make_shipment(s, self.admin)
        staff = WebSocket.connect(s.port, "/v1/live", {"Authorization": f"Bearer {self.dispatcher}"})
        self.addCleanup(staff.close)
        customer = WebSocket.connect(s.port, f"/v1/live?token={shipment['tracking_token']}")
        self.addCleanup(customer.close)
        staff.recv_until(lambda m: m.get("type") == "ready")
        customer.recv_until(lambda m: m.get("type") == "ready")

        fail_attempt(s, self.admin, shipment["id"])
        opened = staff.recv_until(is_queue)[-1]["exception"]
        self.assertEqual(opened["kind"], "attempt_failed")
        self.assertEqual(opened["status"], "open")
        self.assertEqual(opened["shipment_id"], shipment["id"])
        self.assertStatus(self.act(opened["id"], "acknowledge", {"note": "on it"}), 200)
        acked = staff.recv_until(is_queue)[-1]["exception"]
        self.assertEqual((acked["id"], acked["status"]), (opened["id"], "acknowledged"))
        self.assertGreater(acked["revision"], opened["revision"])
        self.assertStatus(self.act(opened["id"], "resolve"), 200)
        self.assertEqual(staff.recv_until(is_queue)[-1]["exception"]["status"], "resolved")

        # The customer saw the milestones, and nothing of the queue.
        seen = customer.recv_until(lambda m: m.get("type") == "event" and m["event"]["type"] == "attempt_failed")
        try:
            seen += customer.recv_until(is_queue, timeout=1.0)
        except Timeout:
            pass
        self.assertFalse([m for m in seen if is_queue(m)], seen)

    def test_metrics_count_unresolved_cases_by_kind(self):
        shipment = make_shipment(self.server, self.admin)
        fail_attempt(self.server, self.admin, shipment["id"])
        r = self.server.request("GET", "/metrics")
        self.assertEqual(r.status, 200)
        text = r.text
        lines = [l for l in text.splitlines() if l.startswith('lastmile_exceptions_unresolved{kind="attempt_failed"}')]
        self.assertEqual(len(lines), 1, text[-2000:])
        self.assertGreaterEqual(int(lines[0].split()[-1]), 1)
        self.assertIn('lastmile_exceptions_unresolved{kind="off_route"}', text)


class PipelineRaisesExceptionsTest(ServerTestCase):
    """late_risk from the live ETA (great-circle without a map): the pipeline's event opens a case with
    the driver and route, counted once however often the estimate says late."""

    def test_a_promise_that_cannot_be_kept_opens_a_late_risk_case(self):
        s = self.server
        key = make_tenant(s)["api_key"]
        driver = make_driver(s, key)
        start = time.time() - 600
        address = dict(SHIPMENT_BODY["address"], lat=STOP[0], lon=STOP[1])
        shipment = make_shipment(s, key, address=address,
                                 promised={"start": iso(start - 3600), "end": iso(start - 300)})
        route = make_route(s, key, driver["id"], [shipment["id"]], depot={"lat": DEPOT[0], "lon": DEPOT[1]})
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start")
        for k in range(4):  # late on every estimate; raising needs two that agree
            batch = [{"t": iso(start + 33 * k + 3 * i), "lat": DEPOT[0] + 0.0004 * (k * 10 + i) / 30,
                      "lon": DEPOT[1] + 0.0004 * (k * 10 + i) / 30, "accuracy": 8, "speed": 6.0} for i in range(10)]
            expect(s.request("POST", "/v1/pings", batch, token=driver["device_token"]), 200, "pings")
        deadline = time.monotonic() + 10
        items = []
        while time.monotonic() < deadline and not items:
            items = expect(s.request("GET", "/v1/exceptions", token=key, params={"kind": "late_risk"}), 200,
                           "list")["items"]
            time.sleep(0.05)
        self.assertEqual(len(items), 1, items)
        case = items[0]
        self.assertEqual(case["shipment_id"], shipment["id"])
        self.assertEqual(case["driver_id"], driver["id"])
        self.assertEqual(case["route_id"], route["id"])
        self.assertEqual(case["status"], "open")
        self.assertEqual(case["details"]["stop_id"], route["stops"][0]["id"])
        self.assertGreater(case["details"]["late_by_s"], 300)
        by_driver = expect(s.request("GET", "/v1/exceptions", token=key, params={"driver_id": driver["id"]}), 200,
                           "list by driver")["items"]
        self.assertEqual([c["id"] for c in by_driver], [case["id"]])


class DeviceOfflineTest(ServerTestCase):
    """device_offline from the activity monitor, on a clock 600x faster (ten minutes of silence in one
    second): the case opens, and the device's next position resolves it automatically."""

    server_options = {"extra_args": ["--clock-speedup", "600"]}

    def wait_for(self, key, case_id=None, **params):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            items = expect(self.server.request("GET", "/v1/exceptions", token=key, params=params), 200, "list")["items"]
            found = [c for c in items if case_id is None or c["id"] == case_id]
            if found:
                return found[-1]
            time.sleep(0.05)
        self.fail(f"no exception {params} {case_id or ''}")

    def test_a_silent_device_opens_a_case_that_its_next_position_resolves(self):
        s = self.server
        key = make_tenant(s)["api_key"]
        driver = make_driver(s, key)
        shipment = make_shipment(s, key)
        route = make_route(s, key, driver["id"], [shipment["id"]], depot={"lat": DEPOT[0], "lon": DEPOT[1]})
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start")
        t0 = time.time()
        ping = {"t": iso(t0), "lat": DEPOT[0], "lon": DEPOT[1], "accuracy": 8}
        expect(s.request("POST", "/v1/pings", [ping], token=driver["device_token"]), 200, "ping")
        case = self.wait_for(key, kind="device_offline", status="open")
        self.assertEqual(case["driver_id"], driver["id"])
        self.assertEqual(case["route_id"], route["id"])
        back = {"t": iso(t0 + 60), "lat": DEPOT[0] + 0.001, "lon": DEPOT[1], "accuracy": 8}
        expect(s.request("POST", "/v1/pings", [back], token=driver["device_token"]), 200, "ping")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            now = self.wait_for(key, case["id"], kind="device_offline")
            if now["status"] == "resolved":
                break
            time.sleep(0.05)
        self.assertEqual(now["status"], "resolved")
        self.assertEqual(now["resolution"], "auto")
        history = expect(s.request("GET", f"/v1/exceptions/{case['id']}", token=key), 200, "detail")["history"]
        self.assertEqual([h["type"] for h in history], ["raised", "resolved"])


class ExceptionDurabilityTest(unittest.TestCase):
    def test_a_case_survives_kill_9_right_after_the_event_that_raised_it(self):
        server = LastmileServer().start()
        self.addCleanup(server.close)
        key = make_tenant(server)["api_key"]
        shipment = make_shipment(server, key)
        post_event(server, key, shipment["id"], "out_for_delivery")
        event = post_event(server, key, shipment["id"], "attempt_failed", reason="no access")
        server.kill()  # SIGKILL right after the 201: no flush, no shutdown
        server.restart(graceful=False)
        items = expect(server.request("GET", "/v1/exceptions", token=key, params={"shipment_id": shipment["id"]}),
                       200, "list after restart")["items"]
        self.assertEqual(len(items), 1, items)
        self.assertEqual(items[0]["kind"], "attempt_failed")
        self.assertEqual(items[0]["status"], "open")
        d = expect(server.request("GET", f"/v1/exceptions/{items[0]['id']}", token=key), 200, "detail")
        self.assertEqual(d["history"][0]["event_id"], event["id"])
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
