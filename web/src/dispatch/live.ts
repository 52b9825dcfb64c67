// The tenant's live stream for staff: the WebSocket /v1/live?access_token=… (a browser's WebSocket
// cannot set headers; docs/api.md, "Live updates"). It reconnects by itself after 1 s, 2 s, 4 s …
// (at most 30 s); every (re)connection's `ready` calls onReady, where the page reloads what the
// stream does not replay (the exception queue). The state is on <body data-live="…">
// ("connecting", "websocket", "reconnecting") for people debugging and for the browser test.
import type { ExceptionCase } from './api';

export interface StaffPosition {
  driver_id: string;
  route_id: string | null;
  t: string;
  lat: number;
  lon: number;
  heading: number | null;
  speed: number | null;
}

export interface StaffLiveHandlers {
  onReady(): void;
  onPosition(p: StaffPosition): void;
  onExceptionCase(c: ExceptionCase): void;
  onShipmentEvent(shipmentId: string): void;
  onChatMessage?(shipmentId: string, message: unknown): void; // docs/chat-and-surveys.md
}

const MAX_DELAY_MS = 30_000;

export class StaffLive {
  private socket: WebSocket | null = null;
  private delayMs = 1000;
  private timer: number | undefined;
  private stopped = false;

  constructor(
    private readonly key: string,
    private readonly handlers: StaffLiveHandlers,
  ) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    const s = this.socket;
    this.socket = null;
    s?.close();
    delete document.body.dataset.live;
  }

  private connect(): void {
    if (this.stopped) return;
    document.body.dataset.live = document.body.dataset.live === 'reconnecting' ? 'reconnecting' : 'connecting';
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${location.host}/v1/live?${new URLSearchParams({ access_token: this.key })}`;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.reconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (m) => this.receive(m.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.reconnect();
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let m: Record<string, any>;
    try {
      m = JSON.parse(data);
    } catch {
      return;
    }
    switch (m.type) {
      case 'ready':
        this.delayMs = 1000;
        document.body.dataset.live = 'websocket';
        this.handlers.onReady();
        break;
      case 'position':
        this.handlers.onPosition({
          driver_id: m.driver_id,
          route_id: m.route_id ?? null,
          t: m.t,
          lat: m.lat,
          lon: m.lon,
          heading: m.heading ?? null,
          speed: m.speed ?? null,
        });
        break;
      case 'exception_queue':
        if (m.exception) this.handlers.onExceptionCase(m.exception as ExceptionCase);
        break;
      case 'event':
        if (m.event?.shipment_id) this.handlers.onShipmentEvent(m.event.shipment_id);
        break;
      case 'message':
        if (m.shipment_id) this.handlers.onChatMessage?.(m.shipment_id, m.message);
        break;
      default:
        break; // heartbeat, stop, eta, exception (the queue carries its cases), closed, resync
    }
  }

  private reconnect(): void {
    if (this.stopped) return;
    document.body.dataset.live = 'reconnecting';
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.connect(), this.delayMs);
    this.delayMs = Math.min(MAX_DELAY_MS, this.delayMs * 2);
  }
}
