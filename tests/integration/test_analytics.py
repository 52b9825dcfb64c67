"""Carrier and driver analytics through the public API (docs/analytics.md): a hand-computed scripted day
(two carriers, two drivers, two routes, four shipments, surveys) against GET /v1/analytics/carriers and
/drivers (JSON and CSV), rate cards and cost, targets and below_target marks, a carrier key's own view,
bad parameters, tenant isolation; and kill -9 while the aggregator folds → the same figures after restart.

Times are relative to now (the server refuses events in the future): B = now − 3 h; the figures are read
with group=total over yesterday..tomorrow, so they do not depend on where midnight falls.
"""

import csv
import io
import time
import unittest
from datetime import datetime, timedelta, timezone

from lastmile_server import (LastmileServer, ServerTestCase, expect, iso, make_api_key, make_carrier, make_driver,
                             make_route, make_shipment, make_tenant, post_event)

WAIT_S = 15.0


def day(offset_days):
    return (datetime.now(timezone.utc) + timedelta(days=offset_days)).strftime("%Y-%m-%d")


def wait_for(read, predicate, what):
    """Polls `read()` until `predicate(value)` (the aggregator runs every second); returns the value."""
    deadline = time.monotonic() + WAIT_S
    value = read()
    while not predicate(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still {value}")
        time.sleep(0.2)
        value = read()
    return value


class Analytics(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        tenant = make_tenant(s)
        cls.key = key = tenant["api_key"]
        cls.a = make_carrier(s, key, name='Acme, "Fast" Ltd')
        cls.b = make_carrier(s, key, name="Beta Couriers")
        cls.da = make_driver(s, key, name="Ana", carrier_id=cls.a["id"])
        cls.db = make_driver(s, key, name="Bo", carrier_id=cls.b["id"])
        B = time.time() - 3 * 3600
        at = lambda minutes: iso(B + minutes * 60)  # noqa: E731
        window = {"start": at(-120), "end": at(60)}

        def shipment(carrier, promised=window):
            return make_shipment(s, key, carrier_id=carrier["id"], promised=promised)

        a1, a2, b1 = shipment(cls.a), shipment(cls.a), shipment(cls.b)
        b2 = shipment(cls.b, promised=None)
        make_route(s, key, cls.da["id"], [a1["id"], a2["id"]])
        make_route(s, key, cls.db["id"], [b1["id"]])
        for sh in (a1, a2, b1, b2):
            post_event(s, key, sh["id"], "out_for_delivery", at=at(0))
        post_event(s, key, a1["id"], "delivered", at=at(30))       # on time
        post_event(s, key, a2["id"], "attempt_failed", at=at(40))  # route of Ana done: 2 stops
        post_event(s, key, a2["id"], "out_for_delivery", at=at(50))
        post_event(s, key, a2["id"], "delivered", at=at(90))       # 30 min late, second attempt
        post_event(s, key, b1["id"], "delivered", at=at(75))       # 15 min late; route of Bo done: 1 stop
        post_event(s, key, b2["id"], "delivered", at=at(20))       # no window
        expect(s.request("POST", f"/v1/track/{a1['tracking_token']}/survey", {"stars": 5, "nps": 9}), 201, "survey")
        expect(s.request("POST", f"/v1/track/{b1['tracking_token']}/survey", {"stars": 2}), 201, "survey")
        cls.other_key = make_tenant(s)["api_key"]

    def figures(self, path="/v1/analytics/carriers", token=None, **params):
        q = {"from": day(-1), "to": day(1), "group": "total", **params}
        return self.server.request("GET", path, token=token or self.key, params=q)

    def settled(self, path="/v1/analytics/carriers", deliveries=4):
        """The items once the scripted day is folded: 4 deliveries per carrier, 3 per driver (b2 has no
        route), and both surveys."""
        return wait_for(lambda: self.assertStatus(self.figures(path), 200)["items"],
                        lambda items: sum(i["deliveries"] for i in items) == deliveries and
                        sum(i["surveys"] for i in items) == 2, "analytics after the scripted day")

    def by_name(self, items):
        return {i["name"]: i for i in items}

    def test_carrier_figures_match_the_hand_computed_day(self):
        items = self.by_name(self.settled())
        self.assertEqual(set(items), {'Acme, "Fast" Ltd', "Beta Couriers"})
        a, b = items['Acme, "Fast" Ltd'], items["Beta Couriers"]
        # Acme: a1 on time at the first attempt, a2 30 min late at the second.
        self.assertEqual((a["deliveries"], a["on_time_rate"], a["first_attempt_rate"]), (2, 50.0, 50.0))
        self.assertEqual((a["lateness_p50_min"], a["lateness_p90_min"]), (0, 30))
        self.assertEqual(a["exceptions_per_100"]["attempt_failed"], 50.0)  # a2: 1 per 2 deliveries
        self.assertEqual((a["surveys"], a["csat"], a["nps"]), (1, 100.0, 100.0))  # 5★, NPS 9
        self.assertEqual((a["routes"], a["stops"], a["parcels"], a["period"]), (1, 2, 2, "total"))
        self.assertIsNone(a["tracking_quality"])  # the route was never started
        # Beta: b1 15 min late, b2 without a window; both at the first attempt.
        self.assertEqual((b["deliveries"], b["on_time_rate"], b["first_attempt_rate"]), (2, 0.0, 100.0))
        self.assertEqual((b["lateness_p50_min"], b["lateness_p90_min"]), (15, 15))
        self.assertEqual((b["csat"], b["nps"]), (0.0, None))
        self.assertEqual(b["exceptions_per_100"]["low_rating"], 50.0)
        self.assertEqual((b["routes"], b["stops"]), (1, 1))

    def test_rate_card_prices_stops_km_and_parcels(self):
        self.settled()
        path = f"/v1/carriers/{self.a['id']}/rate-card"
        self.assertIsNone(self.assertStatus(self.server.request("GET", f"/v1/carriers/{self.b['id']}/rate-card",
                                                                 token=self.key), 200)["rate_card"])
        card = {"per_stop": 3, "per_km": 1, "per_parcel": 0.5, "currency": "EUR"}
        self.assertStatus(self.server.request("PUT", path, card, token=self.key), 200)
        self.assertEqual(self.assertStatus(self.server.request("GET", path, token=self.key), 200)["rate_card"], card)
        a = self.by_name(self.assertStatus(self.figures(), 200)["items"])['Acme, "Fast" Ltd']
        self.assertEqual((a["cost"], a["cost_per_delivery"], a["currency"]), (7.0, 3.5, "EUR"))  # 2×3 + 0 km + 2×0.5
        bad = self.server.request("PUT", path, dict(card, per_stop=-1), token=self.key)
        self.assertError(bad, 400, "invalid_field", "per_stop")
        self.assertError(self.server.request("PUT", path, {"per_stop": 1}, token=self.key), 400, "missing_field",
                         "per_km")
        self.assertEqual(self.assertStatus(self.server.request("GET", path, token=self.key), 200)["rate_card"], card)
        self.assertError(self.server.request("PUT", path, card, token=self.other_key), 404, "not_found")
        self.assertError(self.server.request("GET", path, token=self.other_key), 404, "not_found")

    def test_targets_mark_carriers_below_them(self):
        self.settled()
        targets = {"on_time_rate": 40, "csat": 90}
        self.assertStatus(self.server.request("PUT", "/v1/analytics/targets", targets, token=self.key), 200)
        got = self.assertStatus(self.server.request("GET", "/v1/analytics/targets", token=self.key), 200)["targets"]
        self.assertEqual((got["on_time_rate"], got["csat"], got["nps"]), (40, 90, None))
        items = self.by_name(self.assertStatus(self.figures(), 200)["items"])
        self.assertEqual(items['Acme, "Fast" Ltd']["below_target"], [])
        self.assertEqual(items["Beta Couriers"]["below_target"], ["on_time_rate", "csat"])
        self.assertError(self.server.request("PUT", "/v1/analytics/targets", {"csat": 101}, token=self.key), 400,
                         "invalid_field", "csat")
        self.assertError(self.server.request("PUT", "/v1/analytics/targets", {"speed": 1}, token=self.key), 400,
                         "invalid_field", "speed")
        dispatcher = make_api_key(self.server, self.key, "dispatcher")["api_key"]
        self.assertEqual(self.server.request("PUT", "/v1/analytics/targets", targets, token=dispatcher).status, 403)
        self.assertStatus(self.figures(token=dispatcher), 200)

    def test_drivers_per_day_and_carrier_filter(self):
        items = self.by_name(self.settled("/v1/analytics/drivers", deliveries=3))
        self.assertEqual((items["Ana"]["deliveries"], items["Ana"]["carrier_id"]), (2, self.a["id"]))
        self.assertEqual((items["Bo"]["deliveries"], items["Bo"]["on_time_rate"]), (1, 0.0))
        only_b = self.assertStatus(self.figures("/v1/analytics/drivers", carrier_id=self.b["id"]), 200)["items"]
        self.assertEqual([i["name"] for i in only_b], ["Bo"])
        days = self.assertStatus(self.figures(group="day"), 200)["items"]
        self.assertEqual(sum(i["deliveries"] for i in days), 4)
        self.assertTrue(all(len(i["period"]) == 10 for i in days))
        weeks = self.assertStatus(self.figures(group="week"), 200)["items"]
        self.assertTrue(all("-W" in i["period"] for i in weeks))

    def test_a_carrier_key_sees_its_own_figures_only(self):
        self.settled()
        carrier_key = make_api_key(self.server, self.key, "carrier", carrier_id=self.a["id"])["api_key"]
        mine = self.assertStatus(self.figures(token=carrier_key), 200)["items"]
        self.assertEqual([i["carrier_id"] for i in mine], [self.a["id"]])
        drivers = self.assertStatus(self.figures("/v1/analytics/drivers", token=carrier_key), 200)["items"]
        self.assertEqual([i["name"] for i in drivers], ["Ana"])
        self.assertError(self.figures(token=carrier_key, carrier_id=self.b["id"]), 404, "not_found")
        self.assertError(self.server.request("GET", f"/v1/carriers/{self.b['id']}/rate-card", token=carrier_key),
                         404, "not_found")
        self.assertEqual(self.server.request("PUT", "/v1/analytics/targets", {}, token=carrier_key).status, 403)

    def test_csv_export_quotes_fields(self):
        self.settled()
        for params, headers in (({"format": "csv"}, None), ({}, {"Accept": "text/csv"})):
            r = self.server.request("GET", "/v1/analytics/carriers", token=self.key, headers=headers,
                                    params={"from": day(-1), "to": day(1), "group": "total", **params})
            self.assertEqual(r.status, 200, str(r))
            self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
            text = r.body if isinstance(r.body, str) else r.body.decode()
            self.assertIn('"Acme, ""Fast"" Ltd"', text)
            self.assertIn("\r\n", text)
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            by = {row["name"]: row for row in rows}
            self.assertEqual((by['Acme, "Fast" Ltd']["deliveries"], by["Beta Couriers"]["on_time_rate"]), ("2", "0"))

    def test_bad_parameters_are_400_with_the_field(self):
        cases = [({"from": "2026-02-30"}, "from"), ({"to": "yesterday"}, "to"),
                 ({"from": day(1), "to": day(-1)}, "from"), ({"from": "2024-01-01", "to": "2025-06-01"}, "to"),
                 ({"group": "month"}, "group"), ({"format": "xml"}, "format")]
        for params, field in cases:
            self.assertError(self.figures(**params), 400, "invalid_field", field)
        self.assertError(self.figures(carrier_id="car_unknown"), 404, "not_found")
        self.assertError(self.figures(carrier_id=self.a["id"], token=self.other_key), 404, "not_found")

    def test_other_tenants_see_nothing(self):
        self.settled()
        self.assertEqual(self.assertStatus(self.figures(token=self.other_key), 200)["items"], [])
        self.assertEqual(self.assertStatus(self.figures("/v1/analytics/drivers", token=self.other_key), 200)["items"],
                         [])


class AnalyticsCrash(unittest.TestCase):
    def test_kill_9_while_folding_neither_loses_nor_double_counts(self):
        server = LastmileServer().start()
        self.addCleanup(server.close)
        key = make_tenant(server)["api_key"]
        carrier = make_carrier(server, key)
        n = 120
        B = time.time() - 3600
        for i in range(n):
            sh = make_shipment(server, key, carrier_id=carrier["id"], promised=None)
            post_event(server, key, sh["id"], "out_for_delivery", at=iso(B))
            post_event(server, key, sh["id"], "delivered", at=iso(B + 60))
            if i == n // 2:
                server.kill()  # mid-stream: the aggregator may be inside a batch
                server.start()

        def deliveries():
            r = server.request("GET", "/v1/analytics/carriers", token=key,
                               params={"from": day(-1), "to": day(1), "group": "total"})
            items = expect(r, 200, "carrier analytics")["items"]
            return items[0]["deliveries"] if items else 0

        self.assertEqual(wait_for(deliveries, lambda d: d >= n, "deliveries"), n)
        server.kill()
        server.start()
        time.sleep(1.5)  # a pass of the restarted aggregator: nothing left to fold
        self.assertEqual(deliveries(), n)


if __name__ == "__main__":
    unittest.main()
