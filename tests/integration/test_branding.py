"""A shipper's branding on the tracking page (DESIGN R10): name, colour and logo, set when the tenant
is created and shown in the public tracking view; a logo must be a same-origin path, an https URL or an
inline image, anything else is refused."""

import base64
import unittest

from lastmile_server import ServerTestCase, expect, make_shipment, make_tenant, unique

PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()


class BrandingTest(ServerTestCase):
    def test_the_tracking_view_shows_the_shippers_name_colour_and_logo(self):
        tenant = make_tenant(self.server, name=unique("Riviera"), brand_color="#0a7d5a", brand_logo_url=PNG)
        self.assertEqual(tenant["brand_logo_url"], PNG)
        shipment = make_shipment(self.server, tenant["api_key"])
        view = expect(self.server.request("GET", f"/v1/track/{shipment['tracking_token']}"), 200, "track")
        self.assertEqual(view["shipper"], {"name": tenant["name"], "brand_color": "#0a7d5a", "brand_logo_url": PNG})

    def test_without_a_logo_it_is_empty(self):
        tenant = make_tenant(self.server)
        self.assertEqual(tenant["brand_logo_url"], "")
        for path in ("/brand/logo.svg", "https://cdn.shop.example/logo.png"):
            self.assertEqual(make_tenant(self.server, brand_logo_url=path)["brand_logo_url"], path)

    def test_a_logo_that_could_run_or_load_anything_else_is_refused(self):
        for bad in ("javascript:alert(1)", "http://shop.example/logo.png", "//evil.example/x.png",
                    "data:text/html;base64,PHNjcmlwdD4=", "logo.png", "/logo.png\" onerror=\"x",
                    "/" + "a" * 8192):  # at most 8,192 characters: the tracking view carries it every time
            r = self.server.request("POST", "/v1/tenants", {"name": unique("Bad logo"), "brand_logo_url": bad},
                                    token=self.server.admin_token)
            self.assertError(r, 400, "invalid_field", "brand_logo_url")
        r = self.server.request("POST", "/v1/tenants", {"name": unique("Bad"), "brand_logo_url": 7},
                                token=self.server.admin_token)
        self.assertError(r, 400, "wrong_type", "brand_logo_url")


if __name__ == "__main__":
    unittest.main()
