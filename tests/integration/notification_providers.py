"""Local stand-ins for the notification providers, started by the tests on loopback:
an SMTP server (Debian's python3-aiosmtpd) that records every message, and an HTTP server that speaks the
Twilio Messages API (form POST, Basic auth, JSON answer with a sid) and records every request.
"""

import base64
import email
import email.policy
import hashlib
import hmac
import http.server
import itertools
import json
import threading
import time
import urllib.parse

try:
    from aiosmtpd.controller import Controller
except ImportError:  # Debian's python3-aiosmtpd, when the tests run under another Python 3 (pyenv)
    import sys
    sys.path.append("/usr/lib/python3/dist-packages")
    from aiosmtpd.controller import Controller

from lastmile_server import free_port


class SmtpSink:
    """Records (mail_from, rcpt_tos, email.message.EmailMessage). `fail_next(n)` answers 451 n times."""

    def __init__(self, tls_context=None, credentials=None):
        """`tls_context`: offer STARTTLS and require it; `credentials` (user, password): require AUTH."""
        self.messages = []
        self.logins = []
        self.lock = threading.Lock()
        self.failures = 0
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    if sink.failures > 0:
                        sink.failures -= 1
                        return "451 try again later"
                    msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                    sink.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
                return "250 OK"

        options = {}
        if tls_context is not None:
            options.update(tls_context=tls_context, require_starttls=True)
        if credentials is not None:
            def authenticator(server, session, envelope, mechanism, auth_data):
                from aiosmtpd.smtp import AuthResult
                ok = (auth_data.login.decode(), auth_data.password.decode()) == credentials
                with sink.lock:
                    sink.logins.append((mechanism, auth_data.login.decode(), ok))
                return AuthResult(success=ok)
            options.update(authenticator=authenticator, auth_required=True)
        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def fail_next(self, n):
        with self.lock:
            self.failures = n

    def snapshot(self):
        with self.lock:
            return list(self.messages)

    def wait_for(self, predicate, timeout_s=10.0):
        deadline = time.monotonic() + timeout_s
        while True:
            got = self.snapshot()
            if predicate(got) or time.monotonic() > deadline:
                return got
            time.sleep(0.05)

    def close(self):
        self.controller.stop()


class SmsApi:
    """A Twilio-compatible Messages endpoint. Records dicts {path, auth, headers, form}."""

    SID = "AC0123456789abcdef0123456789abcdef"
    TOKEN = "sms-test-token"

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        self.mode = []  # statuses to answer before the normal 201, in order
        self.counter = itertools.count(1)
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                form = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                auth = self.headers.get("Authorization", "")
                with api.lock:
                    status = api.mode.pop(0) if api.mode else 201
                    api.requests.append({"path": self.path, "auth": auth, "headers": dict(self.headers),
                                         "form": form, "status": status})
                    sid = "SM%032x" % next(api.counter)
                out = json.dumps({"sid": sid, "status": "queued"} if status == 201 else
                                 {"code": 21211, "message": "rejected"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer_next(self, *statuses):
        with self.lock:
            self.mode = list(statuses)

    def snapshot(self):
        with self.lock:
            return list(self.requests)

    def accepted(self):
        return [r for r in self.snapshot() if r["status"] == 201]

    def wait_for(self, predicate, timeout_s=10.0):
        deadline = time.monotonic() + timeout_s
        while True:
            got = self.snapshot()
            if predicate(got) or time.monotonic() > deadline:
                return got
            time.sleep(0.05)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def server_args(self):
        return ["--sms-url", self.url, "--sms-account-sid", self.SID, "--sms-auth-token", self.TOKEN,
                "--sms-from", "+15005550006"]


def self_signed_tls(tmpdir):
    """(ssl.SSLContext for the server, path of the PEM certificate) for 127.0.0.1, made with openssl."""
    import os
    import ssl
    import subprocess
    cert, key = os.path.join(tmpdir, "cert.pem"), os.path.join(tmpdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx, cert


def twilio_signature(token, url, params):
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def expected_message_id(key, domain="shop.example"):
    return "<" + hashlib.sha256(key.encode()).hexdigest()[:32] + "@" + domain + ">"
