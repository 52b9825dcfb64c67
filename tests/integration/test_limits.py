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


def head_and_error(data):
    head, _, body = data.partition(b"\r\n\r\n")
    return head, json.loads(body)["error"]["code"] if body else None


class ConnectionLimits(unittest.TestCase):
    """`--max-connections` and `--max-connections-per-ip`: a connection over a limit gets one short refusal
    with Retry-After and is closed before anything is read; the others go on; a freed slot is usable again."""

    retried = 0  # refusals open_from waited out (the server counts them too)

    @classmethod
    def setUpClass(cls):
        cls.server = LastmileServer(extra_args=["--read-timeout", "30", "--max-connections", "6",
                                                "--max-connections-per-ip", "3"]).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.close()
        assert code == 0, f"server exited with {code}"

    def open_from(self, source_ip):
        """A kept-alive connection from `source_ip` that the server has surely accepted (it answered). The
        close of the test's previous request (e.g. /metrics) may not have reached the server yet: that
        connection still counts against the address for a moment, so a refusal is retried for up to 5 s
        (the refused connection itself is closed at once and counts no more)."""
        deadline = time.monotonic() + 5
        while True:
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10, source_address=(source_ip, 0))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = s.recv(65536)
            if b"200 OK" in reply or time.monotonic() > deadline:
                break
            s.close()
            self.retried += 1  # a refusal the server counted
            time.sleep(0.05)
        self.assertIn(b"200 OK", reply)
        return s

    def refusal_from(self, source_ip):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10,
                                      source_address=(source_ip, 0)) as s:
            data, closed = recv_all(s, timeout=5)
            self.assertTrue(closed, "a connection over the limit stayed open")
            return data

    def refused_total(self):
        text = self.server.request("GET", "/metrics").body
        text = text.decode() if isinstance(text, bytes) else str(text)
        for line in text.splitlines():
            if line.startswith("lastmile_http_connections_refused_total "):
                return int(line.split()[1])
        self.fail("no lastmile_http_connections_refused_total in /metrics")

    def test_limits_per_address_and_in_total(self):
        self.retried = 0
        before = self.refused_total()
        held = [self.open_from("127.0.0.1") for _ in range(3)]
        try:
            head, code = head_and_error(self.refusal_from("127.0.0.1"))
            self.assertTrue(head.startswith(b"HTTP/1.1 429"), head[:80])
            self.assertIn(b"Retry-After: 1", head)
            self.assertEqual(code, "rate_limited")

            held += [self.open_from("127.0.0.2") for _ in range(3)]  # another address still gets in: 6 open
            head, code = head_and_error(self.refusal_from("127.0.0.3"))
            self.assertTrue(head.startswith(b"HTTP/1.1 503"), head[:80])
            self.assertIn(b"Retry-After: 1", head)
            self.assertEqual(code, "unavailable")

            for s in held[:2]:  # the held connections still work
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertIn(b"200 OK", s.recv(65536))
        finally:
            for s in held:
                s.close()
        deadline = time.monotonic() + 10
        refused_while_closing = 0
        while True:  # the server sees the closes shortly after: a slot frees up
            try:
                self.open_from("127.0.0.3").close()
                break
            except (AssertionError, ConnectionError):
                refused_while_closing += 1
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.assertEqual(self.refused_total() - before, 2 + refused_while_closing + self.retried)


if __name__ == "__main__":
    unittest.main()
