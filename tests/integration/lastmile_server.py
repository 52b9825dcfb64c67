"""The real `lastmile` binary on loopback, for integration tests (Python 3 stdlib only).

`LastmileServer` starts `$LASTMILE_BIN serve` on a fresh SQLite file and a free 127.0.0.1 port with a
known root token, waits for `/healthz`, and offers `request()`, `stop()` (SIGTERM), `kill()` (SIGKILL)
and `restart()` on the same database. The OsmAnd tracker listener also gets a free port (`--osmand
127.0.0.1:0` unless `extra_args` names one); `osmand_port` / `osmand_url` are read from the server's
stdout line "osmand listening on HOST:PORT". The rate limits are off (every test talks from one address
with a few keys, far faster than a client would) unless `extra_args` names one: test_rate_limits.py
tests them. `ServerTestCase` gives each test module one server and the
assertions the tests share (`assertError`, `unchanged`). `run_verify` runs `lastmile verify` on a server's database;
`png_bytes` and `multipart` build proof-of-delivery uploads; `SANITIZED` is true under the ASan build. The `make_*` functions create the entities of
docs/api.md and fail loudly, with the server's answer, when creation does not return 201.

Each test module is one ctest test: `python3 -m unittest -v test_x` from this folder, with
`LASTMILE_BIN` set to the binary (tests/CMakeLists.txt). Set `LASTMILE_KEEP_TMP=1` to keep the temp
folders (database, server logs) for a post-mortem.

PostgreSQL: when `LASTMILE_TEST_PG_URL_FILE` names a file holding the URL of a running throwaway PostgreSQL
(`postgres://postgres@127.0.0.1:PORT/lastmile`, started by pg_cluster.py; the `pg.*` ctest tests set it),
`PG_MODE` is true and each `LastmileServer` runs on its own fresh schema of that database
(`--db URL?schema=t_<hex>`, the same across restart()) instead of a SQLite file, with its blob store in its
temp folder; `db_url` is what `--db` gets in either mode, `db_path` the SQLite file (None under PG_MODE,
unless a test passes one: then that server runs on SQLite).
"""

import atexit
import collections
import contextlib
import copy
import http.client
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import uuid
import zlib

ADMIN_TOKEN = "lm-test-root-token-0123456789abcdef"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 15.0
_HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BIN = os.path.normpath(os.path.join(_HERE, "..", "..", "build", "lastmile"))
# True under the ASan+UBSan build (`make test-sanitize` sets ASAN_OPTIONS): the server runs several times
# slower, so long loops may run fewer rounds there (test_crash_loop.py).
SANITIZED = bool(os.environ.get("ASAN_OPTIONS"))
PG_URL_FILE = os.environ.get("LASTMILE_TEST_PG_URL_FILE")
PG_MODE = bool(PG_URL_FILE)


def pg_base_url():
    """The URL of the test run's PostgreSQL database (PG_MODE), read from LASTMILE_TEST_PG_URL_FILE."""
    try:
        with open(PG_URL_FILE) as f:
            url = f.read().strip()
    except OSError as e:
        raise ServerError(f"LASTMILE_TEST_PG_URL_FILE={PG_URL_FILE} is not readable ({e}): is the pg.start "
                          "fixture (tests/integration/pg_cluster.py start) running?") from e
    if not url.startswith("postgres"):
        raise ServerError(f"LASTMILE_TEST_PG_URL_FILE={PG_URL_FILE} holds no postgres:// URL: {url!r}")
    return url


class ServerError(RuntimeError):
    """The server did not start, stop or answer as a server must."""


class Reply(collections.namedtuple("Reply", "status headers body")):
    """One HTTP answer; unpacks as `(status, headers, json_or_text)`.

    `headers` is an `http.client.HTTPMessage` (case-insensitive `get`); `body` is the parsed JSON when the
    answer says it is JSON and parses, else the text; `text` is always the raw text.
    """

    text = ""

    @property
    def error(self):
        """The `error` object of an error body, or {} when there is none."""
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"]
        return {}

    def __str__(self):
        shown = self.text if len(self.text) < 2000 else self.text[:2000] + "…"
        return f"HTTP {self.status} {shown}"


def free_port():
    """A TCP port on 127.0.0.1 that the OS just handed out (free a moment ago)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def encode_body(body):
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body).encode("utf-8")


def read_reply(response):
    raw = response.read()
    text = raw.decode("utf-8", errors="replace")
    body = text
    if "json" in (response.getheader("Content-Type") or "") and text:
        try:
            body = json.loads(text)
        except ValueError:
            body = text
    reply = Reply(response.status, response.msg, body)
    reply.text = text
    return reply


def build_headers(body_bytes, token, headers):
    out = {}
    if body_bytes is not None:
        out["Content-Type"] = "application/json"
    if token is not None:
        out["Authorization"] = f"Bearer {token}"
    for k, v in (headers or {}).items():
        for existing in [e for e in out if e.lower() == k.lower()]:
            del out[existing]
        if v is not None:  # None removes a default header (e.g. send no Content-Type)
            out[k] = v
    return out


def path_with_query(path, params):
    if not params:
        return path
    return path + ("&" if "?" in path else "?") + urllib.parse.urlencode(params)


class LastmileServer:
    """One `lastmile serve` process on its own temp SQLite file (or PostgreSQL schema) and loopback port."""

    def __init__(self, binary=None, db_path=None, admin_token=ADMIN_TOKEN, public_url=None, threads=2,
                 extra_args=(), env=None, pg_url=None):
        self.binary = binary or os.environ.get("LASTMILE_BIN") or DEFAULT_BIN
        self.tmpdir = tempfile.mkdtemp(prefix="lastmile-it-")
        if (PG_MODE or pg_url) and db_path is None:  # pg_url: a PostgreSQL of the test's own
            base = pg_url or pg_base_url()
            self.db_path = None
            named = urllib.parse.parse_qs(urllib.parse.urlsplit(base).query).get("schema")
            if named:  # the caller's schema, e.g. one several nodes share
                self.pg_schema, self.db_url = named[0], base
            else:
                self.pg_schema = f"t_{uuid.uuid4().hex[:16]}"
                self.db_url = f"{base}{'&' if '?' in base else '?'}schema={self.pg_schema}"
        else:
            self.db_path = db_path or os.path.join(self.tmpdir, "lastmile.db")
            self.db_url = f"sqlite:{self.db_path}"
            self.pg_schema = None
        self.admin_token = admin_token
        self.public_url = public_url
        self.threads = threads
        self.extra_args = list(extra_args)
        self.extra_env = dict(env or {})
        self.port = None
        self.proc = None
        self.starts = 0
        self.stderr_path = None
        self.stdout_path = None
        self.osmand_port = None  # the OsmAnd listener's port, read from the server's stdout

    # ---- lifecycle -------------------------------------------------------------------------------------

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def start(self, port=None, admin_token=None):
        """Starts the server and returns once /healthz answers 200; raises ServerError otherwise."""
        if not os.path.isfile(self.binary) or not os.access(self.binary, os.X_OK):
            raise ServerError(f"lastmile binary not found or not executable: {self.binary} "
                              "(set LASTMILE_BIN or run `make build`)")
        if self.running():
            raise ServerError("server already running")
        attempts = 1 if port else 3
        last_error = None
        for _ in range(attempts):
            self.port = port or free_port()
            try:
                self._spawn(admin_token if admin_token is not None else self.admin_token)
                self._wait_healthy()
                self.osmand_port = self._printed_port("osmand listening on ")
                return self
            except ServerError as e:
                last_error = e
                self._reap()
                if "in use" not in self.stderr_text().lower():
                    break  # not a port race: retrying would not help
        raise last_error

    def _spawn(self, admin_token):
        self.starts += 1
        self.stderr_path = os.path.join(self.tmpdir, f"stderr-{self.starts}.log")
        stdout_path = self.stdout_path = os.path.join(self.tmpdir, f"stdout-{self.starts}.log")
        args = [self.binary, "serve", "--db", self.db_url, "--http", f"127.0.0.1:{self.port}",
                "--threads", str(self.threads)]
        if self.db_path is None and "--blob-dir" not in self.extra_args:
            args += ["--blob-dir", os.path.join(self.tmpdir, "blobs")]  # where SQLite mode has it
        if self.public_url:
            args += ["--public-url", self.public_url]
        if "--osmand" not in self.extra_args:
            args += ["--osmand", "127.0.0.1:0"]  # parallel tests must not fight over 5055
        for limit in ("--rate-limit-key", "--rate-limit-ip", "--auth-failures-per-min"):
            if limit not in self.extra_args:
                args += [limit, "0"]
        args += self.extra_args
        env = {k: v for k, v in os.environ.items()
               if k not in ("LASTMILE_DB", "LASTMILE_HTTP", "LASTMILE_PUBLIC_URL", "LASTMILE_ADMIN_TOKEN")}
        if admin_token:
            env["LASTMILE_ADMIN_TOKEN"] = admin_token
        env.update(self.extra_env)
        with open(self.stderr_path, "wb") as err, open(stdout_path, "wb") as out:
            self.proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        self.args = args

    def _wait_healthy(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        last = "no answer yet"
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                raise ServerError(f"lastmile exited with code {code} before answering /healthz\n"
                                  f"command: {' '.join(self.args)}\n--- server stderr ---\n{self.stderr_text()}")
            try:
                r = self.request("GET", "/healthz", timeout=2)
                if r.status == 200:
                    return
                last = str(r)
            except (OSError, http.client.HTTPException) as e:
                last = repr(e)
            time.sleep(0.05)
        raise ServerError(f"lastmile did not answer GET /healthz with 200 within {START_TIMEOUT_S:.0f} s "
                          f"(last: {last})\ncommand: {' '.join(self.args)}\n--- server stderr ---\n"
                          f"{self.stderr_text()}")

    def stop(self, timeout=STOP_TIMEOUT_S):
        """SIGTERM, then waits; returns the exit code. Raises ServerError if it does not exit in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise ServerError(f"lastmile did not exit within {timeout} s of SIGTERM\n--- server stderr ---\n"
                                  f"{self.stderr_text()}")
        return self.proc.returncode

    def kill(self):
        """SIGKILL (kill -9), then waits; no chance to flush anything."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        return self.proc.returncode if self.proc else None

    def restart(self, graceful=True, admin_token=None, same_port=True):
        """Stops (SIGTERM, or SIGKILL when not graceful) and starts again on the same database."""
        code = self.stop() if graceful else self.kill()
        port = self.port if same_port else None
        try:
            self.start(port=port, admin_token=admin_token)
        except ServerError:
            if not same_port:
                raise
            self.start(admin_token=admin_token)  # the old port was taken meanwhile
        return code

    def _reap(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        """Kills the server if it still runs and removes the temp folder (unless LASTMILE_KEEP_TMP)."""
        self._reap()
        if os.environ.get("LASTMILE_KEEP_TMP"):
            print(f"[lastmile_server] kept {self.tmpdir}")
        else:
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def stdout_text(self):
        if not self.stdout_path or not os.path.exists(self.stdout_path):
            return ""
        with open(self.stdout_path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")

    def _printed_port(self, prefix):
        """The port of the last stdout line "<prefix>HOST:PORT" (e.g. "osmand listening on "), or None."""
        port = None
        for line in self.stdout_text().splitlines():
            if line.startswith(prefix):
                port = int(line.rsplit(":", 1)[1])
        return port

    @property
    def osmand_url(self):
        """Base URL of the OsmAnd / Traccar Client listener (None when it is off)."""
        return f"http://127.0.0.1:{self.osmand_port}" if self.osmand_port else None

    def stderr_text(self, tail=80):
        if not self.stderr_path or not os.path.exists(self.stderr_path):
            return ""
        with open(self.stderr_path, "rb") as f:
            lines = f.read().decode("utf-8", errors="replace").splitlines()
        return "\n".join(lines[-tail:])

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # ---- HTTP --------------------------------------------------------------------------------------------

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, token=None, headers=None, params=None, timeout=30):
        """One request on a fresh connection → Reply(status, headers, json_or_text).

        `body`: dict/list/number → JSON; str/bytes → sent as is. A body gets `Content-Type:
        application/json` unless `headers` says otherwise (a header set to None is not sent).
        """
        data = encode_body(body)
        conn = self.connection(timeout)
        try:
            conn.request(method, path_with_query(path, params), body=data, headers=build_headers(data, token, headers))
            return read_reply(conn.getresponse())
        finally:
            conn.close()

    def send_raw(self, head, body_chunks=(), timeout=15):
        """Writes a hand-made request (`head`: request line + headers, bytes) and the body chunks, and stops
        writing as soon as the server answers (as curl does when a server refuses a large upload early).
        Returns the Reply, or raises ServerError when the server closes without a valid answer."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            sock.sendall(head)
            pieces = (chunk[i:i + 65536] for chunk in body_chunks for i in range(0, len(chunk), 65536))
            for piece in pieces:
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:
                    break  # the server answered early: stop uploading
                try:
                    sock.sendall(piece)
                except OSError:  # closed by the server (EPIPE, ECONNRESET) or stalled: read what it said
                    break
            response = http.client.HTTPResponse(sock, method="POST")
            try:
                response.begin()
                return read_reply(response)
            except (http.client.HTTPException, ConnectionResetError) as e:
                raise ServerError(f"no valid HTTP answer: {e!r}") from e
        finally:
            sock.close()


# ---- fixtures ---------------------------------------------------------------------------------------------

MONACO_PBF = os.path.normpath(os.path.join(_HERE, "..", "..", "data", "osm", "monaco.osm.pbf"))
_monaco_graph_dir = None


def monaco_graph(binary=None):
    """The bundled Monaco extract imported with `lastmile import-map`, once per test process (a temp
    folder removed at exit). Returns the .lmgraph path."""
    global _monaco_graph_dir
    if _monaco_graph_dir is None:
        folder = tempfile.mkdtemp(prefix="lastmile-map-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        out = os.path.join(folder, "monaco.lmgraph")
        binary = binary or os.environ.get("LASTMILE_BIN", DEFAULT_BIN)
        done = subprocess.run([binary, "import-map", MONACO_PBF, "-o", out], capture_output=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"import-map failed: {done.stderr.decode(errors='replace')}")
        _monaco_graph_dir = folder
    return os.path.join(_monaco_graph_dir, "monaco.lmgraph")


def run_verify(server, db=None):
    """`lastmile verify` on the server's database: (exit code, the JSON report or None, stderr)."""
    args = [server.binary, "verify", "--db", db or server.db_url]
    if server.db_path is None and db is None:
        args += ["--blob-dir", os.path.join(server.tmpdir, "blobs")]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else None, done.stderr


def stored_bytes(server):
    """Everything the server's database holds, as bytes, for checks that no secret is stored in clear: the
    SQLite files (lastmile.db, -wal, -shm), or under PG_MODE a data-only pg_dump of the server's schema
    (text format: text columns appear as they are stored)."""
    if server.db_path is not None:
        folder = os.path.dirname(server.db_path)
        name = os.path.basename(server.db_path)
        out = b""
        for entry in sorted(os.listdir(folder)):
            if entry.startswith(name):
                with open(os.path.join(folder, entry), "rb") as f:
                    out += f.read()
        return out
    pg_dump = "/usr/lib/postgresql/15/bin/pg_dump"
    done = subprocess.run([pg_dump if os.access(pg_dump, os.X_OK) else "pg_dump", "--data-only",
                           "--schema", server.pg_schema, "-d", pg_base_url()], capture_output=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"pg_dump failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


# ---- proof-of-delivery uploads (test_proof, test_privacy, test_crash_loop) ---------------------------------

def png_bytes(width, height, seed=0):
    """A valid RGB PNG: signature, IHDR, one zlib IDAT, IEND (CRCs included)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(
        b"\x00" + b"".join(bytes(((x + y + seed) % 256, (2 * x) % 256, (3 * y) % 256)) for x in range(width))
        for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def multipart(fields, files=(), boundary=None):
    """(content_type, body) of a multipart/form-data form: `fields` name → text, `files` (name, filename,
    content_type, bytes)."""
    boundary = boundary or "lmB" + uuid.uuid4().hex
    out = b""
    for name, value in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").encode() + \
               str(value).encode() + b"\r\n"
    for name, filename, ctype, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                f"Content-Type: {ctype}\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", out


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def expect(reply, status, what):
    """The body of `reply` if its status is `status`; else an AssertionError naming what was attempted."""
    if reply.status != status:
        raise AssertionError(f"{what}: expected HTTP {status}, got {reply}")
    return reply.body


def iso(epoch_seconds):
    """An ISO 8601 UTC timestamp with milliseconds, as devices send them."""
    t = time.gmtime(epoch_seconds)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + ".%03dZ" % int((epoch_seconds % 1) * 1000)


def wait_for_status(server, key, shipment_id, status, timeout_s=5.0):
    """Polls a shipment until it has `status` (geofence effects follow the acknowledgement
    asynchronously); returns the last status seen."""
    deadline = time.monotonic() + timeout_s
    seen = None
    while time.monotonic() < deadline:
        seen = server.request("GET", f"/v1/shipments/{shipment_id}", token=key).body.get("status")
        if seen == status:
            break
        time.sleep(0.05)
    return seen


def make_tenant(server, name=None, **fields):
    body = {"name": name or unique("Tenant"), **fields}
    return expect(server.request("POST", "/v1/tenants", body, token=server.admin_token), 201, "create tenant")


def make_api_key(server, admin_key, role, carrier_id=None, name=None):
    body = {"role": role, "name": name or unique(role)}
    if carrier_id:
        body["carrier_id"] = carrier_id
    return expect(server.request("POST", "/v1/api-keys", body, token=admin_key), 201, f"create {role} key")


def make_carrier(server, key, name=None, **fields):
    body = {"name": name or unique("Carrier"), **fields}
    return expect(server.request("POST", "/v1/carriers", body, token=key), 201, "create carrier")


def make_driver(server, key, name="Luca Rossi", carrier_id=None, **fields):
    body = {"name": name, **fields}
    if carrier_id:
        body["carrier_id"] = carrier_id
    return expect(server.request("POST", "/v1/drivers", body, token=key), 201, "create driver")


def make_vehicle(server, key, plate=None, **fields):
    body = {"plate": plate or unique("MC")[:12], "kind": "van", **fields}
    return expect(server.request("POST", "/v1/vehicles", body, token=key), 201, "create vehicle")


SHIPMENT_BODY = {
    "service_level": "standard",
    "recipient": {"name": "Marie Dupont", "phone": "+33612345678", "email": "marie@example.com",
                  "time_zone": "Europe/Monaco"},
    "address": {"line1": "12 Avenue de la Costa", "line2": "", "city": "Monaco", "postal_code": "98000",
                "country": "MC", "lat": 43.7384, "lon": 7.4246},
    "instructions": {"gate_code": "1234", "safe_place": "reception", "note": "ring twice"},
    "promised": {"start": "2026-11-23T09:00:00Z", "end": "2026-11-23T12:00:00Z"},
    "parcels": [{"barcode": "PKG-1", "weight_kg": 1.2, "description": "shoes"}],
}


def shipment_body(**overrides):
    """A valid POST /v1/shipments body; keyword arguments replace top-level fields (None removes one)."""
    body = copy.deepcopy(SHIPMENT_BODY)
    for k, v in overrides.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    return body


# A depot in Monaco (inside the bundled map) and a few delivery points around it, for route tests.
MONACO_DEPOT = {"lat": 43.7350, "lon": 7.4210}
MONACO_POINTS = [(43.7384, 7.4246), (43.7396, 7.4270), (43.7370, 7.4230), (43.7410, 7.4290)]


def monaco_address(point, line1="Monaco"):
    """A shipment address in Monaco at `point` (lat, lon)."""
    return {"line1": line1, "city": "Monaco", "postal_code": "98000", "country": "MC", "lat": point[0],
            "lon": point[1]}


def make_shipment(server, key, headers=None, **overrides):
    return expect(server.request("POST", "/v1/shipments", shipment_body(**overrides), token=key, headers=headers),
                  201, "create shipment")


def route_body(driver_id, stops, date="2026-11-23", depot=None, **fields):
    """`stops`: a list of shipment ids (one stop each) or of lists of ids (one stop per list)."""
    return {"driver_id": driver_id, "date": date, "depot": depot or {"lat": 43.7350, "lon": 7.4210},
            "stops": [{"shipment_ids": s if isinstance(s, list) else [s], "service_s": 120} for s in stops],
            **fields}


def make_route(server, key, driver_id, stops, **fields):
    return expect(server.request("POST", "/v1/routes", route_body(driver_id, stops, **fields), token=key), 201,
                  "create route")


def post_event(server, key, shipment_id, type_, **fields):
    return expect(server.request("POST", f"/v1/shipments/{shipment_id}/events", {"type": type_, **fields},
                                 token=key), 201, f"post event {type_}")


def list_all(server, path, token, **params):
    """Every item of a paginated list, following next_cursor."""
    items, cursor = [], None
    for _ in range(1000):
        q = dict(params, limit=params.get("limit", 500))
        if cursor:
            q["cursor"] = cursor
        page = expect(server.request("GET", path, token=token, params=q), 200, f"list {path}")
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError(f"list {path} never ended")


# ---- test case base ---------------------------------------------------------------------------------------

class ServerTestCase(unittest.TestCase):
    """One server per test module class; checked to still run and to stop cleanly (exit 0) at the end."""

    server_options = {}
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = LastmileServer(**cls.server_options)
        cls.addClassCleanup(cls.server.close)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        server = cls.server
        if server.proc is not None and server.proc.poll() is not None and server.starts:
            if server.proc.returncode not in (0, -signal.SIGKILL):
                raise AssertionError(f"lastmile died during the tests (exit {server.proc.returncode})\n"
                                     f"--- server stderr ---\n{server.stderr_text()}")
        if server.running():
            code = server.stop()
            if code != 0:
                raise AssertionError(f"lastmile exited with {code} on SIGTERM\n--- server stderr ---\n"
                                     f"{server.stderr_text()}")

    # ---- assertions ----

    def assertStatus(self, reply, status, msg=None):
        if reply.status != status:
            self.fail(f"expected HTTP {status}, got {reply}" + (f" ({msg})" if msg else ""))
        return reply.body

    def assertError(self, reply, status, code, field=None):
        """`reply` is an error of docs/api.md: this status, a JSON body {"error":{code,message[,field]}}.

        `code` and `field` may be a string or a tuple of acceptable values; `field=None` skips the check.
        """
        codes = code if isinstance(code, tuple) else (code,)
        self.assertEqual(reply.status, status, f"status of {reply}")
        self.assertIn("application/json", reply.headers.get("Content-Type", ""), f"content type of {reply}")
        err = reply.error
        self.assertTrue(err, f"no error object in {reply}")
        self.assertIn(err.get("code"), codes, f"error code of {reply}")
        self.assertIsInstance(err.get("message"), str, f"message of {reply}")
        self.assertTrue(err.get("message"), f"empty message in {reply}")
        if field is not None:
            fields = field if isinstance(field, tuple) else (field,)
            self.assertIn(err.get("field"), fields, f"error field of {reply}")
        return err

    def read_back(self, reads):
        out = []
        for token, path in reads:
            r = self.server.request("GET", path, token=token)
            if r.status != 200:
                self.fail(f"read-back GET {path} failed: {r}")
            out.append((path, r.body))
        return out

    @contextlib.contextmanager
    def unchanged(self, *reads):
        """Asserts that every GET in `reads` ((token, path) pairs) answers the same before and after."""
        before = self.read_back(reads)
        yield
        after = self.read_back(reads)
        for (path, b), (_, a) in zip(before, after):
            self.assertEqual(a, b, f"GET {path} changed although the request was refused")
