"""Durability of chat messages and surveys: kill -9 right after an acknowledged POST, restart on the same
database — the message and the survey (with its events and its low_rating case) are there, and a retried
POST with the same client_id is not stored twice.
"""

import unittest

from lastmile_server import LastmileServer, expect, make_shipment, make_tenant, post_event


class ChatSurveyCrashTest(unittest.TestCase):
    def test_kill_9_after_acknowledged_writes_loses_nothing(self):
        server = LastmileServer().start()
        self.addCleanup(server.close)
        key = make_tenant(server)["api_key"]
        sh = make_shipment(server, key)
        for step in ("processed", "shipped", "out_for_delivery", "delivered"):
            post_event(server, key, sh["id"], step)
        token = sh["tracking_token"]
        acked = []
        for i in range(10):
            r = server.request("POST", f"/v1/track/{token}/messages", {"body": f"message {i}", "client_id": f"k-{i}"})
            self.assertEqual(r.status, 201, str(r))
            acked.append(r.body["message"]["id"])
        survey = server.request("POST", f"/v1/track/{token}/survey", {"stars": 1, "comment": "Box crushed",
                                                                        "tags": ["damaged"]})
        self.assertEqual(survey.status, 201, str(survey))
        server.kill()  # no flush, no checkpoint

        server.start()
        thread = expect(server.request("GET", f"/v1/shipments/{sh['id']}/messages", token=key), 200, "thread")
        self.assertEqual([m["id"] for m in thread["items"]], acked)
        again = server.request("POST", f"/v1/track/{token}/messages", {"body": "message 9", "client_id": "k-9"})
        self.assertEqual((again.status, again.body["message"]["id"]), (200, acked[-1]))
        self.assertEqual(len(expect(server.request("GET", f"/v1/track/{token}/messages"), 200, "list")["items"]), 10)
        stored = expect(server.request("GET", f"/v1/shipments/{sh['id']}/survey", token=key), 200, "survey")["survey"]
        self.assertEqual((stored["stars"], stored["comment"], stored["tags"]), (1, "Box crushed", ["damaged"]))
        events = expect(server.request("GET", f"/v1/shipments/{sh['id']}/events", token=key), 200, "events")
        types = [e["type"] for e in (events["items"] if isinstance(events, dict) else events)]
        self.assertEqual(types[-2:], ["survey_submitted", "survey_low_rating"])
        cases = expect(server.request("GET", "/v1/exceptions", token=key, params={"kind": "low_rating"}), 200,
                       "cases")["items"]
        self.assertEqual([c["shipment_id"] for c in cases], [sh["id"]])
        self.assertEqual(server.request("POST", f"/v1/track/{token}/survey", {"stars": 5}).status, 409)


if __name__ == "__main__":
    unittest.main()
