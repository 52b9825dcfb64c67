"""Tenant isolation and roles (docs/api.md "Roles").

Two shippers share one installation. Nothing of tenant A is visible or writable with tenant B's key
(always 404, never 403, so ids do not leak), lists never mix tenants, a carrier key sees its own carrier's
shipments only, a driver's device token reaches its own routes only, a revoked key stops at once, and key
lists never show secrets.
"""

import unittest

from lastmile_server import (ServerTestCase, expect, list_all, make_api_key, make_carrier, make_driver, make_route,
                             make_shipment, make_tenant, make_vehicle, route_body, shipment_body, unique)


def ids(items):
    return {i["id"] for i in items}


class TenancyAndRolesTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.a = make_tenant(s, name=unique("Alpha Shop"), out_for_delivery_on="route_start")
        cls.b = make_tenant(s, name=unique("Beta Shop"))
        ka, kb = cls.a["api_key"], cls.b["api_key"]
        cls.ka, cls.kb = ka, kb

        cls.carrier_a = make_carrier(s, ka, name="Alpha Couriers", code="shared-code")
        cls.carrier_a2 = make_carrier(s, ka, name="Alpha Bikes")
        cls.driver_a = make_driver(s, ka, name="Anna Alpha", carrier_id=cls.carrier_a["id"])
        cls.driver_a2 = make_driver(s, ka, name="Aldo Alpha", carrier_id=cls.carrier_a2["id"])
        cls.vehicle_a = make_vehicle(s, ka, plate="MC-A1")
        cls.ship_a = make_shipment(s, ka, carrier_id=cls.carrier_a["id"], external_order_id="A-1",
                                   recipient={"name": "Alfreda Zwingli"})
        cls.ship_a2 = make_shipment(s, ka, carrier_id=cls.carrier_a2["id"], external_order_id="A-2",
                                    recipient={"name": "Alfreda Zwingli"})
        cls.ship_a3 = make_shipment(s, ka, external_order_id="A-3", recipient={"name": "Alfreda Zwingli"})
        cls.ship_a_carrier = make_shipment(s, ka, carrier_id=cls.carrier_a["id"], external_order_id="A-4")
        cls.route_a = make_route(s, ka, cls.driver_a["id"], [cls.ship_a["id"]])
        cls.route_a2 = make_route(s, ka, cls.driver_a2["id"], [cls.ship_a2["id"]])
        cls.admin_key_id = expect(s.request("GET", "/v1/api-keys", token=ka), 200, "list keys")["items"][0]["id"]

        cls.carrier_b = make_carrier(s, kb, name="Beta Couriers")
        cls.driver_b = make_driver(s, kb, name="Bruno Beta", carrier_id=cls.carrier_b["id"])
        cls.ship_b = make_shipment(s, kb, external_order_id="B-1", recipient={"name": "Bettina Quaglia"})
        cls.route_b = make_route(s, kb, cls.driver_b["id"], [cls.ship_b["id"]])

        cls.dispatcher_a = make_api_key(s, ka, "dispatcher")["api_key"]
        cls.integration_a = make_api_key(s, ka, "integration")["api_key"]
        cls.carrier_key_a = make_api_key(s, ka, "carrier", carrier_id=cls.carrier_a["id"])["api_key"]

    def reads_of(self, key):
        return [(key, p) for p in ("/v1/shipments?limit=500", "/v1/carriers?limit=500", "/v1/drivers?limit=500",
                                   "/v1/vehicles?limit=500", "/v1/routes?limit=500", "/v1/api-keys?limit=500")]

    def reads_of_a(self):
        ka = self.ka
        out = self.reads_of(ka)
        for sh in (self.ship_a, self.ship_a2, self.ship_a3, self.ship_a_carrier):
            out += [(ka, f"/v1/shipments/{sh['id']}"), (ka, f"/v1/shipments/{sh['id']}/events")]
        out += [(ka, f"/v1/routes/{self.route_a['id']}"), (ka, f"/v1/routes/{self.route_a2['id']}"),
                (ka, f"/v1/carriers/{self.carrier_a['id']}"), (ka, f"/v1/drivers/{self.driver_a['id']}")]
        return out

    def refused(self, cases, reads):
        for method, path, body, token, status, code in cases:
            with self.subTest(method=method, path=path):
                with self.unchanged(*reads):
                    r = self.server.request(method, path, body, token=token)
                    if isinstance(status, tuple):
                        self.assertIn(r.status, status, str(r))
                        self.assertIn(r.error.get("code"), code, str(r))
                    else:
                        self.assertError(r, status, code)

    # ---- tenant isolation ----

    def test_reading_another_tenants_rows_is_404(self):
        kb = self.kb
        paths = [f"/v1/carriers/{self.carrier_a['id']}", f"/v1/drivers/{self.driver_a['id']}",
                 f"/v1/vehicles/{self.vehicle_a['id']}", f"/v1/shipments/{self.ship_a['id']}",
                 f"/v1/shipments/{self.ship_a['id']}/events", f"/v1/routes/{self.route_a['id']}"]
        self.refused([("GET", p, None, kb, 404, "not_found") for p in paths], self.reads_of_a())
        # the other tenant's device token does not reach across either
        self.refused([("GET", f"/v1/routes/{self.route_a['id']}", None, self.driver_b["device_token"], 404,
                       "not_found")], self.reads_of_a())

    def test_writing_another_tenants_rows_is_404_and_changes_nothing(self):
        kb = self.kb
        a = self
        loose_b = make_shipment(self.server, kb)["id"]  # on no route yet
        cases = [
            ("POST", f"/v1/shipments/{a.ship_a['id']}/events", {"type": "processed"}, kb, 404, "not_found"),
            ("POST", f"/v1/routes/{a.route_a['id']}/start", None, kb, 404, "not_found"),
            ("POST", "/v1/shipments", shipment_body(carrier_id=a.carrier_a["id"]), kb, 404, "not_found"),
            ("POST", "/v1/drivers", {"name": "Poacher", "carrier_id": a.carrier_a["id"]}, kb, 404, "not_found"),
            ("POST", "/v1/drivers", {"name": "Poacher", "vehicle_id": a.vehicle_a["id"]}, kb, 404, "not_found"),
            ("POST", "/v1/routes", route_body(a.driver_a["id"], [loose_b]), kb, 404, "not_found"),
            ("POST", "/v1/routes", route_body(a.driver_b["id"], [a.ship_a3["id"]]), kb, 404, "not_found"),
            ("POST", "/v1/routes", route_body(a.driver_b["id"], [[loose_b, a.ship_a3["id"]]]), kb, 404,
             "not_found"),
            ("POST", "/v1/routes", route_body(a.driver_b["id"], [loose_b], vehicle_id=a.vehicle_a["id"]), kb,
             404, "not_found"),
            ("POST", "/v1/api-keys", {"role": "carrier", "carrier_id": a.carrier_a["id"]}, kb, 404, "not_found"),
            ("DELETE", f"/v1/api-keys/{a.admin_key_id}", None, kb, 404, "not_found"),
            ("POST", f"/v1/shipments/{a.ship_a['id']}/events", {"type": "exception"},
             a.driver_b["device_token"], 404, "not_found"),
        ]
        self.refused(cases, self.reads_of_a() + self.reads_of(kb))
        self.assertStatus(self.server.request("GET", "/v1/shipments", token=self.ka), 200, "A's admin key still works")

    def test_unique_values_are_per_tenant(self):
        # carrier codes are unique per tenant: B may use the code A uses
        c = make_carrier(self.server, self.kb, name="Beta Shared", code="shared-code")
        self.assertEqual(c["code"], "shared-code")
        # external order ids are per tenant: B's "A-1" is a new shipment, not A's
        r = self.server.request("POST", "/v1/shipments", shipment_body(external_order_id="A-1"), token=self.kb)
        created = self.assertStatus(r, 201)
        self.assertNotEqual(created["id"], self.ship_a["id"])

    def test_lists_never_show_the_other_tenants_rows(self):
        for key, mine, theirs in (
                (self.kb, {"shipments": {self.ship_b["id"]}, "carriers": {self.carrier_b["id"]},
                           "drivers": {self.driver_b["id"]}, "routes": {self.route_b["id"]}},
                 {self.ship_a["id"], self.ship_a2["id"], self.ship_a3["id"], self.carrier_a["id"],
                  self.driver_a["id"], self.route_a["id"], self.vehicle_a["id"], self.admin_key_id}),
                (self.ka, {"shipments": {self.ship_a["id"], self.ship_a2["id"]}, "carriers": {self.carrier_a["id"]},
                           "drivers": {self.driver_a["id"]}, "routes": {self.route_a["id"]}},
                 {self.ship_b["id"], self.carrier_b["id"], self.driver_b["id"], self.route_b["id"]})):
            for kind in ("shipments", "carriers", "drivers", "vehicles", "routes", "api-keys"):
                with self.subTest(kind=kind, key=key[:8]):
                    seen = ids(list_all(self.server, f"/v1/{kind}", key))
                    self.assertTrue(mine.get(kind, set()) <= seen, f"own {kind} listed")
                    self.assertFalse(seen & theirs, f"{kind} of the other tenant listed")
        kb = self.kb
        for params in ({"carrier_id": self.carrier_a["id"]}, {"q": self.ship_a["tracking_number"]},
                       {"q": "A-2"}, {"q": "Zwingli"}, {"route_id": self.route_a["id"]}):
            with self.subTest(filter=params):
                self.assertEqual(list_all(self.server, "/v1/shipments", kb, **params), [])
        self.assertEqual(list_all(self.server, "/v1/routes", kb, driver_id=self.driver_a["id"]), [])
        self.assertEqual(ids(list_all(self.server, "/v1/shipments", self.ka, q="Zwingli")),
                         {self.ship_a["id"], self.ship_a2["id"], self.ship_a3["id"]})

    # ---- carrier role ----

    def test_a_carrier_key_sees_only_its_carriers_shipments_and_drivers(self):
        ck, s = self.carrier_key_a, self.server
        mine = list_all(s, "/v1/shipments", ck)
        self.assertEqual({i["carrier_id"] for i in mine}, {self.carrier_a["id"]})
        self.assertTrue({self.ship_a["id"], self.ship_a_carrier["id"]} <= ids(mine))
        self.assertStatus(s.request("GET", f"/v1/shipments/{self.ship_a['id']}", token=ck), 200)

        self.refused([
            ("GET", f"/v1/shipments/{self.ship_a2['id']}", None, ck, 404, "not_found"),
            ("GET", f"/v1/shipments/{self.ship_a3['id']}", None, ck, 404, "not_found"),
            ("GET", f"/v1/shipments/{self.ship_a2['id']}/events", None, ck, 404, "not_found"),
            ("POST", f"/v1/shipments/{self.ship_a2['id']}/events", {"type": "processed"}, ck, 404, "not_found"),
            ("POST", f"/v1/shipments/{self.ship_a3['id']}/events", {"type": "processed"}, ck, 404, "not_found"),
            ("GET", f"/v1/carriers/{self.carrier_a2['id']}", None, ck, 404, "not_found"),
            ("GET", f"/v1/drivers/{self.driver_a2['id']}", None, ck, 404, "not_found"),
            ("POST", "/v1/drivers", {"name": "Other Carrier's", "carrier_id": self.carrier_a2["id"]}, ck, (403, 404),
             ("forbidden", "not_found")),
            ("POST", "/v1/shipments", shipment_body(), ck, 403, "forbidden"),
            ("POST", "/v1/carriers", {"name": "Self Made"}, ck, 403, "forbidden"),
            ("POST", "/v1/routes", route_body(self.driver_a["id"], [self.ship_a_carrier["id"]]), ck, 403,
             "forbidden"),
        ], self.reads_of_a())

        other = s.request("GET", "/v1/shipments", token=ck, params={"carrier_id": self.carrier_a2["id"]})
        if other.status == 200:
            self.assertEqual(other.body["items"], [], "filtering by another carrier shows nothing")
        else:
            self.assertError(other, 403, "forbidden")

        self.assertEqual(ids(list_all(s, "/v1/carriers", ck)), {self.carrier_a["id"]})
        drivers = list_all(s, "/v1/drivers", ck)
        self.assertIn(self.driver_a["id"], ids(drivers))
        self.assertEqual({d["carrier_id"] for d in drivers}, {self.carrier_a["id"]})

        event = expect(s.request("POST", f"/v1/shipments/{self.ship_a_carrier['id']}/events", {"type": "processed"},
                                 token=ck), 201, "carrier posts on its own shipment")
        self.assertEqual(event["shipment_status"], "processed")
        own_driver = expect(s.request("POST", "/v1/drivers", {"name": "Carla Carrier"}, token=ck), 201,
                            "carrier creates its own driver")
        self.assertEqual(own_driver["carrier_id"], self.carrier_a["id"])

    # ---- driver role ----

    def test_a_driver_token_reads_and_starts_only_its_own_routes(self):
        s = self.server
        device = make_driver(s, self.ka, name="Dario Driver", carrier_id=self.carrier_a["id"])
        other = make_driver(s, self.ka, name="Olga Other")
        mine = make_shipment(s, self.ka)
        theirs = make_shipment(s, self.ka)
        loose = make_shipment(s, self.ka)
        my_route = make_route(s, self.ka, device["id"], [mine["id"]])
        their_route = make_route(s, self.ka, other["id"], [theirs["id"]])
        token = device["device_token"]

        listed = list_all(s, "/v1/routes", token)
        self.assertEqual(ids(listed), {my_route["id"]})
        self.assertEqual(ids(list_all(s, "/v1/routes", token, driver_id=other["id"])) & {their_route["id"]}, set())
        self.assertEqual(expect(s.request("GET", f"/v1/routes/{my_route['id']}", token=token), 200, "own route")["id"],
                         my_route["id"])

        reads = self.reads_of_a() + [(self.ka, f"/v1/routes/{their_route['id']}"),
                                     (self.ka, f"/v1/shipments/{theirs['id']}/events"),
                                     (self.ka, f"/v1/shipments/{loose['id']}/events")]
        self.refused([
            ("GET", f"/v1/routes/{their_route['id']}", None, token, 404, "not_found"),
            ("POST", f"/v1/routes/{their_route['id']}/start", None, token, 404, "not_found"),
            ("GET", f"/v1/routes/{self.route_b['id']}", None, token, 404, "not_found"),
            ("POST", f"/v1/routes/{self.route_b['id']}/start", None, token, 404, "not_found"),
            ("POST", f"/v1/shipments/{theirs['id']}/events", {"type": "processed"}, token, 404, "not_found"),
            ("POST", f"/v1/shipments/{loose['id']}/events", {"type": "processed"}, token, 404, "not_found"),
            ("POST", f"/v1/shipments/{self.ship_b['id']}/events", {"type": "processed"}, token, 404, "not_found"),
            ("GET", "/v1/shipments", None, token, 403, "forbidden"),
            ("GET", "/v1/drivers", None, token, 403, "forbidden"),
            ("POST", "/v1/carriers", {"name": "Driver Made"}, token, 403, "forbidden"),
            ("POST", "/v1/routes", route_body(device["id"], [loose["id"]]), token, 403, "forbidden"),
        ], reads)

        started = expect(s.request("POST", f"/v1/routes/{my_route['id']}/start", token=token), 200, "start own route")
        self.assertEqual(started["status"], "in_progress")
        self.assertEqual(s.request("GET", f"/v1/shipments/{mine['id']}", token=self.ka).body["status"],
                         "out_for_delivery")
        self.assertEqual(s.request("GET", f"/v1/routes/{their_route['id']}", token=self.ka).body["status"], "planned")
        event = expect(s.request("POST", f"/v1/shipments/{mine['id']}/events", {"type": "arriving"}, token=token), 201,
                       "driver posts on a shipment of its route")
        self.assertEqual(event["shipment_status"], "arriving")

    # ---- API keys ----

    def test_a_revoked_key_is_401_at_once(self):
        s = self.server
        key = make_api_key(s, self.ka, "dispatcher", name="soon revoked")
        keep = make_api_key(s, self.ka, "dispatcher", name="kept")
        self.assertStatus(s.request("GET", "/v1/shipments", token=key["api_key"]), 200)
        r = s.request("DELETE", f"/v1/api-keys/{key['id']}", token=self.ka)
        self.assertEqual(r.status, 204, str(r))
        self.assertEqual(r.text, "")
        with self.unchanged(*self.reads_of(self.ka)):
            self.assertError(s.request("GET", "/v1/shipments", token=key["api_key"]), 401, "unauthenticated")
            self.assertError(s.request("POST", "/v1/shipments", shipment_body(), token=key["api_key"]), 401,
                             "unauthenticated")
        listed = {k["id"]: k for k in list_all(s, "/v1/api-keys", self.ka)}
        self.assertIs(listed[key["id"]]["revoked"], True)
        self.assertIs(listed[keep["id"]]["revoked"], False)
        self.assertStatus(s.request("GET", "/v1/shipments", token=keep["api_key"]), 200)
        self.assertStatus(s.request("GET", "/v1/shipments", token=self.ka), 200)

    def test_key_lists_never_show_secrets(self):
        s = self.server
        secrets = [self.ka, self.dispatcher_a, self.integration_a, self.carrier_key_a,
                   self.driver_a["device_token"], self.driver_a2["device_token"]]
        created = {}
        for role in ("tenant_admin", "dispatcher", "integration"):
            k = make_api_key(s, self.ka, role)
            created[k["id"]] = k
            secrets.append(k["api_key"])
            self.assertEqual(k["role"], role)
            self.assertTrue(k["prefix"])
            self.assertIn(k["prefix"], k["api_key"], "the prefix identifies the key")
            self.assertLess(len(k["prefix"]), len(k["api_key"]) / 2, "prefix is not most of the key")
        r = s.request("GET", "/v1/api-keys", token=self.ka, params={"limit": 500})
        page = self.assertStatus(r, 200)
        for secret in secrets:
            self.assertNotIn(secret, r.text, "a secret in GET /v1/api-keys")
        listed = {k["id"]: k for k in page["items"]}
        for kid, k in created.items():
            item = listed[kid]
            self.assertNotIn("api_key", item)
            self.assertEqual(item["role"], k["role"])
            self.assertEqual(item["prefix"], k["prefix"])
            self.assertIs(item["revoked"], False)
            for field in ("id", "name", "role", "prefix", "created_at"):
                self.assertIn(field, item)

        for path, token in (("/v1/tenants?limit=500", s.admin_token), ("/v1/drivers?limit=500", self.ka),
                            (f"/v1/drivers/{self.driver_a['id']}", self.ka), ("/v1/carriers?limit=500", self.ka)):
            with self.subTest(path=path):
                r = s.request("GET", path, token=token)
                self.assertStatus(r, 200)
                for secret in secrets + [self.kb]:
                    self.assertNotIn(secret, r.text)
                self.assertNotIn("api_key", r.text)
                self.assertNotIn("device_token", r.text)

    # ---- the role table ----

    def test_each_role_reaches_exactly_the_routes_of_the_role_table(self):
        s = self.server
        keys = {"root": s.admin_token, "tenant_admin": self.ka, "dispatcher": self.dispatcher_a,
                "integration": self.integration_a, "carrier": self.carrier_key_a,
                "driver": self.driver_a["device_token"]}
        spare = make_shipment(s, self.ka)
        valid = {
            "/v1/tenants": lambda: {"name": unique("Matrix Shop")},
            "/v1/api-keys": lambda: {"role": "dispatcher"},
            "/v1/carriers": lambda: {"name": unique("Matrix Carrier")},
            "/v1/drivers": lambda: {"name": "Matrix Driver"},
            "/v1/vehicles": lambda: {"plate": "MC-MTX"},
            "/v1/shipments": lambda: shipment_body(),
            "/v1/routes": lambda: route_body(self.driver_a["id"], [spare["id"]]),
        }
        table = [  # (method, path, roles allowed by docs/api.md)
            ("POST", "/v1/tenants", {"root"}),
            ("GET", "/v1/tenants", {"root"}),
            ("POST", "/v1/api-keys", {"tenant_admin"}),
            ("GET", "/v1/api-keys", {"tenant_admin"}),
            ("POST", "/v1/carriers", {"tenant_admin", "dispatcher"}),
            ("GET", "/v1/carriers", {"tenant_admin", "dispatcher", "integration", "carrier"}),
            ("POST", "/v1/drivers", {"tenant_admin", "dispatcher", "carrier"}),
            ("GET", "/v1/drivers", {"tenant_admin", "dispatcher", "carrier"}),
            ("POST", "/v1/vehicles", {"tenant_admin", "dispatcher", "carrier"}),
            ("POST", "/v1/shipments", {"tenant_admin", "dispatcher", "integration"}),
            ("GET", "/v1/shipments", {"tenant_admin", "dispatcher", "integration", "carrier"}),
            ("POST", "/v1/routes", {"tenant_admin", "dispatcher"}),
            ("GET", "/v1/routes", {"tenant_admin", "dispatcher", "driver"}),
        ]
        reads = self.reads_of(self.ka) + [(s.admin_token, "/v1/tenants?limit=500"),
                                          (self.ka, f"/v1/shipments/{spare['id']}")]
        for method, path, allowed in table:
            for role, token in keys.items():
                with self.subTest(method=method, path=path, role=role):
                    if role in allowed:
                        # allowed: an empty body passes the role check and fails validation (nothing created)
                        r = s.request(method, path, {} if method == "POST" else None, token=token)
                        self.assertNotIn(r.status, (401, 403), f"{role} may {method} {path}: {r}")
                    else:
                        with self.unchanged(*reads):
                            body = valid[path]() if method == "POST" else None
                            self.assertError(s.request(method, path, body, token=token), 403, "forbidden")
        with self.unchanged(*reads):
            r = s.request("POST", f"/v1/shipments/{spare['id']}/events", {"type": "processed"}, token=s.admin_token)
            self.assertError(r, 403, "forbidden")


if __name__ == "__main__":
    unittest.main()
