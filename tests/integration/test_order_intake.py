"""Order intake (docs/order-intake.md): the CSV import with an exact per-row report, the JSON bulk
create, and Shopify's orders/create webhook. Retries create nothing twice (external_order_id, webhook
id); broken files, wrong keys and forged signatures change nothing.
"""

import base64
import hashlib
import hmac
import json
import unittest
import uuid

from lastmile_server import SANITIZED, ServerTestCase, expect, make_api_key, make_carrier, make_tenant, unique

MAX_IMPORT = 48 << 20
CSV = {"Content-Type": "text/csv; charset=utf-8"}
HEADER = ("external_order_id,recipient_name,recipient_email,address_line1,city,postal_code,country,lat,lon,"
          "window_start,window_end,carrier_id,parcels,weight_kg,notes\r\n")


def peak_rss_kib(pid):
    """The process's peak resident set size (VmHWM), in KiB."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


def uid(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class OrderIntakeTest(ServerTestCase):
    server_options = {"extra_args": ["--max-import-bytes", str(MAX_IMPORT)]}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = make_tenant(s)["api_key"]
        cls.carrier = make_carrier(s, cls.admin, name=unique("Riviera Express"))
        cls.other_admin = make_tenant(s)["api_key"]
        cls.other_carrier = make_carrier(s, cls.other_admin, name=unique("Elsewhere"))

    def find(self, external_id, token=None):
        out = expect(self.server.request("GET", "/v1/shipments", token=token or self.admin,
                                         params={"q": external_id}), 200, "list")
        return [s for s in out["items"] if s["external_order_id"] == external_id]

    def import_csv(self, body, token=None, headers=CSV):
        return self.server.request("POST", "/v1/shipments/import", body, token=token or self.admin, headers=headers)

    # ---- CSV ------------------------------------------------------------------------------------------

    def test_a_csv_import_gets_an_exact_report_and_a_retry_creates_nothing(self):
        p = uid("SO")
        rows = [
            f"{p}-1,\"Dupont, Marie\",marie@example.com,12 Avenue de la Costa,Monaco,98000,MC,43.7384,7.4246,"
            f"2026-11-23T09:00:00Z,2026-11-23T12:00:00Z,{self.carrier['id']},A1|A2,3,\"ring \"\"twice\"\"\r\nthen wait\"",
            f"{p}-2,Luca Rossi,,3 Rue Grimaldi,Monaco,,MC,,,,,,,,",                       # line 4
            f"{p}-3,,,5 Rue Basse,Monaco,,MC,,,,,,,,",                                    # line 5: no name
            f"{p}-4,Ann Lee,,1 Quai Antoine,Monaco",                                      # line 6: short
            f"{p}-5,Zoe,,1 Rue,Mon\xe9aco,,MC,,,,,,,,",                                    # line 7: Latin-1 byte
            f"{p}-6,Zoe,,1 Rue,Monaco,,MC,,,,,{self.other_carrier['id']},,,",               # line 8: not ours
            f"{p}-1,Marie again,,12 Avenue de la Costa,Monaco,,MC,,,,,,,,",                # line 9: same order
            f"{p}-7,Zoe,,1 Rue,Monaco,,MC,north,7.4,,,,,,",                               # line 10: bad lat
            f"{p}-8,Zoe,,1 Rue,Monaco,,MC,,,2026-11-23T12:00:00Z,2026-11-23T09:00:00Z,,,,",  # line 11
            f"{p}-9,Bad \"quote,,1 Rue,Monaco,,MC,,,,,,,,",                                # line 12
        ]
        body = b"\xef\xbb\xbf" + HEADER.encode() + "\r\n".join(rows).encode("utf-8").replace(
            "Mon\xe9aco".encode("utf-8"), b"Mon\xe9aco") + b"\r\n"
        expected = {
            "rows": 10, "created": 2, "duplicates": 1, "invalid": 7, "issues_truncated": False,
            "issues": [
                {"line": 5, "status": "invalid", "external_order_id": f"{p}-3", "errors": [
                    {"field": "recipient_name", "code": "missing_field",
                     "message": "field 'recipient_name' is required"}]},
                {"line": 6, "status": "invalid", "external_order_id": f"{p}-4", "errors": [
                    {"field": "", "code": "column_count", "message": "the row has 5 fields, the header 15"}]},
                {"line": 7, "status": "invalid", "external_order_id": f"{p}-5", "errors": [
                    {"field": "city", "code": "invalid_encoding", "message": "the value is not valid UTF-8"}]},
                {"line": 8, "status": "invalid", "external_order_id": f"{p}-6", "errors": [
                    {"field": "carrier_id", "code": "not_found", "message": "carrier not found"}]},
                {"line": 9, "status": "duplicate", "external_order_id": f"{p}-1", "errors": [
                    {"field": "external_order_id", "code": "duplicate",
                     "message": "the tenant already has this external_order_id"}]},
                {"line": 10, "status": "invalid", "external_order_id": f"{p}-7", "errors": [
                    {"field": "lat", "code": "invalid_field", "message": "lat must be a number"}]},
                {"line": 11, "status": "invalid", "external_order_id": f"{p}-8", "errors": [
                    {"field": "window_end", "code": "invalid_field",
                     "message": "window_end must be after window_start"}]},
                {"line": 12, "status": "invalid", "external_order_id": f"{p}-9", "errors": [
                    {"field": "", "code": "malformed_row", "message": "a quote inside an unquoted field"}]},
            ]}
        out = expect(self.import_csv(body), 200, "import")
        self.assertEqual(out, expected)
        [first] = self.find(f"{p}-1")
        self.assertEqual(first["recipient"]["name"], "Dupont, Marie")
        self.assertEqual(first["instructions"]["note"], "ring \"twice\"\nthen wait")
        self.assertEqual([(x["barcode"], x["weight_kg"]) for x in first["parcels"]], [("A1", 1.5), ("A2", 1.5)])
        self.assertEqual(first["carrier_id"], self.carrier["id"])
        self.assertEqual(len(self.find(f"{p}-2")), 1)
        events = expect(self.server.request("GET", f"/v1/shipments/{first['id']}/events", token=self.admin), 200, "ev")
        self.assertEqual([(e["type"], e["source"]) for e in events["items"]], [("created", "csv_import")])

        again = expect(self.import_csv(body), 200, "import again")
        self.assertEqual((again["created"], again["duplicates"], again["invalid"]), (0, 3, 7))
        self.assertEqual(len(self.find(f"{p}-1")), 1)

    def test_a_file_of_several_batches_gets_complete_counts_and_the_first_100_issues(self):
        p = uid("MANY")
        lines = ["external_order_id,recipient_name,address_line1,country"]
        for i in range(2100):  # 3 transactions of up to 1000 rows; every 10th row has a bad country
            lines.append(f"{p}-{i},Client {i},{i} Rue Grimaldi,{'XXX' if i % 10 == 9 else 'MC'}")
        out = expect(self.import_csv("\n".join(lines) + "\n"), 200, "import")
        self.assertEqual((out["rows"], out["created"], out["duplicates"], out["invalid"]), (2100, 1890, 0, 210))
        self.assertTrue(out["issues_truncated"])
        self.assertEqual([i["line"] for i in out["issues"]], [11 + 10 * k for k in range(100)])
        self.assertEqual({(e["field"], e["code"]) for i in out["issues"] for e in i["errors"]},
                         {("country", "invalid_field")})
        self.assertEqual(len(self.find(f"{p}-2098")), 1)
        self.assertEqual(self.find(f"{p}-2099"), [])

    def test_a_large_upload_is_streamed_not_held_in_memory(self):
        rows, row = 400_000, b"SO-x,only two fields\r\n"  # every row short: parsed, nothing written
        chunk = row * 4096

        def body():
            yield b"external_order_id,recipient_name,address_line1\r\n"
            for _ in range(rows // 4096):
                yield chunk
            yield row * (rows % 4096)

        hwm_before = peak_rss_kib(self.server.proc.pid)
        conn = self.server.connection(timeout=120)
        try:  # chunked: neither side knows the size in advance
            conn.request("POST", "/v1/shipments/import", body=body(), encode_chunked=True,
                         headers={"Authorization": f"Bearer {self.admin}", "Content-Type": "text/csv",
                                  "Transfer-Encoding": "chunked"})
            reply = conn.getresponse()
            out = json.loads(reply.read())
        finally:
            conn.close()
        self.assertEqual(reply.status, 200, out)
        self.assertEqual((out["rows"], out["created"], out["invalid"], len(out["issues"]), out["issues_truncated"]),
                         (rows, 0, rows, 100, True))
        grown_mib = (peak_rss_kib(self.server.proc.pid) - hwm_before) / 1024
        body_mib = rows * len(row) / 2**20
        # Under ASan the allocator's quarantine keeps freed memory (up to 256 MiB), so the peak RSS says
        # nothing about what the server holds there: the memory bound is checked in the Release run.
        if not SANITIZED:
            self.assertLess(grown_mib, body_mib / 2, f"a {body_mib:.0f} MiB upload grew the server's peak RSS by "
                                                     f"{grown_mib:.0f} MiB")

    def test_broken_files_are_refused_whole_and_change_nothing(self):
        p = uid("BAD")
        good = f"{p}-1,Marie,,1 Rue,Monaco,,MC,,,,,,,,\r\n"
        cases = [
            (HEADER + good + f"{p}-2,\"open quote,,1 Rue\r\n", CSV, 400, "invalid_field", "body"),
            ("", CSV, 400, "invalid_field", "body"),
            (HEADER, CSV, 400, "invalid_field", "body"),
            ("colour,recipient_name,address_line1\r\nred,Marie,1 Rue\r\n", CSV, 400, "invalid_field", "header"),
            ("recipient_name,city\r\nMarie,Monaco\r\n", CSV, 400, "missing_field", "header"),
            (HEADER + good, {"Content-Type": "application/json"}, 415, "unsupported_media_type", None),
        ]
        for body, headers, status, code, field in cases:
            with self.subTest(body=body[:60], status=status):
                self.assertError(self.import_csv(body, headers=headers), status, code, field)
        # Over --max-import-bytes: refused from the Content-Length, before the body is read.
        head = (f"POST /v1/shipments/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {self.admin}\r\n"
                f"Content-Type: text/csv\r\nContent-Length: {MAX_IMPORT + 1}\r\n\r\n").encode()
        self.assertError(self.server.send_raw(head, [(HEADER + good).encode()]), 413, "too_large")
        self.assertError(self.import_csv(HEADER + good, token="lm_forged_0000000000000000"), 401, "unauthenticated")
        # A forged key is refused from the header alone: the server does not wait for (or spool) the body.
        head = ("POST /v1/shipments/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lm_forged_0000000000000000\r\n"
                "Content-Type: text/csv\r\nContent-Length: 10000000\r\n\r\n").encode()
        self.assertError(self.server.send_raw(head, [], timeout=10), 401, "unauthenticated")
        self.assertError(self.server.request("POST", "/v1/shipments/import", HEADER + good, headers=CSV), 401,
                         "unauthenticated")
        self.assertEqual(self.find(f"{p}-1"), [])
        # The error message says what broke and where.
        reply = self.import_csv(HEADER + good + f"{p}-2,\"open quote,,1 Rue\r\n")
        self.assertIn("unterminated_quote", reply.error["message"])
        self.assertIn("line 3", reply.error["message"])

    def test_tenants_and_roles(self):
        p = uid("TEN")
        body = HEADER + f"{p}-1,Marie,,1 Rue,Monaco,,MC,,,,,,,,\r\n"
        out = expect(self.import_csv(body, token=self.other_admin), 200, "other tenant")
        self.assertEqual(out["created"], 1)
        self.assertEqual(self.find(f"{p}-1"), [], "another tenant's import is not ours")
        self.assertEqual(len(self.find(f"{p}-1", token=self.other_admin)), 1)
        carrier_key = make_api_key(self.server, self.admin, "carrier", carrier_id=self.carrier["id"])["api_key"]
        self.assertError(self.import_csv(body, token=carrier_key), 403, "forbidden")
        self.assertError(self.server.request("POST", "/v1/shipments/bulk", {"shipments": []}, token=carrier_key),
                         403, "forbidden")

    # ---- JSON bulk ------------------------------------------------------------------------------------

    def test_bulk_create_reports_each_item_and_is_safe_to_retry(self):
        p = uid("BULK")
        item = lambda n, **extra: {"external_order_id": f"{p}-{n}", "recipient": {"name": "Marie"},
                                   "address": {"line1": "1 Rue", "country": "MC"}, **extra}
        body = {"shipments": [item(1), item(2, carrier_id=self.carrier["id"]), {"recipient": {"name": "x"}}, 7,
                              item(3, carrier_id="car_nosuch"), item(1)]}
        out = expect(self.server.request("POST", "/v1/shipments/bulk", body, token=self.admin), 200, "bulk")
        self.assertEqual((out["created"], out["duplicates"], out["invalid"]), (2, 1, 3))
        shape = [(r["index"], r["status"], [(e["field"], e["code"]) for e in r["errors"]]) for r in out["results"]]
        self.assertEqual(shape, [(0, "created", []), (1, "created", []), (2, "invalid", [("address", "missing_field")]),
                                 (3, "invalid", [("shipments[3]", "wrong_type")]),
                                 (4, "invalid", [("carrier_id", "not_found")]),
                                 (5, "duplicate", [("external_order_id", "duplicate")])])
        [one] = self.find(f"{p}-1")
        self.assertEqual((one["id"], one["tracking_number"]), (out["results"][0]["id"], out["results"][0]["tracking_number"]))
        again = expect(self.server.request("POST", "/v1/shipments/bulk", body, token=self.admin), 200, "retry")
        self.assertEqual((again["created"], again["duplicates"], again["invalid"]), (0, 3, 3))
        self.assertError(self.server.request("POST", "/v1/shipments/bulk", {"shipments": [item(9)] * 1001},
                                             token=self.admin), 413, "too_large", "shipments")
        self.assertError(self.server.request("POST", "/v1/shipments/bulk", {"shipments": []}, token=self.admin),
                         400, "invalid_field", "shipments")
        self.assertError(self.server.request("POST", "/v1/shipments/bulk", "nope", token=self.admin), 400,
                         "invalid_json")

    # ---- Shopify --------------------------------------------------------------------------------------

    def shopify(self, body_bytes, secret, shop, webhook_id, topic="orders/create", signature=None):
        digest = hmac.new(secret.encode(), body_bytes, hashlib.sha256).digest()
        headers = {"X-Shopify-Hmac-Sha256": signature or base64.b64encode(digest).decode(),
                   "X-Shopify-Shop-Domain": shop, "X-Shopify-Webhook-Id": webhook_id, "X-Shopify-Topic": topic,
                   "X-Shopify-API-Version": "2025-01"}
        return self.server.request("POST", "/v1/integrations/shopify/orders", body_bytes, headers=headers)

    def test_shopify_orders_create_webhook(self):
        shop, secret = f"{uuid.uuid4().hex[:12]}.myshopify.com", "shpss_" + uuid.uuid4().hex
        conf = expect(self.server.request("PUT", "/v1/integrations/shopify", {"shop_domain": shop, "secret": secret},
                                          token=self.admin), 200, "connect")
        self.assertEqual(conf["shop_domain"], shop)
        self.assertNotIn("secret", conf)
        self.assertNotIn(secret, json.dumps(expect(self.server.request("GET", "/v1/integrations/shopify",
                                                                       token=self.admin), 200, "get")))
        self.assertError(self.server.request("PUT", "/v1/integrations/shopify", {"shop_domain": shop,
                                             "secret": secret}, token=self.other_admin), 409, "conflict", "shop_domain")
        order_id = int(uuid.uuid4().int % 10**17)
        order = {"id": order_id, "name": "#1001", "order_number": 1001, "email": "jon@example.com",
                 "phone": None, "note": None,
                 "shipping_address": {"first_name": "Jon", "last_name": "Snow", "name": "Jon Snow",
                                      "address1": "12 Avenue de la Costa", "address2": None, "city": "Monaco",
                                      "zip": "98000", "country": "Monaco", "country_code": "MC",
                                      "phone": "+37799999999", "latitude": 43.7384, "longitude": 7.4246},
                 "line_items": [{"id": 1, "title": "Boots", "quantity": 2, "grams": 500, "requires_shipping": True}],
                 "shipping_lines": [{"code": "Express", "title": "Express"}]}
        raw = json.dumps(order).encode()
        hook = str(uuid.uuid4())
        self.assertError(self.shopify(raw, "wrong-secret-0000", shop, hook), 401, "unauthenticated",
                         "X-Shopify-Hmac-Sha256")
        self.assertError(self.shopify(raw, secret, "nosuch.myshopify.com", hook), 401, "unauthenticated")
        self.assertEqual(self.find(f"shopify:{order_id}"), [], "a bad signature changes nothing")

        created = expect(self.shopify(raw, secret, shop, hook), 201, "webhook")
        self.assertEqual(created["status"], "created")
        [sh] = self.find(f"shopify:{order_id}")
        self.assertEqual((sh["id"], sh["recipient"]["name"], sh["service_level"]), (created["shipment_id"], "Jon Snow", "Express"))
        self.assertEqual(expect(self.shopify(raw, secret, shop, hook), 200, "replay"),
                         {"status": "duplicate_webhook", "shipment_id": sh["id"]})
        self.assertEqual(expect(self.shopify(raw, secret, shop, str(uuid.uuid4())), 200, "same order"),
                         {"status": "duplicate_order", "shipment_id": sh["id"]})
        self.assertEqual(len(self.find(f"shopify:{order_id}")), 1)
        self.assertEqual(expect(self.shopify(raw, secret, shop, str(uuid.uuid4()), topic="orders/updated"), 200,
                                "other topic")["status"], "ignored")
        bad = json.dumps({"id": 5, "shipping_address": {"name": "A"}}).encode()
        self.assertError(self.shopify(bad, secret, shop, str(uuid.uuid4())), 400, "missing_field",
                         "shipping_address.address1")
        expect(self.server.request("DELETE", "/v1/integrations/shopify", token=self.admin), 204, "disconnect")
        self.assertError(self.shopify(raw, secret, shop, str(uuid.uuid4())), 401, "unauthenticated")


if __name__ == "__main__":
    unittest.main()
