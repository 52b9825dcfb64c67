// The dashboard's map: our own basemap, one marker per driver with a known position (its colour
// and its label say its state), the stop sequence of each open route (depot → stops in order: along
// the roads, solid, once the routing service gave the geometry; dashed straight lines until then or
// without a road network), and the selected shipment's driver track
// (GET /v1/drivers/{id}/track?format=geojson).
import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';

import { t, type MessageKey } from '../i18n';

export type DriverState = 'moving' | 'on_route' | 'idle' | 'offline' | 'exception';

export interface DriverOnMap {
  id: string;
  name: string;
  lat: number;
  lon: number;
  state: DriverState;
}

export type Line = [number, number][]; // [lon, lat] pairs

// A route's line: along the roads, or straight from stop to stop.
export interface RouteLine {
  line: Line;
  roads: boolean;
}

function lines(ls: Line[]): maplibregl.GeoJSONSourceSpecification['data'] {
  return {
    type: 'FeatureCollection',
    features: ls
      .filter((l) => l.length >= 2)
      .map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } })),
  };
}

export class DispatchMap {
  private readonly map: maplibregl.Map;
  private readonly markers = new Map<string, maplibregl.Marker>();
  private loaded = false;
  private routes: RouteLine[] = [];
  private track: Line = [];
  private framed = false;

  constructor(container: HTMLElement, style: maplibregl.StyleSpecification) {
    this.map = new maplibregl.Map({
      container,
      style,
      center: [7.4246, 43.7384],
      zoom: 13,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: t('map.attribution') }));
    this.map.touchZoomRotate.disableRotation();
    this.map.on('load', () => {
      this.map.addSource('routes', { type: 'geojson', data: this.routeData(false) });
      this.map.addLayer({
        id: 'routes',
        type: 'line',
        source: 'routes',
        paint: { 'line-color': '#1d4ed8', 'line-width': 3, 'line-opacity': 0.55, 'line-dasharray': [2, 1.5] },
      });
      this.map.addSource('road-routes', { type: 'geojson', data: this.routeData(true) });
      this.map.addLayer({
        id: 'road-routes',
        type: 'line',
        source: 'road-routes',
        paint: { 'line-color': '#1d4ed8', 'line-width': 3, 'line-opacity': 0.6 },
      });
      this.map.addSource('track', { type: 'geojson', data: lines([this.track]) });
      this.map.addLayer({
        id: 'track',
        type: 'line',
        source: 'track',
        paint: { 'line-color': '#b42318', 'line-width': 4, 'line-opacity': 0.85 },
      });
      this.loaded = true;
    });
  }

  destroy(): void {
    this.map.remove();
  }

  setRoutes(routes: RouteLine[]): void {
    this.routes = routes;
    if (!this.loaded) return;
    (this.map.getSource('routes') as maplibregl.GeoJSONSource).setData(this.routeData(false));
    (this.map.getSource('road-routes') as maplibregl.GeoJSONSource).setData(this.routeData(true));
  }

  private routeData(roads: boolean): maplibregl.GeoJSONSourceSpecification['data'] {
    return lines(this.routes.filter((r) => r.roads === roads).map((r) => r.line));
  }

  // The selected shipment's driver track; an empty line clears it.
  setTrack(track: Line): void {
    this.track = track;
    if (this.loaded) (this.map.getSource('track') as maplibregl.GeoJSONSource).setData(lines([track]));
    if (track.length >= 2) {
      const bounds = new maplibregl.LngLatBounds(track[0], track[0]);
      track.forEach((p) => bounds.extend(p));
      this.map.fitBounds(bounds, { padding: 48, maxZoom: 16, duration: 0 });
    }
  }

  setDriver(d: DriverOnMap): void {
    const label = t('map.driver', { name: d.name, state: t(`driver.state.${d.state}` as MessageKey) });
    let marker = this.markers.get(d.id);
    if (!marker) {
      const el = document.createElement('div');
      el.dataset.testid = 'driver-marker';
      el.dataset.driverId = d.id;
      el.setAttribute('role', 'img');
      const dot = document.createElement('span');
      dot.className = 'driver-dot';
      const name = document.createElement('span');
      name.className = 'driver-name';
      el.append(dot, name);
      marker = new maplibregl.Marker({ element: el, anchor: 'left' }).setLngLat([d.lon, d.lat]).addTo(this.map);
      this.markers.set(d.id, marker);
    } else {
      marker.setLngLat([d.lon, d.lat]);
    }
    const el = marker.getElement();
    el.className = `driver-marker state-${d.state}`;
    el.dataset.state = d.state;
    el.setAttribute('aria-label', label);
    el.title = label;
    (el.querySelector('.driver-name') as HTMLElement).textContent = d.name;
    this.frame();
  }

  // Fits the view to every driver once, when the first ones are known.
  private frame(): void {
    if (this.framed || this.markers.size === 0) return;
    const points = [...this.markers.values()].map((m) => m.getLngLat());
    const bounds = new maplibregl.LngLatBounds(points[0], points[0]);
    points.forEach((p) => bounds.extend(p));
    this.map.fitBounds(bounds, { padding: 64, maxZoom: 15, duration: 0 });
    this.framed = true;
  }
}
