"""The dashboard's routes panel (docs/web.md).

The real server with the Monaco map and the built web bundle; a planned route of three stops in a
zigzag order with a 30-minute lunch after the first stop and a rest at the end, and another driver's
route. In Chromium (dispatch_routes.mjs) the dispatcher opens the route and sees its stops in visiting
order with each break where it is taken; presses "Resequence", accepts the shorter order, and sees the
route as REST now has it; after a reassignment over REST moves the last stop to the other route,
opening the route again shows two stops with the breaks where REST has them, the rest still at the end.
"""

import time
import unittest

from browser_harness import BrowserTestCase, run_script
from lastmile_server import (MONACO_DEPOT, MONACO_POINTS, expect, iso, make_api_key, make_driver, make_shipment,
                             make_tenant, monaco_address)

DEPOT, POINTS, address = MONACO_DEPOT, MONACO_POINTS, monaco_address


class DispatchRoutesInTheBrowser(BrowserTestCase):
    pages = ("dispatch.html",)

    def test_a_dispatcher_sees_a_routes_stops_and_breaks_in_order(self):
        s = self.server
        admin = make_tenant(s)["api_key"]
        key = make_api_key(s, admin, "dispatcher")["api_key"]
        now = time.time()
        date = time.strftime("%Y-%m-%d", time.gmtime(now))
        wide = {"start": iso(now - 3600), "end": iso(now + 8 * 3600)}
        # The route zigzags: the far north-east point, the one next to the depot, then one in between.
        points = [POINTS[3], POINTS[2], POINTS[1], POINTS[0]]
        ids = [make_shipment(s, key, address=address(p), external_order_id=f"RT-{i}", promised=wide)["id"]
               for i, p in enumerate(points)]
        driver = make_driver(s, key, name="Giulia Verdi")
        other_driver = make_driver(s, key, name="Marco Neri")
        lunch = {"id": "lunch", "after_stops": 1, "duration_s": 1800,
                 "window": {"start": iso(now + 3600), "end": iso(now + 2 * 3600)}}
        rest = {"id": "rest", "after_stops": 3, "duration_s": 600}
        body = {"driver_id": driver["id"], "date": date, "depot": DEPOT, "breaks": [lunch, rest],
                "stops": [{"shipment_ids": [i], "service_s": 300} for i in ids[:3]]}
        route = expect(s.request("POST", "/v1/routes", body, token=key), 201, "route")
        other = expect(s.request("POST", "/v1/routes", {
            "driver_id": other_driver["id"], "date": date, "depot": DEPOT,
            "stops": [{"shipment_ids": [ids[3]], "service_s": 300}]}, token=key), 201, "other route")
        config = {"base_url": s.base_url, "api_key": key, "route_id": route["id"], "other_route_id": other["id"],
                  "stops": [st["id"] for st in route["stops"]]}
        run_script(self, "dispatch_routes.mjs", config, server=s)


if __name__ == "__main__":
    unittest.main()
