// Live updates of one shipment over the WebSocket /v1/live?token=… (docs/api.md, "Live updates"),
// reconnecting with a growing delay and resuming from the last event id; while the socket is down
// the page polls /v1/track every 15 s instead. The socket's state is on <body data-live="…">
// ("connecting", "websocket", "polling") for people debugging and for the browser tests.

export interface LiveHandlers {
  onEvent(): void; // a milestone changed: reload the view
  onPosition(p: { lat: number; lon: number; heading: number | null; t: string }): void;
  onEta(e: { eta: string; earliest: string; latest: string }): void;
  onResync(): void; // too much was missed, or a reconnect: reload the view
  poll(): void; // reload the view while the socket is down
  onMessage?(m: unknown): void; // a chat message of this shipment (docs/chat-and-surveys.md)
}

const POLL_MS = 15_000;
const MAX_DELAY_MS = 30_000;

export class LiveConnection {
  private socket: WebSocket | null = null;
  private lastEventId: number | null = null;
  private delayMs = 1000;
  private pollTimer: number | undefined;
  private reconnectTimer: number | undefined;
  private stopped = false;

  constructor(
    private readonly token: string,
    private readonly handlers: LiveHandlers,
  ) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.reconnectTimer);
    window.clearInterval(this.pollTimer);
    this.socket?.close();
  }

  private setState(state: 'connecting' | 'websocket' | 'polling'): void {
    document.body.dataset.live = state;
  }

  private url(): string {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const params = new URLSearchParams({ token: this.token });
    if (this.lastEventId !== null) params.set('after', String(this.lastEventId));
    return `${scheme}//${location.host}/v1/live?${params.toString()}`;
  }

  private connect(): void {
    if (this.stopped) return;
    if (document.body.dataset.live !== 'polling') this.setState('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.delayMs = 1000;
      window.clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.setState('websocket');
    };
    socket.onmessage = (m) => this.receive(m.data);
    socket.onclose = () => {
      if (this.socket === socket) this.socket = null;
      this.scheduleReconnect();
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
        // After a reconnect the replay brought what was missed; the view is reloaded once anyway.
        if (this.lastEventId !== null) this.handlers.onResync();
        this.lastEventId = m.last_event_id;
        break;
      case 'event':
        this.lastEventId = m.id;
        this.handlers.onEvent();
        break;
      case 'position':
        this.handlers.onPosition({ lat: m.lat, lon: m.lon, heading: m.heading ?? null, t: m.t });
        break;
      case 'eta':
        this.handlers.onEta({ eta: m.eta, earliest: m.earliest, latest: m.latest });
        break;
      case 'message':
        this.handlers.onMessage?.(m.message);
        break;
      case 'resync':
        this.lastEventId = null;
        this.handlers.onResync();
        break;
      default:
        break; // heartbeat, closed (the close follows)
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    if (this.pollTimer === undefined) {
      this.setState('polling');
      this.pollTimer = window.setInterval(() => this.handlers.poll(), POLL_MS);
    }
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(() => this.connect(), this.delayMs);
    this.delayMs = Math.min(MAX_DELAY_MS, this.delayMs * 2);
  }
}
