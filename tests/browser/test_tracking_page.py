"""The customer tracking page /t/{token} in a real browser (DESIGN R10; docs/web.md).

The real server with the bundled Monaco road network and the built web bundle; a shipper, a driver,
a shipment on a route. Debian's Chromium at 360×740 (a phone), driven by playwright-core from
tracking_page.mjs, sees: an unknown link's friendly page; the branded page with its timeline and
promised window; the delivery instructions saved (and seen by staff); then the driver's phone leaves
the depot — out for delivery without a reload, the vehicle on the map, the live ETA window, the
instructions locked — and the vehicle moving on screen as positions arrive, the ETA window following;
with the WebSocket refused, the page polls /v1/track and shows the delivery, without the vehicle.
A phone-size screenshot is left in build/test-artifacts/tracking-phone.png.

No browser is downloaded: a missing /usr/bin/chromium (or web/node_modules, or web/dist) fails the
test — `make build` and scripts/bootstrap provide them.
"""

import base64
import math
import os
import time
import unittest

from browser_harness import ARTIFACTS, BrowserTestCase, run_script
from lastmile_server import (expect, make_carrier, make_driver, make_route, make_shipment,  # noqa: E402
                             make_tenant, post_event)

DEPOT = {"lat": 43.7350, "lon": 7.4210}
ADDRESS = {"lat": 43.7384, "lon": 7.4246}
LOGO = "data:image/svg+xml;base64," + base64.b64encode(
    b"<svg xmlns='http://www.w3.org/2000/svg' width='64' height='32'><rect width='64' height='32' rx='6' "
    b"fill='#ffffff'/><circle cx='16' cy='16' r='9' fill='#0a7d5a'/></svg>").decode()


def metres(a, b):
    dlat = (b[0] - a[0]) * 111_195
    dlon = (b[1] - a[1]) * 111_195 * math.cos(math.radians(a[0]))
    return math.hypot(dlat, dlon)


def bearing(a, b):
    y = math.sin(math.radians(b[1] - a[1])) * math.cos(math.radians(b[0]))
    x = (math.cos(math.radians(a[0])) * math.sin(math.radians(b[0])) -
         math.sin(math.radians(a[0])) * math.cos(math.radians(b[0])) * math.cos(math.radians(b[1] - a[1])))
    return round((math.degrees(math.atan2(y, x)) + 360) % 360, 1)


def drive_points(coordinates):
    """[depot, a point 150–400 m into the drive, a point well before the address], each [lat, lon, heading]."""
    line = [(c[1], c[0]) for c in coordinates]
    start = line[0]
    out = [[start[0], start[1], 0.0]]
    first = next(i for i, p in enumerate(line) if metres(start, p) > 150)
    out.append([line[first][0], line[first][1], bearing(line[first - 1], line[first])])
    end = line[-1]
    late = max(i for i, p in enumerate(line) if metres(p, end) > 120 and i > first)
    out.append([line[late][0], line[late][1], bearing(line[late - 1], line[late])])
    return out


class TrackingPageInTheBrowser(BrowserTestCase):
    pages = ("track.html",)

    def test_a_customer_follows_the_delivery_on_a_phone(self):
        s = self.server
        shipper = "Riviera Boutique " + str(int(time.time() * 1000) % 100000)
        key = make_tenant(s, name=shipper, brand_color="#0a7d5a", brand_logo_url=LOGO)["api_key"]
        carrier = make_carrier(s, key, name="Monaco Express")
        driver = make_driver(s, key, name="Luca Rossi", carrier_id=carrier["id"])
        now = time.time()
        window = {"start": time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(now - 3600)),
                  "end": time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(now + 3 * 3600))}
        address = {"line1": "12 Avenue de la Costa", "city": "Monaco", "postal_code": "98000", "country": "MC",
                   **ADDRESS}
        shipment = make_shipment(s, key, carrier_id=carrier["id"], promised=window, address=address,
                                 instructions=None)
        post_event(s, key, shipment["id"], "processed")
        post_event(s, key, shipment["id"], "shipped")
        route = make_route(s, key, driver["id"], [shipment["id"]], date=time.strftime("%Y-%m-%d", time.gmtime(now)),
                           depot=DEPOT)
        road = expect(s.request("GET", "/v1/route", token=key, params={
            "from": f"{DEPOT['lat']},{DEPOT['lon']}", "to": f"{ADDRESS['lat']},{ADDRESS['lon']}"}), 200, "road route")
        config = {
            "base_url": s.base_url,
            "token": shipment["tracking_token"], "unknown_token": "AAAAAAAAAAAAAAAAAAAAAA",
            "shipment_id": shipment["id"], "route_id": route["id"], "api_key": key,
            "device_token": driver["device_token"], "shipper_name": shipper,
            "depot": DEPOT, "path": drive_points(road["geometry"]["coordinates"]),
            "screenshot": os.path.join(ARTIFACTS, "tracking-phone.png"),
        }
        run_script(self, "tracking_page.mjs", config, server=s)


if __name__ == "__main__":
    unittest.main()
