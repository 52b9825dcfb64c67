"""Personalised delivery windows through the real server (docs/delivery-windows.md): a recipient who
was not home on Tuesday mornings but took two deliveries on Thursday evenings is suggested Thursday
18:00-20:00 (in their time zone) for the next shipment; the held-back evaluation counts exactly what
the suggested windows added on a scripted history; bad input, roles and tenants.
"""

import datetime
import unittest
import zoneinfo

from lastmile_server import ServerTestCase, make_api_key, make_driver, make_shipment, make_tenant, post_event, unique

MONACO = zoneinfo.ZoneInfo("Europe/Monaco")


def at(local):
    """A local Monaco time ("2026-11-10 09:10") as the ISO instant the API takes."""
    t = datetime.datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=MONACO)
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class DeliveryWindowTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tenant = make_tenant(cls.server)
        cls.key = tenant["api_key"]
        cls.dispatcher = make_api_key(cls.server, cls.key, "dispatcher")["api_key"]
        cls.driver = make_driver(cls.server, cls.key)["device_token"]

    def shipment(self, phone, tz="Europe/Monaco"):
        recipient = {"name": "Marie Dupont", "phone": phone, "email": "", "time_zone": tz}
        return make_shipment(self.server, self.key, recipient=recipient, external_order_id=unique("ord"))["id"]

    def attempts(self, sid, *steps):
        """steps: ("fail"|"deliver", local time)."""
        for outcome, local in steps:
            post_event(self.server, self.key, sid, "out_for_delivery", at=at(local))
            post_event(self.server, self.key, sid, "attempt_failed" if outcome == "fail" else "delivered",
                       at=at(local), **({"reason": "nobody home"} if outcome == "fail" else {}))

    def window(self, sid, token=None, status=200):
        return self.assertStatus(self.server.request("GET", f"/v1/shipments/{sid}/delivery-window",
                                                     token=token or self.dispatcher), status)

    def test_the_recipients_thursday_evenings_are_suggested(self):
        phone = "+33600000001"
        first = self.shipment(phone)
        self.attempts(first, ("fail", "2026-11-10 09:10"), ("deliver", "2026-11-12 18:30"))
        second = self.shipment(phone)
        self.attempts(second, ("fail", "2026-11-17 09:40"), ("deliver", "2026-11-19 18:40"))
        nxt = self.shipment(phone)
        r = self.window(nxt)
        self.assertEqual(r["time_zone"], "Europe/Monaco")
        self.assertEqual((r["suggested"]["weekday"], r["suggested"]["start"], r["suggested"]["end"]),
                         ("thursday", "18:00", "20:00"))
        self.assertEqual(r["suggested"]["attempts"], 2)
        self.assertEqual(r["history"], {"attempts": 4, "success_rate": 0.5})
        self.assertTrue(all(a["expected_success"] <= r["suggested"]["expected_success"] for a in r["alternatives"]))
        self.assertNotIn(("tuesday", "08:00"), [(a["weekday"], a["start"]) for a in r["alternatives"]])
        # The next Thursday 18:00 in Monaco, from now.
        start = datetime.datetime.fromisoformat(r["suggested"]["next"]["start"].replace("Z", "+00:00"))
        local = start.astimezone(MONACO)
        self.assertEqual((local.weekday(), local.hour, local.minute), (3, 18, 0))
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertTrue(now - datetime.timedelta(minutes=5) <= start <= now + datetime.timedelta(days=7))

    def test_a_recipient_without_history_gets_the_tenants_best_window(self):
        r = self.window(self.shipment("+33600000099"))
        self.assertEqual(r["history"], {"attempts": 0, "success_rate": 0})
        self.assertEqual(r["suggested"]["attempts"], 0)

    def test_roles_tenants_and_unknown_shipments(self):
        sid = self.shipment("+33600000002")
        self.window(sid, token=self.key)
        self.window(sid, token=self.driver, status=403)
        other = make_tenant(self.server)["api_key"]
        self.assertEqual(self.window(sid, token=other, status=404)["error"]["code"], "not_found")
        self.window("shp_nope", status=404)


class EvaluationTest(ServerTestCase):
    """Six recipients each failed on a Monday morning and took delivery on a Wednesday afternoon
    (training). Held back (the last 10 days): five take their next first attempt on a Wednesday
    afternoon (their suggested window) and get it, one is tried on a Monday morning and is not home.
    Baseline 5/6, in-window 5/5: +16.667 points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = make_tenant(cls.server)["api_key"]
        now = datetime.datetime.now(MONACO)
        # Training: the Monday and Wednesday three weeks back (before the 12 held-back days).
        # Held back: the last Monday 3-9 days ago and its Wednesday (1-7 days ago, in the past).
        monday = (now - datetime.timedelta(days=now.weekday() + 21)).date()
        held_monday = (now - datetime.timedelta(days=now.weekday() + 7)).date()
        if (now.date() - held_monday).days > 9:
            held_monday += datetime.timedelta(days=7)
        fmt = lambda d, h: f"{d.isoformat()} {h}"
        for i in range(6):
            phone = f"+3360000010{i}"
            body = {"name": "R", "phone": phone, "email": "", "time_zone": "Europe/Monaco"}
            s1 = make_shipment(cls.server, cls.key, recipient=body, external_order_id=unique("ev"))["id"]
            for outcome, local in (("fail", fmt(monday, "09:00")),
                                   ("deliver", fmt(monday + datetime.timedelta(days=2), "15:00"))):
                post_event(cls.server, cls.key, s1, "out_for_delivery", at=at(local))
                post_event(cls.server, cls.key, s1, "attempt_failed" if outcome == "fail" else "delivered",
                           at=at(local), **({"reason": "nobody home"} if outcome == "fail" else {}))
            s2 = make_shipment(cls.server, cls.key, recipient=body, external_order_id=unique("ev"))["id"]
            if i < 5:
                local = fmt(held_monday + datetime.timedelta(days=2), "15:00")  # a past Wednesday
                post_event(cls.server, cls.key, s2, "out_for_delivery", at=at(local))
                post_event(cls.server, cls.key, s2, "delivered", at=at(local))
            else:
                local = fmt(held_monday, "09:00")
                post_event(cls.server, cls.key, s2, "out_for_delivery", at=at(local))
                post_event(cls.server, cls.key, s2, "attempt_failed", at=at(local), reason="nobody home")

    def test_the_evaluation_counts_what_the_suggested_windows_added(self):
        r = self.assertStatus(self.server.request("GET", "/v1/delivery-windows/evaluation", token=self.key,
                                                  params={"holdout_days": "12"}), 200)
        self.assertEqual(r["training_attempts"], 12)
        self.assertEqual(r["test_first_attempts"], 6)
        self.assertEqual(r["in_suggested_window"], 5)
        self.assertEqual(r["baseline_first_attempt_success"], 0.833)
        self.assertEqual(r["in_window_first_attempt_success"], 1.0)
        self.assertEqual(r["out_of_window_first_attempt_success"], 0.0)
        self.assertEqual(r["added_points"], 16.667)
        self.assertEqual(r["min_cases"], 5)

    def test_bad_holdout_is_refused(self):
        for v in ("0", "181", "x"):
            r = self.server.request("GET", "/v1/delivery-windows/evaluation", token=self.key,
                                    params={"holdout_days": v})
            self.assertEqual((r.status, r.error.get("field")), (400, "holdout_days"), r)


if __name__ == "__main__":
    unittest.main()
