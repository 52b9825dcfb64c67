"""Every error path of docs/api.md: the status, the error code and field, and that nothing changed.

Each refused request runs inside `self.unchanged(...)`, which reads back the tenant's shipments, the
reference shipments and their events, carriers, drivers, routes, API keys and the tenant list before and
after, and asserts they are identical ("A refused request changes nothing").
"""

import copy
import json
import threading
import unittest

from lastmile_server import (ServerTestCase, expect, make_api_key, make_carrier, make_driver, make_route,
                             make_shipment, make_tenant, make_vehicle, post_event, route_body, shipment_body)

MILESTONES = ["processed", "shipped", "out_for_delivery", "arriving", "delivered", "attempt_failed", "exception",
              "returned", "cancelled", "available_for_pickup"]
ONE_MIB = 1 << 20
DELETE = object()


def with_field(body, path, value):
    """A copy of `body` with the dotted `path` set to `value` (or removed when value is DELETE)."""
    out = copy.deepcopy(body)
    node = out
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    last = keys[-1]
    if value is DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return out


class ErrorsTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.tenant = make_tenant(s, name="Errors Shop")
        cls.key = cls.tenant["api_key"]
        cls.carrier = make_carrier(s, cls.key, name="Errors Couriers", code="errors")
        cls.driver = make_driver(s, cls.key, name="Ada Lovelace", carrier_id=cls.carrier["id"], device_id="err-4711")
        cls.vehicle = make_vehicle(s, cls.key, plate="MC-ERR1")
        cls.fresh = make_shipment(s, cls.key, carrier_id=cls.carrier["id"])       # status created
        cls.shipped = make_shipment(s, cls.key)
        post_event(s, cls.key, cls.shipped["id"], "shipped")
        cls.done = make_shipment(s, cls.key)                                       # delivered (final)
        post_event(s, cls.key, cls.done["id"], "out_for_delivery")
        post_event(s, cls.key, cls.done["id"], "delivered")
        cls.on_route = make_shipment(s, cls.key)
        cls.route = make_route(s, cls.key, cls.driver["id"], [cls.on_route["id"]])
        cls.started_route = make_route(s, cls.key, cls.driver["id"], [make_shipment(s, cls.key)["id"]])
        expect(s.request("POST", f"/v1/routes/{cls.started_route['id']}/start", token=cls.key), 200, "start route")
        cls.dispatcher = make_api_key(s, cls.key, "dispatcher")["api_key"]
        cls.integration = make_api_key(s, cls.key, "integration")["api_key"]
        cls.carrier_key = make_api_key(s, cls.key, "carrier", carrier_id=cls.carrier["id"])["api_key"]
        revoked = make_api_key(s, cls.key, "dispatcher", name="to be revoked")
        expect(s.request("DELETE", f"/v1/api-keys/{revoked['id']}", token=cls.key), 204, "revoke key")
        cls.revoked = revoked["api_key"]

    # ---- helpers ----

    def everything(self):
        k, root = self.key, self.server.admin_token
        reads = [(k, "/v1/shipments?limit=500"), (k, "/v1/carriers?limit=500"), (k, "/v1/drivers?limit=500"),
                 (k, "/v1/vehicles?limit=500"), (k, "/v1/routes?limit=500"), (k, "/v1/api-keys?limit=500"),
                 (root, "/v1/tenants?limit=500")]
        for sh in (self.fresh, self.shipped, self.done, self.on_route):
            reads += [(k, f"/v1/shipments/{sh['id']}"), (k, f"/v1/shipments/{sh['id']}/events")]
        reads += [(k, f"/v1/routes/{self.route['id']}"), (k, f"/v1/routes/{self.started_route['id']}")]
        return reads

    def refused(self, cases):
        """cases: (method, path, body, token, headers, status, code, field). Each is refused, changing nothing."""
        for method, path, body, token, headers, status, code, field in cases:
            shown = body if not isinstance(body, (str, bytes)) or len(body) < 200 else f"<{len(body)} bytes>"
            with self.subTest(method=method, path=path, body=shown, headers=headers):
                with self.unchanged(*self.everything()):
                    r = self.server.request(method, path, body, token=token, headers=headers)
                    self.assertError(r, status, code, field)

    def shipment_cases(self, status, code, variants):
        return [("POST", "/v1/shipments", body, self.key, None, status, code, field) for body, field in variants]

    def event_cases(self, shipment, status, code, variants):
        return [("POST", f"/v1/shipments/{shipment['id']}/events", body, self.key, None, status, code, field)
                for body, field in variants]

    def route_cases(self, status, code, variants):
        return [("POST", "/v1/routes", body, self.key, None, status, code, field) for body, field in variants]

    # ---- 400 invalid_json ----

    def test_body_that_is_not_json_is_400_invalid_json(self):
        root = self.server.admin_token
        ev = f"/v1/shipments/{self.fresh['id']}/events"
        self.refused([
            ("POST", "/v1/shipments", '{"recipient":', self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/shipments", "not json at all", self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/shipments", "{'recipient': {'name': 'x'}}", self.key, None, 400, "invalid_json", None),
            ("POST", ev, '{"type":"processed",}', self.key, None, 400, "invalid_json", None),
            ("POST", ev, '{"type":"processed"} trailing', self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/carriers", '{"name": "x"', self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/tenants", "{", root, None, 400, "invalid_json", None),
            ("POST", "/v1/routes", "[", self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/drivers", "[" * 5000 + "]" * 5000, self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/carriers", b'{"name":"\xff\xfe broken utf-8"}', self.key, None, 400,
             ("invalid_json", "invalid_field"), None),
        ])

    def test_json_that_is_not_an_object_is_400_invalid_json(self):
        ev = f"/v1/shipments/{self.fresh['id']}/events"
        self.refused([
            ("POST", "/v1/shipments", [shipment_body()], self.key, None, 400, "invalid_json", None),
            ("POST", ev, ["processed"], self.key, None, 400, "invalid_json", None),
            ("POST", ev, '"processed"', self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/tenants", '"Acme"', self.server.admin_token, None, 400, "invalid_json", None),
            ("POST", "/v1/carriers", "null", self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/carriers", "42", self.key, None, 400, "invalid_json", None),
            ("POST", "/v1/routes", "true", self.key, None, 400, "invalid_json", None),
        ])

    # ---- 400 missing_field ----

    def test_missing_required_fields_are_named_by_dotted_path(self):
        rb = route_body(self.driver["id"], [self.fresh["id"]])
        self.refused(self.shipment_cases(400, "missing_field", [
            (shipment_body(recipient=None), ("recipient", "recipient.name")),
            (shipment_body(recipient={"phone": "+33612345678"}), "recipient.name"),
            (shipment_body(recipient={"name": None}), "recipient.name"),
            (shipment_body(address=None), ("address", "address.line1")),
            (shipment_body(address={"city": "Monaco", "lat": 43.7, "lon": 7.4}), "address.line1"),
            ({}, ("recipient", "recipient.name", "address", "address.line1")),
        ]) + self.shipment_cases(400, ("missing_field", "invalid_field"), [
            (with_field(shipment_body(), "address.lon", DELETE), "address.lon"),
            (with_field(shipment_body(), "address.lat", DELETE), "address.lat"),
            (shipment_body(promised={"start": "2026-11-23T09:00:00Z"}), "promised.end"),
        ]) + self.event_cases(self.fresh, 400, "missing_field", [
            ({}, "type"),
            ({"note": "no type"}, "type"),
        ]) + self.route_cases(400, "missing_field", [
            (with_field(rb, "driver_id", DELETE), "driver_id"),
            (with_field(rb, "date", DELETE), "date"),
            (with_field(rb, "depot", DELETE), "depot"),
            (with_field(rb, "stops", DELETE), "stops"),
            (with_field(rb, "stops.0.shipment_ids", DELETE), "stops[0].shipment_ids"),
            ({**rb, "depot": {}}, ("depot", "depot.lat", "depot.lon")),
            ({**rb, "breaks": [{"id": "lunch", "duration_s": 1800}]}, "breaks[0].after_stops"),
            ({**rb, "breaks": [{"id": "lunch", "after_stops": 0, "duration_s": 60, "window": {"start": "2026-11-23T12:00:00Z"}}]},
             "breaks[0].window.end"),
        ]) + [
            ("POST", "/v1/tenants", {"brand_color": "#0a7d5a"}, self.server.admin_token, None, 400, "missing_field",
             "name"),
            ("POST", "/v1/carriers", {"code": "nameless"}, self.key, None, 400, "missing_field", "name"),
            ("POST", "/v1/drivers", {"phone": "+37761234567"}, self.key, None, 400, "missing_field", "name"),
            ("POST", "/v1/api-keys", {"name": "no role"}, self.key, None, 400, "missing_field", "role"),
            ("POST", "/v1/api-keys", {"role": "carrier", "name": "no carrier"}, self.key, None, 400,
             "missing_field", "carrier_id"),
        ])

    def test_only_recipient_name_and_address_line1_are_required(self):
        r = self.server.request("POST", "/v1/shipments", {"recipient": {"name": "Mini Mal"},
                                                          "address": {"line1": "1 Rue Basse"}}, token=self.key)
        created = self.assertStatus(r, 201)
        self.assertEqual(created["status"], "created")
        self.assertEqual(created["parcels"], [])
        self.assertIsNone(created["promised"])

    # ---- 400 wrong_type ----

    def test_fields_of_the_wrong_json_type_are_400_wrong_type(self):
        rb = route_body(self.driver["id"], [self.fresh["id"]])
        self.refused(self.shipment_cases(400, "wrong_type", [
            (with_field(shipment_body(), "recipient.name", 42), "recipient.name"),
            (shipment_body(recipient="Marie Dupont"), "recipient"),
            (shipment_body(address=["12 Avenue de la Costa"]), "address"),
            (with_field(shipment_body(), "address.lat", "43.7384"), "address.lat"),
            (with_field(shipment_body(), "address.line1", {"street": "x"}), "address.line1"),
            (shipment_body(parcels={"barcode": "PKG-1"}), "parcels"),
            (shipment_body(parcels=["PKG-1"]), "parcels[0]"),
            (with_field(shipment_body(), "parcels.0.weight_kg", "heavy"), "parcels[0].weight_kg"),
            (with_field(shipment_body(), "promised.start", 1795424400), "promised.start"),
            (shipment_body(external_order_id=1001), "external_order_id"),
            (shipment_body(carrier_id=7), "carrier_id"),
        ]) + self.event_cases(self.fresh, 400, "wrong_type", [
            ({"type": 5}, "type"),
            ({"type": ["processed"]}, "type"),
            ({"type": "processed", "lat": "43.7", "lon": 7.4}, "lat"),
            ({"type": "processed", "at": 1795424400}, "at"),
        ]) + self.route_cases(400, "wrong_type", [
            ({**rb, "stops": "all of them"}, "stops"),
            ({**rb, "stops": ["shp_x"]}, "stops[0]"),
            (with_field(rb, "stops.0.shipment_ids", self.fresh["id"]), "stops[0].shipment_ids"),
            (with_field(rb, "stops.0.shipment_ids", [17]), "stops[0].shipment_ids[0]"),
            (with_field(rb, "stops.0.service_s", "2 minutes"), "stops[0].service_s"),
            ({**rb, "depot": [43.735, 7.421]}, "depot"),
            ({**rb, "driver_id": 12}, "driver_id"),
            ({**rb, "breaks": {"id": "lunch"}}, "breaks"),
            ({**rb, "breaks": ["lunch"]}, "breaks[0]"),
            ({**rb, "breaks": [{"id": "lunch", "after_stops": 1, "duration_s": "half an hour"}]}, "breaks[0].duration_s"),
        ]) + [
            ("POST", "/v1/tenants", {"name": ["Acme"]}, self.server.admin_token, None, 400, "wrong_type", "name"),
            ("POST", "/v1/tenants", {"name": "Typed", "show_driver_within_stops": "two"}, self.server.admin_token,
             None, 400, "wrong_type", "show_driver_within_stops"),
            ("POST", "/v1/carriers", {"name": True}, self.key, None, 400, "wrong_type", "name"),
            ("POST", "/v1/drivers", {"name": "Typed Driver", "phone": 37761234567}, self.key, None, 400,
             "wrong_type", "phone"),
            ("POST", "/v1/api-keys", {"role": 1}, self.key, None, 400, "wrong_type", "role"),
        ])

    # ---- 400 invalid_field ----

    def test_values_out_of_range_or_malformed_are_400_invalid_field(self):
        rb = route_body(self.driver["id"], [self.fresh["id"]])
        self.refused(self.shipment_cases(400, "invalid_field", [
            (with_field(shipment_body(), "address.lat", 91), "address.lat"),
            (with_field(shipment_body(), "address.lat", -90.5), "address.lat"),
            (with_field(shipment_body(), "address.lon", 181), "address.lon"),
            (shipment_body(promised={"start": "2026-11-23T12:00:00Z", "end": "2026-11-23T09:00:00Z"}),
             "promised.end"),
            (shipment_body(promised={"start": "2026-11-23T12:00:00Z", "end": "2026-11-23T12:00:00Z"}),
             "promised.end"),
            (shipment_body(promised={"start": "tomorrow morning", "end": "2026-11-23T12:00:00Z"}), "promised.start"),
            (shipment_body(promised={"start": "2026-11-23T09:00:00Z", "end": "2026-13-23T12:00:00Z"}),
             "promised.end"),
            (with_field(shipment_body(), "recipient.name", ""), "recipient.name"),
            (with_field(shipment_body(), "recipient.name", "M" * 201), "recipient.name"),
        ]) + self.event_cases(self.fresh, 400, "invalid_field", [
            ({"type": "teleported"}, "type"),
            ({"type": "Processed"}, "type"),
            ({"type": ""}, "type"),
            ({"type": "processed", "at": "yesterday"}, "at"),
            ({"type": "processed", "at": "2026-02-30T10:00:00Z"}, "at"),
            ({"type": "processed", "lat": 95, "lon": 7.4}, "lat"),
            ({"type": "processed", "lat": 43.7, "lon": -200}, "lon"),
        ]) + self.route_cases(400, "invalid_field", [
            ({**rb, "date": "2026-13-45"}, "date"),
            ({**rb, "date": "23/11/2026"}, "date"),
            ({**rb, "date": "2026-02-30"}, "date"),
            ({**rb, "depot": {"lat": 100, "lon": 7.4}}, "depot.lat"),
            (with_field(rb, "stops.0.shipment_ids", []), "stops[0].shipment_ids"),
            (with_field(rb, "stops.0.service_s", -5), "stops[0].service_s"),
            # The route has one stop: a break goes before it (0) or after it (1).
            ({**rb, "breaks": [{"id": "lunch", "after_stops": 2, "duration_s": 1800}]}, "breaks[0].after_stops"),
            ({**rb, "breaks": [{"id": "lunch", "after_stops": 1, "duration_s": 0}]}, "breaks[0].duration_s"),
            ({**rb, "breaks": [{"id": "", "after_stops": 1, "duration_s": 60}]}, "breaks[0].id"),
            ({**rb, "breaks": [{"id": "a", "after_stops": 1, "duration_s": 60}, {"id": "a", "after_stops": 1, "duration_s": 60}]},
             "breaks[1].id"),
            ({**rb, "breaks": [{"id": "a", "after_stops": 1, "duration_s": 60}, {"id": "b", "after_stops": 0, "duration_s": 60}]},
             "breaks[1].after_stops"),
            ({**rb, "breaks": [{"id": "a", "after_stops": 1, "duration_s": 60,
                                "window": {"start": "2026-11-23T12:00:00Z", "end": "2026-11-23T11:00:00Z"}}]},
             "breaks[0].window.end"),
        ]) + [
            ("POST", "/v1/tenants", {"name": ""}, self.server.admin_token, None, 400,
             ("invalid_field", "missing_field"), "name"),
            ("POST", "/v1/tenants", {"name": "T" * 201}, self.server.admin_token, None, 400, "invalid_field", "name"),
            ("POST", "/v1/api-keys", {"role": "root"}, self.key, None, 400, "invalid_field", "role"),
            ("POST", "/v1/api-keys", {"role": "superuser"}, self.key, None, 400, "invalid_field", "role"),
            ("POST", "/v1/api-keys", {"role": "driver"}, self.key, None, 400, "invalid_field", "role"),
            ("POST", "/v1/api-keys", {"role": "dispatcher", "carrier_id": self.carrier["id"]}, self.key, None, 400,
             "invalid_field", "carrier_id"),
            ("POST", "/v1/shipments", shipment_body(), self.key, {"Idempotency-Key": "k" * 201}, 400,
             "invalid_field", ("Idempotency-Key", "idempotency-key", "Idempotency-key")),
        ])
        # The milestone "created" is recorded by the creation only.
        self.refused(self.event_cases(self.shipped, 400, "invalid_field", [({"type": "created"}, "type")]))

    # ---- 413 too_large ----

    def test_too_many_items_in_a_list_is_413_too_large(self):
        many_stops = route_body(self.driver["id"], [self.fresh["id"]] * 501)
        big_stop = route_body(self.driver["id"], [[self.fresh["id"]] * 101])
        self.refused([
            ("POST", "/v1/shipments", shipment_body(parcels=[{"barcode": f"P{i}"} for i in range(101)]), self.key,
             None, 413, "too_large", "parcels"),
            ("POST", "/v1/routes", many_stops, self.key, None, 413, "too_large", "stops"),
            ("POST", "/v1/routes", big_stop, self.key, None, 413, "too_large", "stops[0].shipment_ids"),
            ("POST", "/v1/routes", {**route_body(self.driver["id"], [self.fresh["id"]]),
                                    "breaks": [{"id": f"b{i}", "after_stops": 1, "duration_s": 60} for i in range(4)]},
             self.key, None, 413, "too_large", "breaks"),
        ])

    def _oversize_head(self, length=None, chunked=False):
        head = (f"POST /v1/shipments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.key}\r\n"
                "Content-Type: application/json\r\n")
        head += "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {length}\r\n"
        return (head + "\r\n").encode()

    def test_body_over_1_mib_is_413_too_large_and_the_server_stays_up(self):
        filler = b'{"recipient":{"name":"' + b"x" * (ONE_MIB + 100) + b'"},"address":{"line1":"Rue"}}'
        chunks = [filler[i:i + 65536] for i in range(0, len(filler), 65536)]
        with self.subTest("Content-Length over the limit"):
            with self.unchanged(*self.everything()):
                r = self.server.send_raw(self._oversize_head(length=len(filler)), chunks)
                self.assertError(r, 413, "too_large")
        with self.subTest("chunked body over the limit"):
            framed = [f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks] + [b"0\r\n\r\n"]
            with self.unchanged(*self.everything()):
                r = self.server.send_raw(self._oversize_head(chunked=True), framed)
                self.assertError(r, 413, "too_large")
        self.assertStatus(self.server.request("GET", "/healthz"), 200)

    def test_a_small_chunked_body_is_accepted(self):
        body = json.dumps(shipment_body(external_order_id="ERR-CHUNKED")).encode()
        half = len(body) // 2
        framed = [f"{half:x}\r\n".encode() + body[:half] + b"\r\n",
                  f"{len(body) - half:x}\r\n".encode() + body[half:] + b"\r\n", b"0\r\n\r\n"]
        r = self.server.send_raw(self._oversize_head(chunked=True), framed)
        self.assertEqual(self.assertStatus(r, 201)["external_order_id"], "ERR-CHUNKED")

    def test_body_of_exactly_1_mib_is_accepted_and_one_byte_more_is_not(self):
        body = shipment_body(external_order_id="ERR-EXACTLY-1MIB")
        text = json.dumps(body)
        exact = text[:-1] + " " * (ONE_MIB - len(text)) + "}"
        self.assertEqual(len(exact.encode()), ONE_MIB)
        over = text[:-1] + " " * (ONE_MIB + 1 - len(text)) + "}"
        with self.unchanged(*self.everything()):
            r = self.server.send_raw(self._oversize_head(length=len(over)), [over.encode()])
            self.assertError(r, 413, "too_large")
        r = self.server.request("POST", "/v1/shipments", exact, token=self.key)
        created = self.assertStatus(r, 201)
        self.assertEqual(created["external_order_id"], "ERR-EXACTLY-1MIB")

    # ---- 404 not_found ----

    def test_unknown_ids_are_404_not_found(self):
        k = self.key
        rb = route_body(self.driver["id"], [self.fresh["id"]])
        self.refused([
            ("GET", "/v1/shipments/shp_doesnotexist", None, k, None, 404, "not_found", None),
            ("GET", "/v1/shipments/shp_doesnotexist/events", None, k, None, 404, "not_found", None),
            ("POST", "/v1/shipments/shp_doesnotexist/events", {"type": "processed"}, k, None, 404, "not_found", None),
            ("GET", "/v1/shipments/%2e%2e", None, k, None, 404, "not_found", None),
            ("GET", "/v1/carriers/car_doesnotexist", None, k, None, 404, "not_found", None),
            ("GET", "/v1/drivers/drv_doesnotexist", None, k, None, 404, "not_found", None),
            ("GET", "/v1/vehicles/veh_doesnotexist", None, k, None, 404, "not_found", None),
            ("GET", "/v1/routes/rte_doesnotexist", None, k, None, 404, "not_found", None),
            ("POST", "/v1/routes/rte_doesnotexist/start", None, k, None, 404, "not_found", None),
            ("DELETE", "/v1/api-keys/key_doesnotexist", None, k, None, 404, "not_found", None),
            ("POST", "/v1/shipments", shipment_body(carrier_id="car_doesnotexist"), k, None, 404, "not_found", None),
            ("POST", "/v1/drivers", {"name": "Nobody", "carrier_id": "car_doesnotexist"}, k, None, 404,
             "not_found", None),
            ("POST", "/v1/drivers", {"name": "Nobody", "vehicle_id": "veh_doesnotexist"}, k, None, 404,
             "not_found", None),
            ("POST", "/v1/api-keys", {"role": "carrier", "carrier_id": "car_doesnotexist"}, k, None, 404,
             "not_found", None),
            ("POST", "/v1/routes", {**rb, "driver_id": "drv_doesnotexist"}, k, None, 404, "not_found", None),
            ("POST", "/v1/routes", {**rb, "vehicle_id": "veh_doesnotexist"}, k, None, 404, "not_found", None),
            ("POST", "/v1/routes", route_body(self.driver["id"], ["shp_doesnotexist"]), k, None, 404,
             "not_found", None),
            ("POST", "/v1/routes", route_body(self.driver["id"], [[self.fresh["id"], "shp_doesnotexist"]]), k, None,
             404, "not_found", None),
            ("GET", "/v1/track/AAAAAAAAAAAAAAAAAAAAAA", None, None, None, 404, "not_found", None),
        ])

    # ---- 409 illegal_transition and conflict ----

    def test_illegal_milestone_changes_are_409_illegal_transition(self):
        cases = self.event_cases(self.fresh, 409, "illegal_transition", [
            ({"type": t}, "type") for t in ("delivered", "arriving", "attempt_failed", "returned",
                                             "available_for_pickup")])
        cases += self.event_cases(self.shipped, 409, "illegal_transition", [
            ({"type": t}, "type") for t in ("processed", "shipped", "cancelled", "delivered")])
        cases += self.event_cases(self.done, 409, "illegal_transition", [({"type": t}, "type") for t in MILESTONES])
        self.refused(cases)

    def test_starting_a_route_that_is_not_planned_is_409_illegal_transition(self):
        self.refused([("POST", f"/v1/routes/{self.started_route['id']}/start", None, self.key, None, 409,
                       "illegal_transition", None)])

    def test_taken_unique_values_are_409_conflict(self):
        other = make_tenant(self.server)
        self.refused([
            ("POST", "/v1/tenants", {"name": "Errors Shop"}, self.server.admin_token, None, 409, "conflict", "name"),
            ("POST", "/v1/carriers", {"name": "Another", "code": "errors"}, self.key, None, 409, "conflict", "code"),
            ("POST", "/v1/drivers", {"name": "Twin", "device_id": "err-4711"}, self.key, None, 409, "conflict",
             "device_id"),
            ("POST", "/v1/drivers", {"name": "Other Tenant's Twin", "device_id": "err-4711"}, other["api_key"], None,
             409, "conflict", "device_id"),
            ("POST", "/v1/routes", route_body(self.driver["id"], [self.on_route["id"]]), self.key, None, 409,
             ("conflict", "illegal_transition"), None),
        ])

    def test_legal_milestone_paths_of_the_state_machine(self):
        paths = [
            ["processed", "shipped", "out_for_delivery", "arriving", "delivered"],
            ["shipped", "out_for_delivery", "delivered"],
            ["out_for_delivery", "attempt_failed", "out_for_delivery", "arriving", "attempt_failed",
             "available_for_pickup", "delivered"],
            ["exception", "cancelled"],
            ["processed", "cancelled"],
            ["out_for_delivery", "attempt_failed", "returned"],
            ["shipped", "exception"],
            ["out_for_delivery", "arriving", "attempt_failed", "exception"],
            ["exception", "processed", "shipped", "available_for_pickup", "delivered"],
            ["shipped", "exception", "out_for_delivery", "delivered"],
            ["shipped", "exception", "returned"],
            ["shipped", "returned"],
        ]
        for path in paths:
            with self.subTest(path=" → ".join(["created"] + path)):
                sid = make_shipment(self.server, self.key)["id"]
                for milestone in path:
                    r = self.server.request("POST", f"/v1/shipments/{sid}/events", {"type": milestone}, token=self.key)
                    self.assertEqual(self.assertStatus(r, 201)["shipment_status"], milestone)
                shipment = self.server.request("GET", f"/v1/shipments/{sid}", token=self.key).body
                self.assertEqual(shipment["status"], path[-1])
                events = self.server.request("GET", f"/v1/shipments/{sid}/events", token=self.key).body["items"]
                self.assertEqual([e["type"] for e in events], ["created"] + path)
                if path[-1] in ("delivered", "returned", "cancelled"):  # final: nothing more
                    with self.unchanged((self.key, f"/v1/shipments/{sid}"), (self.key, f"/v1/shipments/{sid}/events")):
                        r = self.server.request("POST", f"/v1/shipments/{sid}/events", {"type": "exception"},
                                                token=self.key)
                        self.assertError(r, 409, "illegal_transition", "type")

    def test_racing_changes_let_exactly_one_win(self):
        sid = make_shipment(self.server, self.key)["id"]
        route = make_route(self.server, self.key, self.driver["id"], [make_shipment(self.server, self.key)["id"]])
        for what, method, path, body, winner in (
                ("ten identical milestone posts", "POST", f"/v1/shipments/{sid}/events", {"type": "processed"}, 201),
                ("ten starts of one route", "POST", f"/v1/routes/{route['id']}/start", None, 200)):
            with self.subTest(what):
                replies, barrier = [], threading.Barrier(10)

                def send():
                    barrier.wait()
                    replies.append(self.server.request(method, path, body, token=self.key))

                threads = [threading.Thread(target=send) for _ in range(10)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                self.assertEqual(sorted(r.status for r in replies), [winner] + [409] * 9, [str(r) for r in replies])
                for r in replies:
                    if r.status == 409:
                        self.assertIn(r.error.get("code"), ("illegal_transition", "conflict"))
        events = self.server.request("GET", f"/v1/shipments/{sid}/events", token=self.key).body["items"]
        self.assertEqual([e["type"] for e in events], ["created", "processed"])

    # ---- 401 unauthenticated ----

    def test_missing_wrong_or_revoked_credentials_are_401(self):
        body = shipment_body()
        cases = []
        for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": "Basic dXNlcjpwYXNz"},
                        {"Authorization": "Bearer "}, {"Authorization": "Bearer"},
                        {"Authorization": f"Bearer {self.revoked}"},
                        {"Authorization": f"Bearer {self.key}x"},
                        {"Authorization": f"Bearer {self.key[:-1]}"}):
            cases += [("POST", "/v1/shipments", body, None, headers, 401, "unauthenticated", None),
                      ("GET", "/v1/shipments", None, None, headers, 401, "unauthenticated", None),
                      ("POST", f"/v1/shipments/{self.fresh['id']}/events", {"type": "processed"}, None, headers, 401,
                       "unauthenticated", None)]
        cases += [("POST", "/v1/tenants", {"name": "Sneaky"}, None, {"Authorization": "Bearer not-the-root-token"},
                   401, "unauthenticated", None)]
        self.refused(cases)

    # ---- 403 forbidden ----

    def test_a_role_that_may_not_call_the_route_is_403(self):
        rb = route_body(self.driver["id"], [self.fresh["id"]])
        device = self.driver["device_token"]
        self.refused([
            ("POST", "/v1/carriers", {"name": "Integration Made"}, self.integration, None, 403, "forbidden", None),
            ("GET", "/v1/shipments", None, device, None, 403, "forbidden", None),
            ("POST", "/v1/tenants", {"name": "Dispatcher Made"}, self.dispatcher, None, 403, "forbidden", None),
            ("POST", "/v1/tenants", {"name": "Admin Made"}, self.key, None, 403, "forbidden", None),
            ("POST", "/v1/api-keys", {"role": "tenant_admin"}, self.dispatcher, None, 403, "forbidden", None),
            ("POST", "/v1/routes", rb, self.integration, None, 403, "forbidden", None),
            ("POST", "/v1/shipments", shipment_body(), self.carrier_key, None, 403, "forbidden", None),
            ("POST", "/v1/shipments", shipment_body(), device, None, 403, "forbidden", None),
            ("GET", "/v1/shipments", None, self.server.admin_token, None, 403, "forbidden", None),
            ("POST", "/v1/shipments", shipment_body(), self.server.admin_token, None, 403, "forbidden", None),
        ])

    # ---- 415 unsupported_media_type ----

    def test_a_body_that_is_not_declared_json_is_415(self):
        body = shipment_body(external_order_id="ERR-415")
        cases = [("POST", "/v1/shipments", body, self.key, {"Content-Type": ct}, 415, "unsupported_media_type", None)
                 for ct in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                            "application/xml", "text/json")]
        cases.append(("POST", "/v1/tenants", {"name": "Plain Text Shop"}, self.server.admin_token,
                      {"Content-Type": "text/plain"}, 415, "unsupported_media_type", None))
        self.refused(cases)

    def test_json_with_charset_or_without_content_type_is_accepted(self):
        for ext, headers in (("ERR-CT-1", {"Content-Type": "application/json; charset=utf-8"}),
                             ("ERR-CT-2", {"Content-Type": None})):
            with self.subTest(headers=headers):
                r = self.server.request("POST", "/v1/shipments", shipment_body(external_order_id=ext), token=self.key,
                                        headers=headers)
                self.assertEqual(self.assertStatus(r, 201)["external_order_id"], ext)

    def test_input_times_may_carry_an_offset_and_come_back_in_utc(self):
        body = shipment_body(promised={"start": "2026-11-23T11:00:00+02:00", "end": "2026-11-23T14:00:00+02:00"})
        created = self.assertStatus(self.server.request("POST", "/v1/shipments", body, token=self.key), 201)
        self.assertRegex(created["promised"]["start"], r"^2026-11-23T09:00:00(\.000)?Z$")
        self.assertRegex(created["promised"]["end"], r"^2026-11-23T12:00:00(\.000)?Z$")
        r = self.server.request("POST", f"/v1/shipments/{created['id']}/events",
                                {"type": "processed", "at": "2026-01-05T10:30:00+01:00"}, token=self.key)
        self.assertRegex(self.assertStatus(r, 201)["at"], r"^2026-01-05T09:30:00(\.000)?Z$")

    # ---- 400 bad query parameters ----

    def test_bad_pagination_and_filter_parameters_are_400_invalid_field(self):
        lists = [(self.key, "/v1/shipments"), (self.key, "/v1/carriers"), (self.key, "/v1/drivers"),
                 (self.key, "/v1/vehicles"), (self.key, "/v1/routes"), (self.key, "/v1/api-keys"),
                 (self.server.admin_token, "/v1/tenants")]
        cases = []
        for token, path in lists:
            for bad in ("0", "501", "-1", "abc", "1.5", "10x"):
                cases.append(("GET", f"{path}?limit={bad}", None, token, None, 400, "invalid_field", "limit"))
            for bad in ("garbage", "c", "cZZ", "%00%01"):
                cases.append(("GET", f"{path}?cursor={bad}", None, token, None, 400, "invalid_field", "cursor"))
        cases += [
            ("GET", "/v1/shipments?created_from=yesterday", None, self.key, None, 400, "invalid_field",
             "created_from"),
            ("GET", "/v1/shipments?created_to=2026-02-30", None, self.key, None, 400, "invalid_field", "created_to"),
            ("GET", "/v1/shipments?created_from=2026-11-23T25:00:00Z", None, self.key, None, 400, "invalid_field",
             "created_from"),
            ("GET", "/v1/routes?date=2026-13-01", None, self.key, None, 400, "invalid_field", "date"),
        ]
        self.refused(cases)


if __name__ == "__main__":
    unittest.main()
