"""GET /v1/live (WebSocket) and GET /v1/live/sse (Server-Sent Events): real-time push.

DESIGN R9 and §5: subscribe by tracking token (customer), by route (driver app) or tenant-wide
(dispatcher); refusals are JSON errors before any upgrade; a reconnecting client resumes from its last
event id without gaps or duplicates; heartbeats; a server shutdown ends live sessions promptly.
"""

import datetime
import json
import re
import socket
import threading
import time
import unittest

from lastmile_server import (LastmileServer, ServerTestCase, make_api_key, make_driver, make_route, make_shipment,
                             make_tenant, post_event)
from ws_client import ConnectionClosed, HandshakeRefused, Timeout, WebSocket, read_http_head

HEARTBEAT_ARGS = ["--live-heartbeat-s", "1"]


class SseStream:
    """A text/event-stream read over a raw socket: `next()` returns one block as a dict —
    {"data": parsed JSON, "id": int|None} for messages, {"comment": text} for comments, {"retry": ms}."""

    def __init__(self, port, path, headers=None, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: text/event-stream"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.status, self.headers, self.buffer = read_http_head(self.sock, time.monotonic() + timeout)
        self.eof = False

    def next(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while b"\n\n" not in self.buffer:
            if self.eof:
                raise ConnectionClosed(None, "end of stream")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout("no event within the time given")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout as e:
                raise Timeout("no event within the time given") from e
            if not chunk:
                self.eof = True
            self.buffer += chunk
        block, self.buffer = self.buffer.split(b"\n\n", 1)
        out = {}
        data = []
        for line in block.decode().split("\n"):
            if line.startswith(":"):
                out["comment"] = line[1:].strip()
            elif line.startswith("id: "):
                out["id"] = int(line[4:])
            elif line.startswith("retry: "):
                out["retry"] = int(line[7:])
            elif line.startswith("data: "):
                data.append(line[6:])
        if data:
            out["data"] = json.loads("\n".join(data))
            out.setdefault("id", None)
        return out

    def messages_until(self, predicate, timeout=10.0):
        """The data messages ({"data","id"}) up to and including the first matching one."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            block = self.next(max(0.0, deadline - time.monotonic()))
            if "data" not in block:
                continue
            seen.append(block)
            if predicate(block):
                return seen

    def close(self):
        self.sock.close()


def is_ready(m):
    return m.get("type") == "ready"


def is_event(m):
    return m.get("type") == "event"


class LiveTestCase(ServerTestCase):
    server_options = {"extra_args": HEARTBEAT_ARGS}

    def setUp(self):
        tenant = make_tenant(self.server)
        self.admin = tenant["api_key"]
        self.dispatcher = make_api_key(self.server, self.admin, "dispatcher")["api_key"]

    def ws(self, path="/v1/live", token=None, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        w = WebSocket.connect(self.server.port, path, h)
        self.addCleanup(w.close)
        return w

    def ready(self, w):
        """Reads up to `ready`; returns (messages before it, last_event_id)."""
        seen = w.recv_until(is_ready)
        self.assertIsInstance(seen[-1]["last_event_id"], int, seen[-1])
        return seen[:-1], seen[-1]["last_event_id"]

    def refused(self, path, token=None, headers=None):
        with self.assertRaises(HandshakeRefused) as ctx:
            self.ws(path, token, headers)
        return ctx.exception

    def assertRefused(self, path, status, code, token=None, headers=None, field=None):
        e = self.refused(path, token, headers)
        self.assertEqual(e.status, status, e)
        self.assertIn("application/json", e.headers.get("content-type", ""), e)
        self.assertEqual(e.error.get("code"), code, e)
        self.assertTrue(e.error.get("message"), e)
        if field is not None:
            self.assertEqual(e.error.get("field"), field, e)

    def sse(self, path, token=None, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        s = SseStream(self.server.port, path, h)
        self.addCleanup(s.close)
        return s


class Subscriptions(LiveTestCase):
    def test_a_dispatcher_receives_every_event_of_its_tenant_in_the_staff_shape(self):
        w = self.ws(token=self.dispatcher)
        _, cursor = self.ready(w)
        shipment = make_shipment(self.server, self.dispatcher)
        created = w.recv_until(is_event)[-1]
        self.assertGreater(created["id"], cursor)
        self.assertEqual(created["event"]["type"], "created")
        self.assertEqual(created["event"]["shipment_id"], shipment["id"])
        for field in ("id", "at", "recorded_at", "actor", "source", "location", "payload"):
            self.assertIn(field, created["event"])
        post_event(self.server, self.dispatcher, shipment["id"], "processed", note="sorted")
        processed = w.recv_until(is_event)[-1]
        self.assertEqual(processed["event"]["type"], "processed")
        self.assertGreater(processed["id"], created["id"])

        other = make_tenant(self.server)["api_key"]
        make_shipment(self.server, other)  # another tenant's: never shown here
        post_event(self.server, self.dispatcher, shipment["id"], "shipped")
        self.assertEqual(w.recv_until(is_event)[-1]["event"]["type"], "shipped")

    def test_a_customer_sees_only_its_own_shipment_in_the_public_shape(self):
        mine = make_shipment(self.server, self.dispatcher)
        theirs = make_shipment(self.server, self.dispatcher)
        w = self.ws(f"/v1/live?token={mine['tracking_token']}")  # no credentials
        self.ready(w)
        post_event(self.server, self.dispatcher, theirs["id"], "processed")
        post_event(self.server, self.dispatcher, mine["id"], "processed")
        # The shipment's own "created" may still be on its way to the hub when the session starts.
        m = w.recv_until(lambda x: is_event(x) and x["event"]["type"] != "created")[-1]
        self.assertEqual(set(m), {"type", "id", "event"})
        self.assertEqual(set(m["event"]), {"type", "at", "tag"}, "no actor, source, payload or ids")
        self.assertEqual((m["event"]["type"], m["event"]["tag"]), ("processed", "InTransit"))
        post_event(self.server, self.dispatcher, theirs["id"], "shipped")
        post_event(self.server, self.dispatcher, mine["id"], "shipped")
        self.assertEqual(w.recv_until(is_event)[-1]["event"]["type"], "shipped")  # theirs was skipped

    def test_a_driver_subscribes_to_its_own_route_and_to_no_other(self):
        luca = make_driver(self.server, self.dispatcher, name="Luca Rossi")
        anna = make_driver(self.server, self.dispatcher, name="Anna Bianchi")
        on_lucas = make_shipment(self.server, self.dispatcher)
        on_annas = make_shipment(self.server, self.dispatcher)
        elsewhere = make_shipment(self.server, self.dispatcher)
        lucas_route = make_route(self.server, self.dispatcher, luca["id"], [on_lucas["id"]])
        annas_route = make_route(self.server, self.dispatcher, anna["id"], [on_annas["id"]])

        w = self.ws(f"/v1/live?route={lucas_route['id']}", token=luca["device_token"])
        self.ready(w)
        post_event(self.server, self.dispatcher, elsewhere["id"], "processed")
        post_event(self.server, self.dispatcher, on_lucas["id"], "processed")
        m = w.recv_until(is_event)[-1]
        self.assertEqual(m["event"]["shipment_id"], on_lucas["id"])  # staff shape, only its route's

        self.assertRefused(f"/v1/live?route={annas_route['id']}", 404, "not_found", token=luca["device_token"])
        self.assertRefused("/v1/live", 403, "forbidden", token=luca["device_token"])
        d = self.ws(f"/v1/live?route={annas_route['id']}", token=self.dispatcher)
        self.ready(d)

    def test_another_tenant_gets_not_found(self):
        driver = make_driver(self.server, self.dispatcher)
        shipment = make_shipment(self.server, self.dispatcher)
        route = make_route(self.server, self.dispatcher, driver["id"], [shipment["id"]])
        other = make_tenant(self.server)["api_key"]
        self.assertRefused(f"/v1/live?route={route['id']}", 404, "not_found", token=other)
        self.assertRefused("/v1/live?route=rte_doesnotexist00", 404, "not_found", token=self.dispatcher)
        self.assertRefused("/v1/live?token=AAAAAAAAAAAAAAAAAAAAAA", 404, "not_found")
        self.assertRefused("/v1/live?token=short", 404, "not_found")

    def test_credentials_and_parameters_are_checked_before_the_upgrade(self):
        self.assertRefused("/v1/live", 401, "unauthenticated")
        self.assertRefused("/v1/live", 401, "unauthenticated", token="lm_nosuchprefix_secret")
        self.assertRefused("/v1/live?access_token=lm_nosuchprefix_secret", 401, "unauthenticated")
        self.ready(self.ws(f"/v1/live?access_token={self.dispatcher}"))  # browsers: the token in the query
        integration = make_api_key(self.server, self.admin, "integration")["api_key"]
        self.assertRefused("/v1/live", 403, "forbidden", token=integration)
        self.assertRefused("/v1/live", 403, "forbidden", token=self.server.admin_token)
        shipment = make_shipment(self.server, self.dispatcher)
        self.assertRefused(f"/v1/live?token={shipment['tracking_token']}&route=rte_x", 400, "invalid_field",
                           field="token")
        self.assertRefused("/v1/live?after=-1", 400, "invalid_field", token=self.dispatcher, field="after")
        self.assertRefused("/v1/live?after=x", 400, "invalid_field", token=self.dispatcher, field="after")

    def test_a_plain_get_without_upgrade_is_refused(self):
        self.assertError(self.server.request("GET", "/v1/live", token=self.dispatcher), 400, "invalid_field", "Upgrade")
        self.assertError(self.server.request("POST", "/v1/live", {}, token=self.dispatcher), 405,
                         "method_not_allowed")
        r = self.server.request("GET", "/v1/live/sse")
        self.assertError(r, 401, "unauthenticated")

    def test_heartbeats_arrive_on_an_idle_session(self):
        w = self.ws(token=self.dispatcher)
        self.ready(w)
        m = w.recv_json(timeout=3)
        while m.get("type") != "heartbeat":
            m = w.recv_json(timeout=3)
        self.assertTrue(datetime.datetime.fromisoformat(m["at"].replace("Z", "+00:00")))

    def test_the_server_answers_pings_and_closes_on_a_too_large_client_message(self):
        w = self.ws(token=self.dispatcher)
        self.ready(w)
        w.send_ping(b"are you there")
        deadline = time.monotonic() + 5
        while b"are you there" not in w.pongs and time.monotonic() < deadline:
            w.recv(timeout=3)  # heartbeats arrive every second; the pong is read on the way
        self.assertIn(b"are you there", w.pongs)
        w.send_text("small messages are read and ignored")
        w.send_text("x" * 5000)  # over the 4 KiB limit
        with self.assertRaises(ConnectionClosed) as ctx:
            while True:
                w.recv(timeout=5)
        self.assertEqual(ctx.exception.code, 1009)

    def test_sessions_are_counted_in_metrics(self):
        w = self.ws(token=self.dispatcher)
        self.ready(w)
        text = self.server.request("GET", "/metrics").text
        m = re.search(r'^lastmile_live_sessions\{transport="websocket"\} (\d+)$', text, re.M)
        self.assertTrue(m, text[-2000:])
        self.assertGreaterEqual(int(m.group(1)), 1)

    def test_positions_reach_the_dispatcher(self):
        driver = make_driver(self.server, self.dispatcher)
        w = self.ws(token=self.dispatcher)
        self.ready(w)
        now = datetime.datetime.now(datetime.timezone.utc)
        fix = {"t": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z", "lat": 43.7347,
               "lon": 7.4215, "speed": 5.0, "heading": 90, "accuracy": 5}
        r = self.server.request("POST", "/v1/pings", [fix], token=driver["device_token"])
        self.assertEqual(r.status, 200, r)
        m = w.recv_until(lambda m: m.get("type") == "position")[-1]
        self.assertEqual(m["driver_id"], driver["id"])
        self.assertAlmostEqual(m["lat"], 43.7347, places=5)


class Resume(LiveTestCase):
    def test_after_replays_exactly_the_missed_events_in_order_then_ready(self):
        w = self.ws(token=self.dispatcher)
        _, cursor = self.ready(w)
        w.close()
        shipment = make_shipment(self.server, self.dispatcher)
        post_event(self.server, self.dispatcher, shipment["id"], "processed")
        post_event(self.server, self.dispatcher, shipment["id"], "shipped")

        w = self.ws(f"/v1/live?after={cursor}", token=self.dispatcher)
        missed, last = self.ready(w)
        self.assertEqual([m["event"]["type"] for m in missed], ["created", "processed", "shipped"])
        ids = [m["id"] for m in missed]
        self.assertEqual(ids, sorted(set(ids)))
        self.assertEqual(last, ids[-1])
        post_event(self.server, self.dispatcher, shipment["id"], "out_for_delivery")
        live = w.recv_until(is_event)
        self.assertEqual([m["event"]["type"] for m in live], ["out_for_delivery"])
        self.assertGreater(live[0]["id"], last)

        again = self.ws(f"/v1/live?after={live[0]['id']}", token=self.dispatcher)
        nothing, same = self.ready(again)
        self.assertEqual((nothing, same), ([], live[0]["id"]))

    def test_a_customer_resumes_with_the_public_events_of_its_shipment(self):
        shipment = make_shipment(self.server, self.dispatcher)
        post_event(self.server, self.dispatcher, shipment["id"], "processed")
        w = self.ws(f"/v1/live?token={shipment['tracking_token']}&after=0")
        missed, _ = self.ready(w)
        self.assertEqual([m["event"]["type"] for m in missed], ["created", "processed"])
        self.assertTrue(all(set(m["event"]) == {"type", "at", "tag"} for m in missed))

    def test_resuming_while_events_are_written_has_no_gap_and_no_duplicate(self):
        shipments = [make_shipment(self.server, self.dispatcher) for _ in range(8)]
        w = self.ws(token=self.dispatcher)
        _, cursor = self.ready(w)
        w.close()
        written = []  # event ids (evt_…) in commit order: one writer thread
        half_done = threading.Event()

        def writer():
            for step in ("processed", "shipped", "out_for_delivery", "arriving", "delivered"):
                for s in shipments:
                    written.append(post_event(self.server, self.dispatcher, s["id"], step)["id"])
                    if len(written) == 15:
                        half_done.set()

        t = threading.Thread(target=writer)
        t.start()
        half_done.wait(20)
        w = self.ws(f"/v1/live?after={cursor}", token=self.dispatcher)
        t.join()
        seen = w.recv_until(lambda m: is_event(m) and m["event"]["id"] == written[-1], timeout=20)
        events = [m for m in seen if is_event(m)]
        ids = [m["event"]["id"] for m in events]
        # The event bus hands commits to the hub asynchronously, so the first session's cursor may
        # stop short of the last shipment creations: those come after the cursor too, first.
        extra = [m for m in events if m["event"]["id"] not in set(written)]
        self.assertTrue(all(m["event"]["type"] == "created" for m in extra), extra)
        self.assertEqual(ids[len(extra):], written)
        self.assertEqual(sum(1 for m in seen if is_ready(m)), 1)
        seqs = [m["id"] for m in events]
        self.assertEqual(seqs, sorted(set(seqs)))

    def test_sse_resumes_from_last_event_id(self):
        s = self.sse("/v1/live/sse", token=self.dispatcher)
        self.assertEqual(s.status, 200)
        self.assertIn("text/event-stream", s.headers.get("content-type", ""))
        first = s.messages_until(lambda b: is_ready(b["data"]))[-1]
        cursor = first["id"] if first["id"] is not None else first["data"]["last_event_id"]
        self.assertEqual(first["data"]["last_event_id"], cursor)
        s.close()

        shipment = make_shipment(self.server, self.dispatcher)
        post_event(self.server, self.dispatcher, shipment["id"], "processed")
        # As EventSource reconnects: Last-Event-ID wins over a stale `after` in the URL.
        s = self.sse("/v1/live/sse?after=0", token=self.dispatcher, headers={"Last-Event-ID": str(cursor)})
        blocks = s.messages_until(lambda b: is_ready(b["data"]))
        events = [b for b in blocks if is_event(b["data"])]
        self.assertEqual([b["data"]["event"]["type"] for b in events], ["created", "processed"])
        self.assertEqual([b["id"] for b in events], [b["data"]["id"] for b in events])
        self.assertEqual(blocks[-1]["id"], events[-1]["id"])
        post_event(self.server, self.dispatcher, shipment["id"], "shipped")
        live = s.messages_until(lambda b: is_event(b["data"]))[-1]
        self.assertEqual(live["data"]["event"]["type"], "shipped")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            block = s.next(timeout=3)
            if "comment" in block:
                self.assertTrue(block["comment"].startswith("heartbeat"), block)
                break
        else:
            self.fail("no heartbeat comment within 3 s")

    def test_sse_for_a_customer_needs_no_credentials(self):
        shipment = make_shipment(self.server, self.dispatcher)
        s = self.sse(f"/v1/live/sse?token={shipment['tracking_token']}&after=0")
        blocks = s.messages_until(lambda b: is_ready(b["data"]))
        self.assertEqual([b["data"]["event"] for b in blocks[:-1]][0]["type"], "created")


class LiveShutdown(unittest.TestCase):
    def test_sigterm_ends_open_live_sessions_within_a_couple_of_seconds(self):
        server = LastmileServer(extra_args=HEARTBEAT_ARGS).start()
        self.addCleanup(server.close)
        key = make_tenant(server)["api_key"]
        w = WebSocket.connect(server.port, "/v1/live", {"Authorization": f"Bearer {key}"})
        self.addCleanup(w.close)
        w.recv_until(is_ready)
        customer = WebSocket.connect(server.port, f"/v1/live?token={make_shipment(server, key)['tracking_token']}")
        self.addCleanup(customer.close)  # never read: the server must not wait for it
        s = SseStream(server.port, "/v1/live/sse", {"Authorization": f"Bearer {key}"})
        self.addCleanup(s.close)
        s.messages_until(lambda b: is_ready(b["data"]))

        started = time.monotonic()
        server.proc.send_signal(15)
        closing = w.recv_until(lambda m: m.get("type") == "closed", timeout=5)[-1]
        self.assertEqual(closing["reason"], "shutdown")
        with self.assertRaises(ConnectionClosed) as ctx:
            while True:
                w.recv(timeout=5)
        self.assertEqual(ctx.exception.code, 1001)
        last = s.messages_until(lambda b: b["data"].get("type") == "closed", timeout=5)[-1]
        self.assertEqual(last["data"]["reason"], "shutdown")
        self.assertEqual(server.proc.wait(timeout=10), 0)
        self.assertLess(time.monotonic() - started, 3.0, server.stderr_text())


if __name__ == "__main__":
    unittest.main()
