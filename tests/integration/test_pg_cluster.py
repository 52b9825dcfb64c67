"""pg_cluster.py, the throwaway PostgreSQL of the tests and benchmarks: it starts on loopback with the
database `lastmile`, psql errors are raised, a stop removes everything, the command line's server outlives
the command and is stopped by `stop DIR`, and a server whose test process dies is stopped by the watchdog.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import pg_cluster

HERE = os.path.dirname(os.path.abspath(__file__))


def wait_until(predicate, timeout_s=10.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


class PgClusterTest(unittest.TestCase):

    def test_start_query_and_stop_leave_nothing_behind(self):
        with pg_cluster.PgCluster() as pg:
            self.assertRegex(pg.url, r"^postgres://postgres@127\.0\.0\.1:\d+/lastmile$")
            self.assertEqual(pg.psql("SELECT current_database(), current_user").strip(), "lastmile|postgres")
            self.assertEqual(pg.psql("SHOW listen_addresses").strip(), "127.0.0.1")
            with self.assertRaises(pg_cluster.PgError) as caught:
                pg.psql("SELECT no_such_column")
            self.assertIn("no_such_column", str(caught.exception))
            folder, pid = pg.folder, pg.pid
        self.assertFalse(os.path.exists(folder))
        self.assertFalse(pg_cluster._alive(pid))

    def test_the_command_line_server_outlives_start_and_stop_ends_it(self):
        state = tempfile.mkdtemp(prefix="lastmile-pg-state-")
        self.addCleanup(shutil.rmtree, state, ignore_errors=True)
        self.addCleanup(subprocess.run, [sys.executable, os.path.join(HERE, "pg_cluster.py"), "stop", state],
                        capture_output=True)
        cli = [sys.executable, os.path.join(HERE, "pg_cluster.py")]
        subprocess.run(cli + ["start", state], check=True, capture_output=True, timeout=60)
        with open(os.path.join(state, "url")) as f:
            url = f.read().strip()
        with open(os.path.join(state, "pid")) as f:
            pid = int(f.read())
        done = subprocess.run([pg_cluster.PSQL, "-X", "-A", "-t", "-c", "SELECT 41 + 1", url], capture_output=True,
                              text=True, timeout=30)
        self.assertEqual(done.stdout.strip(), "42", done.stderr)
        subprocess.run(cli + ["stop", state], check=True, capture_output=True, timeout=60)
        self.assertFalse(pg_cluster._alive(pid))
        self.assertEqual(sorted(os.listdir(state)), ["postgres.log"])

    def test_a_server_whose_test_process_is_killed_is_stopped_by_the_watchdog(self):
        child = subprocess.Popen([sys.executable, "-c", "import pg_cluster, time\n"
                                  "pg = pg_cluster.PgCluster().start()\n"
                                  "print(pg.folder, pg.pid, flush=True)\n"
                                  "time.sleep(120)\n"], cwd=HERE, stdout=subprocess.PIPE, text=True)
        self.addCleanup(child.wait)
        self.addCleanup(child.kill)
        folder, pid = child.stdout.readline().split()
        self.assertTrue(pg_cluster._alive(int(pid)))
        child.kill()
        self.assertTrue(wait_until(lambda: not pg_cluster._alive(int(pid)) and not os.path.exists(folder)),
                        f"postgres {pid} or {folder} outlived its test process")


if __name__ == "__main__":
    unittest.main()
