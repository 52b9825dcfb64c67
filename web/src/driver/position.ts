// Position reporting: navigator.geolocation.watchPosition while the route runs, fixes batched into
// the outbox every 10 s or every 20 fixes (POST /v1/pings; the server drops re-sent duplicates, so a
// retried batch is safe). The newest fix is also the GPS position of a scan or a proof.
import { newKey, type Outbox } from './outbox';

export interface Fix {
  t: string;
  lat: number;
  lon: number;
  accuracy: number;
  speed?: number;
  heading?: number;
}

const BATCH_MS = 10_000;
const BATCH_FIXES = 20;

export class PositionReporter {
  private watch: number | null = null;
  private timer: number | undefined;
  private buffer: Fix[] = [];
  private newest: Fix | null = null;
  onState: (state: 'off' | 'on' | 'denied' | 'unavailable') => void = () => {};

  constructor(private readonly outbox: Outbox) {}

  get running(): boolean {
    return this.watch !== null;
  }

  last(): Fix | null {
    return this.newest;
  }

  start(): void {
    if (this.watch !== null) return;
    if (!('geolocation' in navigator)) {
      this.onState('unavailable');
      return;
    }
    this.watch = navigator.geolocation.watchPosition(
      (p) => this.record(p),
      (e) => this.onState(e.code === e.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, maximumAge: 5_000, timeout: 60_000 },
    );
    this.timer = window.setInterval(() => void this.send(), BATCH_MS);
    this.onState('on');
  }

  async stop(): Promise<void> {
    if (this.watch !== null) navigator.geolocation.clearWatch(this.watch);
    this.watch = null;
    window.clearInterval(this.timer);
    await this.send();
    this.onState('off');
  }

  // The newest fix, or a fresh one (at most `waitMs`), or null without a position.
  async current(waitMs = 5_000): Promise<Fix | null> {
    if (this.newest && Date.now() - Date.parse(this.newest.t) < 60_000) return this.newest;
    if (!('geolocation' in navigator)) return this.newest;
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (p) => resolve(toFix(p)),
        () => resolve(this.newest),
        { enableHighAccuracy: true, maximumAge: 10_000, timeout: waitMs },
      );
    });
  }

  private record(p: GeolocationPosition): void {
    const fix = toFix(p);
    this.newest = fix;
    this.buffer.push(fix);
    this.onState('on');
    if (this.buffer.length >= BATCH_FIXES) void this.send();
  }

  // Moves the buffered fixes into the outbox as one batch.
  async send(): Promise<void> {
    if (!this.buffer.length) return;
    const batch = this.buffer.splice(0);
    await this.outbox.add({ kind: 'pings', path: '/v1/pings', key: newKey(), ref: '', json: batch });
  }
}

function toFix(p: GeolocationPosition): Fix {
  const c = p.coords;
  const fix: Fix = { t: new Date(p.timestamp || Date.now()).toISOString(), lat: c.latitude, lon: c.longitude, accuracy: c.accuracy };
  if (c.speed !== null && Number.isFinite(c.speed)) fix.speed = c.speed;
  if (c.heading !== null && Number.isFinite(c.heading)) fix.heading = c.heading;
  return fix;
}
