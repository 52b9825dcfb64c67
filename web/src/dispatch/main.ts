// The dispatcher dashboard, /dispatch (docs/web.md): sign in with a dispatcher or tenant admin API
// key (kept in sessionStorage, never in the URL), then the live map of drivers, the shipments table
// with its filters, a shipment's detail and timeline, the exception queue, and the open routes with
// their stops and breaks. REST loads the state;
// the staff WebSocket moves drivers and updates the queue, and every (re)connection reloads the queue.
import '../shared/base.css';
import './dispatch.css';

import { t } from '../i18n';
import { el } from '../shared/dom';
import { loadStyle } from '../shared/map_style';
import { call, get, getAll, session, whenUnauthenticated, type Carrier, type Driver, type ExceptionCase, type Route, type Shipment, type TrackCollection } from './api';
import { DetailPanel } from './detail';
import type { ChatMessage } from '../shared/chat_panel';
import { StaffLive, type StaffPosition } from './live';
import { DispatchMap, type DriverState, type Line, type RouteLine } from './map';
import { CarrierCodesPanel } from './carrier_codes';
import { InvitePanel } from './invite';
import { ExceptionQueue } from './queue';
import { RoutesPanel } from './routes_panel';
import { ShipmentsPanel } from './shipments';
import { ScorecardsPage } from './scorecards';
import { SettingsPage } from './settings_page';

const main = document.getElementById('main') as HTMLElement;
const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;
const liveState = document.getElementById('live-state') as HTMLElement;
const OFFLINE_AFTER_MS = 10 * 60_000;
const MOVING_SPEED = 1; // m/s
const OPEN_ROUTE = new Set(['planned', 'in_progress']);
const MAX_ROAD_ROUTES = 50;

// The part of an OSRM route answer the map reads (docs/api.md, OSRM-compatible subset).
interface OsrmRoute {
  code: string;
  source: string;
  routes: { geometry?: { coordinates: Line } }[];
}

document.title = t('dispatch.page_title');
document.querySelectorAll<HTMLElement>('[data-i18n]').forEach((e) => (e.textContent = t(e.dataset.i18n as Parameters<typeof t>[0])));

// ---- sign-in ----

function showSignIn(message = ''): void {
  document.body.dataset.view = 'sign-in';
  signOutButton.hidden = true;
  liveState.textContent = '';
  const input = el('input', { id: 'api-key', type: 'password', name: 'api_key', autocomplete: 'off', required: true, spellcheck: 'false', 'aria-describedby': 'sign-in-error' }) as HTMLInputElement;
  const error = el('p', { id: 'sign-in-error', class: 'error', role: 'alert', 'data-testid': 'sign-in-error', text: message });
  const submit = el('button', { type: 'submit', text: t('dispatch.sign_in.submit') }) as HTMLButtonElement;
  const form = el(
    'form',
    { class: 'card sign-in', 'aria-labelledby': 'sign-in-heading', 'data-testid': 'sign-in' },
    el('h2', { id: 'sign-in-heading', text: t('dispatch.sign_in.heading') }),
    el('p', { class: 'muted', text: t('dispatch.sign_in.intro') }),
    el('label', { for: 'api-key', text: t('dispatch.sign_in.key') }),
    input,
    submit,
    error,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    submit.disabled = true;
    error.textContent = t('dispatch.sign_in.checking');
    const refusal = await checkKey(key);
    submit.disabled = false;
    if (refusal) {
      error.textContent = refusal;
      input.focus();
      return;
    }
    session.set(key);
    showView(key);
  });
  main.replaceChildren(form);
  input.focus();
}

// Null when `key` may work the dashboard (it lists routes and exception cases: tenant_admin and
// dispatcher only), else the message to show.
async function checkKey(key: string): Promise<string | null> {
  for (const path of ['/v1/exceptions?limit=1', '/v1/routes?limit=1']) {
    const r = await call('GET', path, undefined, key);
    if (r.ok) continue;
    if (r.status === 401) return t('dispatch.sign_in.unauthenticated');
    if (r.status === 403) return t('dispatch.sign_in.forbidden');
    return t('dispatch.sign_in.failed');
  }
  return null;
}

// ---- the dashboard ----

class Dashboard {
  private carriers: Carrier[] = [];
  private drivers = new Map<string, Driver>();
  private routes = new Map<string, Route>();
  private positions = new Map<string, StaffPosition>();
  private unread = new Map<string, number>(); // shipment id → customer messages awaiting a reply
  private unreadTimer: number | undefined;
  private readonly mapBox = el('section', { class: 'map card', 'aria-labelledby': 'map-heading', 'data-testid': 'map' });
  private readonly mapNote = el('p', { class: 'muted small', 'aria-live': 'polite' });
  private map: DispatchMap | null = null;
  private live: StaffLive;
  private timer: number | undefined;
  private readonly shipments: ShipmentsPanel;
  private readonly queue: ExceptionQueue;
  private readonly detail: DetailPanel;
  private readonly invite = new InvitePanel();
  private readonly carrierCodes = new CarrierCodesPanel();
  private readonly routesPanel = new RoutesPanel();

  constructor(key: string) {
    this.shipments = new ShipmentsPanel({
      carriers: () => this.carriers,
      drivers: () => [...this.drivers.values()],
      driverOf: (s) => this.driverOf(s),
      routeIdsOf: (driverId) => new Set([...this.routes.values()].filter((r) => r.driver_id === driverId).map((r) => r.id)),
      lateRisk: () => new Set(this.queue.unresolved().filter((c) => c.kind === 'late_risk' && c.shipment_id).map((c) => c.shipment_id!)),
      unread: () => this.unread,
      select: (s) => void this.select(s.id),
    });
    this.queue = new ExceptionQueue({
      subject: (c) => this.subject(c),
      changed: () => {
        this.shipments.render();
        this.drawDrivers();
      },
      open: (c) => {
        if (c.shipment_id) void this.select(c.shipment_id);
      },
    });
    this.detail = new DetailPanel(() => this.map?.setTrack([]));
    this.live = new StaffLive(key, {
      onReady: () => {
        void this.queue.reload();
        this.reloadUnread();
      },
      onPosition: (p) => {
        this.positions.set(p.driver_id, p);
        this.drawDrivers();
      },
      onExceptionCase: (c) => this.queue.upsert(c),
      onShipmentEvent: (id) => {
        void this.shipments.refresh(id);
        if (this.detail.shown() === id) void this.showDetail(id, false);
      },
      onChatMessage: (id, m) => {
        this.detail.chatMessage(id, m as ChatMessage);
        this.reloadUnread();
      },
    });
  }

  // The unread counts of the shipments table (GET /v1/chat/threads), at most once per second.
  private reloadUnread(): void {
    if (this.unreadTimer !== undefined) return;
    this.unreadTimer = window.setTimeout(async () => {
      const r = await get<{ items: { shipment_id: string; awaiting_reply: number }[] }>('/v1/chat/threads', { limit: '500' });
      this.unreadTimer = undefined;
      if (!r.ok) return;
      this.unread = new Map(r.value.items.filter((x) => x.awaiting_reply > 0).map((x) => [x.shipment_id, x.awaiting_reply]));
      this.shipments.render();
    }, 1000);
  }

  async start(): Promise<void> {
    document.body.dataset.view = 'dashboard';
    signOutButton.hidden = false;
    this.mapBox.append(el('h2', { id: 'map-heading', class: 'map-heading', text: t('dispatch.map.heading') }), this.legend(), this.mapNote);
    const mapArea = el('div', { class: 'map-area' });
    this.mapBox.append(mapArea);
    main.replaceChildren(
      el('div', { class: 'left' }, this.mapBox, this.shipments.element),
      el('div', { class: 'right' }, this.queue.element, this.detail.element, this.routesPanel.element, this.invite.element, this.carrierCodes.element),
    );
    const style = await loadStyle();
    if (style) this.map = new DispatchMap(mapArea, style);
    else mapArea.replaceChildren(el('p', { class: 'muted', text: t('map.unavailable') }));
    await this.loadReference();
    this.live.start();
    void this.shipments.load();
    this.timer = window.setInterval(() => this.drawDrivers(), 30_000); // offline after a silence
  }

  stop(): void {
    this.live.stop();
    window.clearInterval(this.timer);
    this.map?.destroy();
  }

  // Carriers, drivers (with their newest position), routes: what the filters, the map and the
  // table's driver column need.
  private async loadReference(): Promise<void> {
    const [carriers, drivers, routes] = await Promise.all([
      getAll<Carrier>('/v1/carriers'),
      getAll<Driver>('/v1/drivers'),
      getAll<Route>('/v1/routes'),
    ]);
    this.carriers = carriers;
    this.drivers = new Map(drivers.map((d) => [d.id, d]));
    this.routes = new Map(routes.map((r) => [r.id, r]));
    this.shipments.setChoices();
    this.invite.setDrivers(drivers);
    this.routesPanel.setRoutes(routes, (id) => this.drivers.get(id)?.name ?? id);
    void this.carrierCodes.setCarriers(carriers);
    // The list has no positions: ask each driver (a tenant's fleet, capped).
    await Promise.all(
      drivers.slice(0, 200).map(async (d) => {
        const r = await get<Driver>(`/v1/drivers/${encodeURIComponent(d.id)}`);
        if (r.ok && r.value.position && !this.positions.has(d.id))
          this.positions.set(d.id, { driver_id: d.id, route_id: null, t: r.value.position.t, lat: r.value.position.lat, lon: r.value.position.lon, heading: null, speed: null });
      }),
    );
    this.drawRoutes();
    this.drawDrivers();
  }

  // The open routes on the map: straight lines at once, then each along the roads once the routing
  // service answers (the OSRM-compatible /route/v1/driving, one request per route, the first
  // MAX_ROAD_ROUTES routes). Without a road network (great-circle estimates) or on a refusal a route
  // stays straight. The map's box says how many follow the roads (data-road-routes).
  private drawRoutes(): void {
    if (!this.map) return;
    const open = [...this.routes.values()].filter((r) => OPEN_ROUTE.has(r.status));
    const lines = new Map<string, RouteLine>(open.map((r) => [r.id, { line: stopLine(r), roads: false }]));
    this.map?.setRoutes([...lines.values()]);
    const asked = open.filter((r) => lines.get(r.id)!.line.length >= 2 && lines.get(r.id)!.line.length <= 100).slice(0, MAX_ROAD_ROUTES);
    void Promise.all(
      asked.map(async (r) => {
        const coords = lines.get(r.id)!.line.map(([lon, lat]) => `${lon.toFixed(6)},${lat.toFixed(6)}`).join(';');
        const reply = await get<OsrmRoute>(`/route/v1/driving/${coords}`, { overview: 'full', geometries: 'geojson' });
        if (!reply.ok || reply.value.code !== 'Ok' || reply.value.source === 'great_circle') return;
        const line = reply.value.routes[0]?.geometry?.coordinates;
        if (line && line.length >= 2) lines.set(r.id, { line, roads: true });
      }),
    ).then(() => {
      this.map?.setRoutes([...lines.values()]);
      this.mapBox.dataset.roadRoutes = String([...lines.values()].filter((l) => l.roads).length);
    });
  }

  private legend(): HTMLElement {
    const states: DriverState[] = ['moving', 'on_route', 'idle', 'offline', 'exception'];
    return el('ul', { class: 'legend', 'aria-label': t('dispatch.legend') }, ...states.map((s) => el('li', {}, el('span', { class: `driver-dot state-${s}`, 'aria-hidden': 'true' }), t(`driver.state.${s}`))));
  }

  private driverState(id: string, p: StaffPosition): DriverState {
    if (this.queue.unresolved().some((c) => c.driver_id === id)) return 'exception';
    if (Date.now() - Date.parse(p.t) > OFFLINE_AFTER_MS) return 'offline';
    if ((p.speed ?? 0) >= MOVING_SPEED) return 'moving';
    if ([...this.routes.values()].some((r) => r.driver_id === id && r.status === 'in_progress')) return 'on_route';
    return 'idle';
  }

  private drawDrivers(): void {
    this.mapNote.textContent = this.positions.size ? '' : t('dispatch.map.none');
    if (!this.map) return;
    for (const p of this.positions.values()) {
      const d = this.drivers.get(p.driver_id);
      this.map.setDriver({ id: p.driver_id, name: d?.name ?? p.driver_id, lat: p.lat, lon: p.lon, state: this.driverState(p.driver_id, p) });
    }
  }

  private driverOf(s: Shipment): Driver | null {
    const route = s.route_id ? this.routes.get(s.route_id) : undefined;
    return route ? (this.drivers.get(route.driver_id) ?? null) : null;
  }

  private subject(c: ExceptionCase): string {
    if (c.shipment_id) {
      const s = this.shipments.known.get(c.shipment_id);
      if (!s) void this.learnShipment(c.shipment_id);
      return t('queue.subject.shipment', { name: s?.tracking_number ?? c.shipment_id });
    }
    const d = c.driver_id ? this.drivers.get(c.driver_id) : undefined;
    return t('queue.subject.driver', { name: d?.name ?? c.driver_id ?? '' });
  }

  private readonly learning = new Set<string>();
  private async learnShipment(id: string): Promise<void> {
    if (this.learning.has(id)) return;
    this.learning.add(id);
    const r = await get<Shipment>(`/v1/shipments/${encodeURIComponent(id)}`);
    if (!r.ok) return;
    this.shipments.known.set(id, r.value);
    this.queue.render();
  }

  private async select(id: string): Promise<void> {
    await this.showDetail(id, true);
  }

  private async showDetail(id: string, focus: boolean): Promise<void> {
    await this.detail.show(id, (s) => this.driverOf(s), (d) => this.drawTrack(d), focus);
  }

  private async drawTrack(d: Driver): Promise<boolean> {
    const r = await get<TrackCollection>(`/v1/drivers/${encodeURIComponent(d.id)}/track`, { format: 'geojson' });
    const line = r.ok ? r.value.features.find((f) => f.geometry?.type === 'LineString') : undefined;
    const coordinates = line ? line.geometry.coordinates : [];
    this.map?.setTrack(coordinates);
    return coordinates.length >= 2;
  }
}

// Depot → stops in visiting order, [lon, lat].
function stopLine(r: Route): Line {
  return [[r.depot.lon, r.depot.lat], ...r.stops.filter((s) => s.location).map((s) => [s.location!.lon, s.location!.lat] as [number, number])];
}

let dashboard: Dashboard | null = null;

function startDashboard(key: string): void {
  dashboard?.stop();
  if (showScorecards()) return;
  dashboard = new Dashboard(key);
  void dashboard.start();
}

function signOut(message = ''): void {
  dashboard?.stop();
  scorecardsLink.hidden = true;
  dashboard = null;
  session.clear();
  showSignIn(message);
}

// Carrier scorecards (scorecards.ts): /dispatch#scorecards shows them instead of the live dashboard.
const scorecardsLink = document.getElementById('nav-scorecards') as HTMLAnchorElement;
function showScorecards(): boolean {
  const on = location.hash === '#scorecards';
  scorecardsLink.hidden = false;
  scorecardsLink.href = on ? '#dashboard' : '#scorecards';
  scorecardsLink.textContent = t(on ? 'scorecards.nav_back' : 'scorecards.nav');
  if (!on) return false;
  dashboard = null;
  document.body.dataset.view = 'scorecards';
  signOutButton.hidden = false;
  const page = new ScorecardsPage();
  main.replaceChildren(page.element);
  void page.load();
  return true;
}
signOutButton.addEventListener('click', () => signOut());
whenUnauthenticated(() => signOut(t('dispatch.sign_in.expired')));
new MutationObserver(() => {
  const state = document.body.dataset.live;
  liveState.textContent = state ? t(`dispatch.live.${state}` as Parameters<typeof t>[0]) : '';
  liveState.dataset.state = state ?? '';
}).observe(document.body, { attributes: true, attributeFilter: ['data-live'] });

// The view for the hash: #settings is the tenant settings page (settings_page.ts), #scorecards the
// scorecards (startDashboard), anything else the live dashboard.
function showView(key: string): void {
  if (location.hash !== '#settings') return startDashboard(key);
  dashboard?.stop();
  dashboard = null;
  document.body.dataset.view = 'settings';
  signOutButton.hidden = false;
  void new SettingsPage().show(main);
}
window.addEventListener('hashchange', () => {
  const key = session.key();
  if (key) showView(key);
});

const saved = session.key();
if (saved) showView(saved);
else showSignIn();
