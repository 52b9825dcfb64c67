"""Carriers with their own systems push status events in their own codes (docs/carriers.md).

A per-carrier mapping turns codes into milestones; an unknown code is kept raw and raises a mapping task
(and is decided once mapped); a repeated event id changes nothing; a late-arriving older event never
moves a shipment backwards; a CSV batch gets an exact per-row report. Other carriers, other tenants and
forged keys reach nothing.
"""

import time
import unittest
import uuid

from lastmile_server import (ServerTestCase, expect, iso, make_api_key, make_carrier, make_shipment, make_tenant,
                             unique)

T0 = time.time() - 12 * 3600  # the carrier's day started 12 h ago (event times must not be in the future)


def at(hour):
    """ISO time `hour` hours into the carrier's day."""
    return iso(T0 + hour * 3600)

def uid(prefix):
    """An id carriers would send: no spaces."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


MAPPINGS = {"mappings": [
    {"code": "PU", "milestone": "processed", "description": "Picked up at the shipper"},
    {"code": "DEP", "milestone": "shipped"},
    {"code": "OFD", "milestone": "out_for_delivery"},
    {"code": "NH", "milestone": "attempt_failed", "reason": "recipient_absent"},
    {"code": "DL", "milestone": "delivered"},
]}


class CarrierEventsTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = make_tenant(s)["api_key"]
        cls.carrier = make_carrier(s, cls.admin, name=unique("Riviera Express"))
        cls.other_carrier = make_carrier(s, cls.admin, name=unique("Other Couriers"))
        cls.carrier_key = make_api_key(s, cls.admin, "carrier", carrier_id=cls.carrier["id"])["api_key"]
        cls.other_carrier_key = make_api_key(s, cls.admin, "carrier", carrier_id=cls.other_carrier["id"])["api_key"]
        cls.other_admin = make_tenant(s)["api_key"]
        expect(s.request("PUT", cls.path("code-mappings"), MAPPINGS, token=cls.admin), 200, "mappings")

    @classmethod
    def path(cls, what, carrier=None):
        return f"/v1/carriers/{(carrier or cls.carrier)['id']}/{what}"

    def shipment(self, **fields):
        return make_shipment(self.server, self.admin, carrier_id=self.carrier["id"], **fields)

    def push(self, *events, token=None):
        return expect(self.server.request("POST", self.path("events"), {"events": list(events)},
                                          token=token or self.carrier_key), 200, "push events")

    def status_of(self, sh):
        return expect(self.server.request("GET", f"/v1/shipments/{sh['id']}", token=self.admin), 200, "get")["status"]

    @staticmethod
    def ev(event_id, sh, code, at, **extra):
        return {"event_id": event_id, "tracking_number": sh["tracking_number"], "code": code,
                "occurred_at": at, **extra}

    def test_mapped_codes_move_the_shipment_forward_only_and_duplicates_change_nothing(self):
        sh = self.shipment()
        eid = uid("ev")
        out = self.push(self.ev(eid + "-1", sh, "DEP", at(7)),
                        self.ev(eid + "-2", sh, "OFD", at(8), lat=43.73, lon=7.42))
        self.assertEqual([r["outcome"] for r in out["results"]], ["applied", "applied"])
        self.assertEqual(out["results"][1]["milestone"], "out_for_delivery")
        self.assertEqual(self.status_of(sh), "out_for_delivery")

        # Out of order: the pickup scan arrives late. Kept as history, the shipment stays where it is.
        late = self.push(self.ev(eid + "-0", sh, "PU", at(6)))["results"][0]
        self.assertEqual((late["outcome"], late["why"]), ("recorded", "older_than_current"))
        self.assertEqual(self.status_of(sh), "out_for_delivery")

        # The same event again (a carrier's retry): nothing changes, the first outcome is told.
        again = self.push(self.ev(eid + "-2", sh, "OFD", at(8)))
        self.assertEqual(again["results"][0]["outcome"], "duplicate")
        self.assertEqual(again["counts"]["duplicate"], 1)
        events = expect(self.server.request("GET", f"/v1/shipments/{sh['id']}/events", token=self.admin), 200, "ev")
        ofd = [e for e in events["items"] if e["type"] == "out_for_delivery"]
        self.assertEqual(len(ofd), 1, "a duplicate must not add an event")
        self.assertEqual(ofd[0]["source"], f"carrier:{self.carrier['id']}")

        self.push(self.ev(eid + "-3", sh, "DL", at(9)))
        back = self.push(self.ev(eid + "-4", sh, "OFD", at(10)))["results"][0]
        self.assertEqual((back["outcome"], back["why"]), ("recorded", "not_a_forward_step"))
        self.assertEqual(self.status_of(sh), "delivered")

        history = expect(self.server.request("GET", self.path("events"), token=self.admin,
                                             params={"shipment_id": sh["id"]}), 200, "history")["items"]
        self.assertEqual(sorted(h["event_id"] for h in history), sorted(f"{eid}-{i}" for i in range(5)))

    def test_an_unknown_code_is_kept_raises_a_mapping_task_and_is_decided_once_mapped(self):
        sh = self.shipment()
        code = uid("ZX").upper()
        res = self.push(self.ev(uid("ev"), sh, code, at(8),
                                description="Arrived at hub Nice"))["results"][0]
        self.assertEqual(res["outcome"], "unmapped")
        self.assertEqual(self.status_of(sh), "created")
        tasks = expect(self.server.request("GET", self.path("mapping-tasks"), token=self.admin), 200, "tasks")["items"]
        task = [t for t in tasks if t["code"] == code]
        self.assertEqual(len(task), 1)
        self.assertEqual((task[0]["events"], task[0]["sample_description"]), (1, "Arrived at hub Nice"))

        mapped = {"mappings": MAPPINGS["mappings"] + [{"code": code, "milestone": "shipped"}]}
        put = expect(self.server.request("PUT", self.path("code-mappings"), mapped, token=self.admin), 200, "map")
        self.assertGreaterEqual(put["reprocessed"], 1)
        self.assertEqual(self.status_of(sh), "shipped")
        tasks = expect(self.server.request("GET", self.path("mapping-tasks"), token=self.admin), 200, "tasks")["items"]
        self.assertNotIn(code, [t["code"] for t in tasks])
        expect(self.server.request("PUT", self.path("code-mappings"), MAPPINGS, token=self.admin), 200, "restore")

    def test_a_csv_batch_gets_an_exact_report_per_row(self):
        a, b = self.shipment(), self.shipment(external_order_id=uid("ORD"))
        eid = uid("csv")
        csv = ("event_id,tracking_number,order_id,code,occurred_at,lat,lon,description\r\n"
               f"{eid}-1,{a['tracking_number']},,DEP,{at(7)},,,\"Left hub, on time\"\r\n"
               f"{eid}-2,,{b['external_order_id']},OFD,{at(8)},43.73,7.42,\r\n"
               f",{a['tracking_number']},,OFD,{at(8)},,,\r\n"
               f"{eid}-4,{a['tracking_number']},,OFD,yesterday,,,\r\n"
               f"{eid}-5,LMNOSUCHNUMBER,,OFD,{at(8)},,,\r\n"
               f"{eid}-6,{a['tracking_number']},,OFD,{at(8)},95,7,\r\n")
        out = expect(self.server.request("POST", self.path("events"), csv, token=self.carrier_key,
                                         headers={"Content-Type": "text/csv; charset=utf-8"}), 200, "csv")
        report = [(r["index"], r["outcome"], r.get("error", {}).get("field")) for r in out["results"]]
        self.assertEqual(report, [(1, "applied", None), (2, "applied", None),
                                  (3, "invalid", "rows[3].event_id"), (4, "invalid", "rows[4].occurred_at"),
                                  (5, "unknown_shipment", None), (6, "invalid", "rows[6].lat")])
        self.assertEqual(out["counts"], {"applied": 2, "recorded": 0, "unmapped": 0, "unknown_shipment": 1,
                                         "duplicate": 0, "invalid": 3})
        self.assertEqual((self.status_of(a), self.status_of(b)), ("shipped", "out_for_delivery"))

    def test_bad_bodies_are_refused_whole_and_change_nothing(self):
        for body, headers, status, code in (
                ("not json", None, 400, "invalid_json"),
                ({"events": "x"}, None, 400, "wrong_type"),
                ("event_id,code\n", {"Content-Type": "text/csv"}, 400, "missing_field"),
                ("event_id,tracking_number,code,occurred_at\n\"open,quote", {"Content-Type": "text/csv"}, 400,
                 "invalid_field"),
                ("<xml/>", {"Content-Type": "application/xml"}, 415, "unsupported_media_type")):
            self.assertError(self.server.request("POST", self.path("events"), body, token=self.carrier_key,
                                                 headers=headers), status, code)
        self.assertError(self.server.request("PUT", self.path("code-mappings"),
                                             {"mappings": [{"code": "A", "milestone": "teleported"}]},
                                             token=self.admin), 400, "invalid_field", "mappings[0].milestone")
        still = expect(self.server.request("GET", self.path("code-mappings"), token=self.admin), 200, "mappings")
        self.assertEqual(len(still["mappings"]), len(MAPPINGS["mappings"]))

    def test_other_carriers_tenants_and_forged_keys_reach_nothing(self):
        sh = self.shipment()
        event = self.ev(uid("ev"), sh, "DEP", at(7))
        # Another carrier of the same tenant: not its carrier (404), and through its own carrier the
        # shipment is not its own.
        self.assertError(self.server.request("POST", self.path("events"), {"events": [event]},
                                             token=self.other_carrier_key), 404, "not_found")
        own = expect(self.server.request("POST", self.path("events", self.other_carrier), {"events": [event]},
                                         token=self.other_carrier_key), 200, "own carrier")
        self.assertEqual(own["results"][0]["outcome"], "unknown_shipment")
        # Another tenant, an unknown carrier, a forged key.
        self.assertError(self.server.request("POST", self.path("events"), {"events": [event]},
                                             token=self.other_admin), 404, "not_found")
        self.assertError(self.server.request("POST", "/v1/carriers/car_nosuchcarrier/events", {"events": [event]},
                                             token=self.admin), 404, "not_found")
        self.assertError(self.server.request("POST", self.path("events"), {"events": [event]},
                                             token=self.carrier_key[:-4] + "abcd"), 401, "unauthenticated")
        self.assertError(self.server.request("PUT", self.path("code-mappings"), MAPPINGS, token=self.carrier_key),
                         403, "forbidden")
        self.assertEqual(self.status_of(sh), "created")


class CarrierEventsCrashTest(ServerTestCase):
    """kill -9 between batches: every acknowledged carrier event is kept with its outcome, the shipments
    moved exactly as acknowledged, and re-sending a batch after the restart only finds duplicates."""

    def test_acknowledged_events_survive_kill_9(self):
        s = self.server
        admin = make_tenant(s)["api_key"]
        carrier = make_carrier(s, admin, name=unique("Crash Couriers"))
        key = make_api_key(s, admin, "carrier", carrier_id=carrier["id"])["api_key"]
        path = f"/v1/carriers/{carrier['id']}/events"
        expect(s.request("PUT", f"/v1/carriers/{carrier['id']}/code-mappings", MAPPINGS, token=admin), 200, "map")
        shipments = [make_shipment(s, admin, carrier_id=carrier["id"]) for _ in range(6)]
        batches = []
        for round_ in range(3):
            codes = ("DEP", "OFD", "DL")[round_]
            batch = [{"event_id": f"crash-{round_}-{i}", "tracking_number": sh["tracking_number"], "code": codes,
                      "occurred_at": at(7 + round_)} for i, sh in enumerate(shipments)]
            out = expect(s.request("POST", path, {"events": batch}, token=key), 200, f"batch {round_}")
            self.assertEqual(out["counts"]["applied"], len(shipments))
            batches.append(batch)
            s.restart(graceful=False)
        for sh in shipments:
            got = expect(s.request("GET", f"/v1/shipments/{sh['id']}", token=admin), 200, "shipment")
            self.assertEqual(got["status"], "delivered")
        kept = expect(s.request("GET", path, token=admin, params={"limit": 100}), 200, "kept")["items"]
        self.assertEqual(len(kept), 18)
        self.assertEqual({k["outcome"] for k in kept}, {"applied"})
        again = expect(s.request("POST", path, {"events": batches[1]}, token=key), 200, "re-send")
        self.assertEqual(again["counts"]["duplicate"], len(shipments))


if __name__ == "__main__":
    unittest.main()
