"""Proof of delivery, failed attempts, the hash chain and `lastmile verify` (docs/proof-of-delivery.md).

A driver on its route uploads a POD (a real PNG/JPEG built here, no imaging library), replays it, sends bad
uploads that must leave nothing behind; staff and the customer read it; a server killed in the middle of a
stream of uploads keeps every acknowledged POD, and `lastmile verify` finds it clean. A tampered SQLite
database caught by `lastmile verify`: test_proof_tamper.py.
"""
import os
import struct
import threading
import unittest
import uuid

from lastmile_server import (LastmileServer, ServerTestCase, expect, make_driver, make_route, make_shipment,
                             make_tenant, multipart, png_bytes, post_event, run_verify)


# ---- images and forms ------------------------------------------------------------------------------------

def jpeg_bytes(width, height):
    """A baseline JPEG header (SOI, APP0, SOF0 with the dimensions, EOI): enough for the header check."""
    sof = b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", height, width) + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + b"\xff\xd9"


SIGNATURE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">'
                 b'<path d="M10 80 C 40 10, 65 10, 95 80" stroke="black" fill="none"/></svg>')


AT_THE_DOOR = {"lat": 43.7385, "lon": 7.4247}   # ~15 m from the address of SHIPMENT_BODY
FAR_AWAY = {"lat": 43.7500, "lon": 7.4400}      # ~1.8 km away


def blob_files(server):
    root = os.path.join(server.tmpdir, "blobs")
    found = []
    for d, _, files in os.walk(root):
        found += [os.path.join(d, f) for f in files]
    return found


class Fleet:
    """One tenant with a driver on a started route of `n` shipments (all out for delivery)."""

    def __init__(self, server, n=3, **tenant_settings):
        tenant = make_tenant(server, **tenant_settings)
        self.key = tenant["api_key"]
        self.driver = make_driver(server, self.key)
        self.device = self.driver["device_token"]
        self.shipments = [make_shipment(server, self.key) for _ in range(n)]
        route = make_route(server, self.key, self.driver["id"], [s["id"] for s in self.shipments])
        expect(server.request("POST", f"/v1/routes/{route['id']}/start", token=self.key), 200, "start route")
        for s in self.shipments:
            if expect(server.request("GET", f"/v1/shipments/{s['id']}", token=self.key), 200, "")["status"] != \
                    "out_for_delivery":
                post_event(server, self.key, s["id"], "out_for_delivery")


class ProofTestCase(ServerTestCase):
    def upload(self, shipment_id, fields=None, files=(), token=None, key=None, path="proof", boundary=None):
        ctype, body = multipart(fields or {}, files, boundary)
        headers = {"Content-Type": ctype}
        if key is not False:
            headers["Idempotency-Key"] = key or str(uuid.uuid4())
        return self.server.request("POST", f"/v1/shipments/{shipment_id}/{path}", body, token=token or self.f.device,
                                   headers=headers)

    def assertNothingStored(self, shipment_id, blobs_before):
        events = expect(self.server.request("GET", f"/v1/shipments/{shipment_id}/events", token=self.f.key), 200,
                        "events")["items"]
        self.assertEqual([e["type"] for e in events][-1], "out_for_delivery", "no event after a refused upload")
        self.assertEqual(sorted(blob_files(self.server)), blobs_before, "no blob after a refused upload")
        self.assertError(self.server.request("GET", f"/v1/shipments/{shipment_id}/proof", token=self.f.key),
                         404, "no_proof")


class ProofOfDeliveryTest(ProofTestCase):
    def setUp(self):
        self.f = Fleet(self.server)

    def test_driver_uploads_a_proof_and_a_replay_gets_the_same_answer(self):
        shipment = self.f.shipments[0]
        photo = png_bytes(64, 48)
        fields = {"recipient_name": "Marie Dupont", "left_at": "with_recipient", "notes": "handed over",
                  "accuracy": "8", "captured_at": "2026-11-23T10:15:00Z", **AT_THE_DOOR}
        files = [("photo", "door.png", "image/png", photo), ("photo", "parcel.jpg", "image/jpeg", jpeg_bytes(640, 480)),
                 ("signature", "sig.svg", "image/svg+xml", SIGNATURE_SVG)]
        ctype, body = multipart(fields, files)
        headers = {"Content-Type": ctype, "Idempotency-Key": "pod-1"}
        first = self.server.request("POST", f"/v1/shipments/{shipment['id']}/proof", body, token=self.f.device,
                                    headers=headers)
        proof = self.assertStatus(first, 201)
        self.assertEqual(proof["recipient_name"], "Marie Dupont")
        self.assertEqual(proof["left_at"], "with_recipient")
        self.assertEqual([(p["content_type"], p["width"], p["height"]) for p in proof["photos"]],
                         [("image/png", 64, 48), ("image/jpeg", 640, 480)])
        self.assertEqual(proof["photos"][0]["bytes"], len(photo))
        self.assertEqual(proof["signature"]["content_type"], "image/svg+xml")
        self.assertFalse(proof["location_mismatch"])
        self.assertLess(proof["distance_m"], 50)

        again = self.server.request("POST", f"/v1/shipments/{shipment['id']}/proof", body, token=self.f.device,
                                    headers=headers)
        self.assertEqual(self.assertStatus(again, 200), proof)
        events = expect(self.server.request("GET", f"/v1/shipments/{shipment['id']}/events", token=self.f.key), 200,
                        "events")["items"]
        self.assertEqual([e["type"] for e in events].count("delivered"), 1)

        other_body = multipart({"recipient_name": "Someone else"})[1]
        self.assertError(self.server.request("POST", f"/v1/shipments/{shipment['id']}/proof", other_body,
                                             token=self.f.device, headers=headers), 409, "idempotency_conflict")

        read = expect(self.server.request("GET", f"/v1/shipments/{shipment['id']}/proof", token=self.f.key), 200,
                      "get proof")
        self.assertTrue(read["verification"]["ok"])
        self.assertGreaterEqual(read["verification"]["events_checked"], 3)
        self.assertEqual(read["photos"], proof["photos"])
        image = self.server.request("GET", proof["photos"][0]["url"], token=self.f.key)
        self.assertEqual(image.status, 200)
        self.assertEqual(image.headers.get("Content-Type"), "image/png")
        by_driver = self.server.request("GET", proof["photos"][0]["url"], token=self.f.device)
        self.assertEqual(by_driver.status, 200)

    def test_the_tenant_sets_how_far_from_the_address_a_proof_may_be(self):
        wide = Fleet(self.server, n=1, pod_max_distance_m=5000)
        tenants = expect(self.server.request("GET", "/v1/tenants", token=self.server.admin_token,
                                             params={"limit": "500"}), 200, "tenants")["items"]
        self.assertIn(5000, [t["pod_max_distance_m"] for t in tenants])
        proof = self.assertStatus(self.upload(wide.shipments[0]["id"], {"recipient_name": "Neighbour", **FAR_AWAY},
                                              token=wide.device), 201)
        self.assertGreater(proof["distance_m"], 1000)
        self.assertFalse(proof["location_mismatch"])  # within the tenant's 5 km
        self.assertError(self.server.request("POST", "/v1/tenants", {"name": "Too strict", "pod_max_distance_m": 5},
                                             token=self.server.admin_token), 400, "invalid_field")

    def test_a_proof_far_from_the_address_is_flagged_and_opens_an_exception(self):
        shipment = self.f.shipments[1]
        proof = self.assertStatus(self.upload(shipment["id"], {"recipient_name": "Neighbour", "left_at": "neighbour",
                                                                **FAR_AWAY}), 201)
        self.assertTrue(proof["location_mismatch"])
        self.assertGreater(proof["distance_m"], 1000)
        events = expect(self.server.request("GET", f"/v1/shipments/{shipment['id']}/events", token=self.f.key), 200,
                        "events")["items"]
        self.assertEqual([e["type"] for e in events][-2:], ["delivered", "pod_location_mismatch"])
        cases = expect(self.server.request("GET", "/v1/exceptions", token=self.f.key,
                                           params={"kind": "pod_location_mismatch"}), 200, "exceptions")["items"]
        self.assertEqual([c["shipment_id"] for c in cases], [shipment["id"]])

    def test_bad_uploads_are_refused_and_leave_nothing_behind(self):
        shipment = self.f.shipments[2]
        before = sorted(blob_files(self.server))
        not_an_image = self.upload(shipment["id"], {"recipient_name": "X"},
                                   [("photo", "door.jpg", "image/jpeg", b"this is a text file, not a photo\n" * 20)])
        self.assertError(not_an_image, 400, "invalid_image", "photo")
        self.assertNothingStored(shipment["id"], before)

        huge = self.upload(shipment["id"], {}, [("photo", "big.png", "image/png", png_bytes(8, 8) + b"\0" * (9 << 20))])
        self.assertError(huge, 413, "too_large")
        self.assertNothingStored(shipment["id"], before)

        big_signature = self.upload(shipment["id"], {}, [("signature", "s.svg", "image/svg+xml",
                                                          SIGNATURE_SVG[:-6] + b"<g/>" * 200000 + b"</svg>")])
        self.assertIn(big_signature.status, (400, 413))
        self.assertNothingStored(shipment["id"], before)

        script = self.upload(shipment["id"], {}, [("signature", "s.svg", "image/svg+xml",
                                                   b'<svg onload="alert(1)"></svg>')])
        self.assertError(script, 400, "invalid_image", "signature")

        ctype, body = multipart({"recipient_name": "Y"}, [("photo", "p.png", "image/png", png_bytes(4, 4))])
        truncated = self.server.request("POST", f"/v1/shipments/{shipment['id']}/proof", body[: len(body) // 2],
                                        token=self.f.device, headers={"Content-Type": ctype, "Idempotency-Key": "t"})
        self.assertError(truncated, 400, "invalid_field", "body")
        self.assertNothingStored(shipment["id"], before)

        self.assertError(self.upload(shipment["id"], {"left_at": "roof"}), 400, "invalid_field", "left_at")
        self.assertError(self.upload(shipment["id"], {"notes": "nothing else"}), 400, "missing_field")
        self.assertError(self.upload(shipment["id"], {"recipient_name": "Z"}, key=False), 400, "missing_field",
                         "Idempotency-Key")
        self.assertNothingStored(shipment["id"], before)

    def test_the_upload_limit_is_larger_for_proofs_only(self):
        shipment = self.f.shipments[0]
        head = (f"POST /v1/shipments/{shipment['id']}/proof HTTP/1.1\r\nHost: x\r\n"
                f"Authorization: Bearer {self.f.device}\r\nIdempotency-Key: big\r\n"
                f"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: {25 << 20}\r\n\r\n").encode()
        self.assertError(self.server.send_raw(head, [b"\0" * (1 << 20)]), 413, "too_large")
        # Another route keeps --max-body (1 MiB): 3 MiB of event body is refused, 3 MiB of proof is read.
        events = (f"POST /v1/shipments/{shipment['id']}/events HTTP/1.1\r\nHost: x\r\n"
                  f"Authorization: Bearer {self.f.device}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {3 << 20}\r\n\r\n").encode()
        self.assertError(self.server.send_raw(events, [b" " * (3 << 20)]), 413, "too_large")
        ctype, body = multipart({"recipient_name": "Marie"},
                                [("photo", "p.png", "image/png", png_bytes(8, 8) + b"\0" * (3 << 20))])
        reply = self.server.request("POST", f"/v1/shipments/{shipment['id']}/proof", body, token=self.f.device,
                                    headers={"Content-Type": ctype, "Idempotency-Key": "three-mib"})
        self.assertEqual(self.assertStatus(reply, 201)["photos"][0]["bytes"], len(png_bytes(8, 8)) + (3 << 20))

    def test_another_tenant_sees_nothing(self):
        shipment = self.f.shipments[0]
        self.assertStatus(self.upload(shipment["id"], {"recipient_name": "Marie"},
                                      [("photo", "a.png", "image/png", png_bytes(10, 10, seed=7))]), 201)
        proof = expect(self.server.request("GET", f"/v1/shipments/{shipment['id']}/proof", token=self.f.key), 200, "")
        other = Fleet(self.server, n=1)
        self.assertError(self.server.request("GET", f"/v1/shipments/{shipment['id']}/proof", token=other.key),
                         404, "not_found")
        self.assertError(self.upload(shipment["id"], {"recipient_name": "X"}, token=other.device), 404, "not_found")
        self.assertError(self.server.request("GET", proof["photos"][0]["url"], token=other.key), 404, "not_found")
        self.assertError(self.server.request("GET", proof["photos"][0]["url"], token=other.device), 404, "not_found")

    def test_the_customer_sees_the_proof_only_once_delivered(self):
        shipment = self.f.shipments[1]
        token = shipment["tracking_token"]
        self.assertError(self.server.request("GET", f"/v1/track/{token}/proof"), 404, "no_proof")
        uploaded = self.assertStatus(self.upload(shipment["id"], {"recipient_name": "Marie", "left_at": "front_door"},
                                                 [("photo", "a.png", "image/png", png_bytes(12, 9, seed=3))]), 201)
        public = expect(self.server.request("GET", f"/v1/track/{token}/proof"), 200, "public proof")
        self.assertEqual(public["left_at"], "front_door")
        self.assertTrue(public["verification"]["ok"])
        self.assertNotIn("location", public)
        url = public["photos"][0]["url"]
        self.assertEqual(url, f"/v1/track/{token}/blobs/{uploaded['photos'][0]['sha256']}")
        self.assertEqual(self.server.request("GET", url).status, 200)
        self.assertError(self.server.request("GET", f"/v1/track/{token}/blobs/{'0' * 64}"), 404, "not_found")


class FailedAttemptTest(ProofTestCase):
    def setUp(self):
        self.f = Fleet(self.server, n=2)

    def test_a_failed_attempt_with_a_reason_and_a_photo(self):
        shipment = self.f.shipments[0]
        reply = self.upload(shipment["id"], {"reason": "no_one_home", "next_step": "reattempt_tomorrow",
                                             "notes": "rang twice", **AT_THE_DOOR},
                            [("photo", "door.png", "image/png", png_bytes(20, 20, seed=9))], path="attempts")
        event = self.assertStatus(reply, 201)
        self.assertEqual(event["type"], "attempt_failed")
        self.assertEqual(event["shipment_status"], "attempt_failed")

    def test_a_failed_attempt_as_json_and_an_invalid_reason(self):
        shipment = self.f.shipments[1]
        bad = self.server.request("POST", f"/v1/shipments/{shipment['id']}/attempts", {"reason": "too_lazy"},
                                  token=self.f.device, headers={"Idempotency-Key": "a1"})
        self.assertError(bad, 400, "invalid_field", "reason")
        ok = self.server.request("POST", f"/v1/shipments/{shipment['id']}/attempts",
                                 {"reason": "access_issue", "next_step": "pickup_point", "lat": 43.7385, "lon": 7.4247},
                                 token=self.f.device, headers={"Idempotency-Key": "a2"})
        self.assertEqual(self.assertStatus(ok, 201)["type"], "attempt_failed")


class CrashTest(unittest.TestCase):
    def test_every_acknowledged_proof_survives_a_kill(self):
        server = LastmileServer()
        self.addCleanup(server.close)
        server.start()
        f = Fleet(server, n=12)
        acknowledged, stop = [], threading.Event()

        def upload_all():
            for i, s in enumerate(f.shipments):
                if stop.is_set():
                    return
                ctype, body = multipart({"recipient_name": f"R{i}"},
                                        [("photo", "p.png", "image/png", png_bytes(32, 32, seed=100 + i))])
                try:
                    r = server.request("POST", f"/v1/shipments/{s['id']}/proof", body, token=f.device,
                                       headers={"Content-Type": ctype, "Idempotency-Key": f"crash-{i}"}, timeout=10)
                except OSError:
                    return
                if r.status == 201:
                    acknowledged.append(s["id"])

        worker = threading.Thread(target=upload_all)
        worker.start()
        while len(acknowledged) < 4 and worker.is_alive():
            threading.Event().wait(0.01)
        server.kill()
        stop.set()
        worker.join(30)
        self.assertGreaterEqual(len(acknowledged), 4)

        code, report, err = run_verify(server)
        self.assertEqual(code, 0, f"{report} {err}")
        server.start()
        for sid in acknowledged:
            proof = expect(server.request("GET", f"/v1/shipments/{sid}/proof", token=f.key), 200, "proof after kill")
            self.assertTrue(proof["verification"]["ok"])
            self.assertEqual(server.request("GET", proof["photos"][0]["url"], token=f.key).status, 200)


if __name__ == "__main__":
    unittest.main()
