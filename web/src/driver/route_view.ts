// Today's route: the ordered stops with their parcels, the recipient's delivery instructions, a
// navigation link per stop (a geo: URI for the phone's own map app, and OpenStreetMap and Google
// Maps directions), "Start route", and per shipment the proof-of-delivery and failed-attempt screens.
import { t } from '../i18n';
import { el } from '../shared/dom';
import { clock } from '../shared/format';
import { statusLabel } from '../dispatch/labels';
import { withBreaks } from '../shared/route_breaks';
import type { ManifestShipment, Route, Stop } from './api';
import { localStatus, type App } from './app';
import { chatToggle } from './chat';

const DONE = new Set(['delivered', 'returned', 'cancelled']);

export function renderRoute(app: App): HTMLElement {
  const m = app.manifest();
  const refresh = el('button', { type: 'button', class: 'secondary', text: t('driver.refresh') });
  refresh.addEventListener('click', () => void app.refresh());
  if (!m || !m.route) {
    return el(
      'section',
      { class: 'card', 'aria-labelledby': 'route-heading', 'data-testid': 'no-route' },
      el('h2', { id: 'route-heading', text: t('driver.route.none') }),
      el('p', { class: 'muted', text: t('driver.route.none.body') }),
      refresh,
    );
  }
  const route = m.route;
  return el('div', { class: 'route' }, routeHeader(app, route, refresh), el('ol', { class: 'stops', 'data-testid': 'stops', 'aria-label': t('driver.stops') }, ...stopsAndBreaks(app, route)));
}

// The stops in visiting order with each break where it is taken.
function stopsAndBreaks(app: App, route: Route): HTMLElement[] {
  return withBreaks(route.stops, route.breaks ?? [], (s, i) => renderStop(app, route, s, i + 1));
}

function routeHeader(app: App, route: Route, refresh: HTMLButtonElement): HTMLElement {
  const started = route.status !== 'planned' || app.pending().some((i) => i.kind === 'start' && i.ref === route.id);
  const actions = el('div', { class: 'actions' });
  if (!started) {
    const start = el('button', { type: 'button', 'data-testid': 'start-route', text: t('driver.route.start') });
    start.addEventListener('click', () => {
      start.disabled = true;
      void app.startRoute();
    });
    actions.append(start);
  }
  const scan = el('button', { type: 'button', class: started ? undefined : 'secondary', text: t('driver.scan.open') });
  scan.addEventListener('click', () => app.show({ name: 'scan' }));
  actions.append(scan, refresh);
  const parcels = route.stops.reduce((n, s) => n + s.shipments.reduce((k, x) => k + x.parcels.length, 0), 0);
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'route-heading', 'data-testid': 'route', 'data-route-id': route.id, 'data-status': started && route.status === 'planned' ? 'in_progress' : route.status },
    el('h2', { id: 'route-heading', text: t('driver.route.heading', { date: route.date }) }),
    el('p', { 'data-testid': 'route-status', text: started ? t('driver.route.started') : t('driver.route.planned') }),
    el('p', { class: 'muted', text: t('driver.route.summary', { stops: route.stops.length, parcels }) }),
    actions,
  );
}

// `position`: the stop's place in the day, from 1 (the API's `sequence` may count from 0).
function renderStop(app: App, route: Route, stop: Stop, position: number): HTMLElement {
  const first = stop.shipments[0];
  const where = first ? [first.address.line1, first.address.city].filter(Boolean).join(', ') : '';
  const done = stop.shipments.length > 0 && stop.shipments.every((s) => DONE.has(localStatus(app, s).status));
  const headingId = `stop-${stop.id}`;
  return el(
    'li',
    { class: `card stop${done ? ' done' : ''}`, 'data-testid': 'stop', 'data-stop-id': stop.id, 'aria-labelledby': headingId },
    el('h3', { id: headingId }, el('span', { class: 'seq', text: String(position) }), ' ', where || t('driver.stop.heading', { n: position })),
    stop.eta?.earliest && stop.eta.latest ? el('p', { class: 'muted', text: t('driver.stop.eta', { earliest: clock(stop.eta.earliest), latest: clock(stop.eta.latest) }) }) : null,
    navigation(route, stop),
    ...stop.shipments.map((s) => renderShipment(app, s)),
  );
}

function navigation(route: Route, stop: Stop): HTMLElement | null {
  const at = stop.location ?? locationOf(stop.shipments[0]);
  if (!at) return null;
  const ll = `${at.lat.toFixed(6)},${at.lon.toFixed(6)}`;
  const from = route.depot ? `${route.depot.lat.toFixed(6)},${route.depot.lon.toFixed(6)}` : '';
  const link = (href: string, text: string, testid: string): HTMLAnchorElement =>
    el('a', { href, text, target: '_blank', rel: 'noopener noreferrer', 'data-testid': testid, class: 'nav-link' });
  return el(
    'p',
    { class: 'nav' },
    link(`geo:${ll}?q=${ll}`, t('driver.nav.maps'), 'nav-geo'),
    link(`https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route=${encodeURIComponent(`${from};${ll}`)}`, t('driver.nav.osm'), 'nav-osm'),
    link(`https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(ll)}&travelmode=driving`, t('driver.nav.google'), 'nav-google'),
  );
}

function locationOf(s: ManifestShipment | undefined): { lat: number; lon: number } | null {
  if (!s || typeof s.address.lat !== 'number' || typeof s.address.lon !== 'number') return null;
  return { lat: s.address.lat, lon: s.address.lon };
}

function renderShipment(app: App, s: ManifestShipment): HTMLElement {
  const { status, waiting } = localStatus(app, s);
  const box = el(
    'div',
    { class: 'shipment', 'data-testid': 'stop-shipment', 'data-shipment-id': s.id, 'data-status': status },
    el('p', {}, el('strong', { text: s.recipient.name }), ' ', el('span', { class: 'muted', text: s.tracking_number })),
    el('p', { class: `status status-${status}`, 'data-testid': 'shipment-status', text: waiting ? t('driver.status.waiting', { status: statusLabel(status) }) : statusLabel(status) }),
  );
  if (s.instructions) box.append(el('p', { class: 'instructions', 'data-testid': 'instructions' }, el('strong', { text: t('driver.instructions') }), ' ', s.instructions));
  box.append(
    el(
      'ul',
      { class: 'parcels', 'aria-label': t('driver.parcels') },
      ...s.parcels.map((p) =>
        el(
          'li',
          { 'data-barcode': p.barcode },
          el('code', { text: p.barcode }),
          p.description ? ` ${p.description}` : '',
          el('span', { class: 'muted small', text: p.scanned.length ? ` ${t('driver.parcel.scanned', { kinds: [...new Set(p.scanned)].join(', ') })}` : ` ${t('driver.parcel.not_scanned')}` }),
        ),
      ),
    ),
  );
  if (!DONE.has(status) && status !== 'attempt_failed') {
    const deliver = el('button', { type: 'button', text: t('driver.deliver'), 'aria-label': t('driver.deliver.for', { name: s.recipient.name }) });
    deliver.addEventListener('click', () => app.show({ name: 'proof', shipment: s }));
    const failed = el('button', { type: 'button', class: 'secondary', text: t('driver.attempt'), 'aria-label': t('driver.attempt.for', { name: s.recipient.name }) });
    failed.addEventListener('click', () => app.show({ name: 'attempt', shipment: s }));
    box.append(el('div', { class: 'actions' }, deliver, failed));
  }
  box.append(chatToggle(s.id));
  return box;
}
