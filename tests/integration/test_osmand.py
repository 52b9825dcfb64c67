"""The OsmAnd / Traccar Client listener: real curl requests in the protocol's exact formats.

DESIGN §5 / issue 3: the protocol on its own port, exactly as Traccar accepts it — any method, any path,
parameters in the query string or a form body (`id`/`deviceid`, `lat`/`lon` or `location=lat,lon`,
`timestamp` as seconds, milliseconds, ISO 8601 or `yyyy-MM-dd HH:mm:ss`, …) or the JSON body of Traccar
Client 9+; 200 with an empty body, 400 for an unknown device or an undecodable request, 401 when the
tenant requires the device secret (`token` parameter or `Authorization: Bearer`) and it is missing or
wrong. Accepted points show in `GET /v1/drivers/{id}/track`; refused requests store nothing.
"""

import datetime
import json
import os
import shutil
import subprocess
import threading
import time
import unittest
import urllib.parse

from lastmile_server import LastmileServer, ServerTestCase, make_driver, make_tenant, unique

CURL = shutil.which("curl")


def iso_ms(t):
    """Epoch seconds (float) → the API's ISO 8601 form, "…T…:SS.mmmZ"."""
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def curl(url, *options, timeout=20):
    """One request with the real curl; returns (status, headers text, body text)."""
    done = subprocess.run([CURL, "-sS", "-D", "-", "--max-time", str(timeout), *options, url],
                          capture_output=True, timeout=timeout + 10)
    if done.returncode != 0:
        raise AssertionError(f"curl failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    raw = done.stdout.decode("utf-8", errors="replace")
    head, _, body = raw.partition("\r\n\r\n")
    status = int(head.split(" ", 2)[1])
    return status, head, body


def query(**params):
    return urllib.parse.urlencode(params)


@unittest.skipUnless(CURL or os.environ.get("CI") == "true", "curl is not installed (scripts/bootstrap installs it)")
class Osmand(ServerTestCase):
    def setUp(self):
        tenant = make_tenant(self.server)
        self.key = tenant["api_key"]
        self.device_id = unique("trk").replace(" ", "-")
        self.driver = make_driver(self.server, self.key, device_id=self.device_id)
        self.token = self.driver["device_token"]
        self.now = int(time.time())

    # ---- helpers ----

    def osmand(self, path_and_query="/", *options):
        return curl(self.server.osmand_url + path_and_query, *options)

    def fix(self, seconds_ago, i=0, **extra):
        """OsmAnd's query parameters for a fix near the Monaco harbour (a few metres apart per i)."""
        params = dict(id=self.device_id, timestamp=self.now - seconds_ago, lat=f"{43.73470 + i * 0.00001:.5f}",
                      lon=f"{7.42150 + i * 0.00001:.5f}", token=self.token)
        params.update(extra)
        return params

    def track(self, key=None):
        r = self.server.request("GET", f"/v1/drivers/{self.driver['id']}/track", token=key or self.key,
                                params={"format": "geojson"})
        self.assertEqual(r.status, 200, r)
        features = r.body["features"]
        if not features:
            return [], []
        return features[0]["geometry"]["coordinates"], features[0]["properties"]["times"]

    def assertAccepted(self, reply):
        status, head, body = reply
        self.assertEqual(status, 200, f"{head}\n{body}")
        self.assertEqual(body, "", "Traccar's reply body is empty")

    def assertRefused(self, reply, status, code=None):
        got, head, body = reply
        self.assertEqual(got, status, f"{head}\n{body}")
        if code:
            self.assertEqual(json.loads(body)["error"]["code"], code, body)

    def assertNothingStored(self):
        self.assertEqual(self.track(), ([], []))

    # ---- the protocol's request shapes ----

    def test_osmand_get_with_the_query_string(self):
        self.assertAccepted(self.osmand("/?" + query(**self.fix(30, speed="5.0", bearing="90", altitude="12",
                                                                 accuracy="8", batt="77", hdop="1.2"))))
        coords, times = self.track()
        self.assertEqual(coords, [[7.4215, 43.7347]])
        self.assertEqual(times, [iso_ms(self.now - 30)])

    def test_traccar_client_post_with_a_form_body(self):
        form = query(**self.fix(30))
        self.assertAccepted(self.osmand("/", "-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded",
                                        "--data", form))
        self.assertEqual(self.track()[1], [iso_ms(self.now - 30)])

    def test_deviceid_and_location_pair(self):
        params = dict(deviceid=self.device_id, location="43.73470,7.42150", timestamp=self.now - 20, token=self.token)
        self.assertAccepted(self.osmand("/?" + query(**params)))
        self.assertEqual(self.track()[0], [[7.4215, 43.7347]])

    def test_traccar_client_9_json_body_with_the_token_in_the_authorization_header(self):
        body = {"device_id": self.device_id,
                "location": {"timestamp": iso_ms(self.now - 15),
                             "coords": {"latitude": 43.7347, "longitude": 7.4215, "accuracy": 6.5, "speed": 3.2,
                                        "heading": 271.5, "altitude": 40},
                             "is_moving": True, "odometer": 1234.5, "event": "motionchange",
                             "battery": {"level": 0.85, "is_charging": False}, "activity": {"type": "in_vehicle"}}}
        self.assertAccepted(self.osmand("/", "-H", "Content-Type: application/json", "-H",
                                        f"Authorization: Bearer {self.token}", "--data", json.dumps(body)))
        self.assertEqual(self.track(), ([[7.4215, 43.7347]], [iso_ms(self.now - 15)]))

    def test_every_timestamp_form(self):
        s = self.now - 120
        forms = [
            (str(s), iso_ms(s)),                                   # seconds (below 2^31)
            (str((s + 10) * 1000 + 250), iso_ms(s + 10.25)),       # milliseconds
            (iso_ms(s + 20).replace(".000Z", "Z"), iso_ms(s + 20)),  # ISO 8601 with 'T'
            (datetime.datetime.fromtimestamp(s + 30, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
             iso_ms(s + 30)),                                      # "yyyy-MM-dd HH:mm:ss", UTC
        ]
        for i, (sent, _) in enumerate(forms):
            params = self.fix(0, i=i)
            params["timestamp"] = sent
            self.assertAccepted(self.osmand("/?" + query(**params)))
        self.assertEqual(self.track()[1], [expected for _, expected in forms])

    def test_without_a_timestamp_the_fix_takes_the_arrival_time(self):
        params = self.fix(0)
        del params["timestamp"]
        before = time.time()
        self.assertAccepted(self.osmand("/?" + query(**params)))
        (t,) = self.track()[1]
        got = datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
        self.assertLessEqual(abs(got - before), 5)

    def test_any_method_and_any_path(self):
        for i, (method, path) in enumerate([("PUT", "/"), ("GET", "/osmand/report"), ("POST", "/a/b/c"),
                                            ("PATCH", "/")]):
            self.assertAccepted(self.osmand(path + "?" + query(**self.fix(60 - i * 10, i=i)), "-X", method))
        self.assertEqual(len(self.track()[0]), 4)

    # ---- devices and secrets ----

    def test_an_unknown_device_is_400_and_nothing_is_stored(self):
        params = self.fix(10, id="no-such-device-" + unique("x").replace(" ", ""))
        self.assertRefused(self.osmand("/?" + query(**params)), 400, "not_found")
        self.assertNothingStored()
        metrics = self.server.request("GET", "/metrics").text
        self.assertIn('lastmile_ingest_unknown_devices_total{protocol="osmand"}', metrics)

    def test_a_missing_or_wrong_token_is_401_when_the_tenant_requires_it(self):
        params = self.fix(10)
        del params["token"]
        self.assertRefused(self.osmand("/?" + query(**params)), 401, "unauthenticated")
        self.assertRefused(self.osmand("/?" + query(**self.fix(10, token=self.token[:-1] + "x"))), 401,
                           "unauthenticated")
        other = make_driver(self.server, self.key, device_id=unique("other").replace(" ", "-"))
        self.assertRefused(self.osmand("/?" + query(**self.fix(10, token=other["device_token"]))), 401,
                           "unauthenticated")
        self.assertRefused(self.osmand("/?" + query(**params), "-H", "Authorization: Bearer nope"), 401)
        self.assertNothingStored()

    def test_a_tenant_without_the_secret_rule_accepts_the_id_alone(self):
        tenant = make_tenant(self.server, require_device_secret=False)
        self.assertFalse(tenant.get("require_device_secret", False))
        device_id = unique("open").replace(" ", "-")
        driver = make_driver(self.server, tenant["api_key"], device_id=device_id)
        params = dict(id=device_id, lat="43.7347", lon="7.4215", timestamp=self.now - 5)
        self.assertAccepted(self.osmand("/?" + query(**params)))
        r = self.server.request("GET", f"/v1/drivers/{driver['id']}/track", token=tenant["api_key"])
        self.assertEqual(r.body["features"][0]["geometry"]["coordinates"], [[7.4215, 43.7347]])

    # ---- bad input ----

    def test_malformed_requests_are_400_store_nothing_and_the_server_keeps_serving(self):
        good = self.fix(10)
        bad_queries = [
            {k: v for k, v in good.items() if k != "id"},       # no id
            {k: v for k, v in good.items() if k != "lat"},      # no lat
            dict(good, lat=""),                                 # truncated value
            dict(good, lat="NaN"),
            dict(good, lon="inf"),
            dict(good, lat="1e999"),                            # does not fit a double
            dict(good, lat="43.7x"),
            dict(good, timestamp="1e20"),
            dict(good, timestamp="yesterday"),
            dict(good, location="43.7"),
            dict(good, speed="fast"),
            dict(good, valid="maybe"),
        ]
        for params in bad_queries:
            self.assertRefused(self.osmand("/?" + query(**params)), 400)
        truncated = query(**good)[:25]
        self.assertRefused(self.osmand("/?" + truncated), 400)
        for body in ['{"device_id":"' + self.device_id + '","location":{"coords":{"latitude":43.7',  # truncated
                     '{"device_id":"' + self.device_id + '","location":{"coords":{"latitude":NaN,"longitude":1}}}',
                     '{"device_id":"' + self.device_id + '","location":{"coords":{"latitude":"43.7","longitude":1}}}',
                     '{"device_id":"' + self.device_id + '","location":{"coords":{"latitude":1e999,"longitude":1}}}',
                     '{"location":{"coords":{"latitude":43.7,"longitude":7.4}}}',
                     '[]']:
            self.assertRefused(self.osmand("/", "-H", "Content-Type: application/json", "-H",
                                           f"Authorization: Bearer {self.token}", "--data", body), 400)
        oversized = query(**good) + "&pad=" + "x" * 66000  # over the decoder's 64 KiB: refused unread
        self.assertRefused(self.osmand("/", "-H", "Content-Type: application/x-www-form-urlencoded", "--data", oversized),
                           413)
        self.assertNothingStored()
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)
        self.assertAccepted(self.osmand("/?" + query(**good)))
        self.assertEqual(len(self.track()[0]), 1)

    def test_a_fix_the_filter_refuses_gets_200_but_is_not_stored(self):
        # A finite coordinate out of range decodes, so Traccar semantics apply: 200 (the device must not
        # resend it forever), counted as rejected, never stored.
        self.assertAccepted(self.osmand("/?" + query(**self.fix(10, lat="99999999999999999999"))))
        self.assertAccepted(self.osmand("/?" + query(**self.fix(5, accuracy="5000"))))
        self.assertNothingStored()
        metrics = self.server.request("GET", "/metrics").text
        self.assertRegex(metrics, r'lastmile_pings_total\{protocol="osmand",result="rejected"\} [1-9]')


@unittest.skipUnless(CURL or os.environ.get("CI") == "true", "curl is not installed (scripts/bootstrap installs it)")
class OsmandDurability(unittest.TestCase):
    """Kill -9 while trackers are reporting: every fix that got its 200 is in the history after the restart."""

    def test_every_acknowledged_fix_survives_kill_9(self):
        server = LastmileServer().start()
        self.addCleanup(server.close)
        tenant = make_tenant(server)
        device_id = unique("crash").replace(" ", "-")
        driver = make_driver(server, tenant["api_key"], device_id=device_id)
        url = server.osmand_url
        now = int(time.time())
        acked, lock, stop = [], threading.Lock(), threading.Event()

        def sender(n):
            for i in range(200):
                if stop.is_set():
                    return
                k = n * 200 + i
                t = now - 1000 + k  # a distinct second per fix: no duplicates
                params = dict(id=device_id, timestamp=t, lat=f"{43.7300 + k * 0.000001:.6f}", lon="7.4200",
                              token=driver["device_token"])
                try:
                    status, _, _ = curl(f"{url}/?{query(**params)}", timeout=10)
                except (AssertionError, subprocess.TimeoutExpired):
                    return  # the server is gone: this fix was never acknowledged
                if status != 200:
                    return
                with lock:
                    acked.append(t)
                    if len(acked) == 60:
                        server.kill()  # right after a 200, while the other senders are mid-request
                        stop.set()

        threads = [threading.Thread(target=sender, args=(n,), daemon=True) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertTrue(stop.is_set(), f"only {len(acked)} fixes were acknowledged before the senders stopped")
        server.start()
        r = server.request("GET", f"/v1/drivers/{driver['id']}/track", token=tenant["api_key"],
                           params={"format": "geojson", "from": iso_ms(now - 2000)})
        self.assertEqual(r.status, 200, r)
        stored = set(r.body["features"][0]["properties"]["times"]) if r.body["features"] else set()
        missing = sorted(iso_ms(t) for t in acked if iso_ms(t) not in stored)
        self.assertEqual(missing, [], f"{len(missing)} acknowledged fixes lost after kill -9")


if __name__ == "__main__":
    unittest.main()
