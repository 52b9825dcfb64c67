"""The dispatcher dashboard /dispatch in a real browser (DESIGN R16; docs/web.md).

The real server with the bundled Monaco road network and the built web bundle; a tenant with a
dispatcher key, a carrier, a driver, three shipments, two of them on the driver's route. Debian's
Chromium at 1280×800, driven by playwright-core from dispatch_page.mjs: a wrong key is refused; the
dispatcher signs in (the key stays out of the URL); the shipments table, a status filter and a
search; a shipment's detail with its timeline; a failed delivery raised over the API appears in the
exception queue without a reload and is acknowledged and resolved with the buttons (REST confirms);
the live socket is cut, a case resolved meanwhile disappears after the reconnect (the queue is
reloaded); the route is drawn along the roads; pings put the driver on the map; a narrow screen gets one column; "Load more"; sign out.
Screenshots in build/test-artifacts/dispatch-desktop.png and dispatch-narrow.png.

No browser is downloaded: a missing /usr/bin/chromium (or web/node_modules, or web/dist) fails the
test — `make build` and scripts/bootstrap provide them.
"""

import os
import time
import unittest

from browser_harness import ARTIFACTS, BrowserTestCase, run_script
from lastmile_server import (make_api_key, make_carrier, make_driver, make_route, make_shipment,  # noqa: E402
                             make_tenant, post_event)

DEPOT = {"lat": 43.7350, "lon": 7.4210}


def address(line1, lat, lon):
    return {"line1": line1, "city": "Monaco", "postal_code": "98000", "country": "MC", "lat": lat, "lon": lon}


class DispatchPageInTheBrowser(BrowserTestCase):
    pages = ("dispatch.html",)

    def test_a_dispatcher_works_the_day(self):
        s = self.server
        admin = make_tenant(s, name="Riviera Boutique " + str(int(time.time() * 1000) % 100000))["api_key"]
        key = make_api_key(s, admin, "dispatcher", name="ops desk")["api_key"]
        carrier = make_carrier(s, key, name="Monaco Express")
        driver = make_driver(s, key, name="Luca Rossi", carrier_id=carrier["id"])
        now = time.time()
        window = {"start": time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(now - 3600)),
                  "end": time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(now + 3 * 3600))}
        shipped = make_shipment(s, key, carrier_id=carrier["id"], promised=window, external_order_id="SO-7001",
                                recipient={"name": "Marie Dupont"},
                                address=address("12 Avenue de la Costa", 43.7384, 7.4246))
        post_event(s, key, shipped["id"], "processed")
        post_event(s, key, shipped["id"], "shipped")
        failing = make_shipment(s, key, carrier_id=carrier["id"], promised=window, external_order_id="SO-7002",
                                recipient={"name": "Jean Martin"},
                                address=address("3 Boulevard des Moulins", 43.7410, 7.4270))
        waiting = make_shipment(s, key, promised=window, external_order_id="SO-7003",
                                recipient={"name": "Sofia Bianchi"},
                                address=address("8 Rue Grimaldi", 43.7320, 7.4190))
        route = make_route(s, key, driver["id"], [shipped["id"], failing["id"]],
                           date=time.strftime("%Y-%m-%d", time.gmtime(now)), depot=DEPOT)
        config = {
            "base_url": s.base_url, "api_key": key,
            "device_token": driver["device_token"], "driver_id": driver["id"], "route_id": route["id"],
            "depot": DEPOT,
            "shipments": {name: {"id": x["id"], "tracking_number": x["tracking_number"]}
                          for name, x in (("shipped", shipped), ("failing", failing), ("waiting", waiting))},
            "screenshot": os.path.join(ARTIFACTS, "dispatch-desktop.png"),
        }
        run_script(self, "dispatch_page.mjs", config, server=s)


if __name__ == "__main__":
    unittest.main()
