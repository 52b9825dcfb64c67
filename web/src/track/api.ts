// The public tracking API the page talks to (docs/api.md, "Public tracking"): the view of one
// shipment by its token, the recipient's delivery instructions and the proof of delivery.
import type { Proof } from '../shared/proof_view';

export interface Position {
  lat: number;
  lon: number;
  heading: number | null;
  speed?: number | null;
  at?: string;
}

export interface EtaWindow {
  at: string;
  earliest: string;
  latest: string;
}

export interface TimelineEntry {
  type: string;
  at: string;
  tag: string;
}

export interface PublicInstructions {
  editable: boolean;
  gate_code_set: boolean;
  safe_place: string;
  note: string;
}

export interface TrackingView {
  tracking_number: string;
  status: string;
  shipper: { name: string; brand_color: string; brand_logo_url?: string };
  carrier: { name: string } | null;
  recipient: { first_name: string };
  address: { street: string; city: string; postal_code: string; country: string };
  destination: { lat: number; lon: number } | null;
  promised: { start: string; end: string } | null;
  timeline: TimelineEntry[];
  instructions: PublicInstructions;
  eta: EtaWindow | null;
  stops_before: number | null;
  driver: { first_name: string; position: Position | null } | null;
  updated_at: string;
}

export type Fetched<T> = { kind: 'ok'; value: T } | { kind: 'not_found' } | { kind: 'failed'; status: number };

export async function fetchTracking(token: string): Promise<Fetched<TrackingView>> {
  try {
    const r = await fetch(`/v1/track/${encodeURIComponent(token)}`, { cache: 'no-store' });
    if (r.status === 404) return { kind: 'not_found' };
    if (!r.ok) return { kind: 'failed', status: r.status };
    return { kind: 'ok', value: (await r.json()) as TrackingView };
  } catch {
    return { kind: 'failed', status: 0 };
  }
}

export interface InstructionsChange {
  gate_code?: string;
  safe_place: string;
  note: string;
}

// Resolves to the saved instructions, or the error code of the refusal ("illegal_transition" once
// the parcel is out for delivery, "invalid_field" over a length limit, "network" offline).
export async function saveInstructions(
  token: string,
  change: InstructionsChange,
): Promise<{ ok: true; instructions: PublicInstructions } | { ok: false; code: string }> {
  try {
    const r = await fetch(`/v1/track/${encodeURIComponent(token)}/instructions`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(change),
    });
    const body = await r.json().catch(() => ({}));
    if (r.ok) return { ok: true, instructions: body.instructions as PublicInstructions };
    return { ok: false, code: body?.error?.code ?? `http_${r.status}` };
  } catch {
    return { ok: false, code: 'network' };
  }
}

// The token of a page at /t/{token}; empty when the path has none.
export function tokenFromPath(pathname: string): string {
  const m = /^\/(?:t|track)\/([^/]+)\/?$/.exec(pathname);
  return m ? decodeURIComponent(m[1]) : '';
}

// GET /v1/track/{token}/proof: the proof of delivery, once delivered; null before (404) or on error.
export async function fetchProof(token: string): Promise<Proof | null> {
  try {
    const r = await fetch(`/v1/track/${encodeURIComponent(token)}/proof`, { cache: 'no-store' });
    if (!r.ok) return null;
    return (await r.json()) as Proof;
  } catch {
    return null;
  }
}
