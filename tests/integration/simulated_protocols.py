"""The shared case of test_simulate_batches.py and test_simulate_trackers.py: `lastmile simulate --protocol …` against the real server and a real Mosquitto broker on loopback
(docs/simulator.md, "Protocols" and "Offline phones"). The server runs with --clock-speedup 120, its
OsmAnd listener and --mqtt; each test runs simulate for a bounded time with one protocol and checks,
through the public API only, that the points the phones sent were stored and the shipments progressed:

- json: the driver app's batches (POST /v1/pings);
- osmand: Traccar Client's one-fix requests to the OsmAnd port (device id + device token);
- owntracks-http: POST /v1/owntracks with Basic credentials (user, device token) and X-Limit-U/-D;
- owntracks-mqtt: QoS 1 publishes on owntracks/<user>/<device> to the broker the server subscribes to;
- mixed: four phones, one of each.

And the offline phone (driver 3, 12 simulated minutes without a connection) with json and osmand: the
server raised device_offline during the silence, and after the reconnect the phone uploaded what it held,
so the driver's history (GET /v1/drivers/{id}/track) covers the offline window without a gap.
"""

import datetime
import os
import re
import subprocess
import time
import unittest

from lastmile_server import DEFAULT_BIN, ServerTestCase, expect, make_tenant, monaco_graph
from test_owntracks import MOSQUITTO, MOSQUITTO_PUB, Broker

BIN = os.environ.get("LASTMILE_BIN", DEFAULT_BIN)
SPEEDUP = 120
DRIVER_LINE = re.compile(r"driver (\d+) (drv_\w+) \((\w+), ([\w-]+)\): route (rte_\w+), (\d+) pings, back at (\S+?)"
                         r"(?:, offline (\S+) to (\S+))?$")
SUMMARY = re.compile(r"pings sent (\d+) / acknowledged (\d+) / rejected (\d+); HTTP errors (\d+); "
                     r"deliveries posted (\d+)")
GAP_S = 10  # the phone samples every 1-5 s and a parked one every 60 s; nothing in the drive is 10 s apart


def epoch(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Run:
    """One `lastmile simulate` run: its drivers (by number) and its summary."""

    def __init__(self, done):
        self.out, self.err, self.code = done.stdout, done.stderr, done.returncode
        self.drivers = {}
        for line in self.out.splitlines():
            m = DRIVER_LINE.search(line.strip())
            if m:
                self.drivers[int(m.group(1))] = {
                    "id": m.group(2), "role": m.group(3), "protocol": m.group(4), "route": m.group(5),
                    "offline": (epoch(m.group(8)), epoch(m.group(9))) if m.group(8) else None}
        m = SUMMARY.search(self.out)
        self.summary = dict(zip(("sent", "acked", "rejected", "errors", "deliveries"),
                                (int(x) for x in m.groups()))) if m else None


@unittest.skipUnless(MOSQUITTO and MOSQUITTO_PUB or os.environ.get("CI") == "true",
                     "mosquitto and mosquitto-clients are not installed (scripts/bootstrap)")
class SimulatedProtocolsCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = Broker().start()
        cls.addClassCleanup(cls.broker.close)
        cls.mqtt = f"127.0.0.1:{cls.broker.port}"
        cls.server_options = {"extra_args": ["--map", monaco_graph(), "--clock-speedup", str(SPEEDUP),
                                             "--mqtt", f"mqtt://{cls.mqtt}?client_id=lastmile-{cls.broker.port}"]}
        super().setUpClass()
        deadline = time.monotonic() + 20
        while "mqtt: subscribed" not in cls.server.stdout_text() and time.monotonic() < deadline:
            time.sleep(0.05)

    def simulate(self, protocol, drivers, stops, duration_s, seed=3):
        key = make_tenant(self.server)["api_key"]
        done = subprocess.run([BIN, "simulate", "--server", self.server.base_url, "--api-key", key,
                               "--map", monaco_graph(), "--drivers", str(drivers), "--stops", str(stops),
                               "--seed", str(seed), "--speedup", str(SPEEDUP), "--duration", str(duration_s),
                               "--protocol", protocol, "--osmand", self.server.osmand_url, "--mqtt", self.mqtt],
                              capture_output=True, text=True, timeout=duration_s + 60)
        run = Run(done)
        run.key = key
        self.assertEqual(run.code, 0, f"simulate failed\n{run.out}\n{run.err}")
        self.assertIsNotNone(run.summary, run.out)
        expected = {"json", "osmand", "owntracks-http", "owntracks-mqtt"} if protocol == "mixed" else {protocol}
        self.assertEqual({d["protocol"] for d in run.drivers.values()}, expected, run.out)
        self.assertEqual((run.summary["rejected"], run.summary["errors"]), (0, 0), run.out)
        self.assertEqual(run.summary["acked"], run.summary["sent"], run.out)
        return run

    def track_times(self, run, driver):
        track = expect(self.server.request("GET", f"/v1/drivers/{driver['id']}/track", token=run.key,
                                           params={"from": "2000-01-01", "to": "2100-01-01"}), 200, "track")
        return [epoch(t) for f in track["features"] for t in f["properties"]["times"]]

    def assert_every_point_stored(self, run):
        # MQTT is acknowledged by the broker: the server stores it a moment later.
        deadline = time.monotonic() + 15
        while True:
            stored = sum(len(self.track_times(run, d)) for d in run.drivers.values())
            if stored >= run.summary["sent"] or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(stored, run.summary["sent"])

    def events(self, run, driver):
        route = expect(self.server.request("GET", f"/v1/routes/{driver['route']}", token=run.key), 200, "route")
        return [e for stop in route["stops"] for shp in stop["shipment_ids"]
                for e in expect(self.server.request("GET", f"/v1/shipments/{shp}/events", token=run.key), 200,
                                "events")["items"]]

    def assert_progressed(self, run):
        types = [e["type"] for d in run.drivers.values() for e in self.events(run, d)]
        self.assertIn("out_for_delivery", types)
        self.assertIn("arriving", types)
        self.assertIn("delivered", types)
        self.assertGreaterEqual(run.summary["deliveries"], 1)
        # The phones scan like a driver app: every parcel loaded at the depot and scanned at the door,
        # so no delivered stop raises missing_scan.
        kinds = [c["kind"] for c in expect(self.server.request("GET", "/v1/exceptions", token=run.key,
                                                                  params={"limit": "200"}), 200, "exceptions")["items"]]
        self.assertNotIn("missing_scan", kinds)
        delivered = [e["shipment_id"] for d in run.drivers.values() for e in self.events(run, d)
                     if e["type"] == "delivered"]
        custody = expect(self.server.request("GET", f"/v1/shipments/{delivered[0]}/custody", token=run.key), 200,
                         "custody")["items"]
        self.assertEqual([s["kind"] for s in custody], ["loaded", "delivered"])
        # … and each delivery is a proof of delivery: a signature, left at the front door, chain intact.
        proof = expect(self.server.request("GET", f"/v1/shipments/{delivered[0]}/proof", token=run.key), 200, "proof")
        self.assertEqual(proof["left_at"], "front_door")
        self.assertEqual(proof["signature"]["content_type"], "image/svg+xml")
        self.assertFalse(proof["location_mismatch"])
        self.assertTrue(proof["verification"]["ok"], proof["verification"])

    def assert_offline_window_covered_after_reconnect(self, run):
        d = next(d for d in run.drivers.values() if d["role"] == "failed_attempt_offline")
        start, end = d["offline"]
        offline = [epoch(e["at"]) for e in self.events(run, d) if e["type"] == "device_offline"]
        self.assertTrue(offline, "no device_offline during the phone's silence")
        self.assertTrue(all(start <= at < end + 120 for at in offline), (start, end, offline))
        times = sorted(self.track_times(run, d))
        inside = [t for t in times if start <= t < end]
        self.assertGreater(len(inside), (end - start) / 5 - 5, "the held fixes were not uploaded")
        around = [t for t in times if start - 60 <= t <= end + 60]
        gaps = [b - a for a, b in zip(around, around[1:])]
        self.assertLess(max(gaps), GAP_S, "the history has a gap around the offline window")
