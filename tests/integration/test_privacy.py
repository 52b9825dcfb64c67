"""Privacy (docs/privacy.md): per-tenant retention, and export / erasure of one recipient's personal data.

- A tenant's photo retention expires its old proof images: the files go (unless another tenant's live proof
  uses the same bytes), the proof still verifies and says "expired": "retention", `lastmile verify` is clean.
- Export returns everything held about one recipient in the caller's tenant only.
- Erasure replaces the personal fields with "[erased]", expires their images, stops notifications to them,
  appends a personal_data_erased event; the hash chains still verify; a second call changes nothing; another
  tenant's data about the same person is untouched. Bad input changes nothing.
"""

import itertools
import json
import os
import time
import unittest
import uuid

from lastmile_server import (ServerTestCase, expect, make_api_key, make_shipment, make_tenant, multipart, png_bytes,
                             post_event, run_verify)
from notification_providers import SmtpSink
from test_proof import AT_THE_DOOR

RETENTION_ARGS = ["--retention-interval-s", "1", "--blob-delete-idle-s", "0"]


def wait_until(predicate, timeout_s=15.0):
    """Polls predicate() until it returns a truthy value (returned) or the deadline (the last value)."""
    deadline = time.monotonic() + timeout_s
    while True:
        got = predicate()
        if got or time.monotonic() > deadline:
            return got
        time.sleep(0.1)


class PrivacyTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.addClassCleanup(cls.smtp.close)
        cls.server_options = {"extra_args": RETENTION_ARGS + ["--smtp-url", cls.smtp.url,
                                                              "--smtp-from", "no-reply@shop.example"]}
        super().setUpClass()

    def tenant(self, **retention):
        key = make_tenant(self.server)["api_key"]
        if retention:
            expect(self.server.request("PUT", "/v1/tenant/retention", retention, token=key), 200, "retention")
        return key

    def delivered(self, key, photo, email=None, days_ago=0, name="Marie Dupont"):
        """A shipment of `email` delivered with a proof (photo bytes, a name, notes) captured `days_ago`."""
        recipient = {"name": name, "phone": "+3361%07d" % (uuid.uuid4().int % 10 ** 7),
                     "email": email or f"{uuid.uuid4().hex[:8]}@example.com", "time_zone": "Europe/Paris"}
        sh = make_shipment(self.server, key, recipient=recipient)
        post_event(self.server, key, sh["id"], "out_for_delivery")
        captured = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - days_ago * 86400 - 60))
        ctype, body = multipart({"recipient_name": name, "notes": "left with the concierge", "left_at": "reception",
                                 "captured_at": captured, **AT_THE_DOOR},
                                [("photo", "door.png", "image/png", photo)])
        expect(self.server.request("POST", f"/v1/shipments/{sh['id']}/proof", body, token=key,
                                   headers={"Content-Type": ctype, "Idempotency-Key": str(uuid.uuid4())}), 201, "proof")
        return sh

    def blob_path(self, sha):
        return os.path.join(self.server.tmpdir, "blobs", sha[:2], sha[2:])

    def proof(self, key, shipment_id):
        return expect(self.server.request("GET", f"/v1/shipments/{shipment_id}/proof", token=key), 200, "proof")

    def verify(self):
        code, report, err = run_verify(self.server)
        self.assertEqual(code, 0, f"{report} {err}")
        return report


class RetentionTest(PrivacyTestCase):
    def test_settings_default_to_the_server_flags_and_only_admins_change_them(self):
        key = self.tenant()
        got = expect(self.server.request("GET", "/v1/tenant/retention", token=key), 200, "get")
        self.assertEqual((got["track_days"], got["photo_days"], got["chat_days"]), (None, None, None))
        self.assertEqual(got["effective"], {"track_days": 90, "photo_days": 0, "chat_days": 0})
        put = expect(self.server.request("PUT", "/v1/tenant/retention", {"photo_days": 30, "chat_days": 0}, token=key),
                     200, "put")
        self.assertEqual(put["effective"], {"track_days": 90, "photo_days": 30, "chat_days": 0})
        self.assertIsNotNone(put["updated_at"])
        with self.unchanged((key, "/v1/tenant/retention")):
            self.assertError(self.server.request("PUT", "/v1/tenant/retention", {"photo_days": -1}, token=key),
                             400, "invalid_field", "photo_days")
            self.assertError(self.server.request("PUT", "/v1/tenant/retention", {"track_days": "ten"}, token=key),
                             400, "wrong_type", "track_days")
            dispatcher = make_api_key(self.server, key, "dispatcher")["api_key"]
            self.assertError(self.server.request("PUT", "/v1/tenant/retention", {"photo_days": 1}, token=dispatcher),
                             403, "forbidden")

    def test_old_photos_expire_but_the_proof_verifies_and_shared_bytes_stay(self):
        strict = self.tenant(photo_days=1)
        lenient = self.tenant()
        old_photo, shared, recent = png_bytes(8, 8, seed=11), png_bytes(9, 9, seed=12), png_bytes(10, 10, seed=13)
        old = self.delivered(strict, old_photo, days_ago=3)
        old_shared = self.delivered(strict, shared, days_ago=3)
        self.delivered(lenient, shared, days_ago=3)  # the same bytes, kept by a tenant without retention
        fresh = self.delivered(strict, recent, days_ago=0)

        def expired():
            return self.proof(strict, old["id"])["photos"][0].get("expired")
        self.assertEqual(wait_until(expired), "retention")
        proof = self.proof(strict, old["id"])
        sha = proof["photos"][0]["sha256"]
        self.assertTrue(wait_until(lambda: not os.path.exists(self.blob_path(sha))), "the old photo's file goes")
        self.assertTrue(proof["verification"]["ok"], proof["verification"])
        self.assertNotIn("url", proof["photos"][0])
        self.assertEqual(proof["recipient_name"], "Marie Dupont")  # retention takes images, not the record
        self.assertError(self.server.request("GET", f"/v1/blobs/{sha}", token=strict), 404, "not_found")
        shared_photo = self.proof(strict, old_shared["id"])["photos"][0]
        self.assertEqual(shared_photo.get("expired"), "retention")
        self.assertTrue(os.path.exists(self.blob_path(shared_photo["sha256"])), "still used by the other tenant")
        kept = self.proof(strict, fresh["id"])["photos"][0]
        self.assertNotIn("expired", kept)
        self.assertEqual(self.server.request("GET", kept["url"], token=strict).status, 200)
        report = self.verify()
        self.assertGreaterEqual(report["blobs_expired"], 2)


PHOTO_SEEDS = itertools.count(100)  # png_bytes gives 256 distinct images per size: one seed per test


class RecipientDataTest(PrivacyTestCase):
    def setUp(self):
        self.key = self.tenant()
        self.email = f"erase-{uuid.uuid4().hex[:8]}@example.com"
        # Bytes of its own: a photo another test of this server also stored would keep its file.
        self.photo = png_bytes(12, 7, seed=next(PHOTO_SEEDS))
        self.sh = self.delivered(self.key, self.photo, email=self.email)
        # Saved settings: an e-mail when a shipment goes out for delivery.
        expect(self.server.request("PUT", "/v1/notification-settings",
                                   {"rules": {"out_for_delivery": ["email"]}, "quiet_hours": None}, token=self.key,
                                   headers={"If-Match": "0"}), 200, "notification settings")
        token = self.sh["tracking_token"]
        expect(self.server.request("POST", f"/v1/track/{token}/messages", {"body": "Code 4521, 3rd floor"}), 201, "chat")
        expect(self.server.request("POST", f"/v1/track/{token}/survey", {"stars": 2, "comment": "Marie here, late"}),
               201, "survey")
        self.pending = make_shipment(self.server, self.key, recipient={"name": "Marie Dupont", "email": self.email,
                                                                      "phone": "+33600000001"})
        self.other_key = self.tenant()
        self.elsewhere = make_shipment(self.server, self.other_key,
                                       recipient={"name": "Marie Dupont", "email": self.email, "phone": "+33600000001"})

    def mails_to(self, at_least):
        mails = self.smtp.wait_for(lambda got: sum(self.email in rcpt for _, rcpt, _ in got) >= at_least)
        return sorted(m["Message-ID"] for _, rcpt, m in mails if self.email in rcpt)

    def export(self, key=None, **params):
        return self.server.request("GET", "/v1/recipients/export", token=key or self.key, params=params)

    def test_export_returns_everything_about_the_recipient_in_this_tenant_only(self):
        got = expect(self.export(email=self.email.upper()), 200, "export")
        self.assertEqual(got["subject"], {"email": self.email.upper()})
        self.assertFalse(got["truncated"])
        by_id = {s["shipment"]["id"]: s for s in got["shipments"]}
        self.assertEqual(set(by_id), {self.sh["id"], self.pending["id"]})
        one = by_id[self.sh["id"]]
        self.assertEqual(one["shipment"]["recipient"]["email"], self.email)
        self.assertEqual([m["body"] for m in one["messages"]], ["Code 4521, 3rd floor"])
        self.assertEqual(one["survey"]["comment"], "Marie here, late")
        delivered = [e for e in one["events"] if e["type"] == "delivered"]
        self.assertEqual(delivered[0]["payload"]["proof"]["recipient_name"], "Marie Dupont")
        self.assertIn("notifications", one)
        by_phone = expect(self.export(key=self.other_key, phone="+33600000001"), 200, "export B")
        self.assertEqual([s["shipment"]["id"] for s in by_phone["shipments"]], [self.elsewhere["id"]])

    def test_bad_requests_are_refused_and_change_nothing(self):
        self.assertError(self.export(), 400, "missing_field", "email")
        self.assertError(self.export(email=self.email, phone="+33600000001"), 400, "invalid_field", "phone")
        self.assertError(self.export(email="not-an-address"), 400, "invalid_field", "email")
        dispatcher = make_api_key(self.server, self.key, "dispatcher")["api_key"]
        with self.unchanged((self.key, f"/v1/shipments/{self.sh['id']}"), (self.key, f"/v1/shipments/{self.sh['id']}/events")):
            self.assertError(self.server.request("POST", "/v1/recipients/erase", {}, token=self.key), 400,
                             "missing_field", "email")
            self.assertError(self.server.request("POST", "/v1/recipients/erase", {"email": 5}, token=self.key), 400,
                             "wrong_type", "email")
            self.assertError(self.server.request("POST", "/v1/recipients/erase", {"email": self.email},
                                                 token=dispatcher), 403, "forbidden")
            self.assertError(self.export(key=dispatcher, email=self.email), 403, "forbidden")

    def test_erasure_redacts_keeps_chains_valid_stops_notifications_and_is_idempotent(self):
        sha = self.proof(self.key, self.sh["id"])["photos"][0]["sha256"]
        self.assertTrue(os.path.exists(self.blob_path(sha)))
        # Before the erasure the default rules sent "out for delivery" and "delivered" to them.
        mails_before = self.mails_to(2)
        r = expect(self.server.request("POST", "/v1/recipients/erase", {"email": self.email}, token=self.key), 200,
                   "erase")
        self.assertEqual(set(r["shipments"]), {self.sh["id"], self.pending["id"]})
        self.assertEqual((r["events_redacted"], r["messages_redacted"], r["surveys_redacted"], r["images_expired"]),
                         (1, 1, 1, 1))
        self.assertEqual(len(r["erasure_events"]), 1)
        self.assertEqual(r["blob_files_removed"], 1)
        self.assertFalse(os.path.exists(self.blob_path(sha)), "their photo's file is gone")

        shipment = expect(self.server.request("GET", f"/v1/shipments/{self.sh['id']}", token=self.key), 200, "get")
        self.assertEqual(shipment["recipient"]["name"], "[erased]")
        self.assertEqual((shipment["recipient"]["email"], shipment["recipient"]["phone"]), ("", ""))
        self.assertEqual(shipment["address"]["line1"], "[erased]")
        proof = self.proof(self.key, self.sh["id"])
        self.assertTrue(proof["verification"]["ok"], proof["verification"])
        self.assertEqual((proof["recipient_name"], proof["notes"]), ("[erased]", "[erased]"))
        self.assertEqual((proof["photos"][0]["sha256"], proof["photos"][0]["expired"]), (sha, "erasure"))
        events = expect(self.server.request("GET", f"/v1/shipments/{self.sh['id']}/events", token=self.key), 200, "")
        self.assertEqual(events["items"][-1]["type"], "personal_data_erased")
        self.assertNotIn("Marie", json.dumps(events))
        thread = expect(self.server.request("GET", f"/v1/shipments/{self.sh['id']}/messages", token=self.key), 200, "")
        self.assertEqual([m["body"] for m in thread["items"]], ["[erased]"])
        survey = expect(self.server.request("GET", f"/v1/shipments/{self.sh['id']}/survey", token=self.key), 200, "")
        self.assertEqual(survey["survey"]["comment"], "[erased]")
        self.assertEqual(self.verify()["problems"], [])

        # No more notifications to them: the pending shipment has no address left.
        post_event(self.server, self.key, self.pending["id"], "out_for_delivery")
        log = wait_until(lambda: expect(self.server.request("GET", f"/v1/shipments/{self.pending['id']}/notifications",
                                                            token=self.key), 200, "log")["skipped"])
        self.assertEqual([(s["rule"], s["reason"]) for s in log], [("out_for_delivery", "no_address")])
        self.assertEqual(expect(self.server.request("GET", f"/v1/shipments/{self.pending['id']}/notifications",
                                                    token=self.key), 200, "log")["items"], [], "nothing enqueued")
        self.assertEqual(self.mails_to(0), mails_before, "no e-mail to them after the erasure")

        # Idempotent; the other tenant's record of the same person is untouched.
        again = expect(self.server.request("POST", "/v1/recipients/erase", {"email": self.email}, token=self.key), 200,
                       "erase again")
        self.assertEqual((again["shipments"], again["erasure_events"]), ([], []))
        self.assertEqual(expect(self.export(email=self.email), 200, "export")["shipments"], [])
        other = expect(self.server.request("GET", f"/v1/shipments/{self.elsewhere['id']}", token=self.other_key), 200, "")
        self.assertEqual((other["recipient"]["name"], other["recipient"]["email"]), ("Marie Dupont", self.email))
        self.assertEqual(self.proof(self.key, self.sh["id"])["verification"]["ok"], True)


if __name__ == "__main__":
    unittest.main()
