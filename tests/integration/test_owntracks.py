"""OwnTracks over HTTP (POST /v1/owntracks) and over MQTT (a real Mosquitto broker started by the test).

DESIGN §5 / issue 3: OwnTracks JSON `{"_type":"location","tst":…,"lat":…,"lon":…,"acc":…,"vel":…}` from user/device
"<user>/<device>" — the driver's `device_id`. HTTP mode: identity from `?u=&d=` or `X-Limit-U`/`X-Limit-D`, the
device token as the Basic password (or Bearer), reply `[]`; other `_type`s are ignored politely. MQTT mode:
`lastmile serve --mqtt mqtt://[user:pass@]HOST:PORT` subscribes to `owntracks/+/+` (QoS 1); the broker
authenticates devices; the server reconnects when the broker comes back.
"""

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from lastmile_server import LastmileServer, ServerTestCase, free_port, make_driver, make_tenant, unique

MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if os.access("/usr/sbin/mosquitto", os.X_OK) else None)
MOSQUITTO_PUB = shutil.which("mosquitto_pub")
MOSQUITTO_PASSWD = shutil.which("mosquitto_passwd") or (
    "/usr/bin/mosquitto_passwd" if os.access("/usr/bin/mosquitto_passwd", os.X_OK) else None)
WAIT_S = 20.0


def location(seconds_ago, i=0, **extra):
    """An OwnTracks location message as the apps send it, a few metres further along per i."""
    msg = {"_type": "location", "tid": "LR", "tst": int(time.time()) - seconds_ago,
           "lat": round(43.73470 + i * 0.00001, 5), "lon": round(7.42150 + i * 0.00001, 5), "acc": 12, "alt": 10,
           "batt": 81, "bs": 1, "vel": 18, "cog": 90, "t": "u", "conn": "m"}
    msg.update(extra)
    return msg


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def wait_until(predicate, what, timeout=WAIT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class OwnTracksHttp(ServerTestCase):
    def setUp(self):
        tenant = make_tenant(self.server)
        self.key = tenant["api_key"]
        self.user, self.device = unique("alice").replace(" ", "-"), "phone"
        self.driver = make_driver(self.server, self.key, device_id=f"{self.user}/{self.device}")
        self.token = self.driver["device_token"]

    def post(self, body, params=None, headers=None, auth="basic"):
        h = {"Content-Type": "application/json"}
        if auth == "basic":
            h["Authorization"] = basic(self.user, self.token)
        elif auth:
            h["Authorization"] = auth
        h.update(headers or {})
        return self.server.request("POST", "/v1/owntracks", json.dumps(body), headers=h, params=params)

    def times(self):
        r = self.server.request("GET", f"/v1/drivers/{self.driver['id']}/track", token=self.key)
        self.assertEqual(r.status, 200, r)
        return r.body["features"][0]["properties"]["times"] if r.body["features"] else []

    def test_query_identity_and_basic_auth_store_the_position_and_reply_an_empty_list(self):
        r = self.post(location(30), params={"u": self.user, "d": self.device})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, [])
        self.assertEqual(len(self.times()), 1)

    def test_x_limit_headers_as_the_app_sends_them(self):
        r = self.post(location(30), headers={"X-Limit-U": self.user, "X-Limit-D": self.device})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.text, "[]")
        self.assertEqual(len(self.times()), 1)

    def test_a_bearer_token_instead_of_basic_auth(self):
        r = self.post(location(30), params={"u": self.user, "d": self.device}, auth=f"Bearer {self.token}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(self.times()), 1)

    def test_other_message_types_are_ignored_politely(self):
        for msg in [{"_type": "transition", "event": "enter", "desc": "Depot", "tst": int(time.time())},
                    {"_type": "waypoints", "waypoints": []}, {"_type": "lwt", "tst": int(time.time())},
                    {"_type": "status"}, {"_type": "encrypted", "data": "c2VjcmV0"}]:
            r = self.post(msg, params={"u": self.user, "d": self.device})
            self.assertEqual((r.status, r.text), (200, "[]"), msg)
        self.assertEqual(self.times(), [])

    def test_refusals_store_nothing(self):
        q = {"u": self.user, "d": self.device}
        self.assertError(self.post(location(30), params=q, auth=None), 401, "unauthenticated")
        self.assertError(self.post(location(30), params=q, auth=basic(self.user, "lmd_wrongwrongwr_x")), 401,
                         "unauthenticated")
        self.assertError(self.post(location(30), params={"u": "nobody", "d": self.device}), 404, "not_found")
        self.assertError(self.post(location(30), params={"u": self.user}), 400, "missing_field", "d")
        self.assertError(self.post({"_type": "location", "lat": "x", "lon": 7.4, "tst": 1}, params=q), 400,
                         "wrong_type", "lat")
        self.assertError(self.post({"_type": "location", "lon": 7.4, "tst": int(time.time())}, params=q), 400,
                         "missing_field", "lat")
        r = self.server.request("POST", "/v1/owntracks", '{"_type":"location","lat":43.7', params=q,
                                headers={"Authorization": basic(self.user, self.token)})
        self.assertError(r, 400, "invalid_json")
        self.assertEqual(self.times(), [])
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)

    def test_a_tenant_without_the_secret_rule_needs_no_password(self):
        tenant = make_tenant(self.server, require_device_secret=False)
        user = unique("bob").replace(" ", "-")
        driver = make_driver(self.server, tenant["api_key"], device_id=f"{user}/tablet")
        r = self.server.request("POST", "/v1/owntracks", json.dumps(location(20)),
                                headers={"Content-Type": "application/json", "X-Limit-U": user, "X-Limit-D": "tablet"})
        self.assertEqual((r.status, r.text), (200, "[]"))
        t = self.server.request("GET", f"/v1/drivers/{driver['id']}/track", token=tenant["api_key"])
        self.assertEqual(len(t.body["features"][0]["geometry"]["coordinates"]), 1)


class Broker:
    """A Mosquitto broker of the test's own on a free loopback port (no persistence)."""

    def __init__(self, users=None):
        self.dir = tempfile.mkdtemp(prefix="lastmile-mqtt-")
        self.port = free_port()
        self.proc = None
        conf = [f"listener {self.port} 127.0.0.1", "persistence false"]
        if users:
            passwd = os.path.join(self.dir, "passwd")
            open(passwd, "w").close()
            for user, password in users.items():
                subprocess.run([MOSQUITTO_PASSWD, "-b", passwd, user, password], check=True, capture_output=True)
            # Started as root, mosquitto drops to its own user before reading the file.
            os.chmod(self.dir, 0o755)
            os.chmod(passwd, 0o644)
            conf += ["allow_anonymous false", f"password_file {passwd}"]
        else:
            conf += ["allow_anonymous true"]
        self.conf = os.path.join(self.dir, "mosquitto.conf")
        with open(self.conf, "w") as f:
            f.write("\n".join(conf) + "\n")

    def start(self):
        self.log = open(os.path.join(self.dir, "mosquitto.log"), "ab")
        self.proc = subprocess.Popen([MOSQUITTO, "-c", self.conf], stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        raise AssertionError(f"mosquitto did not start on port {self.port}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)
        if self.proc:
            self.log.close()
        self.proc = None

    def publish(self, topic, message, user=None, password=None):
        args = [MOSQUITTO_PUB, "-h", "127.0.0.1", "-p", str(self.port), "-q", "1", "-t", topic,
                "-m", message if isinstance(message, str) else json.dumps(message)]
        if user:
            args += ["-u", user, "-P", password]
        subprocess.run(args, check=True, timeout=15, capture_output=True)

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@unittest.skipUnless((MOSQUITTO and MOSQUITTO_PUB) or os.environ.get("CI") == "true", "mosquitto and mosquitto-clients are not installed (scripts/bootstrap)")
class OwnTracksMqtt(unittest.TestCase):
    def setUp(self):
        self.broker = Broker()
        self.addCleanup(self.broker.close)
        self.broker.start()
        self.server = LastmileServer(extra_args=["--mqtt", f"mqtt://127.0.0.1:{self.broker.port}"])
        self.addCleanup(self.server.close)
        self.server.start()
        self.wait_subscribed(1)
        tenant = make_tenant(self.server)  # requires device secrets: MQTT trusts the broker anyway
        self.key = tenant["api_key"]
        self.user = unique("alice").replace(" ", "-")
        self.driver = make_driver(self.server, self.key, device_id=f"{self.user}/phone")
        self.topic = f"owntracks/{self.user}/phone"

    def subscriptions(self):
        return self.server.stdout_text().count("mqtt subscribed to owntracks/+/+")

    def wait_subscribed(self, n):
        wait_until(lambda: self.subscriptions() >= n, f"subscription #{n} (stdout: {self.server.stdout_text()!r})")

    def times(self, driver=None, key=None):
        driver = driver or self.driver
        r = self.server.request("GET", f"/v1/drivers/{driver['id']}/track", token=key or self.key)
        self.assertEqual(r.status, 200, r)
        return r.body["features"][0]["properties"]["times"] if r.body["features"] else []

    def wait_points(self, n, **kw):
        return wait_until(lambda: len(self.times(**kw)) >= n and self.times(**kw), f"{n} stored points")

    def test_published_locations_arrive_in_the_track(self):
        for i in range(3):
            self.broker.publish(self.topic, location(60 - i * 10, i=i))
        self.assertEqual(len(self.wait_points(3)), 3)
        driver = self.server.request("GET", f"/v1/drivers/{self.driver['id']}", token=self.key).body
        self.assertAlmostEqual(driver["position"]["lat"], 43.73472, places=5)

    def test_other_types_junk_and_unknown_devices_are_dropped_and_later_messages_still_flow(self):
        self.broker.publish(self.topic, {"_type": "transition", "event": "leave", "tst": int(time.time())})
        self.broker.publish(self.topic, '{"_type":"location","lat":43.7')
        self.broker.publish(self.topic, "not json at all")
        self.broker.publish(f"owntracks/{self.user}-nobody/phone", location(40))
        self.broker.publish(self.topic, location(30))
        self.assertEqual(len(self.wait_points(1)), 1)
        # The ping is counted once the pipeline's submit returns, just after its point is readable.
        accepted = 'lastmile_pings_total{protocol="owntracks_mqtt",result="accepted"} 1'

        def counted():
            text = self.server.request("GET", "/metrics").text
            return text if accepted in text else None

        metrics = wait_until(counted, "the accepted ping counted")
        self.assertIn('lastmile_ingest_unknown_devices_total{protocol="owntracks_mqtt"} 1', metrics)
        self.assertIn('lastmile_ingest_invalid_total{protocol="owntracks_mqtt"} 2', metrics)
        self.assertIn('lastmile_pings_total{protocol="owntracks_mqtt",result="accepted"} 1', metrics)
        self.assertIn("lastmile_mqtt_connected 1", metrics)

    def test_the_server_reconnects_when_the_broker_restarts(self):
        self.broker.publish(self.topic, location(60, i=0))
        self.wait_points(1)
        self.broker.stop()
        wait_until(lambda: "lastmile_mqtt_connected 0" in self.server.request("GET", "/metrics").text,
                   "the server to notice the broker is gone")
        self.broker.start()
        self.wait_subscribed(2)
        self.broker.publish(self.topic, location(30, i=1))
        self.assertEqual(len(self.wait_points(2)), 2)

    def test_messages_published_while_lastmile_is_down_arrive_after_it_restarts(self):
        # The session is persistent: the broker keeps QoS 1 messages for lastmile's client id meanwhile.
        self.broker.publish(self.topic, location(90, i=0))
        self.wait_points(1)
        self.assertEqual(self.server.stop(), 0)
        self.broker.publish(self.topic, location(60, i=1))
        self.broker.publish(self.topic, location(50, i=2))
        self.server.start()
        self.assertEqual(len(self.wait_points(3)), 3)

    def test_kill_9_mid_stream_loses_no_message(self):
        # A message is acknowledged to the broker only once stored: whatever lastmile had not stored
        # when it died is resent by the broker to its session after the restart.
        n = 300
        lines = "\n".join(json.dumps(location(900 - i, i=i)) for i in range(n)) + "\n"
        subprocess.run([MOSQUITTO_PUB, "-h", "127.0.0.1", "-p", str(self.broker.port), "-q", "1", "-t", self.topic,
                        "-l"], input=lines.encode(), check=True, timeout=30, capture_output=True)
        wait_until(lambda: len(self.times()) >= 5, "the first points")
        self.server.kill()
        self.server.start()
        stored = self.wait_points(n)
        self.assertEqual(len(stored), n, "every published message is stored exactly once")

    def test_sigterm_stops_the_subscriber_cleanly(self):
        self.assertEqual(self.server.stop(), 0)
        self.assertIn("mqtt: stopped", self.server.stderr_text())


@unittest.skipUnless((MOSQUITTO and MOSQUITTO_PUB and MOSQUITTO_PASSWD) or os.environ.get("CI") == "true", "mosquitto tools are not installed")
class OwnTracksMqttWithCredentials(unittest.TestCase):
    def test_lastmile_logs_in_with_the_credentials_of_its_url(self):
        broker = Broker(users={"lastmile": "s3cret:pw", "alice": "alice-pw"})
        self.addCleanup(broker.close)
        broker.start()
        server = LastmileServer(extra_args=["--mqtt", f"mqtt://lastmile:s3cret%3Apw@127.0.0.1:{broker.port}"])
        self.addCleanup(server.close)
        server.start()
        wait_until(lambda: "mqtt subscribed to" in server.stdout_text(), "the subscription")
        tenant = make_tenant(server)
        driver = make_driver(server, tenant["api_key"], device_id="alice/phone")
        broker.publish("owntracks/alice/phone", location(20), user="alice", password="alice-pw")
        wait_until(lambda: server.request("GET", f"/v1/drivers/{driver['id']}/track",
                                          token=tenant["api_key"]).body["features"], "the point")
        self.assertNotIn("s3cret", server.stderr_text() + server.stdout_text())


if __name__ == "__main__":
    unittest.main()
