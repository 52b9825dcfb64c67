"""The authorization matrix (issue 12): every route of the server's route table × every role × own tenant
and another tenant, against the real server.

The table comes from the binary itself (`lastmile routes`: method, path, public, roles), so a route added
to src/api/routes_table.cpp is swept without touching this file — unless its path has a parameter this
file cannot fill yet, which fails the test until a fixture is added (PARAMS below).

For every route that needs credentials and every role (root, tenant_admin, dispatcher, integration,
carrier, driver = a device token, a tracking token presented as a key, and no credential at all):
- a role outside the route's roles gets 401 (no credential, a tracking token) or 403 (any other key);
- a role inside, with the ids of its own tenant's objects (which the role may see), is not refused
  (not 401/403/404; a GET answers 2xx);
- the same credentials with another tenant's ids (in the path, or in the body: a route over another
  tenant's driver, a key for its carrier…), or with one own id beside another tenant's (a delivery of
  another tenant's webhook), get 404 (403 where a carrier names a carrier not its own), never 2xx;
- a carrier key or a device token with the objects of another carrier of its own tenant gets 404 too;
- a list filtered by another tenant's ids (?shipment_id=, ?driver_id=, …) answers nothing of it.
Public routes (on the allowlist of tests/unit/api/routes_table_test.cpp) are called without credentials
with the tenant's tracking token, with another tenant's objects beside it, and with an unknown token; the
live streams (WebSocket and SSE) refuse a credential of one tenant subscribing to another's route.
Every 2xx answer to a credential of tenant A is searched for the ids of tenant B (lists included), and
after the sweep tenant B's data is compared with a snapshot taken before it: zero cross-tenant reads
or writes. Destructive routes (DELETE, rotate) act on a throwaway object made for each request.
"""

import collections
import itertools
import json
import subprocess
import sys
import time
import unittest
import urllib.parse
import uuid

from lastmile_server import (ServerTestCase, expect, monaco_graph, list_all, make_api_key, make_carrier, make_driver, make_route,
                             make_shipment, make_tenant, make_vehicle, post_event, unique)
from test_proof import AT_THE_DOOR, multipart, png_bytes
from webhook_receiver import Receiver
from ws_client import HandshakeRefused, WebSocket

ROLES = ("root", "tenant_admin", "dispatcher", "integration", "carrier", "driver", "tracking_token", "none")
# Roles whose credential is not a key of any role: refused with 401, not 403.
UNAUTHENTICATED = ("tracking_token", "none")
# Roles scoped below the tenant: a carrier key sees its carrier's objects, a driver its routes' (and the
# objects of the tenant's other carriers and drivers are 404 to them, as another tenant's are).
SCOPED_ROLES = ("carrier", "driver")

# Public routes that check a secret of their own: without it they refuse (and show nothing).
SELF_AUTHENTICATING = {
    "POST /v1/sms/status": "provider signature",
    "POST /v1/sms/inbound": "provider signature",
    "POST /v1/owntracks": "device id and device secret",
    "POST /v1/driver/session": "one-time sign-in code",
    "GET /v1/live": "a tracking token or a credential, then a WebSocket upgrade",
    "GET /v1/live/sse": "a tracking token or a credential",
    "POST /v1/integrations/shopify/orders": "the HMAC of the body with the shop's secret",
    "GET /v1/carrier-invitations/{token}": "a one-time invitation code",
    "POST /v1/carrier-invitations/{token}/accept": "a one-time invitation code",
}
# Public routes of this server that may answer 404 (or 503) to a real request: no basemap loaded, no
# unsubscribe token issued (no notification was sent), no web bundle built (`make build` builds it).
PUBLIC_MAY_BE_ABSENT = {"GET /v1/tiles.json", "GET /v1/tiles/style.json", "GET /v1/tiles/{z}/{x}/{y}",
                        "GET /v1/unsubscribe/{token}", "POST /v1/unsubscribe/{token}",
                        "GET /t/{token}", "GET /track/{token}", "GET /dispatch", "GET /driver",
                        "GET /driver/manifest.webmanifest", "GET /driver/sw.js", "GET /driver/icon.svg",
                        "GET /assets/*"}
# Query strings a GET needs to answer 2xx.
QUERIES = {"GET /v1/route": {"from": "43.7350,7.4210", "to": "43.7412,7.4283"},
           "GET /v1/recipients/export": {"email": "nobody@example.com"},
           "GET /v1/geocode": {"q": "10 avenue Princesse Grace, 98000 Monaco"}}

DEPOT = {"lat": 43.7350, "lon": 7.4210}
FAST_WEBHOOKS = ["--webhook-allow-private", "--webhook-backoff-scale", "0.001", "--webhook-max-attempts", "3"]


def route_table(binary):
    out = subprocess.run([binary, "routes"], check=True, capture_output=True, text=True, timeout=30).stdout
    return json.loads(out)


class World:
    """One tenant: a carrier, one key per role (the carrier key bound to that carrier), a driver of the carrier
    with its device token, a vehicle, three shipments of the carrier on the driver's started route — one
    delivered with a photo proof, one with a failed attempt (an exception case) — and a webhook with a
    delivery."""

    made = itertools.count()  # so that each world's photo, and so its blob, is its own

    def __init__(self, server, receiver, tenant=None):
        """A new tenant, or (`tenant`: another world) a second carrier with its own driver, vehicle, route,
        shipments, case, proof and webhook in that world's tenant."""
        s = self.server = server
        if tenant is None:
            made = make_tenant(s)
            self.tenant_id, admin = made["id"], made["api_key"]
        else:
            self.tenant_id, admin = tenant.tenant_id, tenant.keys["tenant_admin"]
        self.carrier = make_carrier(s, admin)["id"]
        self.keys = {"root": s.admin_token, "tenant_admin": admin, "none": None}
        for role in ("dispatcher", "integration"):
            self.keys[role] = make_api_key(s, admin, role)["api_key"]
        self.keys["carrier"] = make_api_key(s, admin, "carrier", carrier_id=self.carrier)["api_key"]
        driver = make_driver(s, admin, carrier_id=self.carrier)
        self.driver = driver["id"]
        self.keys["driver"] = driver["device_token"]
        self.vehicle = make_vehicle(s, admin, carrier_id=self.carrier)["id"]
        self.shipments = [make_shipment(s, admin, carrier_id=self.carrier) for _ in range(3)]
        ids = [sh["id"] for sh in self.shipments]
        self.shipment = ids[1]  # the delivered one, with a proof
        self.route = make_route(s, admin, self.driver, ids)["id"]
        expect(s.request("POST", f"/v1/routes/{self.route}/start", token=admin), 200, "start route")
        for sid in ids:
            if expect(s.request("GET", f"/v1/shipments/{sid}", token=admin), 200, "")["status"] != "out_for_delivery":
                post_event(s, admin, sid, "out_for_delivery")
        # The second shipment: delivered with a photo (a blob); its tracking token is the customer's.
        ctype, body = multipart({"recipient_name": "M. Dupont", "left_at": "with_recipient", **AT_THE_DOOR},
                                [("photo", "door.png", "image/png", png_bytes(8 + next(World.made), 8))])
        proof = expect(s.request("POST", f"/v1/shipments/{ids[1]}/proof", body, token=self.keys["driver"],
                                 headers={"Content-Type": ctype, "Idempotency-Key": str(uuid.uuid4())}), 201, "proof")
        self.blob = proof["photos"][0]["sha256"]
        self.token = self.shipments[1]["tracking_token"]
        self.keys["tracking_token"] = self.token
        post_event(s, admin, ids[2], "attempt_failed", reason="nobody home")
        cases = expect(s.request("GET", "/v1/exceptions", token=admin, params={"shipment_id": ids[2]}), 200, "")
        self.exception = cases["items"][0]["id"]
        self.parcel_barcode = "PKG-1"
        self.receiver = receiver
        self.hook_path = f"authz-{uuid.uuid4().hex[:8]}"
        self.throwaway_keys, self.throwaway_webhooks = {}, set()  # made for destructive requests
        self.throwaway_invitations = set()
        self.webhook = self.new_webhook()
        self.delivery = self.first_delivery()
        self.api_key = make_api_key(s, admin, "dispatcher", name="swept")["id"]

    def first_delivery(self):
        admin = self.keys["tenant_admin"]
        post_event(self.server, admin, self.shipments[0]["id"], "arriving")
        deadline = time.monotonic() + 10
        while True:
            items = expect(self.server.request("GET", f"/v1/webhooks/{self.webhook}/deliveries", token=admin), 200,
                           "deliveries")["items"]
            if items or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert items, "no webhook delivery within 10 s"
        return items[0]["id"]

    def new_webhook(self):
        body = {"url": self.receiver.url(self.hook_path), "events": ["shipment.*"]}
        made = expect(self.server.request("POST", "/v1/webhooks", body, token=self.keys["tenant_admin"]), 201,
                      "create webhook")["id"]
        self.throwaway_webhooks.add(made)
        return made

    def new_invitation(self):
        made = expect(self.server.request("POST", f"/v1/carriers/{self.carrier}/invitations", {},
                                          token=self.keys["tenant_admin"]), 201, "invite a carrier")["id"]
        self.throwaway_invitations.add(made)
        return made

    def new_api_key(self):
        made = make_api_key(self.server, self.keys["tenant_admin"], "dispatcher", name="throwaway")
        self.throwaway_keys[made["id"]] = made["prefix"]
        return made["id"]

    def ids(self):
        """Every identifier of this tenant that must never reach another tenant."""
        out = {self.tenant_id, self.carrier, self.driver, self.vehicle, self.route, self.exception, self.blob,
               self.token, self.webhook, self.delivery, self.api_key}
        for sh in self.shipments:
            out |= {sh["id"], sh["tracking_number"], sh["tracking_token"]}
        return out

    def snapshot(self):
        """What the sweep must not change in this tenant."""
        s, admin = self.server, self.keys["tenant_admin"]
        out = {
            # Throwaway objects as they were made: unrevoked, their first prefix, active.
            "keys": sorted((k["id"], k["prefix"], k["revoked"]) for k in list_all(s, "/v1/api-keys", admin)
                           if k["id"] not in self.throwaway_keys or self.throwaway_keys[k["id"]] != k["prefix"] or k["revoked"]),
            "webhooks": sorted((w["id"], w["status"]) for w in list_all(s, "/v1/webhooks", admin)
                               if w["id"] not in self.throwaway_webhooks or w["status"] != "active"),
            "exceptions": sorted((c["id"], c["status"], c["revision"]) for c in list_all(s, "/v1/exceptions", admin)),
            "routes": sorted((r["id"], r["status"]) for r in list_all(s, "/v1/routes", admin)),
            "drivers": sorted(d["id"] for d in list_all(s, "/v1/drivers", admin)),
            "invitations": sorted((i["id"], i["status"]) for i in expect(
                s.request("GET", f"/v1/carriers/{self.carrier}/invitations", token=admin), 200, "invitations")["items"]
                if i["id"] not in self.throwaway_invitations or i["status"] != "pending"),
            "shipments": sorted((sh["id"], sh["status"]) for sh in list_all(s, "/v1/shipments", admin)),
        }
        for sh in self.shipments:
            events = expect(s.request("GET", f"/v1/shipments/{sh['id']}/events", token=admin), 200, "events")["items"]
            out["events " + sh["id"]] = [e["id"] for e in events]
            out["messages " + sh["id"]] = len(expect(s.request("GET", f"/v1/shipments/{sh['id']}/messages",
                                                                  token=admin), 200, "messages")["items"])
        return out


# Path parameters: (route pattern prefix, parameter) → the tenant's value. The first matching prefix wins.
PARAMS = [
    ("/v1/api-keys/", "id", lambda w, fresh: w.new_api_key() if fresh else w.api_key),
    ("/v1/webhooks/", "id", lambda w, fresh: w.new_webhook() if fresh else w.webhook),
    ("/v1/webhooks/", "delivery_id", lambda w, fresh: w.delivery),
    ("/v1/shipments/", "id", lambda w, fresh: w.shipment),
    ("/v1/drivers/", "id", lambda w, fresh: w.driver),
    ("/v1/carriers/", "id", lambda w, fresh: w.carrier),
    ("/v1/carriers/", "invitation_id", lambda w, fresh: w.new_invitation()),
    ("/v1/carrier-invitations/", "token", lambda w, fresh: "i" * 32),
    ("/v1/vehicles/", "id", lambda w, fresh: w.vehicle),
    ("/v1/routes/", "id", lambda w, fresh: w.route),
    ("/v1/exceptions/", "id", lambda w, fresh: w.exception),
    ("/v1/blobs/", "sha256", lambda w, fresh: w.blob),
    ("/v1/track/", "token", lambda w, fresh: w.token),
    ("/v1/track/", "sha256", lambda w, fresh: w.blob),
    ("/t/", "token", lambda w, fresh: w.token),
    ("/track/", "token", lambda w, fresh: w.token),
    ("/v1/unsubscribe/", "token", lambda w, fresh: "u" * 22),
    ("/route/v1/", "coordinates", lambda w, fresh: "7.4210,43.7350;7.4283,43.7412"),
    ("/table/v1/", "coordinates", lambda w, fresh: "7.4210,43.7350;7.4283,43.7412"),
    ("/v1/tiles/", "z", lambda w, fresh: "14"),
    ("/v1/tiles/", "x", lambda w, fresh: "8529"),
    ("/v1/tiles/", "y", lambda w, fresh: "5974.mvt"),
]
# Parameters that name a tenant's object: with another tenant's, the answer must be 404.
TENANT_PARAMS = {"id", "delivery_id", "sha256", "invitation_id"}


def png_form(**fields):
    return multipart(fields, [("photo", "p.png", "image/png", png_bytes(4, 4, seed=7))])


# Request bodies, valid as far as this test can make them, so that the refusal of another tenant's ids is
# a 404 and not a validation error. A callable of the target world `w` → body or (content_type, bytes).
# A body that differs between the two tenants (it names their objects) is also swept with the other's.
BODIES = {
    "POST /v1/tenants": lambda w: {"name": unique("Swept")},
    "POST /v1/api-keys": lambda w: {"role": "carrier", "carrier_id": w.carrier},
    "POST /v1/webhooks": lambda w: {"url": w.receiver.url(w.hook_path), "events": ["shipment.*"]},
    "POST /v1/webhooks/{id}/rotate-secret": lambda w: {"grace_hours": 0},
    "PUT /v1/notification-settings": lambda w: {},
    "POST /v1/notification-settings/preview": lambda w: {"rule": "delivered", "channel": "sms",
                                                         "shipment_id": w.shipment},
    "POST /v1/carriers": lambda w: {"name": unique("Carrier")},
    "POST /v1/drivers": lambda w: {"name": "Swept Driver", "carrier_id": w.carrier},
    "POST /v1/scans": lambda w: {"id": str(uuid.uuid4()), "barcode": w.parcel_barcode, "kind": "loaded",
                                 "at": "2026-11-23T08:00:00Z", "route_id": w.route},
    "POST /v1/pings": lambda w: {"pings": []},
    "POST /v1/vehicles": lambda w: {"plate": unique("SW")[:12], "kind": "van", "carrier_id": w.carrier},
    "POST /v1/shipments": lambda w: dict(json.loads(json.dumps(SHIPMENT)), carrier_id=w.carrier),
    "POST /v1/shipments/{id}/events": lambda w: {"type": "arriving"},
    "POST /v1/shipments/{id}/proof": lambda w: png_form(recipient_name="X", **AT_THE_DOOR),
    "POST /v1/shipments/{id}/attempts": lambda w: {"reason": "no_one_home"},
    "POST /v1/routes": lambda w: {"driver_id": w.driver, "date": "2026-11-24", "depot": DEPOT,
                                  "stops": [{"shipment_ids": [w.shipments[0]["id"]], "service_s": 60}]},
    "POST /v1/exceptions/{id}/acknowledge": lambda w: {"note": "seen"},
    "POST /v1/exceptions/{id}/resolve": lambda w: {"note": "done"},
    "POST /v1/exceptions/{id}/notes": lambda w: {"note": "a note"},
    "POST /v1/matrix": lambda w: {"sources": [[43.7350, 7.4210]], "destinations": [[43.7412, 7.4283]]},
    "PUT /v1/track/{token}/instructions": lambda w: {"note": "ring twice"},
    "POST /v1/track/{token}/messages": lambda w: {"body": "hello", "client_id": str(uuid.uuid4())},
    "POST /v1/track/{token}/survey": lambda w: {"stars": 5},
    "POST /v1/shipments/{id}/messages": lambda w: {"body": "on my way", "client_id": str(uuid.uuid4())},
    "POST /v1/driver/session": lambda w: {"code": "x" * 22},
    "POST /v1/shipments/bulk": lambda w: {"shipments": [json.loads(json.dumps(SHIPMENT))]},
    "PUT /v1/integrations/shopify": lambda w: {"shop_domain": f"{uuid.uuid4().hex[:12]}.myshopify.com",
                                               "secret": "swept-secret-0123456789"},
    "PUT /v1/analytics/targets": lambda w: {"on_time_rate": 90},
    "PUT /v1/carriers/{id}/rate-card": lambda w: {"per_stop": 1, "per_km": 0.5, "per_parcel": 0.2},
    "PUT /v1/tenant/settings": lambda w: {"version": 0, "settings": {}},
}
SHIPMENT = {
    "service_level": "standard",
    "recipient": {"name": "Swept Recipient", "phone": "+33612345670", "email": "swept@example.com"},
    "address": {"line1": "1 Quai Antoine 1er", "city": "Monaco", "postal_code": "98000", "country": "MC",
                "lat": 43.7350, "lon": 7.4230},
    "parcels": [{"barcode": "SW-1"}],
}
# Destructive routes: each request acts on a throwaway object of the target tenant.
def is_destructive(method, path):
    return method == "DELETE" or path.endswith("/rotate")


class AuthorizationMatrixTest(ServerTestCase):
    server_options = {"extra_args": FAST_WEBHOOKS}

    @classmethod
    def setUpClass(cls):
        # With the Monaco map, so the routes that need one (routing, tiles, geocoding) answer.
        cls.server_options = {"extra_args": FAST_WEBHOOKS + ["--map", monaco_graph()]}
        super().setUpClass()
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.close)

    def fill(self, pattern, world, other_world, fresh, keep_first=False):
        """The path with its parameters from `world`, except tenant parameters from `other_world` when given
        (all of them, or all but the first with `keep_first`: a tenant's object beside another's)."""
        out = []
        uses_tenant_param = False
        tenant_params = 0
        for seg in pattern.strip("/").split("/"):
            if seg == "*":
                out.append("app.js")
            elif seg.startswith("{"):
                name = seg[1:-1]
                maker = next((m for prefix, p, m in PARAMS if pattern.startswith(prefix) and p == name), None)
                if maker is None:
                    self.fail(f"no fixture for {{{name}}} in {pattern}: add one to PARAMS")
                target = world
                if name in TENANT_PARAMS:
                    tenant_params += 1
                    uses_tenant_param = not (keep_first and tenant_params == 1) or uses_tenant_param
                    if not (keep_first and tenant_params == 1):
                        target = other_world or world
                out.append(maker(target, fresh))
            else:
                out.append(seg)
        if keep_first and tenant_params < 2:
            return None, False  # nothing to mix
        return "/" + "/".join(out), uses_tenant_param

    def send(self, method, path, key, body):
        headers = {}
        if isinstance(body, tuple):
            headers["Content-Type"], body = body
        if method in ("POST", "PUT") and key and key.startswith("lmd_"):
            headers["Idempotency-Key"] = str(uuid.uuid4())  # a driver's uploads need one
        if method in ("GET", "DELETE"):
            body = None
        elif body is None:
            body = {}
        return self.server.request(method, path, body, token=key, headers=headers)

    def check_no_leak(self, reply, where, also=()):
        """No id of tenant B (nor of `also`: the other carrier's, for a carrier or driver) in a 2xx answer."""
        if not (200 <= reply.status < 300) or " as root " in where:
            return  # root administers every tenant
        text = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
        leaked = sorted(i for i in self.b_ids if i and i in text)
        if leaked:
            self.failures.append(f"{where}: the answer shows tenant B's {leaked}")
        leaked = sorted(i for i in also if i and i in text)
        if leaked:
            self.failures.append(f"{where}: the answer shows another carrier's {leaked}")

    def test_every_route_every_role_own_and_other_tenant_and_carrier(self):
        s = self.server
        started = time.monotonic()
        a, b = World(s, self.receiver), World(s, self.receiver)
        sibling = World(s, self.receiver, tenant=a)  # A's other carrier and driver
        self.b_ids = b.ids()
        self.sibling_ids = sibling.ids() - {a.tenant_id}
        before = b.snapshot()
        routes = route_table(s.binary)
        order = {"GET": 0, "PUT": 1, "POST": 1, "DELETE": 2}
        routes.sort(key=lambda r: order.get(r["method"], 1))
        self.failures = []
        checked = {"authenticated": 0, "public": 0}
        checks = 0
        modes = collections.Counter()
        for route in routes:
            op = f"{route['method']} {route['path']}"
            make_body = BODIES.get(op, lambda w: None)
            if route["public"]:
                checks += self.sweep_public(route, op, a, b, make_body)
                checked["public"] += 1
                continue
            checked["authenticated"] += 1
            for role in ROLES:
                for tenant in ("own", "other", "mixed", "query", "sibling"):
                    if tenant == "sibling" and role not in SCOPED_ROLES:
                        continue
                    other = None if tenant == "own" else sibling if tenant == "sibling" else b
                    path, by_id = self.fill(route["path"], a, other, is_destructive(route["method"], route["path"]),
                                            keep_first=tenant == "mixed")
                    if path is None:
                        continue
                    if tenant == "own" and op in QUERIES:
                        path += "?" + urllib.parse.urlencode(QUERIES[op])
                    if tenant == "query":  # a list filtered by the other tenant's objects
                        if route["method"] != "GET" or by_id or role not in route["roles"]:
                            continue
                        path += "?" + urllib.parse.urlencode(
                            {"shipment_id": b.shipment, "driver_id": b.driver, "route_id": b.route,
                             "carrier_id": b.carrier})
                    body = make_body(other or a)
                    by_body = other is not None and not isinstance(body, tuple) and \
                        any(i in json.dumps(body) for i in other.ids() - {a.tenant_id})
                    if tenant in ("other", "mixed", "sibling") and not (by_id or by_body):
                        continue  # nothing of the other tenant to name
                    if other and role in ("root",) + UNAUTHENTICATED:
                        continue  # no tenant of its own: refused alike for every tenant (checked with "own")
                    reply = self.send(route["method"], path, a.keys[role], body)
                    checks += 1
                    modes[tenant] += 1
                    where = f"{op} as {role} ({tenant} tenant) → {reply.status} {str(reply.body)[:160]}"
                    self.check_no_leak(reply, where, self.sibling_ids if role in SCOPED_ROLES else ())
                    if reply.status >= 500 and reply.status != 503:
                        self.failures.append(where)
                    elif role not in route["roles"]:
                        want = 401 if role in UNAUTHENTICATED else 403
                        if reply.status != want:
                            self.failures.append(f"{where}: expected {want}")
                    elif tenant == "query":
                        if reply.status not in (200, 400, 403, 404):
                            self.failures.append(f"{where}: expected an empty list, 400, 403 or 404")
                    elif other:
                        if reply.status not in (403, 404):
                            self.failures.append(f"{where}: expected 404 for an object out of its scope")
                    elif reply.status in (401, 403) or reply.status == 404:
                        self.failures.append(f"{where}: refused to a role the table allows")
                    elif route["method"] == "GET" and not 200 <= reply.status < 300:
                        self.failures.append(f"{where}: expected 2xx")
        after = b.snapshot()
        for k in before:
            if before[k] != after[k]:
                self.failures.append(f"tenant B's {k} changed during the sweep: {before[k]} → {after[k]}")
        elapsed = time.monotonic() - started
        print(f"\nauthz matrix: {checked['authenticated']} authenticated + {checked['public']} public routes, "
              f"{len(ROLES)} roles; {checks} requests checked ({dict(modes)}, public {checks - sum(modes.values())}) "
              f"in {elapsed:.1f} s", file=sys.stderr)
        self.assertFalse(self.failures, "\n" + "\n".join(self.failures))

    def sweep_public(self, route, op, a, b, make_body):
        """A public route without credentials: with A's objects, with A's token beside B's objects, and with an
        unknown token. Returns the number of requests."""
        method, pattern = route["method"], route["path"]
        n = 0
        path, _ = self.fill(pattern, a, None, False)
        reply = self.send(method, path, None, make_body(a))
        n += 1
        where = f"{op} without credentials → {reply.status} {str(reply.body)[:160]}"
        self.check_no_leak(reply, where)
        if reply.status >= 500 and reply.status != 503:
            self.failures.append(where)
        elif op in SELF_AUTHENTICATING:
            if reply.status not in (400, 401, 403, 404, 415, 426):
                self.failures.append(f"{where}: expected a refusal without its {SELF_AUTHENTICATING[op]}")
        elif reply.status in (401, 403):
            self.failures.append(f"{where}: a public route refused")
        elif method == "GET" and not 200 <= reply.status < 300 and op not in PUBLIC_MAY_BE_ABSENT:
            self.failures.append(f"{where}: expected 2xx")
        if op in ("GET /v1/live", "GET /v1/live/sse"):  # a credential of A subscribing to B's route
            for role in ("tenant_admin", "dispatcher", "driver"):
                n += 1
                if pattern == "/v1/live":
                    try:
                        WebSocket.connect(self.server.port, f"{pattern}?route={b.route}",
                                          headers={"Authorization": f"Bearer {a.keys[role]}"}).close()
                        status = 101
                    except HandshakeRefused as e:
                        status = e.status
                else:
                    status = self.server.request(method, pattern, token=a.keys[role], params={"route": b.route},
                                                 timeout=10).status
                if status != 404:
                    self.failures.append(f"{op}?route=<B's> as {role} → {status}: expected 404")
        if pattern.startswith("/v1/track/{token}"):
            unknown = path.replace(a.token, "Zz" * 11)
            reply = self.send(method, unknown, None, make_body(a))
            n += 1
            if reply.status != 404:
                self.failures.append(f"{op} with an unknown token → {reply.status}: expected 404")
            if any(p in pattern for p in ("{sha256}",)):
                mixed, _ = self.fill(pattern, a, b, False)  # A's token, B's blob
                reply = self.send(method, mixed, None, make_body(a))
                n += 1
                if reply.status != 404:
                    self.failures.append(f"{op} with A's token and B's blob → {reply.status}: expected 404")
        return n


if __name__ == "__main__":
    unittest.main()
