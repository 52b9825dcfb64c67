"""A real NATS JetStream cluster on loopback, for integration tests (Python 3 stdlib only).

`NatsCluster(size=3)` starts `size` nats-server processes (Debian's nats-server, JetStream on, each with
its own store folder in a temp dir) on free 127.0.0.1 ports, routed to each other as one cluster, and
waits until every server's monitoring endpoint answers /healthz (JetStream ready). `urls` is the client
list for `lastmile serve --cluster`; `kill(i)` sends SIGKILL to server i, `start_server(i)` starts it
again on the same ports and store. Use it as a context manager: every server is killed and the temp
dir removed at the end (kept with LASTMILE_KEEP_TMP=1).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from lastmile_server import free_port

NATS_SERVER = os.environ.get("NATS_SERVER_BIN") or shutil.which("nats-server") or "/usr/bin/nats-server"
START_TIMEOUT_S = 20.0


class NatsCluster:
    def __init__(self, size=3, name="lastmile-test"):
        self.size = size
        self.name = name
        self.tmpdir = tempfile.mkdtemp(prefix="lastmile-nats-")
        self.client_ports = [free_port() for _ in range(size)]
        self.route_ports = [free_port() for _ in range(size)]
        self.monitor_ports = [free_port() for _ in range(size)]
        self.procs = [None] * size

    @property
    def urls(self):
        """nats://127.0.0.1:P,… of every server (the --cluster value)."""
        return ",".join(f"nats://127.0.0.1:{p}" for p in self.client_ports)

    def _args(self, i):
        routes = ",".join(f"nats://127.0.0.1:{p}" for j, p in enumerate(self.route_ports) if j != i)
        args = [NATS_SERVER, "-a", "127.0.0.1", "-p", str(self.client_ports[i]), "-m", str(self.monitor_ports[i]),
                "-n", f"n{i}", "-js", "-sd", os.path.join(self.tmpdir, f"n{i}")]
        if self.size > 1:  # a JetStream cluster of one is refused: a single server runs stand-alone
            args += ["--cluster_name", self.name, "--cluster", f"nats://127.0.0.1:{self.route_ports[i]}",
                     "--routes", routes]
        return args

    def start_server(self, i):
        log = open(os.path.join(self.tmpdir, f"n{i}.log"), "ab")
        self.procs[i] = subprocess.Popen(self._args(i), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()

    def _healthy(self, i):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.monitor_ports[i]}/healthz", timeout=1) as r:
                return r.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def wait_healthy(self, servers=None, timeout_s=START_TIMEOUT_S):
        servers = range(self.size) if servers is None else servers
        deadline = time.monotonic() + timeout_s
        for i in servers:
            while not self._healthy(i):
                if self.procs[i].poll() is not None:
                    raise RuntimeError(f"nats-server n{i} exited with {self.procs[i].returncode}:\n{self.log(i)}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nats-server n{i} not healthy within {timeout_s} s:\n{self.log(i)}")
                time.sleep(0.05)

    def start(self):
        if not os.access(NATS_SERVER, os.X_OK):
            raise RuntimeError(f"nats-server not found ({NATS_SERVER}); scripts/bootstrap.sh installs it")
        for i in range(self.size):
            self.start_server(i)
        self.wait_healthy()
        return self

    def kill(self, i):
        """SIGKILL server i and wait for it."""
        p = self.procs[i]
        if p is not None and p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()

    def log(self, i, tail=40):
        path = os.path.join(self.tmpdir, f"n{i}.log")
        if not os.path.exists(path):
            return ""
        with open(path, "rb") as f:
            return "\n".join(f.read().decode("utf-8", errors="replace").splitlines()[-tail:])

    def close(self):
        for i in range(self.size):
            self.kill(i)
        if os.environ.get("LASTMILE_KEEP_TMP"):
            print(f"[nats_cluster] kept {self.tmpdir}")
        else:
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except Exception:
            self.close()
            raise

    def __exit__(self, *exc):
        self.close()
