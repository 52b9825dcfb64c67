// The offline outbox (IndexedDB): every write the driver makes — position batches, scans, proofs of
// delivery, failed attempts, starting the route — is stored first with its idempotency key (a scan's
// `id`, the `Idempotency-Key` header of a proof or attempt), then sent in creation order. An item is
// removed only after a 2xx (or a status its kind accepts); a final 4xx keeps it as *rejected* so the
// driver sees it (and dismisses it); a network error or a 5xx retries it with exponential backoff
// (1 s, 2 s, 4 s … at most 60 s). `online` events and start-up flush at once. A 401 pauses the
// outbox until the driver signs in again: nothing is lost.
import { credentials } from './api';
import { inStore, openDatabase } from './idb';

export type ItemKind = 'pings' | 'scan' | 'proof' | 'attempt' | 'start';

export interface FormPayload {
  fields: Record<string, string>;
  files: { name: string; blob: Blob; filename: string }[];
}

export interface OutboxItem {
  id?: number;
  kind: ItemKind;
  path: string;
  key: string; // the idempotency key
  ref: string; // what it is about: a shipment, route or scan id
  json?: unknown;
  form?: FormPayload;
  accept?: number[]; // statuses besides 2xx that mean "done" (e.g. 409 for an already started route)
  created: number;
  tries: number;
  next_at: number;
  rejected?: { status: number; code: string; message: string };
}

export interface Outcome {
  item: OutboxItem;
  status: number;
  body: unknown;
  done: boolean; // true: accepted and removed; false: rejected (final)
}

const STORE = 'outbox';
const MAX_BACKOFF_MS = 60_000;
const RETRY = (status: number): boolean => status === 0 || status === 408 || status === 429 || status >= 500;

export class Outbox {
  private db: Promise<IDBDatabase>;
  private flushing = false;
  private again = false;
  private paused = false;
  private timer: number | undefined;
  private readonly changed = new Set<(items: OutboxItem[]) => void>();
  private readonly outcomes = new Set<(o: Outcome) => void>();
  onUnauthenticated: () => void = () => {};

  constructor(name = 'lastmile-driver') {
    this.db = openDatabase(name, 1, (db) => {
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    });
    window.addEventListener('online', () => void this.retryNow());
  }

  onChange(f: (items: OutboxItem[]) => void): void {
    this.changed.add(f);
  }

  onOutcome(f: (o: Outcome) => void): void {
    this.outcomes.add(f);
  }

  async items(): Promise<OutboxItem[]> {
    const db = await this.db;
    const all = await inStore(db, STORE, 'readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>);
    return all.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  }

  // Stores `item` (its idempotency key already set) and starts sending.
  async add(item: Omit<OutboxItem, 'id' | 'created' | 'tries' | 'next_at'>): Promise<void> {
    const db = await this.db;
    await inStore(db, STORE, 'readwrite', (s) => s.add({ ...item, created: Date.now(), tries: 0, next_at: 0 }));
    await this.notify();
    void this.flush();
  }

  async dismiss(id: number): Promise<void> {
    const db = await this.db;
    await inStore(db, STORE, 'readwrite', (s) => s.delete(id));
    await this.notify();
  }

  async clear(): Promise<void> {
    const db = await this.db;
    await inStore(db, STORE, 'readwrite', (s) => s.clear());
    await this.notify();
  }

  // Sends every due item now (the network is back, or the driver signed in again).
  async retryNow(): Promise<void> {
    this.paused = false;
    const db = await this.db;
    for (const item of await this.items()) {
      if (item.rejected || item.next_at === 0) continue;
      await inStore(db, STORE, 'readwrite', (s) => s.put({ ...item, next_at: 0 }));
    }
    void this.flush();
  }

  async flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    window.clearTimeout(this.timer);
    try {
      do {
        this.again = false;
        for (const item of await this.items()) {
          if (this.paused || !credentials.token()) break;
          if (item.rejected || item.next_at > Date.now()) continue;
          const result = await this.send(item);
          if (result === 'offline') break; // the rest would fail the same way
        }
      } while (this.again && !this.paused);
    } finally {
      this.flushing = false;
    }
    await this.notify();
    this.schedule(await this.items());
  }

  private schedule(items: OutboxItem[]): void {
    const due = items.filter((i) => !i.rejected).map((i) => i.next_at);
    if (!due.length || this.paused) return;
    const wait = Math.max(0, Math.min(...due) - Date.now());
    this.timer = window.setTimeout(() => void this.flush(), wait);
  }

  private async send(item: OutboxItem): Promise<'sent' | 'retry' | 'offline' | 'rejected'> {
    const headers: Record<string, string> = { Authorization: `Bearer ${credentials.token() ?? ''}` };
    let body: BodyInit;
    if (item.form) {
      const boundary = `lastmile-${item.key}`;
      body = multipartBody(item.form, boundary);
      headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
      headers['Idempotency-Key'] = item.key;
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(item.json);
      if (item.kind === 'attempt' || item.kind === 'proof') headers['Idempotency-Key'] = item.key;
    }
    let status = 0;
    let json: unknown = null;
    try {
      const r = await fetch(item.path, { method: 'POST', headers, body, cache: 'no-store' });
      status = r.status;
      json = await r.json().catch(() => null);
    } catch {
      status = 0;
    }
    const db = await this.db;
    if ((status >= 200 && status < 300) || item.accept?.includes(status)) {
      await inStore(db, STORE, 'readwrite', (s) => s.delete(item.id!));
      this.emit({ item, status, body: json, done: true });
      return 'sent';
    }
    if (status === 401) {
      this.paused = true;
      this.onUnauthenticated();
      return 'offline';
    }
    if (RETRY(status)) {
      const tries = item.tries + 1;
      const next_at = Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (tries - 1));
      await inStore(db, STORE, 'readwrite', (s) => s.put({ ...item, tries, next_at }));
      return status === 0 ? 'offline' : 'retry';
    }
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    const rejected = { status, code: error?.code ?? `http_${status}`, message: error?.message ?? '' };
    await inStore(db, STORE, 'readwrite', (s) => s.put({ ...item, rejected }));
    this.emit({ item: { ...item, rejected }, status, body: json, done: false });
    return 'rejected';
  }

  private emit(o: Outcome): void {
    for (const f of this.outcomes) f(o);
  }

  private async notify(): Promise<void> {
    const items = await this.items();
    for (const f of this.changed) f(items);
  }
}

// The multipart/form-data body of `form` (RFC 7578), built by hand rather than by FormData so that
// every re-send carries the same bytes (FormData picks a new random boundary each time, and the
// server compares a replayed request with the first under the same Idempotency-Key).
export function multipartBody(form: FormPayload, boundary: string): Blob {
  const parts: BlobPart[] = [];
  const quote = (s: string): string => s.replace(/["\r\n\\]/g, '_');
  for (const [name, value] of Object.entries(form.fields))
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`);
  for (const f of form.files) {
    const type = f.blob.type || 'application/octet-stream';
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(f.name)}"; filename="${quote(f.filename)}"\r\nContent-Type: ${type}\r\n\r\n`, f.blob, '\r\n');
  }
  parts.push(`--${boundary}--\r\n`);
  return new Blob(parts);
}

// A fresh idempotency key.
export const newKey = (): string => crypto.randomUUID();
