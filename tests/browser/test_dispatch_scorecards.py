"""The carrier scorecards page, /dispatch#scorecards (docs/analytics.md, docs/web.md).

The real server with the built web bundle; two carriers with a scripted day (times relative to now):
"Alpen Post" delivers both its shipments on time, "Baie Couriers" one on time and one 45 min late; Alpen
Post has a rate card (per parcel 2.50), the tenant's on-time target is 80 %. In Chromium
(dispatch_scorecards.mjs) the dispatcher opens the page from the top bar and sees the comparison table's
numbers, Baie Couriers highlighted below target, the cost view, the trend and ranking charts.
"""

import time
import unittest

from browser_harness import BrowserTestCase, run_script
from lastmile_server import expect, iso, make_api_key, make_carrier, make_shipment, make_tenant, post_event


class DispatchScorecardsInTheBrowser(BrowserTestCase):
    pages = ("dispatch.html",)

    def test_scorecards_show_the_figures_and_highlight_the_carrier_below_target(self):
        s = self.server
        admin = make_tenant(s)["api_key"]
        key = make_api_key(s, admin, "dispatcher")["api_key"]
        alpen = make_carrier(s, admin, name="Alpen Post")
        baie = make_carrier(s, admin, name="Baie Couriers")
        B = time.time() - 3 * 3600
        window = {"start": iso(B - 3600), "end": iso(B + 3600)}
        for carrier, minutes in ((alpen, 10), (alpen, 30), (baie, 20), (baie, 105)):
            sh = make_shipment(s, admin, carrier_id=carrier["id"], promised=window)
            post_event(s, admin, sh["id"], "out_for_delivery", at=iso(B))
            post_event(s, admin, sh["id"], "delivered", at=iso(B + minutes * 60))
        expect(s.request("PUT", f"/v1/carriers/{alpen['id']}/rate-card",
                         {"per_stop": 0, "per_km": 0, "per_parcel": 2.5}, token=admin), 200, "rate card")
        expect(s.request("PUT", "/v1/analytics/targets", {"on_time_rate": 80}, token=admin), 200, "targets")
        deadline = time.monotonic() + 15
        while True:  # the aggregator folds the events within about a second
            items = expect(s.request("GET", "/v1/analytics/carriers", token=key, params={"group": "total"}), 200,
                           "analytics")["items"]
            if sum(i["deliveries"] for i in items) == 4 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        config = {"base_url": s.base_url, "api_key": key, "alpen": alpen["id"], "baie": baie["id"]}
        run_script(self, "dispatch_scorecards.mjs", config, server=s)


if __name__ == "__main__":
    unittest.main()
