"""The offline basemap over HTTP with the real binary (docs/routing.md "Tiles"): `serve --map` on the
bundled Monaco extract answers GET /v1/tiles/{z}/{x}/{y}.mvt and .geojson without credentials, with
a day of Cache-Control, an ETag and 304 on If-None-Match; /v1/tiles.json (TileJSON 3.0.0) and
/v1/tiles/style.json (MapLibre) name the server's public URL and the --raster-tiles template; bad
tile addresses are 400 invalid_tile; without --map every tile route is 404 not_found (a raster
template alone still gives a style).
"""

import json
import math
import os
import unittest

from lastmile_server import DEFAULT_BIN, LastmileServer, ServerError, ServerTestCase, monaco_graph

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("LASTMILE_BIN", DEFAULT_BIN)
RASTER = "https://tile.example/{z}/{x}/{y}.png"
CENTRE = (43.7384, 7.4246)  # Monte-Carlo, Avenue de la Costa




def tile_of(lat, lon, z):
    n = 2 ** z
    r = math.radians(lat)
    return z, int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)


def tile_lon_range(z, x):
    n = 2 ** z
    return x / n * 360 - 180, (x + 1) / n * 360 - 180


# ---- a minimal protobuf / MVT reader (layer name, extent, keys, string values, feature count) --------

def varint(buf, i):
    v, shift = 0, 0
    while True:
        b = buf[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return v, i


def fields(buf):
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        wire = key & 7
        if wire == 0:
            v, i = varint(buf, i)
        elif wire == 2:
            n, i = varint(buf, i)
            v, i = buf[i:i + n], i + n
        else:
            raise AssertionError(f"unexpected wire type {wire}")
        yield key >> 3, v


def decode_layers(tile):
    layers = []
    for field, layer_bytes in fields(tile):
        assert field == 3, field
        layer = {"keys": [], "strings": [], "features": 0}
        for f, v in fields(layer_bytes):
            if f == 1:
                layer["name"] = v.decode()
            elif f == 2:
                layer["features"] += 1
            elif f == 3:
                layer["keys"].append(v.decode())
            elif f == 4:
                for vf, vv in fields(v):
                    if vf == 1:
                        layer["strings"].append(vv.decode())
            elif f == 5:
                layer["extent"] = v
            elif f == 15:
                layer["version"] = v
        layers.append(layer)
    return layers


class TilesTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server_options = {"extra_args": ["--map", monaco_graph(), "--raster-tiles", RASTER]}
        super().setUpClass()

    def get(self, path, headers=None):
        """GET without credentials → (status, headers, raw bytes): tiles are binary."""
        conn = self.server.connection()
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.msg, response.read()
        finally:
            conn.close()

    def test_mvt_tile_of_monaco_is_public_cacheable_and_names_its_streets(self):
        z, x, y = tile_of(*CENTRE, 16)
        status, headers, body = self.get(f"/v1/tiles/{z}/{x}/{y}.mvt")
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(headers.get("Content-Type"), "application/vnd.mapbox-vector-tile")
        self.assertEqual(headers.get("Cache-Control"), "public, max-age=86400")
        self.assertRegex(headers.get("ETag", ""), r'^"[0-9a-f]{16}"$')
        layers = decode_layers(body)
        self.assertEqual(len(layers), 1)
        roads = layers[0]
        self.assertEqual(roads["name"], "roads")
        self.assertEqual(roads["extent"], 4096)
        self.assertEqual(roads["version"], 2)
        self.assertEqual(sorted(roads["keys"]), ["class", "name", "oneway"])
        self.assertIn("Avenue de la Costa", roads["strings"])
        self.assertIn("residential", roads["strings"])
        self.assertGreater(roads["features"], 10)

    def test_etag_revalidates_with_304(self):
        z, x, y = tile_of(*CENTRE, 15)
        path = f"/v1/tiles/{z}/{x}/{y}.mvt"
        status, headers, body = self.get(path)
        self.assertEqual(status, 200)
        etag = headers["ETag"]
        status, headers2, body2 = self.get(path, {"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.assertEqual(body2, b"")
        self.assertEqual(headers2["ETag"], etag)
        self.assertEqual(headers2.get("Cache-Control"), "public, max-age=86400")
        status, _, _ = self.get(path, {"If-None-Match": f'"0000000000000000", W/{etag}'})
        self.assertEqual(status, 304)  # a list, and the weak form, match too
        status, _, again = self.get(path, {"If-None-Match": '"0000000000000000"'})
        self.assertEqual(status, 200)
        self.assertEqual(again, body)
        # The GeoJSON of the same tile has its own tag.
        status, geo_headers, _ = self.get(f"/v1/tiles/{z}/{x}/{y}.geojson")
        self.assertEqual(status, 200)
        self.assertNotEqual(geo_headers["ETag"], etag)

    def test_geojson_tile_has_the_same_roads_in_wgs84(self):
        z, x, y = tile_of(*CENTRE, 16)
        status, headers, body = self.get(f"/v1/tiles/{z}/{x}/{y}.geojson")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Content-Type"), "application/geo+json")
        doc = json.loads(body)
        self.assertEqual(doc["type"], "FeatureCollection")
        names = {f["properties"].get("name") for f in doc["features"]}
        self.assertIn("Avenue de la Costa", names)
        _, _, mvt = self.get(f"/v1/tiles/{z}/{x}/{y}.mvt")
        self.assertEqual(len(doc["features"]), decode_layers(mvt)[0]["features"])
        west, east = tile_lon_range(z, x)
        margin = (east - west) * 64 / 4096 + 1e-6
        for f in doc["features"]:
            self.assertIn(f["geometry"]["type"], ("LineString", "MultiLineString"))
            self.assertIn(f["properties"]["class"], ("motorway", "trunk", "primary", "secondary", "tertiary",
                                                     "residential", "service", "unknown"))
            self.assertIsInstance(f["properties"]["oneway"], bool)
            lines = f["geometry"]["coordinates"]
            if f["geometry"]["type"] == "LineString":
                lines = [lines]
            for line in lines:
                self.assertGreaterEqual(len(line), 2)
                for lon, lat in line:
                    self.assertGreaterEqual(lon, west - margin)
                    self.assertLessEqual(lon, east + margin)
                    self.assertAlmostEqual(lat, CENTRE[0], delta=0.05)

    def test_empty_tiles_outside_the_map_and_below_the_content_zooms(self):
        for path in ("/v1/tiles/16/0/0.mvt", "/v1/tiles/10/532/372.mvt", "/v1/tiles/0/0/0.mvt",
                     "/v1/tiles/22/4194303/4194303.mvt"):
            status, headers, body = self.get(path)
            self.assertEqual(status, 200, path)
            self.assertEqual(body, b"", path)
            self.assertEqual(headers.get("Content-Type"), "application/vnd.mapbox-vector-tile")
        status, _, body = self.get("/v1/tiles/16/0/0.geojson")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"type": "FeatureCollection", "features": []})

    def test_invalid_tile_addresses_are_400_invalid_tile(self):
        s = self.server
        self.assertError(s.request("GET", "/v1/tiles/23/0/0.mvt"), 400, "invalid_tile", "z")
        self.assertError(s.request("GET", "/v1/tiles/2/4/0.mvt"), 400, "invalid_tile", "x")
        self.assertError(s.request("GET", "/v1/tiles/2/0/4.mvt"), 400, "invalid_tile", "y")
        self.assertError(s.request("GET", "/v1/tiles/2/0/1.png"), 400, "invalid_tile", "y")
        self.assertError(s.request("GET", "/v1/tiles/a/0/1.mvt"), 400, "invalid_tile", "z")
        self.assertError(s.request("GET", "/v1/tiles/2/-1/1.mvt"), 400, "invalid_tile", "x")
        r = s.request("GET", "/v1/tiles/23/0/0.mvt")
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")

    def test_tilejson_describes_the_vector_tiles(self):
        status, headers, body = self.get("/v1/tiles.json")
        self.assertEqual(status, 200)
        self.assertIn("application/json", headers.get("Content-Type"))
        doc = json.loads(body)
        self.assertEqual(doc["tilejson"], "3.0.0")
        self.assertEqual(doc["tiles"], [self.server.base_url + "/v1/tiles/{z}/{x}/{y}.mvt"])
        self.assertEqual(doc["minzoom"], 12)
        self.assertEqual(doc["maxzoom"], 18)
        west, south, east, north = doc["bounds"]
        self.assertLess(west, CENTRE[1])
        self.assertGreater(east, CENTRE[1])
        self.assertLess(south, CENTRE[0])
        self.assertGreater(north, CENTRE[0])
        self.assertEqual(len(doc["center"]), 3)
        self.assertEqual(doc["attribution"], "© OpenStreetMap contributors")
        self.assertEqual(doc["vector_layers"][0]["id"], "roads")
        self.assertEqual(set(doc["vector_layers"][0]["fields"]), {"name", "class", "oneway"})
        self.assertEqual(doc["raster_tiles"], [RASTER])
        status, _, _ = self.get("/v1/tiles.json", {"If-None-Match": headers["ETag"]})
        self.assertEqual(status, 304)

    def test_style_references_the_tilejson_and_the_raster_alternative(self):
        status, headers, body = self.get("/v1/tiles/style.json")
        self.assertEqual(status, 200)
        style = json.loads(body)
        self.assertEqual(style["version"], 8)
        self.assertEqual(style["sources"]["roads"], {"type": "vector",
                                                     "url": self.server.base_url + "/v1/tiles.json"})
        self.assertEqual(style["sources"]["raster"]["tiles"], [RASTER])
        layers = {layer["id"]: layer for layer in style["layers"]}
        self.assertEqual(style["layers"][0]["type"], "background")
        self.assertEqual(layers["raster"]["layout"]["visibility"], "none")  # the vector roads are shown
        self.assertEqual(layers["roads"]["source-layer"], "roads")
        self.assertEqual(layers["roads"]["type"], "line")
        self.assertNotIn("glyphs", style)  # no labels: the server serves no fonts

    def test_repeated_tiles_come_from_the_cache(self):
        z, x, y = tile_of(*CENTRE, 17)
        first = self.get(f"/v1/tiles/{z}/{x}/{y}.mvt")[2]
        self.assertEqual(self.get(f"/v1/tiles/{z}/{x}/{y}.mvt")[2], first)
        metrics = self.server.request("GET", "/metrics").text
        hits = [float(line.split()[1]) for line in metrics.splitlines()
                if line.startswith("lastmile_tile_cache_hits_total ")]
        self.assertEqual(len(hits), 1, metrics[-2000:])
        self.assertGreaterEqual(hits[0], 1)
        self.assertIn("lastmile_tile_cache_bytes ", metrics)

    def test_other_routes_still_need_credentials(self):
        self.assertError(self.server.request("GET", "/v1/route", params={"from": "43.7,7.4", "to": "43.7,7.41"}),
                         401, "unauthenticated")


class TilesWithoutMapTest(ServerTestCase):
    def test_every_tile_route_is_404_not_found(self):
        s = self.server
        for path in ("/v1/tiles/16/34119/23896.mvt", "/v1/tiles/16/34119/23896.geojson", "/v1/tiles.json",
                     "/v1/tiles/style.json"):
            err = self.assertError(s.request("GET", path), 404, "not_found")
            self.assertIn("--map", err["message"])
        # The address is checked first.
        self.assertError(s.request("GET", "/v1/tiles/30/0/0.mvt"), 400, "invalid_tile", "z")


class RasterOnlyTest(ServerTestCase):
    server_options = {"extra_args": ["--raster-tiles", RASTER]}

    def test_style_shows_the_raster_tiles(self):
        style = self.assertStatus(self.server.request("GET", "/v1/tiles/style.json"), 200)
        self.assertNotIn("roads", style["sources"])
        self.assertEqual(style["sources"]["raster"]["tiles"], [RASTER])
        raster = [layer for layer in style["layers"] if layer["id"] == "raster"][0]
        self.assertEqual(raster["layout"]["visibility"], "visible")
        self.assertError(self.server.request("GET", "/v1/tiles.json"), 404, "not_found")

    def test_a_raster_template_must_be_an_http_url_with_z_x_y(self):
        bad = LastmileServer(extra_args=["--raster-tiles", "ftp://tile.example/{z}/{x}.png"])
        try:
            with self.assertRaises(ServerError) as caught:
                bad.start()
            self.assertIn("--raster-tiles", str(caught.exception))
        finally:
            bad.close()


if __name__ == "__main__":
    unittest.main()
