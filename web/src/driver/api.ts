// The driver's side of the API (docs/issue 7 contract): the device credential kept in localStorage,
// one-time link exchange, the day's manifest. Writes (pings, scans, proofs, attempts, start) go
// through the offline outbox (outbox.ts), never straight from here.

import type { RouteBreak } from '../shared/route_breaks';

export interface Driver {
  id: string;
  first_name: string;
}

export interface Parcel {
  barcode: string;
  description?: string | null;
  weight_kg?: number | null;
  scanned: string[];
}

export interface ManifestShipment {
  id: string;
  tracking_number: string;
  status: string;
  recipient: { name: string };
  address: { line1?: string; line2?: string; city?: string; postal_code?: string; country?: string; lat?: number; lon?: number };
  instructions: string;
  parcels: Parcel[];
}

export interface Stop {
  id: string;
  sequence: number;
  status: string;
  location: { lat: number; lon: number } | null;
  service_s?: number;
  eta?: { at: string; earliest: string; latest: string } | null;
  shipments: ManifestShipment[];
}

export interface Route {
  id: string;
  date: string;
  status: string;
  depot: { lat: number; lon: number } | null;
  stops: Stop[];
  breaks?: RouteBreak[];
}

export interface Manifest {
  driver: Driver;
  route: Route | null;
}

export type Reply<T> = { ok: true; status: number; value: T } | { ok: false; status: number; code: string; message: string };

const TOKEN = 'lastmile.driver.token';
const DRIVER = 'lastmile.driver.driver';
const MANIFEST = 'lastmile.driver.manifest';

export const credentials = {
  token(): string | null {
    return localStorage.getItem(TOKEN);
  },
  driver(): Driver | null {
    try {
      return JSON.parse(localStorage.getItem(DRIVER) ?? 'null') as Driver | null;
    } catch {
      return null;
    }
  },
  set(token: string, driver: Driver | null): void {
    localStorage.setItem(TOKEN, token);
    if (driver) localStorage.setItem(DRIVER, JSON.stringify(driver));
  },
  clear(): void {
    for (const k of [TOKEN, DRIVER, MANIFEST]) localStorage.removeItem(k);
  },
};

// The last manifest read, so the route shows when the app opens without a network.
export const savedManifest = {
  get(): Manifest | null {
    try {
      return JSON.parse(localStorage.getItem(MANIFEST) ?? 'null') as Manifest | null;
    } catch {
      return null;
    }
  },
  set(m: Manifest): void {
    localStorage.setItem(MANIFEST, JSON.stringify(m));
  },
};

// Status 0 and code "network" when the server could not be reached.
export async function call<T>(method: string, path: string, body?: unknown, token = credentials.token()): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const r = await fetch(path, { method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await r.json().catch(() => ({}));
    if (r.ok) return { ok: true, status: r.status, value: json as T };
    return { ok: false, status: r.status, code: json?.error?.code ?? `http_${r.status}`, message: json?.error?.message ?? '' };
  } catch {
    return { ok: false, status: 0, code: 'network', message: '' };
  }
}

// POST /v1/driver/session: a one-time code from a sign-in link → a new driver credential.
export const exchangeCode = (code: string): Promise<Reply<{ token: string; driver: Driver }>> =>
  call('POST', '/v1/driver/session', { code }, null);

export const fetchManifest = (token = credentials.token()): Promise<Reply<Manifest>> =>
  call<Manifest>('GET', '/v1/driver/manifest', undefined, token);

// The code of a sign-in link `/driver#code=…`, or '' without one.
export function codeFromHash(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('code') ?? '';
}
