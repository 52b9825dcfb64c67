"""Crash loop (issue 12 part 5, DESIGN §6): kill -9 the server at a random moment of a mixed load, 50 times.

The load: new shipments, `out_for_delivery` events, proof-of-delivery uploads (with a photo), customer chat
messages and driver pings, from three threads; every event and proof causes an e-mail (rules for
out_for_delivery and delivered) sent to a local SMTP sink. After every kill, while the server is down,
`lastmile verify` must find every hash chain and every proof image intact; after the restart every write of
that round that got a 2xx is there, and no e-mail was received twice with different content. At the end every
acknowledged write of every round is checked once more, every e-mail an acknowledged event caused has arrived,
and each one has exactly one key (Message-ID) in the outbox: a repeat after a crash (the provider took the
message, the server died before recording it) carries the same Message-ID and the same body, so a mail system
can drop it — never a second, different message.

Deterministic inputs: the seed (printed; set LASTMILE_CRASH_SEED to replay it) fixes each thread's sequence of
operations and the moment of each kill after the load starts. LASTMILE_CRASH_ROUNDS sets the number of rounds
(default 50, 15 under ASan where the server is several times slower).
"""

import http.client
import os
import random
import sys
import threading
import time
import unittest
import uuid

from lastmile_server import (SANITIZED, LastmileServer, expect, list_all, make_driver, make_tenant, multipart,
                             png_bytes, run_verify, shipment_body)
from notification_providers import SmtpSink, expected_message_id

ROUNDS = int(os.environ.get("LASTMILE_CRASH_ROUNDS", "15" if SANITIZED else "50"))
SEED = int(os.environ.get("LASTMILE_CRASH_SEED", str(random.SystemRandom().randrange(1 << 31))))
WORKERS = 3
RULES = {"rules": {"out_for_delivery": ["email"], "delivered": ["email"]}, "quiet_hours": None}
REQUEST_ERRORS = (OSError, http.client.HTTPException)


class Load:
    """The shared state of the load threads: what exists for sure, and what each round acknowledged."""

    def __init__(self, server, key, driver):
        self.server, self.key, self.driver = server, key, driver
        self.lock = threading.Lock()
        self.shipments = {}     # id -> {"token", "email", "state": created | out_for_delivery | delivered}
        self.busy = set()       # shipment ids a thread is working on
        self.ping_seq = 0
        self.ping_t0 = time.time() - 900
        self.unexpected = []
        self.acked = self.empty_round()
        self.all_acked = self.empty_round()

    @staticmethod
    def empty_round():
        return {"shipments": [], "events": [], "proofs": [], "messages": [], "pings": []}

    def record(self, kind, item):
        with self.lock:
            self.acked[kind].append(item)
            self.all_acked[kind].append(item)

    def pick(self, rng, state):
        """A shipment in `state` nobody is working on, marked busy; None when there is none."""
        with self.lock:
            ids = sorted(i for i, s in self.shipments.items() if s["state"] == state and i not in self.busy)
            if not ids:
                return None
            sid = rng.choice(ids)
            self.busy.add(sid)
            return sid

    def release(self, sid, new_state=None, certain=True):
        """Done with `sid`: its new state when acknowledged; forgotten when the outcome is unknown."""
        with self.lock:
            self.busy.discard(sid)
            if not certain:
                self.shipments.pop(sid, None)  # maybe stored, maybe not: not used again (checked as acked only)
            elif new_state:
                self.shipments[sid]["state"] = new_state

    # ---- operations: each returns False once the server is gone ----

    def answered(self, reply, ok, what):
        if reply.status in ok:
            return True
        if reply.status != 503:  # 503: shutting down; never an acknowledgement
            self.unexpected.append(f"{what}: {reply}")
        return False

    def create_shipment(self, rng):
        email = f"crash-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}@example.com"
        body = {"recipient": {"name": "Crash Test", "phone": "+33600000000", "email": email, "time_zone": "UTC"}}
        r = self.server.request("POST", "/v1/shipments", shipment_body(**body), token=self.key, timeout=10)
        if self.answered(r, (201,), "create shipment"):
            with self.lock:
                self.shipments[r.body["id"]] = {"token": r.body["tracking_token"], "email": email, "state": "created"}
            self.record("shipments", r.body["id"])

    def out_for_delivery(self, rng):
        sid = self.pick(rng, "created")
        if sid is None:
            return self.create_shipment(rng)
        try:
            r = self.server.request("POST", f"/v1/shipments/{sid}/events", {"type": "out_for_delivery"}, token=self.key,
                                    timeout=10)
        except REQUEST_ERRORS:
            self.release(sid, certain=False)
            raise
        ok = self.answered(r, (201,), "out_for_delivery")
        if ok:
            self.record("events", (sid, r.body["id"]))
        self.release(sid, "out_for_delivery" if ok else None, certain=ok)

    def proof(self, rng):
        sid = self.pick(rng, "out_for_delivery")
        if sid is None:
            return self.out_for_delivery(rng)
        ctype, body = multipart({"recipient_name": "Crash Test", "left_at": "front_door"},
                                [("photo", "p.png", "image/png", png_bytes(6, 6, seed=rng.randrange(256)))])
        try:
            r = self.server.request("POST", f"/v1/shipments/{sid}/proof", body, token=self.key, timeout=10,
                                    headers={"Content-Type": ctype, "Idempotency-Key": str(uuid.uuid4())})
        except REQUEST_ERRORS:
            self.release(sid, certain=False)
            raise
        ok = self.answered(r, (201,), "proof")
        if ok:
            self.record("proofs", (sid, r.body["event_id"]))
        self.release(sid, "delivered" if ok else None, certain=ok)

    def chat(self, rng):
        with self.lock:
            ids = sorted(self.shipments)
            sid = rng.choice(ids) if ids else None
            token = self.shipments[sid]["token"] if sid else None
        if sid is None:
            return self.create_shipment(rng)
        r = self.server.request("POST", f"/v1/track/{token}/messages",
                                {"body": f"message {rng.randrange(10 ** 6)}", "client_id": str(uuid.uuid4())},
                                timeout=10)
        if self.answered(r, (201,), "chat"):
            self.record("messages", (sid, r.body["message"]["id"]))

    def ping(self, rng):
        with self.lock:
            self.ping_seq += 1
            n = self.ping_seq
        t = self.ping_t0 + n * 0.25
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % int(round((t % 1) * 1000) % 1000)
        point = {"t": stamp, "lat": 43.7300 + n * 1e-5, "lon": 7.4200 + n * 1e-5, "speed": 5.0, "accuracy": 5}
        r = self.server.request("POST", "/v1/pings", [point], token=self.driver["device_token"], timeout=10)
        if self.answered(r, (200,), "ping") and r.body.get("stored") == 1:
            self.record("pings", stamp)

    OPERATIONS = ((create_shipment, 2), (out_for_delivery, 3), (proof, 3), (chat, 3), (ping, 4))

    def run(self, rng, stop):
        ops = [op for op, weight in self.OPERATIONS for _ in range(weight)]
        while not stop.is_set():
            try:
                rng.choice(ops)(self, rng)
            except REQUEST_ERRORS:
                return  # the server was killed: this request was never acknowledged


class CrashLoopTest(unittest.TestCase):
    def test_kill_9_under_mixed_load_loses_nothing_acknowledged_and_sends_nothing_twice(self):
        print(f"\ncrash loop: seed {SEED} (LASTMILE_CRASH_SEED), {ROUNDS} rounds", file=sys.stderr, flush=True)
        started = time.monotonic()
        smtp = SmtpSink()
        self.addCleanup(smtp.close)
        server = LastmileServer(extra_args=["--smtp-url", smtp.url, "--smtp-from", "no-reply@shop.example",
                                            "--webhook-backoff-scale", "0.001"])
        self.addCleanup(server.close)
        server.start()
        key = make_tenant(server)["api_key"]
        expect(server.request("PUT", "/v1/notification-settings", RULES, token=key, headers={"If-Match": "0"}), 200,
               "notification settings")
        load = Load(server, key, make_driver(server, key))
        rng = random.Random(SEED)
        spent = {"load": 0.0, "verify": 0.0, "restart": 0.0, "checks": 0.0}
        for round_no in range(ROUNDS):
            t0 = time.monotonic()
            load.acked = Load.empty_round()
            stop = threading.Event()
            threads = [threading.Thread(target=load.run, args=(random.Random(rng.getrandbits(64)), stop), daemon=True)
                       for _ in range(WORKERS)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.05, 0.35))  # the kill lands wherever the load happens to be
            server.kill()
            stop.set()
            for t in threads:
                t.join(30)
            t1 = time.monotonic()
            code, report, err = run_verify(server)
            self.assertEqual(code, 0, f"round {round_no}: lastmile verify: {report} {err}")
            t2 = time.monotonic()
            server.start()
            t3 = time.monotonic()
            self.check_round(server, key, load, load.acked, f"round {round_no}")
            self.check_no_conflicting_mail(smtp)
            t4 = time.monotonic()
            for phase, seconds in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                spent[phase] += seconds
        self.assertEqual(load.unexpected, [])
        self.check_round(server, key, load, load.all_acked, "all rounds")
        self.check_notifications(server, key, load, smtp)
        counts = {k: len(v) for k, v in load.all_acked.items()}
        print(f"crash loop: {ROUNDS} kills in {time.monotonic() - started:.1f} s, acknowledged {counts}, "
              f"{len(smtp.snapshot())} e-mails received; seconds spent: "
              + ", ".join(f"{k} {v:.1f}" for k, v in spent.items()), file=sys.stderr, flush=True)
        self.assertGreater(min(counts.values()), 0, f"every kind of write was exercised: {counts}")

    def check_round(self, server, key, load, acked, what):
        listed = {s["id"] for s in list_all(server, "/v1/shipments", key)}
        self.assertEqual(set(acked["shipments"]) - listed, set(), f"{what}: acknowledged shipments lost")
        events = {}

        def events_of(sid):
            if sid not in events:
                events[sid] = {e["id"] for e in expect(server.request("GET", f"/v1/shipments/{sid}/events", token=key),
                                                       200, f"{what}: events")["items"]}
            return events[sid]
        for sid, eid in acked["events"] + acked["proofs"]:
            self.assertIn(eid, events_of(sid), f"{what}: acknowledged event {eid} of {sid} lost")
        for sid, eid in acked["proofs"]:
            proof = expect(server.request("GET", f"/v1/shipments/{sid}/proof", token=key), 200, f"{what}: proof")
            self.assertEqual(proof["event_id"], eid)
            self.assertTrue(proof["verification"]["ok"], f"{what}: {proof['verification']}")
        threads = {}
        for sid, mid in acked["messages"]:
            if sid not in threads:
                threads[sid] = {m["id"] for m in expect(server.request("GET", f"/v1/shipments/{sid}/messages",
                                                                       token=key, params={"limit": 200}),
                                                        200, f"{what}: messages")["items"]}
            self.assertIn(mid, threads[sid], f"{what}: acknowledged message {mid} lost")
        if acked["pings"]:
            track = expect(server.request("GET", f"/v1/drivers/{load.driver['id']}/track", token=key,
                                          params={"from": time.strftime("%Y-%m-%d", time.gmtime(load.ping_t0 - 86400)),
                                                  "to": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))}),
                           200, f"{what}: track")
            stored = set(track["features"][0]["properties"]["times"])
            self.assertEqual(set(acked["pings"]) - stored, set(), f"{what}: acknowledged pings lost")

    def check_no_conflicting_mail(self, smtp):
        """Every e-mail received under a Message-ID already seen has the same recipients, subject and text
        (incremental: only the mails received since the last call are read)."""
        if not hasattr(self, "mail_bodies"):
            self.mail_bodies, self.mails_checked = {}, 0
        mails = smtp.snapshot()
        for _, rcpt, msg in mails[self.mails_checked:]:
            body = (tuple(rcpt), msg["Subject"], msg.get_body(("plain",)).get_content())
            first = self.mail_bodies.setdefault(msg["Message-ID"], body)
            self.assertEqual(first, body, f"two different e-mails under Message-ID {msg['Message-ID']}")
        self.mails_checked = len(mails)

    def check_notifications(self, server, key, load, smtp):
        """Every e-mail an acknowledged event caused has arrived; each (shipment, rule) has one key in the
        outbox; every e-mail received is one of the outbox's messages."""
        expected = {f"{eid}:email:out_for_delivery" for _, eid in load.all_acked["events"]}
        expected |= {f"{eid}:email:delivered" for _, eid in load.all_acked["proofs"]}
        wanted = {expected_message_id(k) for k in expected}
        got = smtp.wait_for(lambda mails: wanted <= {m["Message-ID"] for _, _, m in mails}, timeout_s=30)
        self.assertEqual(wanted - {m["Message-ID"] for _, _, m in got}, set(),
                         "e-mails of acknowledged events never sent")
        self.check_no_conflicting_mail(smtp)
        outbox = {}
        for shipment in list_all(server, "/v1/shipments", key):
            log = expect(server.request("GET", f"/v1/shipments/{shipment['id']}/notifications", token=key), 200, "log")
            for m in log["items"]:
                outbox.setdefault((shipment["id"], m["rule"]), set()).add(m["idempotency_key"])
        for (sid, rule), keys in outbox.items():
            self.assertEqual(len(keys), 1, f"{sid} {rule}: more than one message {keys}")
        known = {expected_message_id(k) for keys in outbox.values() for k in keys}
        received = [m["Message-ID"] for _, _, m in smtp.snapshot()]
        self.assertEqual(set(received) - known, set(), "e-mails that are no outbox message")
        print(f"crash loop: {len(set(received))} distinct e-mails, {len(received) - len(set(received))} repeated "
              f"with the same Message-ID and body (accepted by the provider, server killed before recording it)",
              file=sys.stderr, flush=True)

if __name__ == "__main__":
    unittest.main()
