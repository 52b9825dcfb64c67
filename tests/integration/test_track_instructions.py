"""PUT /v1/track/{token}/instructions: the recipient gives the driver a gate code, a safe place and a
note from the tracking page (DESIGN R10), with the tracking token as the only credential.

They can change until the parcel is out for delivery (then 409 illegal_transition and nothing
changes); staff see them on the shipment; the public view never shows the gate code back.
"""

import unittest

from lastmile_server import ServerTestCase, expect, make_shipment, make_tenant, post_event


class TrackInstructionsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = make_tenant(cls.server)["api_key"]

    def put(self, token, body, **kw):
        return self.server.request("PUT", f"/v1/track/{token}/instructions", body, **kw)

    def shipment(self, shipment_id):
        return expect(self.server.request("GET", f"/v1/shipments/{shipment_id}", token=self.key), 200, "get shipment")

    def test_the_recipient_sets_instructions_and_staff_see_them(self):
        s = make_shipment(self.server, self.key, instructions=None)
        r = self.put(s["tracking_token"], {"gate_code": "A1234", "safe_place": "behind the blue door",
                                           "note": "ring twice"})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["instructions"], {"editable": True, "gate_code_set": True,
                                                  "safe_place": "behind the blue door", "note": "ring twice"})
        self.assertEqual(self.shipment(s["id"])["instructions"],
                         {"gate_code": "A1234", "safe_place": "behind the blue door", "note": "ring twice"})
        view = expect(self.server.request("GET", f"/v1/track/{s['tracking_token']}"), 200, "track")
        self.assertEqual(view["instructions"]["safe_place"], "behind the blue door")
        self.assertTrue(view["instructions"]["gate_code_set"])
        self.assertNotIn("A1234", str(view))  # the code is never shown back on the public view

    def test_a_field_left_out_keeps_its_value_and_an_empty_one_clears_it(self):
        s = make_shipment(self.server, self.key)  # gate 1234, reception, ring twice
        self.assertStatus(self.put(s["tracking_token"], {"note": "", "safe_place": "garage"}), 200)
        self.assertEqual(self.shipment(s["id"])["instructions"],
                         {"gate_code": "1234", "safe_place": "garage", "note": ""})

    def test_once_out_for_delivery_the_instructions_are_locked(self):
        s = make_shipment(self.server, self.key)
        for step in ("processed", "shipped"):
            post_event(self.server, self.key, s["id"], step)
            self.assertStatus(self.put(s["tracking_token"], {"note": f"while {step}"}), 200)
        post_event(self.server, self.key, s["id"], "out_for_delivery")
        with self.unchanged((self.key, f"/v1/shipments/{s['id']}")):
            r = self.put(s["tracking_token"], {"note": "too late"})
        self.assertError(r, 409, "illegal_transition")
        self.assertIn("out_for_delivery", r.error["message"])
        view = expect(self.server.request("GET", f"/v1/track/{s['tracking_token']}"), 200, "track")
        self.assertFalse(view["instructions"]["editable"])
        post_event(self.server, self.key, s["id"], "delivered")
        self.assertError(self.put(s["tracking_token"], {"note": "after"}), 409, "illegal_transition")

    def test_bad_bodies_are_refused_and_change_nothing(self):
        s = make_shipment(self.server, self.key)
        token = s["tracking_token"]
        with self.unchanged((self.key, f"/v1/shipments/{s['id']}")):
            self.assertError(self.put(token, {"gate_code": "1" * 51}), 400, "invalid_field", "gate_code")
            self.assertError(self.put(token, {"safe_place": "x" * 201}), 400, "invalid_field", "safe_place")
            self.assertError(self.put(token, {"note": "n" * 1001}), 400, "invalid_field", "note")
            self.assertError(self.put(token, {"note": 42}), 400, "wrong_type", "note")
            self.assertError(self.put(token, {}), 400, "missing_field", "note")
            self.assertError(self.put(token, "not json"), 400, "invalid_json")
            self.assertError(self.put(token, {"note": "x"}, headers={"Content-Type": "text/plain"}), 415,
                             "unsupported_media_type")
        self.assertStatus(self.put(token, {"note": "n" * 1000, "gate_code": "1" * 50, "safe_place": "x" * 200}), 200)

    def test_an_unknown_token_is_not_found_and_other_methods_are_not_allowed(self):
        self.assertError(self.put("AAAAAAAAAAAAAAAAAAAAAA", {"note": "x"}), 404, "not_found")
        self.assertError(self.put("short", {"note": "x"}), 404, "not_found")
        s = make_shipment(self.server, self.key)
        r = self.server.request("POST", f"/v1/track/{s['tracking_token']}/instructions", {"note": "x"})
        self.assertError(r, 405, "method_not_allowed")
        self.assertEqual(r.headers.get("Allow"), "PUT")


if __name__ == "__main__":
    unittest.main()
