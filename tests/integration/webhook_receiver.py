"""A webhook receiver for the tests: an http.server on 127.0.0.1 in a thread that records every
request and answers per path as the test configured it (docs/webhooks.md)."""

import hashlib
import hmac
import http.server
import json
import threading
import time


class Receiver:
    """`behave(path, mode)` sets how /<path> answers deliveries:
    "ok" (200), "fail:N" (500 to the first N tries of each Webhook-Id, then 200), "500" (always),
    "410" (Gone), "no-echo" (also answers the validation handshake without the check value).
    The handshake is echoed as {"check": …} unless the mode is "no-echo" or "500"."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []      # (path, headers dict, body str)
        self.handshakes = 0     # validation requests answered
        self.modes = {}
        self.tries = {}         # (path, Webhook-Id) -> count
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode("utf-8")
                status, answer = receiver._answer(self.path, dict(self.headers), body)
                data = answer.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"

    def behave(self, path, mode):
        with self.lock:
            self.modes["/" + path] = mode

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer(self, path, headers, body):
        with self.lock:
            mode = self.modes.get(path, "ok")
            try:
                doc = json.loads(body)
            except ValueError:
                doc = {}
            if isinstance(doc, dict) and doc.get("type") == "webhook.validation":
                self.handshakes += 1
                if mode in ("no-echo", "500"):
                    return (500 if mode == "500" else 200), "{}"
                return 200, json.dumps({"check": doc.get("check")})
            self.requests.append((path, headers, body))
            key = (path, headers.get("Webhook-Id"))
            self.tries[key] = self.tries.get(key, 0) + 1
            if mode == "500":
                return 500, "{}"
            if mode == "410":
                return 410, "{}"
            if mode.startswith("fail:") and self.tries[key] <= int(mode.split(":")[1]):
                return 500, "{}"
            return 200, "{}"

    def deliveries(self, path):
        with self.lock:
            return [(h, b) for p, h, b in self.requests if p == "/" + path]

    def wait_for(self, path, predicate, timeout_s=10.0):
        """Waits until predicate(deliveries(path)) is true; returns the deliveries."""
        deadline = time.monotonic() + timeout_s
        while True:
            got = self.deliveries(path)
            if predicate(got) or time.monotonic() > deadline:
                return got
            time.sleep(0.05)


def verify(secret, headers, body, now=None, tolerance_s=300):
    """The receiver's check of docs/webhooks.md: one of the header's signatures (two during a secret
    rotation, separated by a space) over "<timestamp>.<body>" matches, and the timestamp is at most
    5 minutes old."""
    timestamp = headers.get("Webhook-Timestamp", "")
    signature = headers.get("Webhook-Signature", "")
    if not timestamp.isdigit() or abs((now or time.time()) - int(timestamp)) > tolerance_s:
        return False
    expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, s) for s in signature.split(" "))
