"""Server limits: slow clients time out, oversized headers and malformed requests get a clear error.

README: `--read-timeout S` bounds reading one request and an idle keep-alive connection; docs/api.md:
header limit 16 KiB, body limit 1 MiB (413 too_large).
"""

import json
import socket
import time
import unittest

from lastmile_server import LastmileServer

READ_TIMEOUT_S = 1


def recv_all(sock, timeout):
    """Everything the server sends until it closes the connection (or `timeout` passes)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data, True
            data += chunk
    except socket.timeout:
        return data, False


class Limits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LastmileServer(extra_args=["--read-timeout", str(READ_TIMEOUT_S)]).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.close()
        assert code == 0, f"server exited with {code}"

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.server.port), timeout=10)

    def test_a_client_that_stalls_mid_header_is_disconnected(self):
        with self.connect() as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and never finishes
            started = time.monotonic()
            data, closed = recv_all(s, timeout=READ_TIMEOUT_S + 5)
            self.assertTrue(closed, "a stalled client kept its connection")
            self.assertGreaterEqual(time.monotonic() - started, READ_TIMEOUT_S * 0.9)
            self.assertEqual(data, b"", "a half-sent request must not be answered")

    def test_an_idle_keep_alive_connection_is_closed(self):
        with self.connect() as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            data, closed = recv_all(s, timeout=READ_TIMEOUT_S + 5)
            self.assertIn(b"200 OK", data)
            self.assertTrue(closed, "an idle keep-alive connection stayed open past the read timeout")

    def test_an_oversized_header_is_refused_with_431(self):
        with self.connect() as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (20 << 10) + b"\r\n\r\n")
            data, _ = recv_all(s, timeout=5)
            head, _, body = data.partition(b"\r\n\r\n")
            self.assertTrue(head.startswith(b"HTTP/1.1 431"), head[:80])
            self.assertEqual(json.loads(body)["error"]["code"], "too_large")

    def test_a_malformed_request_line_is_refused_with_400(self):
        with self.connect() as s:
            s.sendall(b"GET /healthz HTTP/9\r\n\r\n")
            data, _ = recv_all(s, timeout=5)
            head, _, body = data.partition(b"\r\n\r\n")
            self.assertTrue(head.startswith(b"HTTP/1.1 400"), head[:80])
            self.assertEqual(json.loads(body)["error"]["code"], "invalid_field")

    def test_the_server_still_answers_after_all_that(self):
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)


if __name__ == "__main__":
    unittest.main()
