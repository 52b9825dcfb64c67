"""The simulator's OwnTracks phones (HTTP, and MQTT through a real Mosquitto broker) and a mixed fleet
against the real server (the shared case and its checks: simulated_protocols.py)."""

import unittest

from simulated_protocols import SimulatedProtocolsCase


class SimulatedTrackersTest(SimulatedProtocolsCase):
    def test_owntracks_over_http(self):
        run = self.simulate("owntracks-http", drivers=1, stops=2, duration_s=12)
        self.assert_every_point_stored(run)
        self.assert_progressed(run)

    def test_owntracks_over_mqtt(self):
        run = self.simulate("owntracks-mqtt", drivers=1, stops=2, duration_s=12)
        self.assert_every_point_stored(run)
        self.assert_progressed(run)

    def test_mixed_gives_the_phones_every_protocol_round_robin(self):
        run = self.simulate("mixed", drivers=4, stops=2, duration_s=12)
        self.assert_every_point_stored(run)
        self.assert_progressed(run)


if __name__ == "__main__":
    unittest.main()
