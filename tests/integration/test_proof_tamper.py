"""`lastmile verify` catches a tampered SQLite database (docs/proof-of-delivery.md): a forged event payload
written with Python's sqlite3 and an altered blob file are reported as exactly those shipments.

About the SQLite backend itself (it edits the .db file and runs `verify` on a bare file path): not run
against PostgreSQL (tests/CMakeLists.txt, LASTMILE_PG_TESTS).
"""
import os
import sqlite3
import unittest

from lastmile_server import expect, png_bytes, run_verify
from test_proof import Fleet, ProofTestCase


class TamperTest(ProofTestCase):
    def setUp(self):
        self.f = Fleet(self.server, n=3)

    def test_verify_reports_exactly_the_altered_shipments(self):
        a, b, c = self.f.shipments
        for s, seed in ((a, 1), (b, 2), (c, 3)):
            self.assertStatus(self.upload(s["id"], {"recipient_name": "R"},
                                          [("photo", "p.png", "image/png", png_bytes(16, 16, seed=seed + 40))]), 201)
        proof_c = expect(self.server.request("GET", f"/v1/shipments/{c['id']}/proof", token=self.f.key), 200, "")
        self.assertEqual(self.server.stop(), 0)

        code, report, err = run_verify(self.server)
        self.assertEqual(code, 0, f"clean database: {report} {err}")
        self.assertEqual(report["problems"], [])
        self.assertGreaterEqual(report["blobs_checked"], 3)
        self.assertEqual(run_verify(self.server, db=self.server.db_path)[:2], (code, report), "a bare path works too")
        self.assertEqual(run_verify(self.server, db=os.path.join(self.server.tmpdir, "missing.db"))[0], 2)

        db = sqlite3.connect(self.server.db_path)
        db.execute("UPDATE events SET payload = '{\"note\":\"forged\"}' WHERE shipment_id = ? AND event_type = 'delivered'",
                   (a["id"],))
        db.commit()
        db.close()
        sha = proof_c["photos"][0]["sha256"]
        path = os.path.join(self.server.tmpdir, "blobs", sha[:2], sha[2:])
        with open(path, "r+b") as f:
            f.seek(30)
            f.write(b"\x00\x01\x02")

        code, report, err = run_verify(self.server)
        self.assertEqual(code, 1, err)
        self.assertEqual(sorted({p["shipment_id"] for p in report["problems"]}), sorted([a["id"], c["id"]]))
        reasons = {(p["shipment_id"], p["reason"]) for p in report["problems"]}
        self.assertIn((a["id"], "hash_mismatch"), reasons)
        self.assertIn((c["id"], "blob_mismatch"), reasons)

        self.server.start()
        read = expect(self.server.request("GET", f"/v1/shipments/{a['id']}/proof", token=self.f.key), 200, "")
        self.assertFalse(read["verification"]["ok"])


if __name__ == "__main__":
    unittest.main()
