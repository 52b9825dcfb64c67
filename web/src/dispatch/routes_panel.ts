// The routes panel (docs/web.md): the open routes (planned or started), each opening to its stops in
// visiting order (status, ETA, shipments) with the driver's breaks where they are taken, and
// "Resequence" (replan.ts). Opening a route reads it again (GET /v1/routes/{id}), so what it shows is
// current; an applied resequence reloads it.
import { t } from '../i18n';
import { el } from '../shared/dom';
import { clock } from '../shared/format';
import { withBreaks } from '../shared/route_breaks';
import { get, type Route, type RouteStop } from './api';
import { label } from './labels';
import { resequenceRoute } from './replan';

const OPEN = new Set(['planned', 'in_progress']);

export class RoutesPanel {
  readonly element: HTMLElement;
  private readonly list = el('ul', { class: 'routes-list', 'data-testid': 'routes-list' });

  constructor() {
    this.element = el(
      'section',
      { class: 'card routes', 'aria-labelledby': 'routes-heading', 'data-testid': 'routes' },
      el('h2', { id: 'routes-heading', text: t('routes.heading') }),
      this.list,
    );
  }

  setRoutes(routes: Route[], driverName: (id: string) => string): void {
    const open = routes
      .filter((r) => OPEN.has(r.status))
      .sort((a, b) => a.date.localeCompare(b.date) || driverName(a.driver_id).localeCompare(driverName(b.driver_id)));
    if (!open.length) {
      this.list.replaceChildren(el('li', { class: 'muted', text: t('routes.none') }));
      return;
    }
    this.list.replaceChildren(...open.map((r) => this.item(r, driverName(r.driver_id))));
  }

  private item(r: Route, driver: string): HTMLElement {
    const stops = el('div', { class: 'route-body' });
    const status = el('p', { class: 'case-status', role: 'status' });
    const reseq = el('button', { type: 'button', class: 'secondary', 'data-action': 'resequence', text: t('replan.resequence') }) as HTMLButtonElement;
    reseq.addEventListener('click', async () => {
      reseq.disabled = true;
      if (await resequenceRoute(r.id, status)) await this.load(r.id, stops);
      reseq.disabled = false;
    });
    const body = el('div', {}, el('div', { class: 'buttons' }, reseq), status, stops);
    const details = el(
      'details',
      { 'data-testid': 'route', 'data-route-id': r.id },
      el('summary', {
        text: t('routes.summary', { driver, date: r.date, status: label(`routes.status.${r.status}`, r.status), stops: r.stops.length }),
      }),
      body,
    ) as HTMLDetailsElement;
    details.addEventListener('toggle', () => {
      if (details.open) void this.load(r.id, stops);
    });
    return el('li', {}, details);
  }

  private async load(id: string, body: HTMLElement): Promise<void> {
    body.replaceChildren(el('p', { class: 'muted', text: t('routes.loading') }));
    const r = await get<Route>(`/v1/routes/${encodeURIComponent(id)}`);
    if (!r.ok) {
      body.replaceChildren(el('p', { class: 'error', role: 'alert', text: t('queue.refused', { code: r.code }) }));
      return;
    }
    const route = r.value;
    body.replaceChildren(
      el('ol', { class: 'route-stops', 'aria-label': t('routes.stops') }, ...withBreaks(route.stops, route.breaks ?? [], renderStop)),
    );
  }
}

function renderStop(s: RouteStop, i: number): HTMLElement {
  const status = label(`routes.stop.${s.status}`, s.status);
  const text = t(s.eta ? 'routes.stop_eta' : 'routes.stop', { n: i + 1, status, shipments: s.shipment_ids.length, eta: s.eta ? clock(s.eta) : '' });
  return el('li', { class: `route-stop stop-${s.status}`, 'data-testid': 'route-stop', 'data-stop-id': s.id, text });
}
