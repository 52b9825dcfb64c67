"""The web pages served by `lastmile serve` (docs/web.md): GET /t/{token}, GET /dispatch, GET /driver
(with its manifest, service worker and icon) and GET /assets/* from the folder of --web-dir, with their Content-Types, caching and security headers;
path traversal refused; a server without a built bundle answers the pages with a clear 503.

A hand-made web folder stands in for web/dist here (the real bundle is tested in a browser by
tests/browser), so this test does not depend on the front-end build.
"""

import os
import shutil
import tempfile
import unittest

from lastmile_server import LastmileServer, ServerTestCase

PAGE = "<!doctype html><title>tracking</title><script type=module src=/assets/track-Ab12.js></script>"


def make_web_dir():
    root = tempfile.mkdtemp(prefix="lastmile-web-")
    dist = os.path.join(root, "dist")
    os.makedirs(os.path.join(dist, "assets"))
    os.makedirs(os.path.join(dist, "driver"))
    files = {"track.html": PAGE, "dispatch.html": "<!doctype html><title>dispatch</title>",
             "driver.html": "<!doctype html><title>driver</title>",
             "driver/manifest.webmanifest": '{"name":"lastmile driver"}', "driver/sw.js": "self.x=1",
             "driver/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
             "assets/track-Ab12.js": "console.log('track')", "assets/track-Cd34.css": "body{}",
             "assets/truck-Ef56.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
             "assets/font-Gh78.woff2": "wOF2", "assets/track-Ab12.js.map": "{}"}
    for name, text in files.items():
        with open(os.path.join(dist, name), "w") as f:
            f.write(text)
    with open(os.path.join(root, "secret.txt"), "w") as f:  # next to dist/: must never be served
        f.write("secret")
    return root, dist


class WebPagesTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.web_root, dist = make_web_dir()
        cls.server_options = {"extra_args": ["--web-dir", dist]}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.web_root, ignore_errors=True)

    def assertPage(self, r, text):
        self.assertStatus(r, 200)
        self.assertEqual(r.headers["Content-Type"], "text/html; charset=utf-8")
        self.assertEqual(r.headers["Cache-Control"], "no-cache")
        self.assertIn(text, r.text)
        csp = r.headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'",
                          "worker-src 'self' blob:"):
            self.assertIn(directive, csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(r.headers["Referrer-Policy"], "no-referrer")  # the token is in the page's URL

    def test_the_tracking_page_is_the_same_html_for_every_token(self):
        # Known or not, the page is the same: only /v1/track tells, after the page loads.
        self.assertPage(self.server.request("GET", "/t/AAAAAAAAAAAAAAAAAAAAAA"), "<title>tracking</title>")
        self.assertPage(self.server.request("GET", "/t/anything"), "<title>tracking</title>")

    def test_the_dispatch_page(self):
        self.assertPage(self.server.request("GET", "/dispatch"), "<title>dispatch</title>")

    def test_the_driver_app_and_its_installable_parts(self):
        self.assertPage(self.server.request("GET", "/driver"), "<title>driver</title>")
        r = self.server.request("GET", "/driver/manifest.webmanifest")
        self.assertStatus(r, 200)
        self.assertEqual(r.headers["Content-Type"], "application/manifest+json")
        self.assertEqual(r.headers["Cache-Control"], "no-cache")
        r = self.server.request("GET", "/driver/sw.js")
        self.assertStatus(r, 200)
        self.assertEqual(r.headers["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(r.headers["Cache-Control"], "no-cache")  # a new bundle reaches the phones
        self.assertEqual(r.headers["Service-Worker-Allowed"], "/driver")  # the page /driver is in its scope
        self.assertIn("script-src 'self'", r.headers["Content-Security-Policy"])
        self.assertEqual(r.text, "self.x=1")
        r = self.server.request("GET", "/driver/icon.svg")
        self.assertStatus(r, 200)
        self.assertEqual(r.headers["Content-Type"], "image/svg+xml")
        for path in ("/driver/other.js", "/driver/../track.html", "/driver/sw.js.map"):
            self.assertEqual(self.server.request("GET", path).status, 404, path)

    def test_assets_have_their_type_and_a_long_immutable_cache(self):
        expected = {"/assets/track-Ab12.js": "text/javascript; charset=utf-8",
                    "/assets/track-Cd34.css": "text/css; charset=utf-8",
                    "/assets/truck-Ef56.svg": "image/svg+xml", "/assets/font-Gh78.woff2": "font/woff2",
                    "/assets/track-Ab12.js.map": "application/json"}
        for path, content_type in expected.items():
            r = self.server.request("GET", path)
            self.assertStatus(r, 200)
            self.assertEqual(r.headers["Content-Type"], content_type, path)
            self.assertEqual(r.headers["Cache-Control"], "public, max-age=31536000, immutable", path)
            self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff", path)
        self.assertEqual(self.server.request("GET", "/assets/track-Ab12.js").text, "console.log('track')")

    def test_the_api_grants_no_cross_origin_access(self):
        """The pages are same-origin: no API answer (nor a preflight) lets another site's script read it."""
        origin = {"Origin": "https://evil.example"}
        for method, path in (("GET", "/v1/track/not-a-token"), ("GET", "/healthz"), ("OPTIONS", "/v1/shipments"),
                             ("GET", "/t/some-token")):
            r = self.server.request(method, path, headers=origin)
            self.assertNotIn("Access-Control-Allow-Origin", r.headers, f"{method} {path}")
            self.assertNotIn("Access-Control-Allow-Credentials", r.headers, f"{method} {path}")

    def test_path_traversal_and_unknown_files_are_not_found(self):
        for path in ("/assets/../track.html", "/assets/%2e%2e/track.html", "/assets/..%2f..%2fsecret.txt",
                     "/assets/%2e%2e%2f%2e%2e%2fsecret.txt", "/assets/..%5c..%5csecret.txt", "/assets//etc/passwd",
                     "/assets/.hidden.js", "/assets/missing-0000.js", "/assets/", "/assets",
                     "/assets/track-Ab12.js/", "/assets/%74rack-Ab12.js"):
            r = self.server.request("GET", path)
            self.assertEqual(r.status, 404, f"{path}: {r}")
            self.assertNotIn("secret", r.text)
        self.assertError(self.server.request("POST", "/assets/track-Ab12.js", {}), 405, "method_not_allowed")


class WithoutWebBundleTest(unittest.TestCase):
    def test_the_pages_answer_503_with_what_to_do(self):
        folder = tempfile.mkdtemp(prefix="lastmile-noweb-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        with LastmileServer(extra_args=["--web-dir", os.path.join(folder, "dist")]) as server:
            for path in ("/t/AAAAAAAAAAAAAAAAAAAAAA", "/dispatch", "/driver"):
                r = server.request("GET", path)
                self.assertEqual(r.status, 503, f"{path}: {r}")
                self.assertIn("make build", r.text)
                self.assertIn("--web-dir", r.text)
            self.assertEqual(server.request("GET", "/assets/track-Ab12.js").status, 404)
            self.assertEqual(server.request("GET", "/driver/sw.js").status, 404)
            self.assertEqual(server.request("GET", "/healthz").status, 200)  # the API works without the pages
            self.assertIn("no built bundle", server.stderr_text())


if __name__ == "__main__":
    unittest.main()
