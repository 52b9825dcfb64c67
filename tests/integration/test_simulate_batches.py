"""The simulator's JSON batches and OsmAnd requests against the real server, each with an offline
phone that uploads what it held (the shared case and its checks: simulated_protocols.py). Split from
the tracker tests so that ctest runs the two halves at once."""

import unittest

from simulated_protocols import SimulatedProtocolsCase


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


if __name__ == "__main__":
    unittest.main()
