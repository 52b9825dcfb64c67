// The staff API the dashboard talks to (docs/api.md): every call carries the signed-in API key as a
// Bearer token. A refusal resolves to its error code; a 401 also signs the page out (the key was
// revoked or never valid).
import type { RouteBreak } from '../shared/route_breaks';

export interface Shipment {
  id: string;
  tracking_number: string;
  status: string;
  external_order_id: string | null;
  carrier_id: string | null;
  recipient: { name: string };
  address: { line1: string; city: string };
  promised: { start: string; end: string } | null;
  route_id: string | null;
  updated_at: string;
}

export interface ShipmentEvent {
  id: string;
  type: string;
  at: string;
  source: string;
  actor: { role?: string; id?: string } | null;
  payload: Record<string, unknown> | null;
}

export interface Driver {
  id: string;
  name: string;
  carrier_id: string | null;
  position?: { lat: number; lon: number; t: string } | null;
}

export interface Carrier {
  id: string;
  name: string;
}

export interface RouteStop {
  id: string;
  shipment_ids: string[];
  location: { lat: number; lon: number } | null;
  status: string;
  eta: string | null;
}

export interface Route {
  id: string;
  driver_id: string;
  date: string;
  status: string;
  depot: { lat: number; lon: number };
  stops: RouteStop[];
  breaks: RouteBreak[];
}

export interface ExceptionCase {
  id: string;
  kind: string;
  status: 'open' | 'acknowledged' | 'resolved';
  shipment_id: string | null;
  driver_id: string | null;
  route_id: string | null;
  first_seen_at: string;
  last_seen_at: string;
  count: number;
  revision: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; status: number; code: string };

const KEY = 'lastmile.dispatch.key';

export const session = {
  key(): string | null {
    return sessionStorage.getItem(KEY);
  },
  set(key: string): void {
    sessionStorage.setItem(KEY, key);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};

let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

export async function call<T>(method: string, path: string, body?: unknown, key = session.key()): Promise<Reply<T>> {
  const headers: Record<string, string> = { Authorization: `Bearer ${key ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const r = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json().catch(() => ({}));
    if (r.ok) return { ok: true, value: json as T };
    if (r.status === 401 && key === session.key()) onUnauthenticated();
    return { ok: false, status: r.status, code: json?.error?.code ?? `http_${r.status}` };
  } catch {
    return { ok: false, status: 0, code: 'network' };
  }
}

export const get = <T>(path: string, params: Record<string, string> = {}): Promise<Reply<T>> => {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
  return call<T>('GET', q ? `${path}?${q}` : path);
};

// Every page of a list (for the small lists the filters need: carriers, drivers, open cases).
export async function getAll<T>(path: string, params: Record<string, string> = {}, maxPages = 10): Promise<T[]> {
  const out: T[] = [];
  let cursor = '';
  for (let i = 0; i < maxPages; i++) {
    const r = await get<Page<T>>(path, { ...params, limit: '500', cursor });
    if (!r.ok) break;
    out.push(...r.value.items);
    if (!r.value.next_cursor) break;
    cursor = r.value.next_cursor;
  }
  return out;
}

// GET /v1/drivers/{id}/track?format=geojson: one LineString of [lon, lat] (none without fixes).
export interface TrackCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: string; coordinates: [number, number][] } }[];
}

// An image of the staff API (a proof's photo or signature: GET /v1/blobs/{sha256} needs the key, so
// an <img src> cannot load it): fetched with the key and handed out as an object URL, which
// `revokeImages()` frees when the detail shows another shipment. Null when it cannot be loaded.
const objectUrls: string[] = [];

export async function imageUrl(path: string): Promise<string | null> {
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  try {
    const r = await fetch(path, { headers: { Authorization: `Bearer ${session.key() ?? ''}` }, cache: 'no-store' });
    if (!r.ok) return null;
    const url = URL.createObjectURL(await r.blob());
    objectUrls.push(url);
    return url;
  } catch {
    return null;
  }
}

export function revokeImages(): void {
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
}
