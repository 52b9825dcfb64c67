"""The dashboard's "Carrier codes to map" panel (docs/carriers.md, docs/web.md).

The real server with the built web bundle; a carrier with one mapping (DL → delivered) sends an event
in a code nobody mapped. In Chromium (dispatch_carrier_codes.mjs) the dispatcher sees the code with its
waiting event and the carrier's words, maps it to "shipped", and REST shows the shipment shipped and
the carrier's other mapping kept.
"""

import time
import unittest

from browser_harness import BrowserTestCase, run_script
from lastmile_server import expect, iso, make_api_key, make_carrier, make_shipment, make_tenant


class DispatchCarrierCodesInTheBrowser(BrowserTestCase):
    pages = ("dispatch.html",)

    def test_a_dispatcher_maps_an_unknown_carrier_code(self):
        s = self.server
        admin = make_tenant(s)["api_key"]
        key = make_api_key(s, admin, "dispatcher")["api_key"]
        carrier = make_carrier(s, key, name="Riviera Express")
        carrier_key = make_api_key(s, admin, "carrier", carrier_id=carrier["id"])["api_key"]
        expect(s.request("PUT", f"/v1/carriers/{carrier['id']}/code-mappings",
                         {"mappings": [{"code": "DL", "milestone": "delivered"}]}, token=key), 200, "mappings")
        sh = make_shipment(s, key, carrier_id=carrier["id"])
        out = expect(s.request("POST", f"/v1/carriers/{carrier['id']}/events", {"events": [
            {"event_id": "rx-1", "tracking_number": sh["tracking_number"], "code": "HUB7",
             "occurred_at": iso(time.time() - 600), "description": "Arrived at hub Nice"}]}, token=carrier_key),
            200, "event")
        self.assertEqual(out["results"][0]["outcome"], "unmapped")
        config = {"base_url": s.base_url, "api_key": key, "code": "HUB7", "carrier_id": carrier["id"],
                  "shipment_id": sh["id"]}
        run_script(self, "dispatch_carrier_codes.mjs", config, server=s)


if __name__ == "__main__":
    unittest.main()
