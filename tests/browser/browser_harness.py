"""What the browser tests' Python halves share: the paths, the check that Chromium, the built bundle
and playwright-core are there (no browser is downloaded: `make build` and scripts/bootstrap provide
them), the real server with the Monaco map and the built web bundle, and running a .mjs script with
its configuration in LASTMILE_BROWSER_TEST (it prints "ok N - …" steps; see harness.mjs)."""

import json
import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from lastmile_server import LastmileServer, monaco_graph  # noqa: E402

WEB_DIR = os.path.join(ROOT, "web")
CHROMIUM = os.environ.get("LASTMILE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = os.environ.get("LASTMILE_ARTIFACTS", os.path.join(ROOT, "build", "test-artifacts"))


def require_browser(page_html):
    """Fails with what to do when Chromium, web/dist/`page_html` or playwright-core is missing."""
    for need, hint in ((CHROMIUM, "install Debian's chromium (scripts/bootstrap)"),
                       (os.path.join(WEB_DIR, "dist", page_html), "build the web bundle (make build)"),
                       (os.path.join(WEB_DIR, "node_modules", "playwright-core"), "npm ci in web/ (make build)")):
        if not os.path.exists(need):
            raise AssertionError(f"{need} is missing: {hint}")


def web_server(**options):
    """The real server with the bundled Monaco road network and the built web bundle (not started)."""
    return LastmileServer(extra_args=["--map", monaco_graph(), "--web-dir", os.path.join(WEB_DIR, "dist")], **options)


class BrowserTestCase(unittest.TestCase):
    """One real server (web_server) per test class, after checking the built `pages` and Chromium."""

    pages = ()

    @classmethod
    def setUpClass(cls):
        for page in cls.pages:
            require_browser(page)
        cls.server = web_server()
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()


def run_script(test, script, config, server=None, timeout=240):
    """Runs tests/browser/`script` with `config` (plus base_url, web_dir, chromium); fails `test` with
    the script's output and the server's log when it does not exit 0."""
    node = shutil.which("node")
    test.assertIsNotNone(node, "node is missing (scripts/bootstrap installs it)")
    config = {"web_dir": WEB_DIR, "chromium": CHROMIUM, **config}
    done = subprocess.run([node, os.path.join(HERE, script)], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "LASTMILE_BROWSER_TEST": json.dumps(config)})
    print(done.stdout, end="")
    test.assertEqual(done.returncode, 0, f"{done.stdout}\n{done.stderr}" +
                     (f"\n--- server stderr ---\n{server.stderr_text()}" if server else ""))
