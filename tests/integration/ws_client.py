"""A minimal WebSocket client (RFC 6455) in the Python 3 standard library, for integration tests.

`WebSocket.connect(port, path, headers)` performs the opening handshake (checking
`Sec-WebSocket-Accept` against the key it sent) and returns a connected client; a server that
answers with anything but `101` raises `HandshakeRefused`, which carries the HTTP status, headers and
(JSON-decoded when possible) body. Client frames are masked, as the RFC requires. `recv()` returns the
next text message, answering pings with pongs on the way and reassembling fragmented messages; a
close frame from the server raises `ConnectionClosed` with its code and reason (after answering it).
"""

import base64
import hashlib
import json
import os
import socket
import struct
import time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class HandshakeRefused(Exception):
    """The server answered the upgrade request with an HTTP response other than 101."""

    def __init__(self, status, headers, body, text):
        super().__init__(f"HTTP {status} {text[:500]}")
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body
        self.text = text

    @property
    def error(self):
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"]
        return {}


class ConnectionClosed(Exception):
    """The server sent a close frame (code None when it closed the TCP connection without one)."""

    def __init__(self, code, reason):
        super().__init__(f"closed: {code} {reason!r}")
        self.code = code
        self.reason = reason


class Timeout(Exception):
    """Nothing (complete) arrived within the time given."""


def accept_key(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def read_http_head(sock, deadline):
    """Reads an HTTP response head: (status, {lower-case name: value}, the bytes read after it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError(f"connection closed during the handshake after {data!r}")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("iso-8859-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, rest


class WebSocket:
    def __init__(self, sock, leftover=b""):
        self.sock = sock
        self.buffer = leftover
        self.pongs = []  # payloads of pongs received
        self.pings = 0   # pings received (and answered)
        self.closed = None

    # ---- handshake -------------------------------------------------------------------------------

    @classmethod
    def connect(cls, port, path, headers=None, timeout=10, host="127.0.0.1"):
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        sock = socket.create_connection((host, port), timeout=timeout)
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            deadline = time.monotonic() + timeout
            status, resp_headers, rest = read_http_head(sock, deadline)
            if status != 101:
                length = int(resp_headers.get("content-length", "0"))
                while len(rest) < length:
                    sock.settimeout(max(0.01, deadline - time.monotonic()))
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    rest += chunk
                text = rest.decode("utf-8", errors="replace")
                body = text
                if "json" in resp_headers.get("content-type", ""):
                    try:
                        body = json.loads(text)
                    except ValueError:
                        pass
                raise HandshakeRefused(status, resp_headers, body, text)
            if resp_headers.get("upgrade", "").lower() != "websocket":
                raise ConnectionError(f"101 without Upgrade: websocket: {resp_headers}")
            if resp_headers.get("sec-websocket-accept") != accept_key(key):
                raise ConnectionError(f"bad Sec-WebSocket-Accept: {resp_headers.get('sec-websocket-accept')}")
            return cls(sock, rest)
        except BaseException:
            sock.close()
            raise

    # ---- frames ----------------------------------------------------------------------------------

    def send_frame(self, opcode, payload=b"", fin=True):
        if isinstance(payload, str):
            payload = payload.encode()
        head = bytes([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def send_text(self, text):
        self.send_frame(OP_TEXT, text)

    def send_ping(self, payload=b"ping"):
        self.send_frame(OP_PING, payload)

    def send_close(self, code=1000, reason=""):
        self.send_frame(OP_CLOSE, struct.pack("!H", code) + reason.encode())

    def _fill(self, n, deadline):
        while len(self.buffer) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(f"no complete frame within the time given ({len(self.buffer)} bytes buffered)")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout as e:
                raise Timeout("no complete frame within the time given") from e
            if not chunk:
                self.closed = (None, "")
                raise ConnectionClosed(None, "TCP connection closed without a close frame")
            self.buffer += chunk

    def recv_frame(self, timeout=5.0):
        """(fin, opcode, payload) of the next frame. Server frames must not be masked."""
        deadline = time.monotonic() + timeout
        self._fill(2, deadline)
        b0, b1 = self.buffer[0], self.buffer[1]
        if b1 & 0x80:
            raise ConnectionError("the server masked a frame")
        n, offset = b1 & 0x7F, 2
        if n == 126:
            self._fill(4, deadline)
            n, offset = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif n == 127:
            self._fill(10, deadline)
            n, offset = struct.unpack("!Q", self.buffer[2:10])[0], 10
        self._fill(offset + n, deadline)
        payload = self.buffer[offset:offset + n]
        self.buffer = self.buffer[offset + n:]
        return bool(b0 & 0x80), b0 & 0x0F, payload

    # ---- messages --------------------------------------------------------------------------------

    def recv(self, timeout=5.0):
        """The next text message (str). Answers pings; raises ConnectionClosed on a close frame."""
        deadline = time.monotonic() + timeout
        parts = []
        while True:
            fin, opcode, payload = self.recv_frame(max(0.0, deadline - time.monotonic()))
            if opcode == OP_PING:
                self.pings += 1
                self.send_frame(OP_PONG, payload)
                continue
            if opcode == OP_PONG:
                self.pongs.append(payload)
                continue
            if opcode == OP_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                reason = payload[2:].decode("utf-8", errors="replace")
                self.closed = (code, reason)
                try:
                    self.send_frame(OP_CLOSE, payload[:2])
                except OSError:
                    pass
                raise ConnectionClosed(code, reason)
            if opcode in (OP_TEXT, OP_BINARY, OP_CONT):
                parts.append(payload)
                if fin:
                    return b"".join(parts).decode("utf-8")

    def recv_json(self, timeout=5.0):
        return json.loads(self.recv(timeout))

    def recv_until(self, predicate, timeout=10.0, skip_heartbeats=True):
        """Messages (parsed) up to and including the first one for which `predicate` is true."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            m = self.recv_json(max(0.0, deadline - time.monotonic()))
            if skip_heartbeats and m.get("type") == "heartbeat":
                continue
            seen.append(m)
            if predicate(m):
                return seen

    def close(self, code=1000):
        """Sends a close frame (unless the server closed first), waits briefly for the answer, closes."""
        try:
            if self.closed is None:
                self.send_close(code)
                deadline = time.monotonic() + 2
                while time.monotonic() < deadline:
                    try:
                        self.recv(max(0.0, deadline - time.monotonic()))
                    except (ConnectionClosed, Timeout):
                        break
        except OSError:
            pass
        finally:
            self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
