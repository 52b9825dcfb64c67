"""Surveys (DESIGN R13, docs/chat-and-surveys.md): after delivery the customer rates once (stars, NPS,
comment, tags) by tracking token; staff read one shipment's rating and the tenant's ratings with CSAT and
NPS; a rating of 1–2 stars stores `survey_low_rating`, which opens a `low_rating` exception case.
"""

import json
import unittest

from lastmile_server import (ServerTestCase, expect, make_api_key, make_carrier, make_driver, make_route,
                             make_shipment, make_tenant, post_event)

DELIVERY_STEPS = ("processed", "shipped", "out_for_delivery", "delivered")


class SurveysTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = make_tenant(s)["api_key"]
        cls.dispatcher = make_api_key(s, cls.admin, "dispatcher")["api_key"]
        cls.carrier = make_carrier(s, cls.admin)
        cls.carrier_key = make_api_key(s, cls.admin, "carrier", carrier_id=cls.carrier["id"])["api_key"]
        cls.driver = make_driver(s, cls.admin, name="Luca Rossi")
        cls.other_admin = make_tenant(s)["api_key"]

    def delivered(self, key=None, **overrides):
        key = key or self.admin
        sh = make_shipment(self.server, key, **overrides)
        for step in DELIVERY_STEPS:
            post_event(self.server, key, sh["id"], step)
        return sh

    def post(self, token, body):
        return self.server.request("POST", f"/v1/track/{token}/survey", body)

    def get(self, token):
        return self.server.request("GET", f"/v1/track/{token}/survey")

    def test_a_delivered_shipment_is_rated_once(self):
        sh = self.delivered()
        token = sh["tracking_token"]
        form = expect(self.get(token), 200, "form")
        self.assertEqual((form["submitted"], form["can_submit"], form["survey"]), (False, True, None))
        self.assertIn("on_time", form["form"]["tags"])
        r = self.post(token, {"stars": 5, "nps": 10, "comment": " Lovely ", "tags": ["on_time", "friendly_driver"],
                              "source": "link"})
        self.assertStatus(r, 201)
        self.assertEqual(r.body["survey"]["stars"], 5)
        self.assertEqual(r.body["survey"]["comment"], "Lovely")
        self.assertError(self.post(token, {"stars": 1}), 409, "conflict")
        after = expect(self.get(token), 200, "after")
        self.assertEqual((after["submitted"], after["can_submit"]), (True, False))
        self.assertEqual(after["survey"]["tags"], ["on_time", "friendly_driver"])
        staff = expect(self.server.request("GET", f"/v1/shipments/{sh['id']}/survey", token=self.dispatcher), 200,
                       "staff")
        self.assertEqual((staff["survey"]["stars"], staff["survey"]["nps"], staff["survey"]["source"]), (5, 10, "link"))
        events = expect(self.server.request("GET", f"/v1/shipments/{sh['id']}/events", token=self.admin), 200,
                        "events")
        types = [e["type"] for e in (events["items"] if isinstance(events, dict) else events)]
        self.assertEqual(types.count("survey_submitted"), 1)
        self.assertNotIn("survey_low_rating", types)
        for text in (json.dumps(form), json.dumps(after), json.dumps(r.body)):
            self.assertNotIn("+33612345678", text)
            self.assertNotIn("marie@example.com", text)

    def test_before_delivery_the_survey_is_refused(self):
        sh = make_shipment(self.server, self.admin)
        self.assertEqual(expect(self.get(sh["tracking_token"]), 200, "form")["can_submit"], False)
        with self.unchanged((self.admin, f"/v1/shipments/{sh['id']}/events")):
            self.assertError(self.post(sh["tracking_token"], {"stars": 5}), 409, "illegal_transition")
        self.assertIsNone(expect(self.server.request("GET", f"/v1/shipments/{sh['id']}/survey", token=self.admin),
                                 200, "none")["survey"])

    def test_bad_input_is_refused_with_the_field_and_stores_nothing(self):
        sh = self.delivered()
        token = sh["tracking_token"]
        with self.unchanged((self.admin, f"/v1/shipments/{sh['id']}/events"), (self.admin, f"/v1/shipments/{sh['id']}/survey")):
            self.assertError(self.post(token, {}), 400, "missing_field", "stars")
            self.assertError(self.post(token, {"stars": 0}), 400, "invalid_field", "stars")
            self.assertError(self.post(token, {"stars": 6}), 400, "invalid_field", "stars")
            self.assertError(self.post(token, {"stars": "5"}), 400, "wrong_type", "stars")
            self.assertError(self.post(token, {"stars": 5, "nps": 11}), 400, "invalid_field", "nps")
            self.assertError(self.post(token, {"stars": 5, "comment": "x" * 2001}), 400, "invalid_field", "comment")
            self.assertError(self.post(token, {"stars": 5, "tags": ["teleported"]}), 400, "invalid_field", "tags[0]")
            self.assertError(self.post(token, {"stars": 5, "tags": ["late", "late"]}), 400, "invalid_field", "tags[1]")
            self.assertError(self.post(token, "nope"), 400, "invalid_json")
        self.assertError(self.post("AAAAAAAAAAAAAAAAAAAAAA", {"stars": 5}), 404, "not_found")

    def test_a_low_rating_opens_a_low_rating_exception(self):
        sh = self.delivered()
        self.assertStatus(self.post(sh["tracking_token"], {"stars": 2, "nps": 3, "tags": ["late", "damaged"]}), 201)
        cases = expect(self.server.request("GET", "/v1/exceptions", token=self.dispatcher,
                                           params={"kind": "low_rating"}), 200, "exceptions")["items"]
        mine = [c for c in cases if c["shipment_id"] == sh["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["status"], "open")
        self.assertEqual(mine[0]["details"]["stars"], 2)
        events = self.server.request("GET", f"/v1/shipments/{sh['id']}/events", token=self.admin).body
        types = [e["type"] for e in (events["items"] if isinstance(events, dict) else events)]
        self.assertEqual(types[-2:], ["survey_submitted", "survey_low_rating"])
        other = expect(self.server.request("GET", "/v1/exceptions", token=self.other_admin,
                                           params={"kind": "low_rating"}), 200, "other tenant")["items"]
        self.assertEqual(other, [])

    def test_the_tenant_list_has_csat_and_nps_and_filters(self):
        admin = make_tenant(self.server)["api_key"]
        carrier = make_carrier(self.server, admin)
        ratings = [(5, 10, carrier["id"]), (4, 9, None), (3, 7, None), (1, 0, carrier["id"])]
        for stars, nps, carrier_id in ratings:
            sh = self.delivered(key=admin, carrier_id=carrier_id)
            self.assertStatus(self.post(sh["tracking_token"], {"stars": stars, "nps": nps}), 201)
        out = expect(self.server.request("GET", "/v1/surveys", token=admin), 200, "list")
        self.assertEqual(len(out["items"]), 4)
        summary = out["summary"]
        self.assertEqual(summary["count"], 4)
        self.assertEqual(summary["csat"], 50.0)       # 2 of 4 gave 4–5 stars
        self.assertEqual(summary["nps"], 25.0)        # 2 promoters, 1 detractor of 4
        self.assertEqual((summary["promoters"], summary["passives"], summary["detractors"]), (2, 1, 1))
        by_carrier = expect(self.server.request("GET", "/v1/surveys", token=admin,
                                                params={"carrier": carrier["id"]}), 200, "by carrier")
        self.assertEqual(sorted(i["stars"] for i in by_carrier["items"]), [1, 5])
        future = expect(self.server.request("GET", "/v1/surveys", token=admin, params={"from": "2999-01-01"}), 200,
                        "future")
        self.assertEqual((future["items"], future["summary"]["csat"]), ([], None))
        self.assertError(self.server.request("GET", "/v1/surveys", token=admin, params={"from": "yesterday"}), 400,
                         "invalid_field", "from")
        self.assertEqual(expect(self.server.request("GET", "/v1/surveys", token=self.other_admin), 200,
                                "other")["summary"]["count"], 0)

    def test_roles(self):
        sh = self.delivered(carrier_id=self.carrier["id"])
        self.assertStatus(self.post(sh["tracking_token"], {"stars": 4}), 201)
        path = f"/v1/shipments/{sh['id']}/survey"
        self.assertStatus(self.server.request("GET", path, token=self.carrier_key), 200)
        self.assertError(self.server.request("GET", path, token=self.other_admin), 404, "not_found")
        self.assertError(self.server.request("GET", path), 401, "unauthenticated")
        self.assertError(self.server.request("GET", path, token=self.driver["device_token"]), 403, "forbidden")
        mine = expect(self.server.request("GET", "/v1/surveys", token=self.carrier_key), 200, "carrier list")
        self.assertTrue(all(i["carrier_id"] == self.carrier["id"] for i in mine["items"]))


if __name__ == "__main__":
    unittest.main()
