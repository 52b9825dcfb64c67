"""Rate limits (docs/api.md, "Rate limits"): token buckets per API key / device token, per client
address on the public tracking-token and sign-in routes, and on failed credential or token lookups
per address. Each test runs its own server with small limits; a limited request is 429
`rate_limited` with Retry-After and changes nothing.
"""

import time
import unittest
import urllib.error
import urllib.request

from lastmile_server import LastmileServer, expect, make_shipment, make_tenant, shipment_body


def error_code(reply):
    return reply.body["error"]["code"] if isinstance(reply.body, dict) else None


class RateLimitServer(unittest.TestCase):
    extra_args = []

    def setUp(self):
        self.server = LastmileServer(extra_args=self.extra_args).start()
        self.addCleanup(self.server.close)

    def assertLimited(self, reply):
        self.assertEqual(reply.status, 429, reply)
        self.assertEqual(error_code(reply), "rate_limited")
        retry = reply.headers.get("Retry-After")
        self.assertIsNotNone(retry, reply.headers)
        self.assertGreaterEqual(int(retry), 1)
        return int(retry)


class PerKeyLimitTest(RateLimitServer):
    # One token per 5 s: slow enough that a slow (sanitizer) build cannot refill the bucket mid-test.
    extra_args = ["--rate-limit-key", "0.2", "--rate-limit-key-burst", "5"]

    def test_a_key_over_its_burst_waits_and_another_key_does_not(self):
        tenant = make_tenant(self.server)
        key = tenant["api_key"]
        other = make_tenant(self.server)["api_key"]
        for i in range(5):
            expect(self.server.request("GET", "/v1/shipments", token=key), 200, f"request {i} within the burst")
        refused = self.server.request("POST", "/v1/shipments", shipment_body(external_order_id="RL-1"), token=key)
        wait = self.assertLimited(refused)
        self.assertLessEqual(wait, 5)
        expect(self.server.request("GET", "/v1/shipments", token=other), 200, "another key has its own bucket")
        time.sleep(wait + 0.2)  # one token back
        listed = expect(self.server.request("GET", "/v1/shipments", token=key), 200, "after the wait")
        self.assertEqual([s for s in listed["items"] if s.get("external_order_id") == "RL-1"], [],
                         "the refused create stored nothing")


class PerAddressLimitTest(RateLimitServer):
    extra_args = ["--rate-limit-ip", "0.2", "--rate-limit-ip-burst", "4"]

    def test_tracking_lookups_from_one_address_are_limited(self):
        admin = make_tenant(self.server)["api_key"]
        shipment = make_shipment(self.server, admin)
        token = shipment["tracking_token"]
        for i in range(4):
            expect(self.server.request("GET", f"/v1/track/{token}"), 200, f"lookup {i}")
        self.assertLimited(self.server.request("GET", f"/v1/track/{token}"))
        expect(self.server.request("GET", "/healthz"), 200, "routes without a token are not limited by address")
        expect(self.server.request("GET", "/v1/shipments", token=admin), 200, "authenticated routes count per key")


class FailedLookupLimitTest(RateLimitServer):
    extra_args = ["--auth-failures-per-min", "6", "--auth-failures-burst", "3"]

    def test_guessing_tracking_tokens_is_stopped_before_the_lookup(self):
        admin = make_tenant(self.server)["api_key"]
        shipment = make_shipment(self.server, admin)
        for i in range(3):
            reply = self.server.request("GET", f"/v1/track/guess{i:024d}")
            self.assertEqual(reply.status, 404, reply)
        wait = self.assertLimited(self.server.request("GET", f"/v1/track/{shipment['tracking_token']}"))
        self.assertLessEqual(wait, 10)
        self.assertLimited(self.server.request("GET", "/v1/shipments", token="lm_wrong_key"))
        # A valid key is still limited from that address while its failures bucket is empty.
        self.assertLimited(self.server.request("GET", "/v1/shipments", token=admin))
        time.sleep(wait + 0.2)
        expect(self.server.request("GET", f"/v1/track/{shipment['tracking_token']}"), 200, "after Retry-After")

    def test_guessing_tokens_over_the_live_stream_is_stopped_too(self):
        admin = make_tenant(self.server)["api_key"]
        shipment = make_shipment(self.server, admin)
        for i in range(3):
            reply = self.server.request("GET", f"/v1/live/sse?token=guess{i:024d}")
            self.assertEqual(reply.status, 404, reply)
        self.assertLimited(self.server.request("GET", f"/v1/live/sse?token={shipment['tracking_token']}"))
        self.assertLimited(self.server.request("GET", f"/v1/track/{shipment['tracking_token']}"))

    def osmand_status(self, device):
        url = f"http://127.0.0.1:{self.server.osmand_port}/?id={device}&lat=43.73&lon=7.42"
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.status, r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.headers

    def test_guessing_tracker_device_ids_is_stopped_too(self):
        admin = make_tenant(self.server)["api_key"]
        shipment = make_shipment(self.server, admin)
        for i in range(3):
            self.assertEqual(self.osmand_status(f"guess-{i}")[0], 400, "an unknown device is 400, as in Traccar")
        status, headers = self.osmand_status("guess-again")
        self.assertEqual(status, 429)
        self.assertGreaterEqual(int(headers["Retry-After"]), 1)
        # One failures bucket per address, whichever listener the guesses came through.
        self.assertLimited(self.server.request("GET", f"/v1/track/{shipment['tracking_token']}"))

    def test_wrong_api_keys_count_as_failures(self):
        for i in range(3):
            reply = self.server.request("GET", "/v1/shipments", token=f"lm_wrong_{i}")
            self.assertEqual(reply.status, 401, reply)
        self.assertLimited(self.server.request("GET", "/v1/shipments", token="lm_wrong_again"))
        metrics = self.server.request("GET", "/metrics")
        self.assertEqual(metrics.status, 200, "metrics are not behind the limit")


if __name__ == "__main__":
    unittest.main()
