// Our own basemap (GET /v1/tiles/style.json: the road network of --map as vector tiles, no labels),
// shared by every page with a map.
import type maplibregl from 'maplibre-gl';

// The basemap style of this server, or null when it has none (a server without --map).
export async function loadStyle(): Promise<maplibregl.StyleSpecification | null> {
  try {
    const r = await fetch('/v1/tiles/style.json');
    if (!r.ok) return null;
    const style = (await r.json()) as maplibregl.StyleSpecification;
    // A raster alternative (serve --raster-tiles) points at another origin: the page never loads it.
    style.layers = style.layers.filter((l) => !('source' in l) || l.source !== 'raster');
    delete style.sources.raster;
    return style;
  } catch {
    return null;
  }
}
