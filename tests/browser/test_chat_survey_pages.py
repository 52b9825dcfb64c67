"""Chat and the survey in a real browser (DESIGN R12, R13; docs/chat-and-surveys.md).

The real server with the built web bundle. On a phone-size tracking page the customer writes to the driver
and sees the driver's answer arrive live; after delivery the survey link (/track/{token}?survey=1) opens
the form, a 2-star rating is sent and the thank-you replaces the form (the API has the rating and a
low_rating case). On the dashboard the dispatcher opens the shipment: its thread and the customer's rating
are in the detail, a reply sent there reaches the customer's thread, and a new customer message arrives
live. In the driver app the driver opens the stop's thread, sees all of it and answers (channel `app`,
signed with the first name). Nothing logs an error or leaves the origin; no phone number or e-mail address is on either page.
"""

import time
import unittest

from browser_harness import BrowserTestCase, run_script
from lastmile_server import (expect, make_api_key, make_driver, make_route, make_shipment,  # noqa: E402
                             make_tenant, post_event)


class ChatAndSurveyInTheBrowser(BrowserTestCase):
    pages = ("track.html", "dispatch.html")

    def test_customer_driver_and_dispatcher_talk_and_the_customer_rates(self):
        s = self.server
        shipper = "Riviera Boutique " + str(int(time.time() * 1000) % 100000)
        admin = make_tenant(s, name=shipper)["api_key"]
        key = make_api_key(s, admin, "dispatcher")["api_key"]
        driver = make_driver(s, key, name="Luca Rossi", phone="+37761234567", email="luca@example.com")
        sh = make_shipment(s, key, recipient={"name": "Marie Dupont", "phone": "+33612345678",
                                              "email": "marie@example.com"})
        make_route(s, key, driver["id"], [sh["id"]], date=time.strftime("%Y-%m-%d", time.gmtime()))
        post_event(s, key, sh["id"], "processed")
        link = expect(s.request("POST", f"/v1/drivers/{driver['id']}/login-links", {}, token=key), 201, "login link")
        config = {
            "base_url": s.base_url, "api_key": key, "device_token": driver["device_token"],
            "token": sh["tracking_token"], "shipment_id": sh["id"], "tracking_number": sh["tracking_number"],
            "shipper_name": shipper, "code": link["url"].split("#code=", 1)[1], "secrets": ["+33612345678", "marie@example.com", "+37761234567",
                                                 "luca@example.com"],
        }
        run_script(self, "chat_survey_pages.mjs", config, server=s)


if __name__ == "__main__":
    unittest.main()
