"""POST /v1/pings: the driver app's GPS batches, the driver's live position and track export.

DESIGN §5: `POST /v1/pings` (device token) takes a JSON array of {"t","lat","lon","speed","heading",
"accuracy","battery"}; `GET /v1/drivers/{id}` includes the live `position`; `GET /v1/drivers/{id}/track`
exports GeoJSON or GPX. A point is acknowledged only once durable; a re-sent batch is never stored twice.
"""

import datetime
import http.client
import json
import re
import socket
import threading
import time
import unittest
import xml.etree.ElementTree as ET

from lastmile_server import LastmileServer, ServerTestCase, make_api_key, make_driver, make_tenant


def iso(seconds_ago):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


# A short drive along the Monaco harbour, oldest first.
DRIVE = [(43.73470, 7.42150), (43.73520, 7.42210), (43.73575, 7.42262), (43.73630, 7.42318)]


def batch(points, start_seconds_ago=60, step=5, **extra):
    return [{"t": iso(start_seconds_ago - i * step), "lat": lat, "lon": lon, "speed": 8.0, "heading": 45,
             "accuracy": 5, "battery": 80, **extra} for i, (lat, lon) in enumerate(points)]


class Pings(ServerTestCase):
    def setUp(self):
        tenant = make_tenant(self.server)
        self.key = tenant["api_key"]
        self.driver = make_driver(self.server, self.key, name="Luca Rossi")
        self.device = self.driver["device_token"]

    def post(self, body, token=None):
        return self.server.request("POST", "/v1/pings", body, token=token or self.device)

    def track(self, fmt="geojson", token=None):
        return self.server.request("GET", f"/v1/drivers/{self.driver['id']}/track", token=token or self.key,
                                   params={"format": fmt})

    def coordinates(self):
        body = self.assertStatus(self.track(), 200)
        return body["features"][0]["geometry"]["coordinates"]

    def test_a_batch_is_stored_and_the_newest_fix_is_the_live_position(self):
        sent = batch(DRIVE)
        r = self.assertStatus(self.post(sent), 200)
        self.assertEqual((r["received"], r["accepted"], r["stored"], r["rejected"]), (4, 4, 4, []))
        driver = self.assertStatus(self.server.request("GET", f"/v1/drivers/{self.driver['id']}", token=self.key), 200)
        self.assertAlmostEqual(driver["position"]["lat"], DRIVE[-1][0], places=6)
        self.assertAlmostEqual(driver["position"]["lon"], DRIVE[-1][1], places=6)
        self.assertEqual(driver["position"]["t"], sent[-1]["t"])
        self.assertEqual(self.coordinates(), [[lon, lat] for lat, lon in DRIVE])

    def test_a_resent_batch_is_not_stored_twice(self):
        sent = batch(DRIVE)
        self.assertStatus(self.post(sent), 200)
        again = self.assertStatus(self.post(sent), 200)
        self.assertEqual((again["duplicates"], again["stored"]), (4, 0))
        self.assertEqual(len(self.coordinates()), 4)

    def test_a_late_fix_joins_the_history_without_moving_the_live_position_back(self):
        self.assertStatus(self.post(batch(DRIVE[2:], start_seconds_ago=30)), 200)
        late = self.assertStatus(self.post(batch(DRIVE[:1], start_seconds_ago=120)), 200)
        self.assertEqual((late["late"], late["stored"]), (1, 1))
        driver = self.assertStatus(self.server.request("GET", f"/v1/drivers/{self.driver['id']}", token=self.key), 200)
        self.assertAlmostEqual(driver["position"]["lat"], DRIVE[-1][0], places=6)
        self.assertEqual(self.coordinates()[0], [DRIVE[0][1], DRIVE[0][0]])  # history in fix-time order

    def test_implausible_fixes_are_rejected_with_a_reason_and_not_stored(self):
        sent = batch(DRIVE[:2]) + [{"t": iso(40), "lat": 43.7, "lon": 7.42, "accuracy": 900},
                                   {"t": iso(-3600), "lat": 43.7, "lon": 7.42}]
        r = self.assertStatus(self.post(sent), 200)
        self.assertEqual(r["rejected"], [{"index": 2, "reason": "poor_accuracy"}, {"index": 3, "reason": "in_future"}])
        self.assertEqual(r["stored"], 2)
        self.assertEqual(len(self.coordinates()), 2)

    def test_a_malformed_batch_is_refused_whole(self):
        sent = batch(DRIVE)
        del sent[1]["lat"]
        self.assertError(self.post(sent), 400, "missing_field", "[1].lat")
        self.assertError(self.post({"lat": 1}), 400, "invalid_json")
        self.assertError(self.post("[{\"t\":"), 400, "invalid_json")
        self.assertError(self.post([]), 400, "invalid_field")
        self.assertEqual(self.coordinates(), [])

    def test_only_a_device_token_may_send_pings(self):
        self.assertError(self.post(batch(DRIVE), token=self.key), 403, "forbidden")
        self.assertError(self.server.request("POST", "/v1/pings", batch(DRIVE)), 401, "unauthenticated")
        self.assertEqual(self.coordinates(), [])

    def test_another_tenant_cannot_read_the_track(self):
        self.assertStatus(self.post(batch(DRIVE)), 200)
        other = make_tenant(self.server)["api_key"]
        self.assertError(self.track(token=other), 404, "not_found")
        self.assertError(self.server.request("GET", f"/v1/drivers/{self.driver['id']}", token=other), 404, "not_found")

    def test_the_track_exports_as_gpx(self):
        sent = batch(DRIVE)
        self.assertStatus(self.post(sent), 200)
        r = self.track("gpx")
        self.assertEqual(r.status, 200)
        self.assertIn("application/gpx+xml", r.headers.get("Content-Type", ""))
        text = r.body if isinstance(r.body, str) else r.body.decode()
        ns = {"g": "http://www.topografix.com/GPX/1/1"}
        points = ET.fromstring(text).findall(".//g:trkpt", ns)
        self.assertEqual(len(points), 4)
        self.assertAlmostEqual(float(points[0].get("lat")), DRIVE[0][0], places=6)
        self.assertEqual(points[-1].find("g:time", ns).text, sent[-1]["t"])
        self.assertError(self.track("kml"), 400, "invalid_field", "format")


class PingsDurability(unittest.TestCase):
    def test_every_acknowledged_point_survives_kill_9(self):
        server = LastmileServer().start()
        self.addCleanup(server.close)
        key = make_tenant(server)["api_key"]
        driver = make_driver(server, key)
        acked = 0
        for i in range(20):  # 20 batches of 5 points, each a little further along the harbour
            points = [(43.7300 + (i * 5 + j) * 0.0001, 7.4200 + (i * 5 + j) * 0.0001) for j in range(5)]
            r = server.request("POST", "/v1/pings", batch(points, start_seconds_ago=600 - i * 25, step=1),
                               token=driver["device_token"])
            self.assertEqual(r.status, 200, r)
            acked += r.body["stored"]
        server.kill()
        server.start()
        r = server.request("GET", f"/v1/drivers/{driver['id']}/track", token=key, params={"format": "geojson"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.body["features"][0]["geometry"]["coordinates"]), acked)
        self.assertEqual(acked, 100)

    def test_points_acknowledged_to_concurrent_senders_survive_kill_9_mid_stream(self):
        # Many requests wait on the same group commit at once (the reply is sent only once it is on
        # disk); the kill lands while some are in flight. Every point answered 200 must be there.
        server = LastmileServer().start()
        self.addCleanup(server.close)
        key = make_tenant(server)["api_key"]
        drivers = [make_driver(server, key, name=f"Driver {n}") for n in range(8)]
        acked = {d["id"]: [] for d in drivers}
        stop = threading.Event()

        def send(driver, lane):
            for i in range(2000):
                if stop.is_set():
                    return
                lat, lon = 43.7300 + lane * 0.001 + i * 0.00001, 7.4200 + i * 0.00001
                point = batch([(lat, lon)], start_seconds_ago=1500 - i * 0.5)
                try:
                    r = server.request("POST", "/v1/pings", point, token=driver["device_token"], timeout=10)
                except (OSError, http.client.HTTPException):
                    return  # the server died under this request: not acknowledged
                if r.status == 200 and r.body["stored"] == 1:
                    acked[driver["id"]].append(point[0]["t"])

        threads = [threading.Thread(target=send, args=(d, n)) for n, d in enumerate(drivers)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        server.kill()
        stop.set()
        for t in threads:
            t.join(timeout=30)
        self.assertGreater(sum(len(v) for v in acked.values()), 50, "too few points were acknowledged")
        server.start()
        for driver in drivers:
            r = server.request("GET", f"/v1/drivers/{driver['id']}/track", token=key, params={"format": "geojson"})
            self.assertEqual(r.status, 200, r)
            stored = set(r.body["features"][0]["properties"]["times"])
            missing = [t for t in acked[driver["id"]] if t not in stored]
            self.assertEqual(missing, [], f"acknowledged but lost for {driver['name']}")


class OneConnectionManySizes(ServerTestCase):
    """A driver app keeps one connection and sends batches of every size on it; the server sizes its read
    buffer to each body (and gives it back between requests), so no size or order of sizes is mishandled."""

    def setUp(self):
        key = make_tenant(self.server)["api_key"]
        self.key = key
        self.driver = make_driver(self.server, key)

    def body(self, n, start):
        points = [(43.7300 + (start + i) * 0.00001, 7.4200 + (start + i) * 0.00001) for i in range(n)]
        return json.dumps(batch(points, start_seconds_ago=3000 - start, step=1)).encode()

    def head(self, body):
        return (f"POST /v1/pings HTTP/1.1\r\nHost: lastmile\r\nAuthorization: Bearer {self.driver['device_token']}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()

    def test_batches_of_every_size_and_pipelined_requests_on_one_connection_are_all_stored(self):
        sizes = [1000, 1, 300, 1, 1000, 7]  # 1000 points is about 120 KB, more than one 64 KiB read
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        self.addCleanup(sock.close)
        reader = sock.makefile("rb")
        start = 0
        requests = []
        for n in sizes:
            requests.append((n, self.body(n, start)))
            start += n
        # The first four one by one, the last two pipelined in one write (the second arrives while
        # the first is being answered, so the buffer still holds it between requests).
        for n, body in requests[:4]:
            sock.sendall(self.head(body) + body)
            self.assertEqual(self.read_reply(reader)["stored"], n)
        sock.sendall(b"".join(self.head(body) + body for _, body in requests[4:]))
        for n, _ in requests[4:]:
            self.assertEqual(self.read_reply(reader)["stored"], n)
        r = self.server.request("GET", f"/v1/drivers/{self.driver['id']}/track", token=self.key,
                                params={"format": "geojson"})
        self.assertEqual(len(r.body["features"][0]["geometry"]["coordinates"]), sum(sizes))

    def read_reply(self, reader):
        status = reader.readline()
        self.assertIn(b" 200 ", status)
        length = None
        while (line := reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        self.assertIsNotNone(length)
        return json.loads(reader.read(length))


class GroupCommitMetrics(ServerTestCase):
    def test_metrics_show_how_many_writes_shared_each_commit(self):
        key = make_tenant(self.server)["api_key"]
        drivers = [make_driver(self.server, key, name=f"Driver {n}") for n in range(6)]

        def send(driver, lane):
            for i in range(20):
                point = batch([(43.7300 + lane * 0.001 + i * 0.00001, 7.4200)], start_seconds_ago=300 - i)
                self.assertEqual(self.server.request("POST", "/v1/pings", point, token=driver["device_token"]).status, 200)

        threads = [threading.Thread(target=send, args=(d, n)) for n, d in enumerate(drivers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        text = self.server.request("GET", "/metrics").text
        writes = int(re.search(r"^lastmile_store_writes_total (\d+)$", text, re.M).group(1))
        commits = int(re.search(r"^lastmile_store_commits_total (\d+)$", text, re.M).group(1))
        self.assertRegex(text, r"(?m)^lastmile_store_write_queue \d+$")
        self.assertGreaterEqual(writes, 6 * 20)  # every ping request is one write, plus the set-up
        self.assertGreaterEqual(commits, 1)
        self.assertLessEqual(commits, writes)


if __name__ == "__main__":
    unittest.main()
