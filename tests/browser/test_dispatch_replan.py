"""The dashboard's re-planning action on a late_risk case (docs/web.md, docs/optimization.md).

The real server with the Monaco road network and the built web bundle; a started route of four stops
of 15 minutes each whose last stop's promise ends 20 minutes from now, the driver's pings at the
depot, so the live ETA raises late_risk on that stop. In Chromium (dispatch_replan.mjs) the dispatcher
opens the case, presses "Resequence", sees the before/after in the confirmation (with where the
driver's 30-minute lunch is taken) and accepts it; REST then shows the tight stop moved forward, the
lunch stored where the confirmation said, and an eta_changed event for its customer.
"""

import time
import unittest

from browser_harness import BrowserTestCase, run_script
from lastmile_server import (MONACO_DEPOT, MONACO_POINTS, expect, iso, make_api_key, make_driver, make_shipment,
                             make_tenant, monaco_address, post_event)

DEPOT, POINTS, address = MONACO_DEPOT, MONACO_POINTS, monaco_address


class DispatchReplanInTheBrowser(BrowserTestCase):
    pages = ("dispatch.html",)

    def test_a_dispatcher_resequences_a_late_route(self):
        s = self.server
        admin = make_tenant(s)["api_key"]
        key = make_api_key(s, admin, "dispatcher")["api_key"]
        driver = make_driver(s, key, name="Luca Rossi")
        now = time.time()
        ids = []
        for i, p in enumerate(POINTS):
            end = now + (20 * 60 if i == 3 else 6 * 3600)
            sh = make_shipment(s, key, address=address(p), external_order_id=f"RS-{i}",
                               promised={"start": iso(now - 3600), "end": iso(end)})
            post_event(s, key, sh["id"], "processed")
            post_event(s, key, sh["id"], "shipped")
            ids.append(sh["id"])
        lunch = {"id": "lunch", "after_stops": 2, "duration_s": 1800,
                 "window": {"start": iso(now - 60), "end": iso(now + 4 * 3600)}}
        body = {"driver_id": driver["id"], "date": time.strftime("%Y-%m-%d", time.gmtime(now)), "depot": DEPOT,
                "breaks": [lunch], "stops": [{"shipment_ids": [i], "service_s": 900} for i in ids]}
        route = expect(s.request("POST", "/v1/routes", body, token=key), 201, "route")
        expect(s.request("POST", f"/v1/routes/{route['id']}/start", token=key), 200, "start")
        for batch in range(3):  # late_risk needs two agreeing estimates: a few batches of fixes
            fixes = [{"t": iso(now - 90 + 30 * batch + 3 * k), "lat": DEPOT["lat"], "lon": DEPOT["lon"],
                      "accuracy": 8, "speed": 0.0} for k in range(10)]
            expect(s.request("POST", "/v1/pings", fixes, token=driver["device_token"]), 200, "pings")
        deadline = time.monotonic() + 10
        cases = []
        while time.monotonic() < deadline and not cases:
            page = expect(s.request("GET", "/v1/exceptions", token=key, params={"shipment_id": ids[3]}), 200, "cases")
            cases = [c for c in page["items"] if c["kind"] == "late_risk"]
            time.sleep(0.1)
        self.assertTrue(cases, "the live ETA raised late_risk on the tight stop")
        config = {"base_url": s.base_url, "api_key": key, "route_id": route["id"], "case_id": cases[0]["id"],
                  "tight_shipment": ids[3], "stops": [st["id"] for st in route["stops"]]}
        run_script(self, "dispatch_replan.mjs", config, server=s)


if __name__ == "__main__":
    unittest.main()
