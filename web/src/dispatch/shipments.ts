// The shipments panel: search and filters, the table, "load more". Search, status and carrier are
// the API's own filters (q, status, carrier_id); driver and "late risk" are applied in the page: the
// driver's routes give the route ids, the exception queue the shipments with an unresolved
// late_risk case. A client-side filter only thins the pages the API sends, so "load more" may add
// fewer rows than a page.
import { t } from '../i18n';
import { get, type Carrier, type Driver, type Page, type Shipment } from './api';
import { el } from '../shared/dom';
import { clock, day } from '../shared/format';
import { STATUSES, statusLabel } from './labels';

export interface ShipmentsContext {
  carriers(): Carrier[];
  drivers(): Driver[];
  driverOf(s: Shipment): Driver | null; // through its route
  routeIdsOf(driverId: string): Set<string>;
  lateRisk(): Set<string>; // shipment ids with an unresolved late_risk case
  unread?(): Map<string, number>; // shipment ids with customer chat messages awaiting a reply
  select(s: Shipment): void;
}

const PAGE = '50';

export class ShipmentsPanel {
  readonly element: HTMLElement;
  private readonly q = el('input', { id: 'f-q', type: 'search', name: 'q', autocomplete: 'off', 'aria-describedby': 'f-q-hint' }) as HTMLInputElement;
  private readonly status = el('select', { id: 'f-status', name: 'status' }) as HTMLSelectElement;
  private readonly carrier = el('select', { id: 'f-carrier', name: 'carrier' }) as HTMLSelectElement;
  private readonly driver = el('select', { id: 'f-driver', name: 'driver' }) as HTMLSelectElement;
  private readonly late = el('input', { id: 'f-late', type: 'checkbox', name: 'late_risk' }) as HTMLInputElement;
  private readonly body = el('tbody', { 'data-testid': 'shipment-rows' });
  private readonly info = el('p', { class: 'muted', role: 'status', 'data-testid': 'shipments-info' });
  private readonly more = el('button', { type: 'button', class: 'secondary', text: t('shipments.more'), hidden: true }) as HTMLButtonElement;
  private rows: Shipment[] = []; // every row the API sent for the current query
  private cursor: string | null = null;
  private generation = 0;
  readonly known = new Map<string, Shipment>();

  constructor(private readonly ctx: ShipmentsContext) {
    this.status.append(el('option', { value: '', text: t('shipments.filter.any') }), ...STATUSES.map((s) => el('option', { value: s, text: statusLabel(s) })));
    const field = (id: string, key: Parameters<typeof t>[0], control: HTMLElement) =>
      el('div', { class: 'field' }, el('label', { for: id, text: t(key) }), control);
    const form = el(
      'form',
      { class: 'filters', role: 'search', 'aria-label': t('shipments.heading') },
      el('div', { class: 'field field-wide' }, el('label', { for: 'f-q', text: t('shipments.search') }), this.q, el('span', { id: 'f-q-hint', class: 'muted small', text: t('shipments.search.hint') })),
      field('f-status', 'shipments.filter.status', this.status),
      field('f-carrier', 'shipments.filter.carrier', this.carrier),
      field('f-driver', 'shipments.filter.driver', this.driver),
      el('div', { class: 'field field-check' }, this.late, el('label', { for: 'f-late', text: t('shipments.filter.late_risk') })),
      el('button', { type: 'submit', text: t('shipments.apply') }),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.load();
    });
    [this.status, this.carrier, this.driver, this.late].forEach((c) => c.addEventListener('change', () => void this.load()));
    this.more.addEventListener('click', () => void this.load(true));
    const head = el('tr', {}, ...(['tracking_number', 'recipient', 'order', 'status', 'carrier', 'driver', 'promised'] as const).map((k) => el('th', { scope: 'col', text: t(`shipments.col.${k}`) })));
    this.element = el(
      'section',
      { class: 'card shipments', 'aria-labelledby': 'shipments-heading' },
      el('h2', { id: 'shipments-heading', text: t('shipments.heading') }),
      form,
      el('div', { class: 'table-wrap' }, el('table', { 'data-testid': 'shipments-table' }, el('thead', {}, head), this.body)),
      this.info,
      this.more,
    );
  }

  // Fills the carrier and driver choices (keeping the current choice).
  setChoices(): void {
    const fill = (select: HTMLSelectElement, items: { id: string; name: string }[]) => {
      const value = select.value;
      select.replaceChildren(el('option', { value: '', text: t('shipments.filter.any') }), ...items.map((i) => el('option', { value: i.id, text: i.name })));
      select.value = value;
    };
    fill(this.carrier, this.ctx.carriers());
    fill(this.driver, this.ctx.drivers());
  }

  async load(append = false): Promise<void> {
    const generation = ++this.generation;
    if (!append) {
      this.rows = [];
      this.cursor = null;
      this.info.textContent = t('shipments.loading');
    }
    const r = await get<Page<Shipment>>('/v1/shipments', {
      q: this.q.value.trim(),
      status: this.status.value,
      carrier_id: this.carrier.value,
      limit: PAGE,
      cursor: append ? (this.cursor ?? '') : '',
    });
    if (generation !== this.generation) return;
    if (!r.ok) {
      this.info.textContent = t('shipments.failed');
      return;
    }
    r.value.items.forEach((s) => this.known.set(s.id, s));
    this.rows.push(...r.value.items);
    this.cursor = r.value.next_cursor;
    this.render();
  }

  // Reloads one shipment that is in the table (a live event changed it).
  async refresh(id: string): Promise<void> {
    if (!this.rows.some((s) => s.id === id)) return;
    const r = await get<Shipment>(`/v1/shipments/${encodeURIComponent(id)}`);
    if (!r.ok) return;
    this.known.set(id, r.value);
    this.rows = this.rows.map((s) => (s.id === id ? r.value : s));
    this.render();
  }

  // Re-applies the page's own filters and redraws (the queue or the routes changed).
  render(): void {
    const lateRisk = this.ctx.lateRisk();
    const routes = this.driver.value ? this.ctx.routeIdsOf(this.driver.value) : null;
    const shown = this.rows.filter(
      (s) => (!this.late.checked || lateRisk.has(s.id)) && (!routes || (s.route_id !== null && routes.has(s.route_id))),
    );
    const carriers = new Map(this.ctx.carriers().map((c) => [c.id, c.name]));
    const unread = this.ctx.unread?.() ?? new Map<string, number>();
    this.body.replaceChildren(...shown.map((s) => this.row(s, lateRisk.has(s.id), carriers, unread.get(s.id) ?? 0)));
    this.info.textContent = shown.length ? t('shipments.count', { count: shown.length }) : t('shipments.empty');
    this.more.hidden = this.cursor === null;
  }

  private row(s: Shipment, late: boolean, carriers: Map<string, string>, unread = 0): HTMLElement {
    const open = el('button', { type: 'button', class: 'link', text: s.tracking_number });
    open.addEventListener('click', () => this.ctx.select(s));
    const tr = el(
      'tr',
      { 'data-testid': 'shipment-row', 'data-shipment-id': s.id, 'data-status': s.status },
      el('td', {}, open, unread > 0 ? el('span', { class: 'badge badge-chat', 'data-testid': 'unread', text: t('chat.unread', { n: unread }) }) : null),
      el('td', { text: s.recipient?.name ?? '' }),
      el('td', { text: s.external_order_id ?? '' }),
      el('td', {}, el('span', { class: `status status-${s.status}`, text: statusLabel(s.status) }), late ? el('span', { class: 'badge badge-late', text: t('shipments.late_risk') }) : null),
      el('td', { text: (s.carrier_id && carriers.get(s.carrier_id)) || '' }),
      el('td', { text: this.ctx.driverOf(s)?.name ?? '' }),
      el('td', { text: s.promised ? t('shipments.promised', { day: day(s.promised.start), start: clock(s.promised.start), end: clock(s.promised.end) }) : '' }),
    );
    tr.addEventListener('click', (e) => {
      if (e.target !== open) this.ctx.select(s);
    });
    return tr;
  }
}
