"""The simulator's JSON batches and OsmAnd requests against the real server, each with an offline
phone that uploads what it held (the shared case and its checks: simulated_protocols.py). Split from
the tracker tests so that ctest runs the two halves at once."""

import subprocess
import unittest

from lastmile_server import make_tenant, monaco_graph
from simulated_protocols import BIN, SPEEDUP, SimulatedProtocolsCase


class SimulatedBatchesTest(SimulatedProtocolsCase):
    def test_json_batches_and_the_offline_phone_uploads_its_held_batches(self):
        run = self.simulate("json", drivers=3, stops=3, duration_s=26)
        self.assert_every_point_stored(run)
        self.assert_progressed(run)
        self.assert_offline_window_covered_after_reconnect(run)

    def test_osmand_one_fix_per_request_and_the_offline_phone_uploads_oldest_first(self):
        run = self.simulate("osmand", drivers=3, stops=3, duration_s=26)
        self.assert_every_point_stored(run)
        self.assert_progressed(run)
        self.assert_offline_window_covered_after_reconnect(run)
        metrics = self.server.request("GET", "/metrics").body
        self.assertRegex(metrics, r'lastmile_pings_total\{protocol="osmand",result="accepted"\} [1-9]')

    def test_a_speedup_other_than_the_servers_is_refused_before_any_drive(self):
        key = make_tenant(self.server)["api_key"]
        done = subprocess.run([BIN, "simulate", "--server", self.server.base_url, "--api-key", key,
                               "--map", monaco_graph(), "--drivers", "2", "--stops", "3", "--seed", "3",
                               "--speedup", str(SPEEDUP // 6), "--duration", "10", "--protocol", "json"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
        self.assertIn(f"--speedup {SPEEDUP // 6} must equal the server's --clock-speedup", done.stderr)
        drivers = self.server.request("GET", "/v1/drivers", token=key)
        self.assertEqual(drivers.status, 200)
        self.assertTrue(all(not d.get("position") for d in drivers.body["items"]), "a phone drove anyway")


if __name__ == "__main__":
    unittest.main()
