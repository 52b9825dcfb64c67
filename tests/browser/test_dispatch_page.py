"""The dispatcher dashboard /dispatch in a real browser (DESIGN R16; docs/web.md).

The real server with the bundled Monaco road network and the built web bundle; a tenant with a
dispatcher key, a carrier, a driver, three shipments, two of them on the driver's route. Debian's
Chromium at 1280×800, driven by playwright-core from dispatch_page.mjs: a wrong key is refused; the
dispatcher signs in (the key stays out of the URL); the shipments table, a status filter and a
search; a shipment's detail with its timeline; a failed delivery raised over the API appears in the
exception queue without a reload and is acknowledged and resolved with the buttons (REST confirms);
the live socket is cut, a case resolved meanwhile disappears after the reconnect (the queue is
reloaded); pings put the driver on the map; a narrow screen gets one column; "Load more"; sign out.
Screenshots in build/test-artifacts/dispatch-desktop.png and dispatch-narrow.png.

No browser is downloaded: a missing /usr/bin/chromium (or web/node_modules, or web/dist) fails the
test — `make build` and scripts/bootstrap provide them.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import unittest

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.normpath(os.path.join(_HERE, "..", ".."))
sys.path.insert(0, os.path.join(_ROOT, "tests", "integration"))

from lastmile_server import (LastmileServer, make_api_key, make_carrier, make_driver, make_route,  # noqa: E402
                             make_shipment, make_tenant, monaco_graph, post_event)

WEB_DIR = os.path.join(_ROOT, "web")
CHROMIUM = os.environ.get("LASTMILE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = os.environ.get("LASTMILE_ARTIFACTS", os.path.join(_ROOT, "build", "test-artifacts"))
DEPOT = {"lat": 43.7350, "lon": 7.4210}


def address(line1, lat, lon):
    return {"line1": line1, "city": "Monaco", "postal_code": "98000", "country": "MC", "lat": lat, "lon": lon}


class DispatchPageInTheBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for need, hint in ((CHROMIUM, "install Debian's chromium (scripts/bootstrap)"),
                           (os.path.join(WEB_DIR, "dist", "dispatch.html"), "build the web bundle (make build)"),
                           (os.path.join(WEB_DIR, "node_modules", "playwright-core"), "npm ci in web/ (make build)")):
            if not os.path.exists(need):
                raise AssertionError(f"{need} is missing: {hint}")
        cls.server = LastmileServer(extra_args=["--map", monaco_graph(), "--web-dir", os.path.join(WEB_DIR, "dist")])
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

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
            "base_url": s.base_url, "web_dir": WEB_DIR, "chromium": CHROMIUM, "api_key": key,
            "device_token": driver["device_token"], "driver_id": driver["id"], "route_id": route["id"],
            "depot": DEPOT,
            "shipments": {name: {"id": x["id"], "tracking_number": x["tracking_number"]}
                          for name, x in (("shipped", shipped), ("failing", failing), ("waiting", waiting))},
            "screenshot": os.path.join(ARTIFACTS, "dispatch-desktop.png"),
        }
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is missing (scripts/bootstrap installs it)")
        done = subprocess.run([node, os.path.join(_HERE, "dispatch_page.mjs")], capture_output=True, text=True,
                              timeout=240, env={**os.environ, "LASTMILE_BROWSER_TEST": json.dumps(config)})
        print(done.stdout, end="")
        self.assertEqual(done.returncode, 0,
                         f"{done.stdout}\n{done.stderr}\n--- server stderr ---\n{s.stderr_text()}")


if __name__ == "__main__":
    unittest.main()
