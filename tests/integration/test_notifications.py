"""E-mail and SMS notifications through the real server (docs/notifications.md), with a real SMTP server
(aiosmtpd) and a local Twilio-compatible SMS API started on loopback: settings are versioned (409 on a
stale version) and validated (422 invalid_template naming the template and variable); milestones send
e-mails (multipart text + HTML, Message-ID from the idempotency key, List-Unsubscribe) and SMS (form
fields, Basic auth, Idempotency-Key); the provider's status callback updates the message; STOP opts out,
START opts back in; the unsubscribe link opts an address out of e-mail; forged signatures are 403 and
malformed callbacks 400 and change nothing. The crash test kills -9 the server repeatedly while
statuses change: every expected e-mail and SMS arrives, never twice with different ids.
"""

import datetime
import json
import os
import random
import tempfile
import threading
import time
import unittest
import urllib.parse

from lastmile_server import LastmileServer, ServerTestCase, expect, make_api_key, make_shipment, make_tenant, \
    post_event
from notification_providers import SmsApi, SmtpSink, expected_message_id, self_signed_tls, twilio_signature

FAST = ["--webhook-backoff-scale", "0.001", "--webhook-max-attempts", "3"]
SETTINGS = {
    "rules": {"out_for_delivery": ["email", "sms"], "delivered": ["email", "sms"], "shipped": ["email"]},
    "quiet_hours": None,
    "branding": {"sender_name": "Shop", "color": "#112233"},
}


def unique_phone():
    return "+3361%07d" % random.randrange(10 ** 7)


def recipient(phone=None, email=None):
    n = random.randrange(1 << 30)
    return {"name": "Marie Dupont", "phone": phone or unique_phone(), "email": email or f"marie{n}@example.com",
            "time_zone": "Europe/Paris"}


class Providers:
    def __init__(self, test):
        self.smtp = SmtpSink()
        test.addClassCleanup(self.smtp.close)
        self.sms = SmsApi()
        test.addClassCleanup(self.sms.close)

    def args(self):
        return ["--smtp-url", self.smtp.url, "--smtp-from", "no-reply@shop.example"] + self.sms.server_args() + FAST


class NotificationsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.providers = Providers(cls)
        cls.server_options = {"extra_args": cls.providers.args()}
        super().setUpClass()

    def setUp(self):
        self.admin = make_tenant(self.server)["api_key"]
        self.smtp = self.providers.smtp
        self.sms = self.providers.sms

    def put_settings(self, body, version, token=None):
        return self.server.request("PUT", "/v1/notification-settings", body, token=token or self.admin,
                                   headers={"If-Match": f'"{version}"'})

    def configured(self, settings=SETTINGS):
        return expect(self.put_settings(settings, 0), 200, "put settings")

    def log(self, shipment_id):
        return expect(self.server.request("GET", f"/v1/shipments/{shipment_id}/notifications", token=self.admin),
                      200, "notification log")

    def wait_log(self, shipment_id, predicate, timeout_s=10.0):
        """The log once predicate(log) holds (or at the deadline): the provider sees a message before the
        server records the try."""
        deadline = time.monotonic() + timeout_s
        while True:
            log = self.log(shipment_id)
            if predicate(log) or time.monotonic() > deadline:
                return log
            time.sleep(0.05)

    def signed_post(self, path, params, signature=None, headers=None):
        url = self.server.base_url + path
        sig = signature if signature is not None else twilio_signature(SmsApi.TOKEN, url, params)
        h = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig}
        h.update(headers or {})
        return self.server.request("POST", path, urllib.parse.urlencode(params), headers=h)

    def mails_to(self, address):
        return [m for _, rcpt, m in self.smtp.snapshot() if address in rcpt]

    def sms_to(self, phone):
        return [r for r in self.sms.accepted() if r["form"].get("To") == phone]

    # ---- settings ------------------------------------------------------------------------------------

    def test_settings_are_versioned_and_a_stale_version_is_409(self):
        got = expect(self.server.request("GET", "/v1/notification-settings", token=self.admin), 200, "get")
        self.assertEqual(got["version"], 0)
        self.assertIn("{{tracking_url}}", got["templates"]["delivered"]["sms"]["body"])
        saved = self.configured()
        self.assertEqual(saved["version"], 1)
        self.assertEqual(saved["rules"]["delivered"], ["email", "sms"])
        stale = self.put_settings(SETTINGS, 0)
        self.assertEqual(stale.status, 409, stale)
        self.assertEqual(stale.error["code"], "conflict")
        missing = self.server.request("PUT", "/v1/notification-settings", SETTINGS, token=self.admin)
        self.assertEqual(missing.status, 400, missing)
        again = expect(self.server.request("GET", "/v1/notification-settings", token=self.admin), 200, "get")
        self.assertEqual(again["version"], 1)
        self.assertEqual(again["branding"]["sender_name"], "Shop")

    def test_a_template_with_an_unknown_variable_is_422_and_nothing_changes(self):
        bad = dict(SETTINGS, templates={"delivered": {"sms": {"body": "Hi {{nickname}}"}}})
        r = self.put_settings(bad, 0)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.error["code"], "invalid_template")
        self.assertEqual(r.error["field"], "templates.delivered.sms.body")
        self.assertIn("nickname", r.error["message"])
        unbalanced = dict(SETTINGS, templates={"shipped": {"email": {"subject": "{{tracking_number"}}})
        r = self.put_settings(unbalanced, 0)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.error["field"], "templates.shipped.email.subject")
        got = expect(self.server.request("GET", "/v1/notification-settings", token=self.admin), 200, "get")
        self.assertEqual(got["version"], 0)

    def test_only_the_tenant_admin_manages_settings(self):
        dispatcher = make_api_key(self.server, self.admin, "dispatcher")["api_key"]
        r = self.server.request("GET", "/v1/notification-settings", token=dispatcher)
        self.assertEqual(r.status, 403, r)
        r = self.put_settings(SETTINGS, 0, token=dispatcher)
        self.assertEqual(r.status, 403, r)

    def test_preview_renders_a_template_with_a_shipment(self):
        shipment = make_shipment(self.server, self.admin, recipient=recipient())
        body = {"rule": "delivered", "channel": "email", "shipment_id": shipment["id"],
                "settings": dict(SETTINGS, templates={"delivered": {"email": {"subject": "For {{first_name}}"}}})}
        got = expect(self.server.request("POST", "/v1/notification-settings/preview", body, token=self.admin), 200,
                     "preview")
        self.assertEqual(got["subject"], "For Marie")
        self.assertIn("/t/", got["text"])
        bad = self.server.request("POST", "/v1/notification-settings/preview", {"rule": "nope"}, token=self.admin)
        self.assertEqual(bad.status, 400, bad)

    # ---- sending -------------------------------------------------------------------------------------

    def test_milestones_send_an_email_and_an_sms_with_stable_ids(self):
        self.configured()
        rcpt = recipient()
        shipment = make_shipment(self.server, self.admin, recipient=rcpt)
        events = {}
        for step in ("processed", "shipped", "out_for_delivery", "delivered"):
            events[step] = post_event(self.server, self.admin, shipment["id"], step)["id"]

        mails = self.smtp.wait_for(lambda _: len(self.mails_to(rcpt["email"])) >= 3)
        mails = self.mails_to(rcpt["email"])
        self.assertEqual(len(mails), 3, "shipped, out_for_delivery, delivered")
        delivered = [m for m in mails if m["Subject"].startswith("Delivered")][0]
        key = f"{events['delivered']}:email:delivered"
        self.assertEqual(delivered["Message-ID"], expected_message_id(key))
        self.assertEqual(str(delivered["From"]), "Shop <no-reply@shop.example>")
        self.assertTrue(delivered["Date"])
        self.assertEqual(delivered.get_content_type(), "multipart/alternative")
        text = delivered.get_body(preferencelist=("plain",)).get_content()
        html = delivered.get_body(preferencelist=("html",)).get_content()
        token = shipment["tracking_url"].rsplit("/", 1)[1]
        self.assertIn(f"{self.server.base_url}/t/{token}", text)
        self.assertIn("Hello Marie,", text)
        self.assertIn(f'href="{self.server.base_url}/t/{token}"', html)
        self.assertIn("#112233", html)
        unsubscribe = delivered["List-Unsubscribe"].strip("<>")
        self.assertTrue(unsubscribe.startswith(self.server.base_url + "/v1/unsubscribe/"))
        self.assertEqual(delivered["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertIn(unsubscribe, text)

        self.sms.wait_for(lambda _: len(self.sms_to(rcpt["phone"])) >= 2)
        texts = self.sms_to(rcpt["phone"])
        self.assertEqual(len(texts), 2, "out_for_delivery, delivered")
        last = [r for r in texts if r["headers"].get("Idempotency-Key") == f"{events['delivered']}:sms:delivered"]
        self.assertEqual(len(last), 1)
        r = last[0]
        self.assertEqual(r["path"], f"/2010-04-01/Accounts/{SmsApi.SID}/Messages.json")
        self.assertEqual(r["form"]["From"], "+15005550006")
        self.assertIn(f"/t/{token}", r["form"]["Body"])
        self.assertEqual(r["form"]["StatusCallback"], self.server.base_url + "/v1/sms/status")
        self.assertEqual(r["headers"].get("I-Twilio-Idempotency-Token"), f"{events['delivered']}:sms:delivered")
        import base64
        self.assertEqual(r["auth"], "Basic " + base64.b64encode(f"{SmsApi.SID}:{SmsApi.TOKEN}".encode()).decode())

        log = self.wait_log(shipment["id"], lambda g: len([m for m in g["items"] if m["state"] == "delivered"]) >= 5)
        sent = [m for m in log["items"] if m["state"] == "delivered"]
        self.assertEqual(len(sent), 5)
        for m in log["items"]:
            self.assertNotIn(rcpt["phone"], str(m))
            self.assertNotIn(rcpt["email"], str(m))
        sms_sid = [m for m in log["items"] if m["idempotency_key"] == f"{events['delivered']}:sms:delivered"][0]
        self.assertTrue(sms_sid["provider_id"].startswith("SM"))

    def test_an_smtp_failure_is_retried_with_the_same_message_id(self):
        self.configured()
        rcpt = recipient()
        shipment = make_shipment(self.server, self.admin, recipient=rcpt)
        self.smtp.fail_next(2)
        ev = post_event(self.server, self.admin, shipment["id"], "shipped")["id"]
        self.smtp.wait_for(lambda _: len(self.mails_to(rcpt["email"])) >= 1)
        mails = self.mails_to(rcpt["email"])
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0]["Message-ID"], expected_message_id(f"{ev}:email:shipped"))
        log = self.wait_log(shipment["id"], lambda g: g["items"] and g["items"][0]["state"] == "delivered")["items"]
        self.assertEqual((log[0]["state"], log[0]["attempts"]), ("delivered", 3))

    def test_a_4xx_from_the_sms_api_is_dead_at_once(self):
        self.configured()
        rcpt = recipient()
        shipment = make_shipment(self.server, self.admin, recipient=rcpt)
        self.sms.answer_next(400)
        post_event(self.server, self.admin, shipment["id"], "out_for_delivery")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            sms = [m for m in self.log(shipment["id"])["items"] if m["channel"] == "sms"]
            if sms and sms[0]["state"] == "dead":
                break
            time.sleep(0.05)
        self.assertEqual(sms[0]["state"], "dead")
        self.assertEqual(sms[0]["attempts"], 1)
        self.assertEqual(sms[0]["last_status"], 400)

    # ---- provider callbacks --------------------------------------------------------------------------

    def sent_sms(self):
        self.configured()
        rcpt = recipient()
        shipment = make_shipment(self.server, self.admin, recipient=rcpt)
        post_event(self.server, self.admin, shipment["id"], "out_for_delivery")
        self.sms.wait_for(lambda _: len(self.sms_to(rcpt["phone"])) >= 1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            items = [m for m in self.log(shipment["id"])["items"] if m["channel"] == "sms" and m["provider_id"]]
            if items:
                return rcpt, shipment, items[0]
            time.sleep(0.05)
        self.fail("no SMS sent")

    def test_the_status_callback_updates_the_message_and_forgeries_change_nothing(self):
        rcpt, shipment, msg = self.sent_sms()
        params = {"MessageSid": msg["provider_id"], "MessageStatus": "delivered", "AccountSid": SmsApi.SID}
        forged = self.signed_post("/v1/sms/status", params, signature="bm90IGEgc2lnbmF0dXJl")
        self.assertEqual(forged.status, 403, forged)
        self.assertEqual(forged.error["code"], "invalid_signature")
        unsigned = self.signed_post("/v1/sms/status", params, signature="")
        self.assertEqual(unsigned.status, 403, unsigned)
        after = [m for m in self.log(shipment["id"])["items"] if m["id"] == msg["id"]][0]
        self.assertEqual(after["provider_state"], "")

        malformed = self.server.request("POST", "/v1/sms/status", "MessageSid=%zz",
                                        headers={"Content-Type": "application/x-www-form-urlencoded",
                                                 "X-Twilio-Signature": "x"})
        self.assertEqual(malformed.status, 400, malformed)
        no_status = self.signed_post("/v1/sms/status", {"MessageSid": msg["provider_id"]})
        self.assertEqual(no_status.status, 400, no_status)
        weird = self.signed_post("/v1/sms/status", {"MessageSid": msg["provider_id"], "MessageStatus": "teleported"})
        self.assertEqual(weird.status, 400, weird)
        unknown = self.signed_post("/v1/sms/status", {"MessageSid": "SMnope", "MessageStatus": "sent"})
        self.assertEqual(unknown.status, 404, unknown)

        ok = self.signed_post("/v1/sms/status", params)
        self.assertEqual(ok.status, 204, ok)
        after = [m for m in self.log(shipment["id"])["items"] if m["id"] == msg["id"]][0]
        self.assertEqual(after["provider_state"], "delivered")

    def test_stop_opts_out_of_sms_and_start_opts_back_in(self):
        rcpt, shipment, _ = self.sent_sms()
        inbound = {"From": rcpt["phone"], "To": "+15005550006", "Body": "STOP", "MessageSid": "SMin1"}
        forged = self.signed_post("/v1/sms/inbound", inbound, signature="AAAA")
        self.assertEqual(forged.status, 403, forged)
        post_event(self.server, self.admin, shipment["id"], "delivered")
        self.sms.wait_for(lambda _: len(self.sms_to(rcpt["phone"])) >= 2)
        self.assertEqual(len(self.sms_to(rcpt["phone"])), 2, "the forged STOP changed nothing")

        second = make_shipment(self.server, self.admin, recipient=rcpt)
        r = self.signed_post("/v1/sms/inbound", inbound)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers.get("Content-Type").startswith("text/xml"))
        self.assertIn("<Response/>", r.text)
        post_event(self.server, self.admin, second["id"], "out_for_delivery")
        time.sleep(0.5)
        self.assertEqual(len(self.sms_to(rcpt["phone"])), 2, "no SMS after STOP")
        log = self.log(second["id"])
        self.assertIn({"rule": "out_for_delivery", "channel": "sms", "reason": "opted_out"},
                      [{k: s[k] for k in ("rule", "channel", "reason")} for s in log["skipped"]])
        self.assertEqual(len([m for m in log["items"] if m["channel"] == "email"]), 1, "e-mail still goes")

        r = self.signed_post("/v1/sms/inbound", dict(inbound, Body="start", MessageSid="SMin2"))
        self.assertEqual(r.status, 200, r)
        post_event(self.server, self.admin, second["id"], "delivered")
        self.sms.wait_for(lambda _: len(self.sms_to(rcpt["phone"])) >= 3)
        self.assertEqual(len(self.sms_to(rcpt["phone"])), 3)

        bad = self.signed_post("/v1/sms/inbound", {"To": "+15005550006", "Body": "hi", "MessageSid": "SMx"})
        self.assertEqual(bad.status, 400, bad)

    def test_other_inbound_text_and_help_are_answered_and_opt_nobody_out(self):
        rcpt, shipment, _ = self.sent_sms()
        for i, body in enumerate(("Please leave it with the neighbour", "HELP")):
            r = self.signed_post("/v1/sms/inbound", {"From": rcpt["phone"], "To": "+15005550006", "Body": body,
                                                     "MessageSid": f"SMtext{i}"})
            self.assertEqual(r.status, 200, r)
            self.assertIn("<Response/>", r.text)
        post_event(self.server, self.admin, shipment["id"], "delivered")
        self.sms.wait_for(lambda _: len(self.sms_to(rcpt["phone"])) >= 2)
        self.assertEqual(len(self.sms_to(rcpt["phone"])), 2, "still opted in")

    def test_an_sms_reply_lands_in_the_shipments_chat_once(self):
        rcpt, shipment, _ = self.sent_sms()
        reply = {"From": rcpt["phone"], "To": "+15005550006", "Body": "Code 4521, leave it\x07 at the door",
                 "MessageSid": "SMreply1"}
        for _ in range(2):  # the provider retries: the same MessageSid adds nothing
            r = self.signed_post("/v1/sms/inbound", reply)
            self.assertEqual(r.status, 200, r)
        thread = self.server.request("GET", f"/v1/shipments/{shipment['id']}/messages", token=self.admin)
        self.assertEqual(thread.status, 200, thread)
        items = thread.body["items"]
        self.assertEqual(len(items), 1, items)
        message = items[0]
        self.assertEqual(message["body"], "Code 4521, leave it  at the door")
        self.assertEqual((message["author"]["role"], message["channel"]), ("customer", "sms"))
        self.assertNotIn(rcpt["phone"], json.dumps(thread.body), "the number is never shown")
        public = self.server.request("GET", f"/v1/track/{shipment['tracking_token']}/messages")
        self.assertEqual([m["body"] for m in public.body["items"]], [message["body"]])
        self.assertNotIn(rcpt["phone"], json.dumps(public.body))

    def test_the_unsubscribe_link_opts_the_address_out_of_email(self):
        self.configured()
        rcpt = recipient()
        shipment = make_shipment(self.server, self.admin, recipient=rcpt)
        post_event(self.server, self.admin, shipment["id"], "shipped")
        self.smtp.wait_for(lambda _: len(self.mails_to(rcpt["email"])) >= 1)
        link = self.mails_to(rcpt["email"])[0]["List-Unsubscribe"].strip("<>")
        path = link[len(self.server.base_url):]
        page = self.server.request("GET", path)
        self.assertEqual(page.status, 200, page)
        self.assertIn("<form method=\"post\"", page.text)
        self.assertNotIn(rcpt["email"], page.text)
        r = self.server.request("POST", path, "List-Unsubscribe=One-Click",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200, r)
        post_event(self.server, self.admin, shipment["id"], "out_for_delivery")
        self.sms.wait_for(lambda _: len(self.sms_to(rcpt["phone"])) >= 1)
        time.sleep(0.3)
        self.assertEqual(len(self.mails_to(rcpt["email"])), 1, "no e-mail after unsubscribing")
        self.assertEqual(self.server.request("GET", "/v1/unsubscribe/not-a-token").status, 404)


class RemindersTest(unittest.TestCase):
    """The day-before reminder is enqueued once by the worker's periodic job (at start, then every minute)."""

    def setUp(self):
        self.smtp = SmtpSink()
        self.addCleanup(self.smtp.close)
        self.sms = SmsApi()
        self.addCleanup(self.sms.close)
        args = ["--smtp-url", self.smtp.url, "--smtp-from", "no-reply@shop.example"] + self.sms.server_args() + FAST
        self.server = LastmileServer(extra_args=args)
        self.addCleanup(self.server.close)
        self.server.start()

    def test_the_day_before_reminder_is_sent_once_in_the_recipients_zone(self):
        admin = make_tenant(self.server)["api_key"]
        due = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=2)  # two minutes ago
        hhmm = due.strftime("%H:%M")
        day = (due.date() + datetime.timedelta(days=1)).isoformat()
        settings = {"rules": {"reminder_day_before": ["email"]}, "quiet_hours": None,
                    "reminders": {"day_before": hhmm, "morning_of": None}, "default_time_zone": "UTC"}
        expect(self.server.request("PUT", "/v1/notification-settings", settings, token=admin,
                                   headers={"If-Match": "0"}), 200, "settings")
        rcpt = dict(recipient(), time_zone="UTC")
        shipment = make_shipment(self.server, admin, recipient=rcpt,
                                 promised={"start": f"{day}T10:00:00Z", "end": f"{day}T12:00:00Z"})
        self.server.restart()  # the job runs at start
        got = self.smtp.wait_for(lambda d: any(rcpt["email"] in r for _, r, _ in d))
        mails = [m for _, r, m in got if rcpt["email"] in r]
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0]["Subject"], "Delivery tomorrow: 10:00\u201312:00")
        log = expect(self.server.request("GET", f"/v1/shipments/{shipment['id']}/notifications", token=admin),
                     200, "log")["items"]
        self.assertEqual([m["idempotency_key"] for m in log],
                         [f"{shipment['id']}:reminder:day_before:{day}:email"])
        self.server.restart()
        time.sleep(0.5)
        self.assertEqual(len([1 for _, r, _ in self.smtp.snapshot() if rcpt["email"] in r]), 1, "sent once")


class ProviderSettingsFromFileAndEnvironmentTest(unittest.TestCase):
    """Provider settings come from `serve --config FILE` (TOML, keys as the long flags) and LASTMILE_* variables."""

    def test_config_file_and_environment(self):
        smtp, sms = SmtpSink(), SmsApi()
        self.addCleanup(smtp.close)
        self.addCleanup(sms.close)
        config = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
        self.addCleanup(os.unlink, config.name)
        config.write(f'[serve]\nsmtp-url = "{smtp.url}"\nsmtp-from = "no-reply@shop.example"\n'
                     f'sms-url = "{sms.url}"\nsms-account-sid = "{SmsApi.SID}"\n')
        config.close()
        env = {"LASTMILE_SMS_AUTH_TOKEN": SmsApi.TOKEN, "LASTMILE_SMS_FROM": "+15005550006"}
        server = LastmileServer(extra_args=["--config", config.name] + FAST, env=env)
        self.addCleanup(server.close)
        server.start()
        admin = make_tenant(server)["api_key"]
        expect(server.request("PUT", "/v1/notification-settings", SETTINGS, token=admin, headers={"If-Match": "0"}),
               200, "settings")
        rcpt = recipient()
        shipment = make_shipment(server, admin, recipient=rcpt)
        post_event(server, admin, shipment["id"], "out_for_delivery")
        mails = smtp.wait_for(lambda d: any(rcpt["email"] in r for _, r, _ in d))
        self.assertEqual(len([1 for _, r, _ in mails if rcpt["email"] in r]), 1)
        texts = sms.wait_for(lambda d: any(x["form"].get("To") == rcpt["phone"] for x in d))
        self.assertEqual(len([1 for x in texts if x["form"].get("To") == rcpt["phone"]]), 1)
        metrics = server.request("GET", "/metrics").text
        self.assertIn('lastmile_notification_channel_configured{channel="sms"} 1', metrics)


class SmtpStartTlsAndAuthTest(unittest.TestCase):
    """--smtp-starttls with AUTH: the mail goes over TLS (verified with --smtp-ca-file) after logging in."""

    def test_starttls_and_auth(self):
        tmpdir = tempfile.mkdtemp(prefix="lastmile-tls-")
        ctx, cert = self_signed_tls(tmpdir)
        smtp = SmtpSink(tls_context=ctx, credentials=("mailer", "s3cret"))
        self.addCleanup(smtp.close)
        args = ["--smtp-url", smtp.url, "--smtp-from", "no-reply@shop.example", "--smtp-starttls",
                "--smtp-ca-file", cert, "--smtp-user", "mailer", "--smtp-password", "s3cret"] + FAST
        server = LastmileServer(extra_args=args)
        self.addCleanup(server.close)
        server.start()
        admin = make_tenant(server)["api_key"]
        expect(server.request("PUT", "/v1/notification-settings", SETTINGS, token=admin, headers={"If-Match": "0"}),
               200, "settings")
        rcpt = recipient()
        shipment = make_shipment(server, admin, recipient=rcpt)
        post_event(server, admin, shipment["id"], "shipped")
        got = smtp.wait_for(lambda d: any(rcpt["email"] in r for _, r, _ in d))
        self.assertEqual(len([1 for _, r, _ in got if rcpt["email"] in r]), 1, server.stderr_text())
        self.assertTrue(any(ok and user == "mailer" for _, user, ok in smtp.logins), smtp.logins)


class NotConfiguredTest(ServerTestCase):
    """Without provider settings messages stay pending, never marked sent, and the metric says so."""

    def test_messages_stay_pending_without_providers(self):
        admin = make_tenant(self.server)["api_key"]
        shipment = make_shipment(self.server, admin, recipient=recipient())
        post_event(self.server, admin, shipment["id"], "out_for_delivery")
        time.sleep(0.3)
        log = expect(self.server.request("GET", f"/v1/shipments/{shipment['id']}/notifications", token=admin),
                     200, "log")["items"]
        self.assertEqual(sorted(m["channel"] for m in log), ["email", "sms"])
        self.assertTrue(all(m["state"] == "pending" and m["attempts"] == 0 for m in log), log)
        metrics = self.server.request("GET", "/metrics").text
        self.assertIn('lastmile_notification_channel_configured{channel="email"} 0', metrics)
        self.assertIn('lastmile_notification_channel_configured{channel="sms"} 0', metrics)


class NotificationsCrashTest(unittest.TestCase):
    """kill -9 while statuses change: every e-mail and SMS arrives, once per Message-ID / idempotency key."""

    STEPS = ["processed", "shipped", "out_for_delivery", "delivered"]

    def setUp(self):
        self.smtp = SmtpSink()
        self.addCleanup(self.smtp.close)
        self.sms = SmsApi()
        self.addCleanup(self.sms.close)
        args = ["--smtp-url", self.smtp.url, "--smtp-from", "no-reply@shop.example"] + self.sms.server_args() + \
            ["--webhook-backoff-scale", "0.001", "--webhook-max-attempts", "50"]
        self.server = LastmileServer(extra_args=args)
        self.addCleanup(self.server.close)
        self.server.start()

    def call(self, method, path, body=None, token=None, accept=(200, 201), headers=None):
        retried = False
        while True:
            try:
                r = self.server.request(method, path, body, token=token, timeout=5, headers=headers)
                if r.status in accept or (retried and r.status == 409):
                    return r
                if r.status not in (503,):
                    raise AssertionError(f"{method} {path}: {r}")
            except AssertionError:
                raise
            except Exception:  # the server is down: wait for the restart
                retried = True
            time.sleep(0.05)

    def test_every_message_arrives_once_per_key_across_kill_9(self):
        admin = make_tenant(self.server)["api_key"]
        expect(self.server.request("PUT", "/v1/notification-settings", SETTINGS, token=admin,
                                   headers={"If-Match": "0"}), 200, "settings")
        shipments = [make_shipment(self.server, admin, recipient=recipient())["id"] for _ in range(10)]
        kills = random.randint(3, 5)

        def killer():
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
            t.join()
        self.assertEqual(self.server.starts, kills + 1)

        mail_ids, sms_keys = set(), set()
        for sid in shipments:
            events = expect(self.server.request("GET", f"/v1/shipments/{sid}/events", token=admin), 200, "events")
            for e in events["items"] if isinstance(events, dict) else events:
                for rule, channels in SETTINGS["rules"].items():
                    if e["type"] != rule:
                        continue
                    if "email" in channels:
                        mail_ids.add(expected_message_id(f"{e['id']}:email:{rule}"))
                    if "sms" in channels:
                        sms_keys.add(f"{e['id']}:sms:{rule}")
        self.assertEqual(len(mail_ids), len(shipments) * 3)
        self.assertEqual(len(sms_keys), len(shipments) * 2)

        got_mail = self.smtp.wait_for(lambda d: {m["Message-ID"] for _, _, m in d} >= mail_ids, timeout_s=30)
        bodies = {}
        for _, _, m in got_mail:
            bodies.setdefault(m["Message-ID"], set()).add(m.get_body(preferencelist=("plain",)).get_content())
        self.assertEqual(set(bodies), mail_ids, "every expected e-mail arrived, and nothing else")
        for key, seen in bodies.items():
            self.assertEqual(len(seen), 1, f"two different e-mails with {key}")

        got_sms = self.sms.wait_for(lambda d: {r["headers"].get("Idempotency-Key") for r in d} >= sms_keys,
                                    timeout_s=30)
        texts = {}
        for r in got_sms:
            texts.setdefault(r["headers"].get("Idempotency-Key"), set()).add(r["form"]["Body"])
        self.assertEqual(set(texts), sms_keys, "every expected SMS arrived, and nothing else")
        for key, seen in texts.items():
            self.assertEqual(len(seen), 1, f"two different SMS with {key}")


if __name__ == "__main__":
    unittest.main()
