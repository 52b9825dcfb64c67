"""Graceful shutdown: SIGTERM lets a request in flight finish, closes idle connections, exits 0.

README: "SIGTERM/SIGINT drain requests in flight, flush the database and exit 0."
"""

import json
import signal
import socket
import time
import unittest

from lastmile_server import LastmileServer, make_tenant, shipment_body


def read_http_reply(sock, timeout=10):
    """Reads one HTTP/1.1 reply with a Content-Length body; returns (status, headers, body bytes)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before a reply; got {data!r}")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


class GracefulShutdown(unittest.TestCase):
    def setUp(self):
        self.server = LastmileServer().start()
        self.addCleanup(self.server.close)
        self.key = make_tenant(self.server)["api_key"]

    def test_an_upload_in_progress_at_sigterm_is_finished_and_stored(self):
        body = json.dumps(shipment_body(external_order_id="DRAIN-1")).encode()
        head = (f"POST /v1/shipments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.key}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        idle = socket.create_connection(("127.0.0.1", self.server.port))  # an idle keep-alive client
        sock = socket.create_connection(("127.0.0.1", self.server.port))
        try:
            sock.sendall(head + body[:10])          # the request is in flight: header and part of the body
            time.sleep(0.3)
            self.server.proc.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            self.assertIsNone(self.server.proc.poll(), "the server exited with a request in flight")
            sock.sendall(body[10:])                 # the rest arrives after the signal
            status, headers, reply = read_http_reply(sock)
            self.assertEqual(status, 201, reply)
            self.assertEqual(headers.get("connection", "").lower(), "close")
            created = json.loads(reply)
            self.assertEqual(self.server.proc.wait(timeout=15), 0, self.server.stderr_text())
            idle.settimeout(5)
            self.assertEqual(idle.recv(1), b"", "the idle connection was not closed")
        finally:
            sock.close()
            idle.close()

        self.server.start()                           # the acknowledged shipment is on disk
        r = self.server.request("GET", f"/v1/shipments/{created['id']}", token=self.key)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["external_order_id"], "DRAIN-1")

    def test_new_connections_are_refused_once_draining_ends(self):
        self.assertEqual(self.server.stop(), 0, self.server.stderr_text())
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", self.server.port), timeout=2).close()


if __name__ == "__main__":
    unittest.main()
