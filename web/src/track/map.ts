// The map of the tracking page: our own basemap (GET /v1/tiles/style.json: the road network as
// vector tiles, no labels, nothing from another origin), the destination, and the delivery vehicle,
// which glides to each new position over about a second and turns to its heading.
import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';

import { t } from '../i18n';
import { loadStyle } from '../shared/map_style';
import truckIcon from './truck.svg';

export { loadStyle };

const GLIDE_MS = 1000;

interface LatLon {
  lat: number;
  lon: number;
}

function shortestTurn(from: number, to: number): number {
  return ((((to - from) % 360) + 540) % 360) - 180;
}

function markerElement(className: string, testid: string, label: string): HTMLElement {
  const el = document.createElement('div');
  el.className = className;
  el.dataset.testid = testid;
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  return el;
}

export class TrackingMap {
  private readonly map: maplibregl.Map;
  private truck: maplibregl.Marker | null = null;
  private destination: maplibregl.Marker | null = null;
  private heading = 0;
  private glide = 0;
  private framed = false;

  constructor(container: HTMLElement, style: maplibregl.StyleSpecification) {
    this.map = new maplibregl.Map({
      container,
      style,
      attributionControl: false,
      cooperativeGestures: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: t('map.attribution') }));
    this.map.touchZoomRotate.disableRotation();
  }

  setDestination(p: LatLon): void {
    if (!this.destination) {
      const el = markerElement('destination-marker', 'destination', t('map.destination'));
      this.destination = new maplibregl.Marker({ element: el, anchor: 'bottom' });
      this.destination.setLngLat([p.lon, p.lat]).addTo(this.map);
    } else {
      this.destination.setLngLat([p.lon, p.lat]);
    }
    this.frame();
  }

  // Shows the vehicle at `p`, gliding there from where it is drawn now.
  setTruck(p: LatLon, heading: number | null): void {
    if (!this.truck) {
      const el = markerElement('truck-marker', 'truck', t('map.truck'));
      const img = document.createElement('img');
      img.src = truckIcon;
      img.alt = '';
      img.width = 40;
      img.height = 40;
      el.appendChild(img);
      this.heading = heading ?? 0;
      this.truck = new maplibregl.Marker({ element: el, rotationAlignment: 'map', rotation: this.heading });
      this.truck.setLngLat([p.lon, p.lat]).addTo(this.map);
      this.frame();
      return;
    }
    const from = this.truck.getLngLat();
    const fromHeading = this.heading;
    const turn = heading === null ? 0 : shortestTurn(fromHeading, heading);
    const start = performance.now();
    cancelAnimationFrame(this.glide);
    const step = (now: number) => {
      const k = Math.min(1, (now - start) / GLIDE_MS);
      const e = k * (2 - k); // ease out
      this.truck?.setLngLat([from.lng + (p.lon - from.lng) * e, from.lat + (p.lat - from.lat) * e]);
      this.heading = fromHeading + turn * e;
      this.truck?.setRotation(this.heading);
      if (k < 1) this.glide = requestAnimationFrame(step);
      else this.keepInView(p);
    };
    this.glide = requestAnimationFrame(step);
  }

  hideTruck(): void {
    cancelAnimationFrame(this.glide);
    this.truck?.remove();
    this.truck = null;
    this.framed = false;
    this.frame();
  }

  // Fits the view to the vehicle and the destination once both are known (or to what there is).
  private frame(): void {
    if (this.framed) return;
    const points = [this.truck?.getLngLat(), this.destination?.getLngLat()].filter(
      (p): p is maplibregl.LngLat => p !== undefined,
    );
    if (points.length === 0) return;
    if (points.length === 1) {
      this.map.jumpTo({ center: points[0], zoom: 15 });
      return;
    }
    const bounds = new maplibregl.LngLatBounds(points[0], points[0]);
    points.forEach((p) => bounds.extend(p));
    this.map.fitBounds(bounds, { padding: 56, maxZoom: 16, duration: 0 });
    this.framed = true;
  }

  // When the vehicle leaves the view, the view follows: vehicle and destination again.
  private keepInView(p: LatLon): void {
    if (this.map.getBounds().contains([p.lon, p.lat])) return;
    const bounds = new maplibregl.LngLatBounds([p.lon, p.lat], [p.lon, p.lat]);
    const destination = this.destination?.getLngLat();
    if (destination) bounds.extend(destination);
    this.map.fitBounds(bounds, { padding: 56, maxZoom: 16, duration: 600 });
  }
}
