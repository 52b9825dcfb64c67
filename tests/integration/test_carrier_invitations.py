"""Carrier onboarding through the real server (docs/carriers.md, "Onboarding"): a shipper's admin invites
a carrier organisation with a one-time link; the carrier opens it, accepts it and gets its own API key
(role carrier), which sees only its carrier's shipments; the carrier then invites its drivers with
one-time sign-in links. Used, revoked, expired and unknown codes get one answer; two concurrent accepts
make one key; an accepted key survives kill -9; other tenants and roles are refused.
"""

import concurrent.futures
import unittest

from lastmile_server import (ServerTestCase, make_api_key, make_carrier, make_driver, make_shipment, make_tenant,
                             unique)


class CarrierInvitationTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tenant = make_tenant(cls.server, name=unique("Shipper"))
        cls.tenant_name = tenant["name"] if "name" in tenant else None
        cls.admin = tenant["api_key"]
        cls.dispatcher = make_api_key(cls.server, cls.admin, "dispatcher")["api_key"]

    def invite(self, carrier_id, status=201, token=None, **body):
        return self.assertStatus(self.server.request("POST", f"/v1/carriers/{carrier_id}/invitations", body,
                                                     token=token or self.admin), status)

    def accept(self, code, status=201, **body):
        return self.assertStatus(self.server.request("POST", f"/v1/carrier-invitations/{code}/accept", body or None),
                                 status)

    def test_an_invited_carrier_gets_its_own_key_and_sees_only_its_shipments(self):
        carrier = make_carrier(self.server, self.admin, name="Azur Express")
        other = make_carrier(self.server, self.admin)
        mine = make_shipment(self.server, self.admin, carrier_id=carrier["id"])
        theirs = make_shipment(self.server, self.admin, carrier_id=other["id"])
        inv = self.invite(carrier["id"], email="ops@azur.example", expires_in_hours=48)
        self.assertEqual((inv["status"], inv["email"]), ("pending", "ops@azur.example"))
        self.assertTrue(inv["url"].endswith("/v1/carrier-invitations/" + inv["code"]))
        # The carrier opens the link: who invites it, as what; nothing is consumed.
        seen = self.assertStatus(self.server.request("GET", f"/v1/carrier-invitations/{inv['code']}"), 200)
        self.assertEqual(seen["carrier"]["name"], "Azur Express")
        self.assertEqual(seen["status"], "pending")
        self.assertIn("Shipper", seen["tenant_name"])
        accepted = self.accept(inv["code"], name="Azur dispatch")
        key = accepted["api_key"]
        self.assertEqual(accepted["status"], "accepted")
        listed = self.assertStatus(self.server.request("GET", "/v1/shipments", token=key), 200)["items"]
        self.assertEqual([s["id"] for s in listed], [mine["id"]])
        self.assertEqual(self.server.request("GET", f"/v1/shipments/{theirs['id']}", token=key).status, 404)
        # The carrier invites its driver: a one-time sign-in link.
        driver = make_driver(self.server, key, name="Nina Azur")
        link = self.assertStatus(self.server.request("POST", f"/v1/drivers/{driver['id']}/login-links", {}, token=key),
                                 201)
        session = self.assertStatus(self.server.request("POST", "/v1/driver/session", {"code": link["code"]}), 201)
        self.assertTrue(session["token"])
        # The code is used up; the list shows who accepted, never the code.
        self.assertEqual(self.accept(inv["code"], status=401)["error"]["code"], "invalid_code")
        items = self.assertStatus(self.server.request("GET", f"/v1/carriers/{carrier['id']}/invitations",
                                                      token=self.dispatcher), 200)["items"]
        self.assertEqual([(i["id"], i["status"], i["api_key_id"]) for i in items],
                         [(inv["id"], "accepted", accepted["api_key_id"])])
        self.assertNotIn("code", items[0])
        # Revoking the key shuts the carrier out, as any key.
        self.assertStatus(self.server.request("DELETE", f"/v1/api-keys/{accepted['api_key_id']}", token=self.admin),
                          204)
        self.assertEqual(self.server.request("GET", "/v1/shipments", token=key).status, 401)

    def test_revoked_expired_unknown_and_malformed_codes_get_one_answer(self):
        carrier = make_carrier(self.server, self.admin)
        inv = self.invite(carrier["id"])
        self.assertStatus(self.server.request("DELETE", f"/v1/carriers/{carrier['id']}/invitations/{inv['id']}",
                                              token=self.admin), 204)
        again = self.server.request("DELETE", f"/v1/carriers/{carrier['id']}/invitations/{inv['id']}", token=self.admin)
        self.assertEqual((again.status, again.error["field"]), (409, "status"))
        for code in (inv["code"], "x" * 32, "not%20a%20code!", "a" * 65):
            with self.subTest(code=code[:10]):
                r = self.server.request("POST", f"/v1/carrier-invitations/{code}/accept")
                self.assertEqual((r.status, r.error.get("code")), (401, "invalid_code"), r)
                r = self.server.request("GET", f"/v1/carrier-invitations/{code}")
                self.assertEqual((r.status, r.error.get("code")), (401, "invalid_code"), r)

    def test_two_concurrent_accepts_make_one_key(self):
        carrier = make_carrier(self.server, self.admin)
        inv = self.invite(carrier["id"])
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            replies = list(pool.map(lambda _: self.server.request(
                "POST", f"/v1/carrier-invitations/{inv['code']}/accept"), range(4)))
        self.assertEqual(sorted(r.status for r in replies), [201, 401, 401, 401])
        keys = [k for k in self.assertStatus(self.server.request("GET", "/v1/api-keys", token=self.admin,
                                                                 params={"limit": "500"}), 200)["items"]
                if k.get("carrier_id") == carrier["id"]]
        self.assertEqual(len(keys), 1)

    def test_bad_input_roles_and_tenants(self):
        carrier = make_carrier(self.server, self.admin)
        for body, field in (({"email": "nobody"}, "email"), ({"expires_in_hours": 0}, "expires_in_hours"),
                            ({"expires_in_hours": 721}, "expires_in_hours"), ({"email": 7}, "email")):
            with self.subTest(body=body):
                self.assertEqual(self.invite(carrier["id"], status=400, **body)["error"]["field"], field)
        self.invite(carrier["id"], status=403, token=self.dispatcher)
        self.invite("car_nope", status=404)
        other = make_tenant(self.server)["api_key"]
        self.invite(carrier["id"], status=404, token=other)
        self.assertEqual(self.server.request("GET", f"/v1/carriers/{carrier['id']}/invitations", token=other).status,
                         404)
        inv = self.invite(carrier["id"])
        r = self.server.request("DELETE", f"/v1/carriers/{carrier['id']}/invitations/{inv['id']}", token=other)
        self.assertEqual(r.status, 404)
        self.assertEqual(self.accept(inv["code"], status=400, name=["x"])["error"]["field"], "name")
        self.accept(inv["code"])  # the bad body changed nothing

    def test_an_accepted_key_survives_kill_9(self):
        carrier = make_carrier(self.server, self.admin)
        inv = self.invite(carrier["id"])
        key = self.accept(inv["code"])["api_key"]
        self.server.restart(graceful=False)
        self.assertStatus(self.server.request("GET", f"/v1/carriers/{carrier['id']}", token=key), 200)
        self.assertEqual(self.accept(inv["code"], status=401)["error"]["code"], "invalid_code")


if __name__ == "__main__":
    unittest.main()
