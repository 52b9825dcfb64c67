"""The simulated fleet of issue 5 against the real server (docs/simulator.md): `lastmile serve
--clock-speedup 60` with the bundled Monaco map and `lastmile simulate` (3 drivers x 3 stops) for 40 s
of wall time = 40 minutes of simulated time. Checked through the public API only:

- shipments went out_for_delivery -> arriving -> delivered (geofences from the pings, delivered by the
  driver app);
- late_risk fired for the slow driver (driver 1, pace 0.6): its promised windows end at its pace-1
  arrival with no margin, so it is certainly late (sim/fleet_plan.hpp; the planner refuses a plan
  where it would not be 3 minutes late somewhere);
- the offline driver (driver 3: 12 simulated minutes without pings) raised device_offline: the
  server's activity check runs every 15 s of *server* time (15 s / 60 of wall time with
  --clock-speedup 60), so the 10-minute threshold is crossed 2 simulated minutes before the phone
  comes back, i.e. 2 wall seconds, about 8 checks;
- every point simulate sent was acknowledged and stored (its summary against GET /v1/drivers/{id}/track).

The load generator (`simulate --rate`): 200 devices at 500 fixes/s for 3 s, every fix acknowledged.

And `lastmile demo`: it prints the URLs (a tracking URL answers), and Ctrl-C stops it cleanly.
"""

import os
import re
import signal
import subprocess
import tempfile
import shutil
import time
import unittest
import urllib.request
import json

from lastmile_server import (DEFAULT_BIN, ServerTestCase, expect, free_port, make_tenant, monaco_graph)

BIN = os.environ.get("LASTMILE_BIN", DEFAULT_BIN)
SPEEDUP = 60
DURATION_S = 40

DRIVER_LINE = re.compile(r"driver (\d+) (drv_\w+) \((\w+), json\): route (rte_\w+), (\d+) pings, back at (\S+?)"
                         r"(?:, offline (\S+) to (\S+))?$")
SUMMARY = re.compile(r"pings sent (\d+) / acknowledged (\d+) / rejected (\d+); HTTP errors (\d+); "
                     r"deliveries posted (\d+)")


def epoch(text):
    return time.mktime(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone + float("0" + text[19:23])


class SimulatedFleetTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server_options = {"extra_args": ["--map", monaco_graph(), "--clock-speedup", str(SPEEDUP)]}
        super().setUpClass()
        s = cls.server
        cls.key = make_tenant(s)["api_key"]
        started = time.monotonic()
        done = subprocess.run([BIN, "simulate", "--server", s.base_url, "--api-key", cls.key, "--map", monaco_graph(),
                               "--drivers", "3", "--stops", "3", "--seed", "5", "--speedup", str(SPEEDUP),
                               "--duration", str(DURATION_S)], capture_output=True, text=True, timeout=120)
        cls.wall_s = time.monotonic() - started
        cls.out = done.stdout
        cls.code = done.returncode
        cls.err = done.stderr
        cls.drivers = {}
        for line in cls.out.splitlines():
            m = DRIVER_LINE.search(line.strip())
            if m:
                cls.drivers[int(m.group(1))] = {"id": m.group(2), "role": m.group(3), "route": m.group(4),
                                                "offline": (m.group(7), m.group(8)) if m.group(7) else None}
        m = SUMMARY.search(cls.out)
        cls.summary = [int(x) for x in m.groups()] if m else None

    def events_of_route(self, route_id):
        route = expect(self.server.request("GET", f"/v1/routes/{route_id}", token=self.key), 200, "route")
        out = {}
        for stop in route["stops"]:
            for shp in stop["shipment_ids"]:
                out[shp] = expect(self.server.request("GET", f"/v1/shipments/{shp}/events", token=self.key), 200,
                                  "events")["items"]
        return out

    def test_1_simulate_ran_and_every_point_was_acknowledged(self):
        self.assertEqual(self.code, 0, f"simulate failed\n{self.out}\n{self.err}")
        self.assertIsNotNone(self.summary, self.out)
        sent, acked, rejected, errors, deliveries = self.summary
        self.assertGreater(sent, 500)
        self.assertEqual(acked, sent)
        self.assertEqual(rejected, 0)
        self.assertEqual(errors, 0)
        self.assertGreaterEqual(deliveries, 2)
        self.assertLess(self.wall_s, DURATION_S + 30)  # setup, planning, map loading
        self.assertEqual(sorted(d["role"] for d in self.drivers.values()),
                         ["detour", "failed_attempt_offline", "slow"])

    def test_2_every_acknowledged_point_is_stored(self):
        stored = 0
        for d in self.drivers.values():
            track = expect(self.server.request("GET", f"/v1/drivers/{d['id']}/track", token=self.key,
                                               params={"from": "2000-01-01", "to": "2100-01-01"}), 200, "track")
            for f in track["features"]:
                stored += len(f["properties"]["times"])
        self.assertEqual(stored, self.summary[0])

    def test_3_shipments_went_out_for_delivery_arriving_delivered(self):
        chains = 0
        for d in self.drivers.values():
            for shp, events in self.events_of_route(d["route"]).items():
                types = [e["type"] for e in events]
                if "delivered" in types:
                    self.assertIn("out_for_delivery", types, shp)
                    self.assertIn("arriving", types, shp)
                    self.assertLess(types.index("out_for_delivery"), types.index("arriving"), types)
                    self.assertLess(types.index("arriving"), types.index("delivered"), types)
                    chains += 1
        self.assertGreaterEqual(chains, 2)

    def test_4_the_slow_driver_raised_late_risk(self):
        slow = next(d for d in self.drivers.values() if d["role"] == "slow")
        late = [e for events in self.events_of_route(slow["route"]).values() for e in events if e["type"] == "late_risk"]
        self.assertTrue(late, "no late_risk on the slow driver's shipments")
        self.assertGreater(late[0]["payload"]["late_by_s"], 60)

    def test_5_the_offline_driver_raised_device_offline_during_its_silence(self):
        d = next(d for d in self.drivers.values() if d["role"] == "failed_attempt_offline")
        self.assertIsNotNone(d["offline"])
        start, end = (epoch(t) for t in d["offline"])
        events = self.events_of_route(d["route"])
        offline = [e for evs in events.values() for e in evs if e["type"] == "device_offline"]
        self.assertTrue(offline, "no device_offline on the offline driver's shipments")
        for e in offline:
            at = epoch(e["at"])
            self.assertGreaterEqual(at, start, e)  # not before the phone went silent
            self.assertLess(at, end + 120, e)
        failed = [e for evs in events.values() for e in evs if e["type"] == "attempt_failed"]
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0]["source"], "driver_app")


class LoadGeneratorTest(ServerTestCase):
    def test_the_load_generator_reaches_a_modest_rate_with_every_fix_acknowledged(self):
        key = make_tenant(self.server)["api_key"]
        done = subprocess.run([BIN, "simulate", "--server", self.server.base_url, "--api-key", key, "--drivers", "200",
                               "--rate", "500", "--duration", "3"], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        m = re.search(r"fixes sent (\d+) in ([\d.]+) s = (\d+) fixes/s \(target 500\); acknowledged (\d+) / "
                      r"rejected (\d+); HTTP errors (\d+)", done.stdout)
        self.assertIsNotNone(m, done.stdout)
        sent, _, rate, acked, rejected, errors = (float(x) for x in m.groups())
        self.assertEqual(acked, sent)
        self.assertEqual((rejected, errors), (0, 0))
        self.assertGreater(rate, 250)  # half the target: sanitizer builds on shared cores are slow
        drivers = expect(self.server.request("GET", "/v1/drivers", token=key, params={"limit": 500}), 200, "drivers")
        self.assertEqual(len(drivers["items"]), 200)


class DemoCommandTest(unittest.TestCase):
    def test_the_demo_prints_working_urls_and_stops_cleanly_on_ctrl_c(self):
        folder = tempfile.mkdtemp(prefix="lastmile-demo-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        port = free_port()
        started = time.monotonic()
        osmand_port = free_port()
        proc = subprocess.Popen([BIN, "demo", "--data-dir", folder, "--http", f"127.0.0.1:{port}", "--drivers", "4",
                                 "--stops", "3", "--speedup", "30", "--osmand", f"127.0.0.1:{osmand_port}"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        lines = []
        while time.monotonic() - started < 60:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Ctrl-C stops"):
                break
        text = "".join(lines)
        self.assertIn("lastmile demo is running", text, text)
        pages = re.findall(r"(http://127\.0\.0\.1:\d+)/t/(\S+)", text)
        self.assertEqual(len(pages), 3, text)
        base, token = pages[0]
        with urllib.request.urlopen(f"{base}/t/{token}", timeout=10) as r:
            self.assertIn("text/html", r.headers["Content-Type"])  # the tracking page (web/dist)
        with urllib.request.urlopen(f"{base}/v1/track/{token}", timeout=10) as r:
            view = json.loads(r.read())
        self.assertIn(view["status"], ("shipped", "out_for_delivery", "arriving"))
        key = re.search(r"API key:\s+(\S+)", text).group(1)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/shipments?limit=500",
                                     headers={"Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(len(json.loads(r.read())["items"]), 12 + 3)  # the fleet's, and the app driver's
        # The driver app's one-time link signs in once; its driver has a planned route of 3 stops.
        link = re.search(r"Driver app for you .*\n\s+(http://127\.0\.0\.1:\d+/driver#code=(\S+))", text)
        self.assertIsNotNone(link, text)
        session = urllib.request.Request(f"http://127.0.0.1:{port}/v1/driver/session",
                                         data=json.dumps({"code": link.group(2)}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(session, timeout=10) as r:
            driver_token = json.loads(r.read())["token"]
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/driver/manifest",
                                     headers={"Authorization": f"Bearer {driver_token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            route = json.loads(r.read())["route"]
        self.assertEqual(route["status"], "planned")
        self.assertEqual(len(route["stops"]), 3)
        self.assertEqual(route["stops"][0]["shipments"][0]["parcels"][0]["barcode"][:4], "APP-")
        # The phone of the driver before the last is a Traccar Client on the OsmAnd port.
        tracker = re.search(r"driver 3 \(.*\): osmand device id (\S+) -> http://127\.0\.0\.1:(\d+)", text)
        self.assertIsNotNone(tracker, text)
        self.assertEqual(int(tracker.group(2)), osmand_port)
        time.sleep(3)  # the fleet drives a little

        def get(path):
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {key}"})
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())
        osmand_driver = next(d for d in get("/v1/drivers?limit=500")["items"] if d["device_id"] == tracker.group(1))
        self.assertIsNotNone(get(f"/v1/drivers/{osmand_driver['id']}")["position"], "no fix from the OsmAnd phone")
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, text + rest)
        self.assertIn("demo: stopped cleanly", rest)
        self.assertRegex(rest, r"HTTP errors 0;")


if __name__ == "__main__":
    unittest.main()
