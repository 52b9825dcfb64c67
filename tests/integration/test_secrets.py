"""Secrets (issue 12): API keys and device tokens are random (more than 128 bits), shown once and stored only
as hashes; POST /v1/api-keys/{id}/rotate gives a key or a device token a new secret and the old one stops at
once; a revoked key stops at once even right after it was used (the credential cache); and no secret, full
phone number or full e-mail address reaches the server's log, even at trace level, during a run that
creates keys and drivers, signs a driver in, sends e-mails and SMS through real providers and takes an SMS
reply and a provider's status callback.
"""

import random
import re
import time
import unittest
import urllib.parse

from lastmile_server import (ServerTestCase, expect, make_api_key, make_carrier, make_driver, make_shipment, make_tenant,
                             post_event)
from notification_providers import SmsApi, SmtpSink, twilio_signature

FAST = ["--webhook-backoff-scale", "0.001", "--webhook-max-attempts", "3", "--log-level", "trace"]
SETTINGS = {"rules": {"out_for_delivery": ["email", "sms"], "delivered": ["email", "sms"]}, "quiet_hours": None}
KEY = re.compile(r"^lm_([a-z0-9]{12})_([A-Za-z0-9_-]+)$")
DEVICE = re.compile(r"^lmd_([a-z0-9]{12})_([A-Za-z0-9_-]+)$")


class SecretsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.addClassCleanup(cls.smtp.close)
        cls.sms = SmsApi()
        cls.addClassCleanup(cls.sms.close)
        cls.server_options = {"extra_args": ["--smtp-url", cls.smtp.url, "--smtp-from", "no-reply@shop.example"]
                              + cls.sms.server_args() + FAST}
        super().setUpClass()

    def setUp(self):
        self.admin = make_tenant(self.server)["api_key"]

    def get(self, path, token):
        return self.server.request("GET", path, token=token)

    def rotate(self, key_id, token=None):
        return self.server.request("POST", f"/v1/api-keys/{key_id}/rotate", token=token or self.admin)

    def signed_post(self, path, params):
        sig = twilio_signature(SmsApi.TOKEN, self.server.base_url + path, params)
        return self.server.request("POST", path, urllib.parse.urlencode(params),
                                   headers={"Content-Type": "application/x-www-form-urlencoded",
                                            "X-Twilio-Signature": sig})

    # ---- tokens --------------------------------------------------------------------------------------------

    def test_keys_and_device_tokens_carry_at_least_128_random_bits(self):
        keys = [make_api_key(self.server, self.admin, "dispatcher")["api_key"] for _ in range(5)]
        devices = [make_driver(self.server, self.admin)["device_token"] for _ in range(3)]
        for token in keys + devices:
            m = KEY.match(token) or DEVICE.match(token)
            self.assertIsNotNone(m, token)
            self.assertGreaterEqual(len(m.group(2)) * 6, 128, "base64url characters carry 6 bits each")
        self.assertEqual(len(set(keys + devices)), len(keys + devices))
        listed = expect(self.get("/v1/api-keys", self.admin), 200, "list keys")["items"]
        for item in listed:
            self.assertNotIn("api_key", item)
            self.assertNotIn("secret_hash", item)
        for token in keys + devices:  # the secret part (base64url, so it may itself hold a "_")
            secret = (KEY.match(token) or DEVICE.match(token)).group(2)
            self.assertNotIn(secret, str(listed))

    # ---- rotation ------------------------------------------------------------------------------------------

    def test_a_rotated_key_keeps_its_id_and_role_and_the_old_secret_stops_at_once(self):
        made = make_api_key(self.server, self.admin, "dispatcher", name="ops desk")
        old = made["api_key"]
        expect(self.get("/v1/shipments", old), 200, "old key before")  # now in the credential cache
        rotated = expect(self.rotate(made["id"]), 200, "rotate")
        new = rotated["api_key"]
        self.assertRegex(new, KEY)
        self.assertNotEqual(new, old)
        self.assertEqual((rotated["id"], rotated["role"], rotated["name"], rotated["revoked"]),
                         (made["id"], "dispatcher", "ops desk", False))
        self.assertNotEqual(rotated["prefix"], made["prefix"])
        self.assertTrue(new.startswith(f"lm_{rotated['prefix']}_"))
        self.assertError(self.get("/v1/shipments", old), 401, "unauthenticated")
        expect(self.get("/v1/shipments", new), 200, "new key")
        listed = {k["id"]: k for k in expect(self.get("/v1/api-keys", self.admin), 200, "keys")["items"]}
        self.assertEqual(listed[made["id"]]["prefix"], rotated["prefix"])
        self.assertNotIn("api_key", listed[made["id"]])

    def test_a_rotated_device_token_stays_a_device_token_of_its_driver(self):
        driver = make_driver(self.server, self.admin)
        old = driver["device_token"]
        expect(self.get("/v1/driver/manifest", old), 200, "manifest before")
        listed = expect(self.get("/v1/api-keys", self.admin), 200, "keys")["items"]
        device = [k for k in listed if k["driver_id"] == driver["id"]]
        self.assertEqual(len(device), 1, listed)
        self.assertEqual(device[0]["role"], "driver")
        rotated = expect(self.rotate(device[0]["id"]), 200, "rotate device token")
        self.assertRegex(rotated["api_key"], DEVICE)
        self.assertEqual(rotated["driver_id"], driver["id"])
        self.assertError(self.get("/v1/driver/manifest", old), 401, "unauthenticated")
        manifest = expect(self.get("/v1/driver/manifest", rotated["api_key"]), 200, "manifest after")
        self.assertEqual(manifest["driver"]["id"], driver["id"])

    def test_rotation_refusals_change_nothing(self):
        made = make_api_key(self.server, self.admin, "integration")
        dispatcher = make_api_key(self.server, self.admin, "dispatcher")["api_key"]
        other_admin = make_tenant(self.server)["api_key"]
        self.assertError(self.rotate(made["id"], token=dispatcher), 403, "forbidden")
        self.assertError(self.rotate(made["id"], token=other_admin), 404, "not_found")
        self.assertError(self.rotate("key_nope"), 404, "not_found")
        self.assertError(self.rotate(made["id"], token=self.server.admin_token), 403, "forbidden")
        expect(self.get("/v1/shipments", made["api_key"]), 200, "the key still works after refused rotations")
        expect(self.server.request("DELETE", f"/v1/api-keys/{made['id']}", token=self.admin), 204, "revoke")
        self.assertError(self.rotate(made["id"]), 409, "conflict", "id")
        self.assertError(self.get("/v1/shipments", made["api_key"]), 401, "unauthenticated")

    # ---- revocation ----------------------------------------------------------------------------------------

    def test_a_revoked_key_or_device_token_stops_at_once_though_just_used(self):
        made = make_api_key(self.server, self.admin, "dispatcher")
        driver = make_driver(self.server, self.admin)
        device_id = [k["id"] for k in expect(self.get("/v1/api-keys", self.admin), 200, "keys")["items"]
                     if k["driver_id"] == driver["id"]][0]
        for key_id, token, path in ((made["id"], made["api_key"], "/v1/shipments"),
                                    (device_id, driver["device_token"], "/v1/driver/manifest")):
            for _ in range(3):
                expect(self.get(path, token), 200, "before revocation")
            expect(self.server.request("DELETE", f"/v1/api-keys/{key_id}", token=self.admin), 204, "revoke")
            self.assertError(self.get(path, token), 401, "unauthenticated")

    # ---- logs ----------------------------------------------------------------------------------------------

    def test_no_secret_phone_or_email_reaches_the_log(self):
        s = self.server
        secrets = {self.admin, s.admin_token}
        make_tenant(s)  # the root token at work
        expect(s.request("PUT", "/v1/notification-settings", SETTINGS, token=self.admin,
                         headers={"If-Match": '"0"'}), 200, "settings")
        key = make_api_key(s, self.admin, "dispatcher")
        secrets.add(key["api_key"])
        secrets.add(expect(self.rotate(key["id"]), 200, "rotate")["api_key"])
        driver = make_driver(s, self.admin)
        secrets.add(driver["device_token"])
        link = expect(s.request("POST", f"/v1/drivers/{driver['id']}/login-links", {}, token=self.admin), 201, "link")
        secrets.add(link["code"])
        session = expect(s.request("POST", "/v1/driver/session", {"code": link["code"]}), 201, "sign in")
        secrets.add(session["token"])
        # A carrier invitation: its code in the link's path, and the carrier key accepting it issues.
        carrier = make_carrier(s, self.admin)
        invitation = expect(s.request("POST", f"/v1/carriers/{carrier['id']}/invitations", {}, token=self.admin), 201,
                            "invite")
        secrets.add(invitation["code"])
        self.assertEqual(s.request("GET", f"/v1/carrier-invitations/{invitation['code']}").status, 200)
        accepted = expect(s.request("POST", f"/v1/carrier-invitations/{invitation['code']}/accept"), 201, "accept")
        secrets.add(accepted["api_key"])
        # A wrong key and a wrong code are refused without being written down either.
        wrong_key = "lm_abcdefghijkl_" + "W" * 43
        secrets |= {wrong_key, "Q" * 22}
        self.assertEqual(self.get("/v1/shipments", wrong_key).status, 401)
        self.assertEqual(s.request("POST", "/v1/driver/session", {"code": "Q" * 22}).status, 401)

        phone = "+3361%07d" % random.randrange(10 ** 7)
        email = f"leak{random.randrange(1 << 30)}@example.com"
        shipment = make_shipment(s, self.admin, recipient={"name": "Marie Dupont", "phone": phone, "email": email})
        secrets.add(shipment["tracking_token"])
        self.assertEqual(self.get(f"/v1/track/{shipment['tracking_token']}", None).status, 200)
        # The providers fail first, so that the retry and failure paths log too.
        self.sms.answer_next(500, 400)
        self.smtp.fail_next(1)
        for step in ("out_for_delivery", "delivered"):
            post_event(s, self.admin, shipment["id"], step)
        self.sms.wait_for(lambda got: len([r for r in got if r["form"].get("To") == phone and r["status"] == 201]) >= 1
                          and len([r for r in got if r["form"].get("To") == phone]) >= 3)
        self.smtp.wait_for(lambda got: len([m for m in got if email in m[1]]) >= 2)
        # The links a recipient gets carry secrets in their paths: the unsubscribe link (in the e-mail), the
        # tracking page and the survey link (tracking token).
        mail = [m for _, rcpt, m in self.smtp.snapshot() if email in rcpt][0]
        unsubscribe = mail["List-Unsubscribe"].strip("<>")[len(s.base_url):]
        secrets.add(unsubscribe.rsplit("/", 1)[1])
        self.assertEqual(s.request("GET", unsubscribe).status, 200)
        for page in (f"/t/{shipment['tracking_token']}", f"/track/{shipment['tracking_token']}?survey=1"):
            self.assertIn(s.request("GET", page).status, (200, 503), page)  # 503: no web bundle built
        sent = [r for r in self.sms.accepted() if r["form"].get("To") == phone]
        self.assertGreaterEqual(len(sent), 1, "an SMS went out")
        # The provider reports a status, and the recipient answers by SMS.
        provider_ids = []
        for _ in range(200):
            log = expect(s.request("GET", f"/v1/shipments/{shipment['id']}/notifications", token=self.admin), 200, "")
            provider_ids = [m["provider_id"] for m in log["items"] if m.get("provider_id", "").startswith("SM")]
            if provider_ids:
                break
            time.sleep(0.05)
        self.assertTrue(provider_ids, "the server recorded the provider's message id")
        self.assertLess(self.signed_post("/v1/sms/status", {"MessageSid": provider_ids[0], "MessageStatus": "delivered",
                                                            "AccountSid": SmsApi.SID}).status, 300)
        reply = {"MessageSid": "SM%032x" % random.randrange(1 << 128), "From": phone, "To": "+15005550006",
                 "Body": "please leave it with the neighbour"}
        self.assertLess(self.signed_post("/v1/sms/inbound", reply).status, 300)
        secrets.add(SmsApi.TOKEN)

        with open(s.stderr_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        log += s.stdout_text()
        self.assertIn("/v1/shipments", log, "the request log is there to be searched")
        national = phone[-9:]  # the number without its country code
        for needle, what in [(phone, "a phone number"), (national, "a phone number"), (email, "an e-mail address")] + \
                [(x, "a secret") for x in secrets] + [(m.group(2), "a secret's random part") for m in map(KEY.match, secrets) if m] + \
                [(m.group(2), "a secret's random part") for m in map(DEVICE.match, secrets) if m]:
            self.assertNotIn(needle, log, f"{what} in the server log")


if __name__ == "__main__":
    unittest.main()
