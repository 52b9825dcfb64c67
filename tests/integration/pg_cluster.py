"""A throwaway PostgreSQL 15 server on loopback, for tests and benchmarks (Python 3 stdlib only).

`PgCluster` runs initdb and the server in a fresh temp folder (data directory, Unix socket, log) on a free
127.0.0.1 port, with trust authentication for the `postgres` user, and creates the database `lastmile`:

    with PgCluster() as pg:
        pg.url                    # postgres://postgres@127.0.0.1:PORT/lastmile
        pg.psql("SELECT 1")       # psql's unaligned output, as text; raises PgError on an error

`stop()` is a fast shutdown (SIGINT: open sessions are ended, every committed transaction stays), waits for
the server to exit and removes the folder. A watchdog process does the same if the process that started the
server exits without stopping it (a test killed by its timeout), so no server outlives its test.

As a command (the ctest fixture of tests/CMakeLists.txt, bench/cluster.sh):

    python3 pg_cluster.py start DIR   # starts a server that outlives the command; writes DIR/url, DIR/pid
    python3 pg_cluster.py stop DIR    # stops it, copies its log to DIR/postgres.log, removes its data

initdb and postgres refuse to run as root: as root they run as the `postgres` OS user (created by Debian's
postgresql package) through runuser, on a temp folder owned by that user; otherwise they run as the caller.

The server is tuned for speed, not for surviving a power cut: fsync=off, full_page_writes=off,
synchronous_commit=off. The tests kill lastmile (kill -9 of a node under load), never PostgreSQL: a
transaction that lastmile saw committed is in the server's memory and WAL and survives any client crash.
What PostgreSQL's own fsync guarantees is PostgreSQL's test suite's business, not ours; skipping it makes
every commit of the test suite cheap on a 2-core CI machine. max_connections=300 leaves room for the
connection pools of the many servers a parallel test run (ctest -j) starts against one cluster.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin",)
PSQL = "/usr/bin/psql"
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 30
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "shared_buffers": "32MB",
    "max_connections": "300",
    "log_min_messages": "warning",
    # a small WAL: the whole test run writes GBs, and removing the folder afterwards is slow on some disks
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "64MB",
    "min_wal_size": "32MB",
    "log_line_prefix": "%m [%p] ",
}


class PgError(RuntimeError):
    """PostgreSQL did not start or stop, or psql reported an error."""


def _bin(name):
    for folder in PG_BIN_DIRS:
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    found = shutil.which(name)
    if not found:
        raise PgError(f"{name} not found in {PG_BIN_DIRS} or on PATH (install the postgresql package: "
                      "scripts/bootstrap)")
    return found


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(args):
    """`args` run as the `postgres` OS user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--"] + args


def _alive(pid):
    """True while `pid` is a running postgres process (not a zombie, not a recycled pid of another program)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
    except OSError:
        return False
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    state = stat[stat.rindex(")") + 2:].split(" ", 1)[0]
    return comm.startswith("postgres") and state != "Z"


class PgCluster:
    """One PostgreSQL server in its own temp folder; see the module docstring."""

    def __init__(self, port=None, settings=None):
        self.requested_port = port
        self.settings = dict(SETTINGS, **(settings or {}))
        self.folder = None
        self.port = None
        self.pid = None
        self._watchdog = None

    @property
    def data_dir(self):
        return os.path.join(self.folder, "data")

    @property
    def log_path(self):
        return os.path.join(self.folder, "postgres.log")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/lastmile"

    def start(self, watch=True):
        """initdb, start, CREATE DATABASE lastmile; returns self. Raises PgError (folder removed) on failure.
        `watch=False`: no watchdog, the server outlives this process (the command line's `start`)."""
        self.folder = tempfile.mkdtemp(prefix="lastmile-pg-")
        try:
            if os.geteuid() == 0:
                user = pwd.getpwnam("postgres")
                os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._run(_as_server_user([_bin("initdb"), "-D", self.data_dir, "-U", "postgres", "--auth=trust",
                                       "-E", "UTF8", "--locale=C", "--no-sync"]), "initdb")
            self._write_settings()
            for attempt in range(3):
                self.port = self.requested_port or _free_port()
                if self._start_server():
                    break
                if self.requested_port or "in use" not in self.log_text():
                    raise PgError(f"postgres did not start\n--- log ---\n{self.log_text()}")
            else:
                raise PgError(f"postgres found no free port\n--- log ---\n{self.log_text()}")
            self.pid = self._postmaster_pid()
            self.psql("CREATE DATABASE lastmile", database="postgres")
            if watch:
                self._start_watchdog()
            return self
        except BaseException:
            self.stop()
            raise

    def pause(self):
        """Stops the server (fast shutdown) and keeps its data: what clients see when their database goes
        away. `resume()` starts it again on the same port."""
        stop_server(self.pid)
        self.pid = None

    def resume(self):
        """Starts the paused server again, same data and port; PgError when it does not start."""
        if not self._start_server():
            raise PgError(f"postgres did not start again\n--- log ---\n{self.log_text()}")
        self.pid = self._postmaster_pid()
        if self._watchdog is not None:  # it watches the postmaster's pid: give it the new one
            self._watchdog.kill()
            self._watchdog.wait()
            self._start_watchdog()

    def _start_watchdog(self):
        self._watchdog = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "watch", str(os.getpid()), self.folder, str(self.pid)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def _write_settings(self):
        """Appends the settings to postgresql.conf (later lines win); the port is given at start."""
        lines = [f"{k} = '{v}'" for k, v in dict(self.settings, unix_socket_directories=self.folder).items()]
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as f:
            f.write("\n# pg_cluster.py (tests/integration): a throwaway test server\n" + "\n".join(lines) + "\n")

    def _start_server(self):
        done = subprocess.run(_as_server_user([_bin("pg_ctl"), "start", "-w", "-t", str(START_TIMEOUT_S),
                                               "-D", self.data_dir, "-l", self.log_path, "-o", f"-p {self.port}"]),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=START_TIMEOUT_S + 10)
        return done.returncode == 0

    def _postmaster_pid(self):
        with open(os.path.join(self.data_dir, "postmaster.pid")) as f:
            return int(f.readline())

    def _run(self, args, what):
        done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise PgError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def psql(self, sql, database="lastmile"):
        """Runs `sql` with psql (unaligned, tuples only) and returns its output; PgError on any error."""
        return self._run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                          "-p", str(self.port), "-U", "postgres", "-d", database, "-c", sql], "psql")

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", errors="replace")
        except (OSError, TypeError):
            return ""

    def stop(self, keep_log=None, remove_in_background=False):
        """Fast shutdown (SIGINT), waits for the server to exit, removes the folder. `keep_log`: a path the
        server log is copied to first. `remove_in_background`: a detached `rm -rf` removes the folder after
        this returns (after a whole test run it holds hundreds of MB, which took over a minute to delete on a
        busy disk: longer than the ctest fixture's timeout). Raises PgError when the server does not exit in
        time."""
        if self.folder is None:
            return
        try:
            stop_server(self.pid if self.pid is not None else _pid_in(self.data_dir))
        finally:
            if keep_log:
                with open(keep_log, "w") as f:
                    f.write(self.log_text())
            if remove_in_background:
                subprocess.Popen(["rm", "-rf", self.folder], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
            else:
                shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
            self.pid = None
            if self._watchdog is not None:  # it ends once the folder is gone
                try:
                    self._watchdog.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._watchdog.kill()
                    self._watchdog.wait()
                self._watchdog = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _pid_in(data_dir):
    try:
        with open(os.path.join(data_dir, "postmaster.pid")) as f:
            return int(f.readline())
    except (OSError, ValueError):
        return None


def stop_server(pid):
    """SIGINT (fast shutdown) to the postmaster `pid`, then waits for it; SIGQUIT after STOP_TIMEOUT_S."""
    if pid is None or not _alive(pid):
        return
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.02)
    os.kill(pid, signal.SIGQUIT)  # immediate shutdown: the data is thrown away anyway
    raise PgError(f"postgres {pid} did not exit within {STOP_TIMEOUT_S} s of SIGINT")


def _exited(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
    except OSError:
        return True
    return stat[stat.rindex(")") + 2:].startswith("Z")


def watch(parent_pid, folder, pid):
    """Until `folder` is removed (a clean stop): once `parent_pid` has exited, stops the server and removes
    `folder`. Polls ten times a second."""
    while os.path.isdir(folder):
        if _exited(parent_pid):
            try:
                stop_server(pid)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            return
        time.sleep(0.1)


# ---- command line: a server that outlives the command (ctest fixture, benchmarks) -------------------------

def _say(text):
    """A progress line on stderr, flushed at once: a fixture cut off by ctest's timeout still shows where it
    was (stdout to a pipe is block-buffered and lost with the process)."""
    print(f"pg_cluster {time.strftime('%H:%M:%S')}: {text}", file=sys.stderr, flush=True)


def cli_start(state_dir):
    os.makedirs(state_dir, exist_ok=True)
    _say(f"start in {state_dir}")
    cli_stop(state_dir)  # a server left behind by an interrupted run
    pg = PgCluster().start(watch=False)
    for name, value in (("folder", pg.folder), ("pid", str(pg.pid)), ("url", pg.url)):
        with open(os.path.join(state_dir, name + ".tmp"), "w") as f:
            f.write(value + "\n")
        os.replace(os.path.join(state_dir, name + ".tmp"), os.path.join(state_dir, name))
    print(f"pg_cluster: {pg.url} (pid {pg.pid}, data in {pg.folder})", flush=True)


def cli_stop(state_dir):
    def read(name):
        try:
            with open(os.path.join(state_dir, name)) as f:
                return f.read().strip()
        except OSError:
            return None
    folder, pid = read("folder"), read("pid")
    if folder is None:
        return False
    pg = PgCluster()
    pg.folder, pg.pid = folder, int(pid) if pid else None
    try:
        _say(f"stopping postgres {pg.pid}")
        pg.stop(keep_log=os.path.join(state_dir, "postgres.log"), remove_in_background=True)
        _say("stopped; its folder is being removed in the background")
    finally:
        for name in ("url", "pid", "folder"):
            with_path = os.path.join(state_dir, name)
            if os.path.exists(with_path):
                os.remove(with_path)
    return True


def main(argv):
    if len(argv) == 5 and argv[1] == "watch":
        watch(int(argv[2]), argv[3], int(argv[4]))
        return 0
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print("usage: pg_cluster.py start|stop DIR", file=sys.stderr)
        return 2
    try:
        if argv[1] == "start":
            cli_start(argv[2])
        elif cli_stop(argv[2]):
            print(f"pg_cluster: stopped (log in {os.path.join(argv[2], 'postgres.log')})")
        else:
            print(f"pg_cluster: nothing to stop in {argv[2]}")
    except PgError as e:
        print(f"pg_cluster: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
