"""Idempotent creation (Idempotency-Key, external_order_id) and list pagination and filters."""

import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

from lastmile_server import (ServerTestCase, expect, list_all, make_carrier, make_driver, make_route, make_shipment,
                             make_tenant, post_event, route_body, shipment_body)


def ids(items):
    return [i["id"] for i in items]


def iso(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


class IdempotencyTest(ServerTestCase):

    def setUp(self):
        self.tenant = make_tenant(self.server)
        self.key = self.tenant["api_key"]

    def count(self, path="/v1/shipments", **params):
        return len(list_all(self.server, path, self.key, **params))

    def test_same_key_and_body_replays_the_first_answer_and_creates_one_shipment(self):
        s = self.server
        body = shipment_body(recipient={"name": "Iris Idem"})
        first = s.request("POST", "/v1/shipments", body, token=self.key, headers={"Idempotency-Key": "order-42"})
        created = self.assertStatus(first, 201)
        for _ in range(3):
            again = s.request("POST", "/v1/shipments", body, token=self.key, headers={"Idempotency-Key": "order-42"})
            self.assertEqual(again.status, first.status)
            self.assertEqual(again.body, first.body)
        self.assertEqual(self.count(), 1)
        self.assertEqual(ids(list_all(s, "/v1/shipments", self.key)), [created["id"]])
        events = s.request("GET", f"/v1/shipments/{created['id']}/events", token=self.key).body["items"]
        self.assertEqual([e["type"] for e in events], ["created"], "one created event, not one per replay")

    def test_same_key_with_a_different_body_is_409_idempotency_conflict(self):
        s = self.server
        first = expect(s.request("POST", "/v1/shipments", shipment_body(recipient={"name": "First Body"}),
                                 token=self.key, headers={"Idempotency-Key": "order-43"}), 201, "first")
        with self.unchanged((self.key, "/v1/shipments?limit=500"), (self.key, f"/v1/shipments/{first['id']}")):
            r = s.request("POST", "/v1/shipments", shipment_body(recipient={"name": "Second Body"}), token=self.key,
                          headers={"Idempotency-Key": "order-43"})
            self.assertError(r, 409, "idempotency_conflict")
        self.assertEqual(self.count(), 1)

    def test_a_key_of_another_tenant_is_a_different_key(self):
        s = self.server
        other = make_tenant(s)
        body = shipment_body()
        mine = expect(s.request("POST", "/v1/shipments", body, token=self.key, headers={"Idempotency-Key": "shared"}),
                      201, "mine")
        theirs = expect(s.request("POST", "/v1/shipments", body, token=other["api_key"],
                                  headers={"Idempotency-Key": "shared"}), 201, "theirs")
        self.assertNotEqual(mine["id"], theirs["id"], "another tenant must never get my replayed answer")
        self.assertEqual(self.count(), 1)

    def test_concurrent_retries_with_one_key_create_one_shipment(self):
        s = self.server
        body = shipment_body(recipient={"name": "Rita Race"})
        replies = []

        def send():
            replies.append(s.request("POST", "/v1/shipments", body, token=self.key,
                                     headers={"Idempotency-Key": "race-1"}))

        threads = [threading.Thread(target=send) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ok = [r for r in replies if r.status in (200, 201)]
        self.assertTrue(ok, [str(r) for r in replies])
        self.assertEqual({r.body["id"] for r in ok}, {ok[0].body["id"]})
        for r in replies:
            if r.status not in (200, 201):
                self.assertEqual(r.status, 409, str(r))  # "in flight, retry" is acceptable, a 5xx is not
        self.assertEqual(self.count(), 1)

    def test_idempotency_key_also_guards_other_creates(self):
        s = self.server
        carrier_body = {"name": "Idem Couriers"}
        c1 = s.request("POST", "/v1/carriers", carrier_body, token=self.key, headers={"Idempotency-Key": "car-1"})
        c2 = s.request("POST", "/v1/carriers", carrier_body, token=self.key, headers={"Idempotency-Key": "car-1"})
        self.assertStatus(c1, 201)
        self.assertEqual((c2.status, c2.body), (c1.status, c1.body))
        self.assertEqual(self.count("/v1/carriers"), 1)

        d_body = {"name": "Ivo Idem"}
        d1 = s.request("POST", "/v1/drivers", d_body, token=self.key, headers={"Idempotency-Key": "drv-1"})
        d2 = s.request("POST", "/v1/drivers", d_body, token=self.key, headers={"Idempotency-Key": "drv-1"})
        self.assertStatus(d1, 201)
        self.assertEqual((d2.status, d2.body), (d1.status, d1.body))
        self.assertEqual(self.count("/v1/drivers"), 1)

        sid = make_shipment(s, self.key)["id"]
        r_body = route_body(d1.body["id"], [sid])
        r1 = s.request("POST", "/v1/routes", r_body, token=self.key, headers={"Idempotency-Key": "rte-1"})
        r2 = s.request("POST", "/v1/routes", r_body, token=self.key, headers={"Idempotency-Key": "rte-1"})
        self.assertStatus(r1, 201)
        self.assertEqual((r2.status, r2.body), (r1.status, r1.body))
        self.assertEqual(self.count("/v1/routes"), 1)

    def test_a_retried_milestone_post_is_recorded_once(self):
        # An offline driver app or an OMS retries a status post it never saw answered. Events take no
        # Idempotency-Key (docs/api.md lists the creates that do); the state machine refuses the repeat.
        s = self.server
        sid = make_shipment(s, self.key)["id"]
        e1 = s.request("POST", f"/v1/shipments/{sid}/events", {"type": "processed"}, token=self.key,
                       headers={"Idempotency-Key": "evt-1"})
        self.assertStatus(e1, 201)
        with self.unchanged((self.key, f"/v1/shipments/{sid}"), (self.key, f"/v1/shipments/{sid}/events")):
            e2 = s.request("POST", f"/v1/shipments/{sid}/events", {"type": "processed"}, token=self.key,
                           headers={"Idempotency-Key": "evt-1"})
            self.assertError(e2, 409, "illegal_transition", "type")
        events = s.request("GET", f"/v1/shipments/{sid}/events", token=self.key).body["items"]
        self.assertEqual([e["type"] for e in events], ["created", "processed"])

    def test_an_existing_external_order_id_returns_the_existing_shipment_with_200(self):
        s = self.server
        first = make_shipment(s, self.key, external_order_id="SO-2001")
        for body in (shipment_body(external_order_id="SO-2001"),
                     shipment_body(external_order_id="SO-2001", recipient={"name": "Somebody Else"})):
            with self.subTest(body=body["recipient"]["name"]):
                r = s.request("POST", "/v1/shipments", body, token=self.key)
                self.assertEqual(r.status, 200, str(r))
                self.assertEqual(r.body["id"], first["id"])
                self.assertEqual(r.body["tracking_number"], first["tracking_number"])
                self.assertEqual(r.body["tracking_token"], first["tracking_token"])
                self.assertEqual(r.body["recipient"]["name"], "Marie Dupont", "the existing shipment, unchanged")
        self.assertEqual(self.count(), 1)
        self.assertEqual(s.request("GET", f"/v1/shipments/{first['id']}", token=self.key).body, first)


class PaginationTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.tenant = make_tenant(s, name="Paging Shop")
        cls.key = cls.tenant["api_key"]
        cls.carrier = make_carrier(s, cls.key, name="Paging Couriers")
        cls.created = []  # oldest first
        errors = []
        lock = threading.Lock()

        def create(i):
            body = shipment_body(external_order_id=f"PG-{i:03d}",
                                 recipient={"name": f"Customer {i:03d} {'Quintavalle' if i % 10 == 0 else 'Rossi'}"},
                                 carrier_id=cls.carrier["id"] if i % 3 == 0 else None)
            r = s.request("POST", "/v1/shipments", body, token=cls.key)
            with lock:
                (cls.created.append(r.body) if r.status == 201 else errors.append(str(r)))

        for i in range(120):  # sequential: "newest first" is then the reverse of this order
            create(i)
        if errors:
            raise AssertionError(f"creating the 120 shipments failed: {errors[:3]}")

    def page(self, token=None, **params):
        return expect(self.server.request("GET", "/v1/shipments", token=token or self.key, params=params), 200,
                      f"list {params}")

    def test_120_shipments_in_pages_of_50_50_20_newest_first(self):
        p1 = self.page(limit=50)
        p2 = self.page(limit=50, cursor=p1["next_cursor"])
        p3 = self.page(limit=50, cursor=p2["next_cursor"])
        self.assertEqual([len(p["items"]) for p in (p1, p2, p3)], [50, 50, 20])
        self.assertIsInstance(p1["next_cursor"], str)
        self.assertIsInstance(p2["next_cursor"], str)
        self.assertIsNone(p3["next_cursor"])
        seen = ids(p1["items"]) + ids(p2["items"]) + ids(p3["items"])
        self.assertEqual(len(seen), len(set(seen)), "no duplicates across pages")
        self.assertEqual(seen, [c["id"] for c in reversed(self.created)], "every shipment once, newest first")

    def test_default_limit_is_50_and_limits_1_and_500_work(self):
        p = self.page()
        self.assertEqual(len(p["items"]), 50)
        self.assertIsNotNone(p["next_cursor"])
        everything = self.page(limit=500)
        self.assertEqual(len(everything["items"]), 120)
        self.assertIsNone(everything["next_cursor"])
        one = self.page(limit=1)
        self.assertEqual(ids(one["items"]), [self.created[-1]["id"]])
        two = self.page(limit=1, cursor=one["next_cursor"])
        self.assertEqual(ids(two["items"]), [self.created[-2]["id"]])
        exact = self.page(limit=120)
        self.assertEqual(len(exact["items"]), 120)
        if exact["next_cursor"] is not None:  # a last page that happens to be full may offer an empty next page
            self.assertEqual(self.page(limit=120, cursor=exact["next_cursor"]), {"items": [], "next_cursor": None})

    def test_pages_do_not_shift_when_shipments_are_created_meanwhile(self):
        s = self.server
        tenant = make_tenant(s)
        made = [make_shipment(s, tenant["api_key"], external_order_id=f"SH-{i}")["id"] for i in range(12)]
        p1 = self.page(token=tenant["api_key"], limit=5)
        for i in range(3):
            make_shipment(s, tenant["api_key"], external_order_id=f"NEW-{i}")
        p2 = self.page(token=tenant["api_key"], limit=5, cursor=p1["next_cursor"])
        p3 = self.page(token=tenant["api_key"], limit=5, cursor=p2["next_cursor"])
        self.assertEqual(ids(p1["items"]) + ids(p2["items"]) + ids(p3["items"]), list(reversed(made)))
        self.assertIsNone(p3["next_cursor"])

    def test_other_lists_page_the_same_way(self):
        s = self.server
        tenant = make_tenant(s)
        made = [make_carrier(s, tenant["api_key"], name=f"Carrier {i:02d}")["id"] for i in range(7)]
        p1 = expect(s.request("GET", "/v1/carriers", token=tenant["api_key"], params={"limit": 4}), 200, "carriers 1")
        p2 = expect(s.request("GET", "/v1/carriers", token=tenant["api_key"],
                              params={"limit": 4, "cursor": p1["next_cursor"]}), 200, "carriers 2")
        self.assertEqual(ids(p1["items"]) + ids(p2["items"]), list(reversed(made)))
        self.assertIsNone(p2["next_cursor"])

    def test_filter_by_status(self):
        s = self.server
        moved = [self.created[i]["id"] for i in (5, 17, 64, 99)]
        for sid in moved:
            post_event(s, self.key, sid, "processed")
        processed = list_all(s, "/v1/shipments", self.key, status="processed")
        self.assertEqual(ids(processed), list(reversed(moved)))
        self.assertTrue(all(i["status"] == "processed" for i in processed))
        paged = self.page(status="processed", limit=3)
        rest = self.page(status="processed", limit=3, cursor=paged["next_cursor"])
        self.assertEqual(ids(paged["items"]) + ids(rest["items"]), list(reversed(moved)))
        self.assertIsNone(rest["next_cursor"])
        self.assertEqual(self.page(status="delivered", limit=500)["items"], [])
        created = list_all(s, "/v1/shipments", self.key, status="created")
        self.assertEqual(len(created), 120 - len(moved))

    def test_filter_by_carrier(self):
        mine = list_all(self.server, "/v1/shipments", self.key, carrier_id=self.carrier["id"])
        expected = [c["id"] for c in reversed(self.created) if c["carrier_id"] == self.carrier["id"]]
        self.assertEqual(len(expected), 40)
        self.assertEqual(ids(mine), expected)
        self.assertEqual(list_all(self.server, "/v1/shipments", self.key, carrier_id="car_nobody"), [])

    def test_filter_by_route(self):
        s = self.server
        driver = make_driver(s, self.key, name="Paolo Paging")
        on_route = [self.created[i]["id"] for i in (1, 2, 50)]
        route = make_route(s, self.key, driver["id"], [[on_route[0], on_route[1]], on_route[2]])
        self.assertEqual(set(ids(list_all(s, "/v1/shipments", self.key, route_id=route["id"]))), set(on_route))

    def test_routes_filter_by_driver_and_date(self):
        s = self.server
        d1 = make_driver(s, self.key, name="Rosa Routes")
        d2 = make_driver(s, self.key, name="Remo Routes")
        r1 = make_route(s, self.key, d1["id"], [self.created[80]["id"]], date="2026-11-23")
        r2 = make_route(s, self.key, d1["id"], [self.created[81]["id"]], date="2026-11-24")
        r3 = make_route(s, self.key, d2["id"], [self.created[82]["id"]], date="2026-11-23")
        self.assertEqual(ids(list_all(s, "/v1/routes", self.key, driver_id=d1["id"])), [r2["id"], r1["id"]])
        self.assertEqual(set(ids(list_all(s, "/v1/routes", self.key, date="2026-11-23"))) & {r1["id"], r2["id"], r3["id"]},
                         {r1["id"], r3["id"]})
        self.assertEqual(ids(list_all(s, "/v1/routes", self.key, driver_id=d2["id"], date="2026-11-23")), [r3["id"]])
        self.assertEqual(list_all(s, "/v1/routes", self.key, driver_id=d2["id"], date="2026-11-24"), [])

    def test_filter_q_by_tracking_number_external_id_or_part_of_the_name(self):
        target = self.created[42]
        by_number = list_all(self.server, "/v1/shipments", self.key, q=target["tracking_number"])
        self.assertEqual(ids(by_number), [target["id"]])
        by_external = list_all(self.server, "/v1/shipments", self.key, q="PG-042")
        self.assertEqual(ids(by_external), [target["id"]])
        by_name = list_all(self.server, "/v1/shipments", self.key, q="Quintavalle")
        self.assertEqual(ids(by_name), [c["id"] for c in reversed(self.created) if c["external_order_id"].endswith("0")])
        self.assertEqual(len(by_name), 12)
        part = list_all(self.server, "/v1/shipments", self.key, q="tavall")
        self.assertEqual(ids(part), ids(by_name), "part of the recipient's name matches")
        self.assertEqual(list_all(self.server, "/v1/shipments", self.key, q="Nobody-Has-This-Name"), [])
        for literal in ("%", "_", "Customer%Rossi", "100%_'\"; DROP TABLE shipments;--"):
            with self.subTest(q=literal):  # q is text, not a LIKE pattern or SQL
                self.assertEqual(list_all(self.server, "/v1/shipments", self.key, q=literal), [])
        self.assertEqual(len(list_all(self.server, "/v1/shipments", self.key)), 120)

    def test_filter_by_creation_time(self):
        s = self.server
        tenant = make_tenant(s)
        key = tenant["api_key"]
        early = [make_shipment(s, key)["id"] for _ in range(3)]
        time.sleep(1.1)
        t1 = datetime.now(timezone.utc)
        time.sleep(0.2)
        middle = [make_shipment(s, key)["id"] for _ in range(3)]
        time.sleep(0.2)
        t2 = datetime.now(timezone.utc)
        time.sleep(1.1)
        late = [make_shipment(s, key)["id"] for _ in range(3)]

        def listed(**params):
            return set(ids(list_all(s, "/v1/shipments", key, **params)))

        self.assertEqual(listed(created_from=iso(t1)), set(middle + late))
        self.assertEqual(listed(created_to=iso(t2)), set(early + middle))
        self.assertEqual(listed(created_from=iso(t1), created_to=iso(t2)), set(middle))
        plus2 = t1.astimezone(timezone(timedelta(hours=2))).isoformat(timespec="milliseconds")
        self.assertEqual(listed(created_from=plus2), set(middle + late), f"an offset is accepted: {plus2}")
        today = datetime.now(timezone.utc).date()
        yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
        self.assertEqual(listed(created_from=yesterday.isoformat()), set(early + middle + late))
        self.assertEqual(listed(created_from=tomorrow.isoformat()), set())
        self.assertEqual(listed(created_to=yesterday.isoformat()), set())
        self.assertEqual(listed(created_from=iso(t2), created_to=iso(t1)), set())


if __name__ == "__main__":
    unittest.main()
