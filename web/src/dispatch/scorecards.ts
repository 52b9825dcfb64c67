// Carrier scorecards, /dispatch#scorecards (docs/analytics.md): for a date range, the trend of each
// carrier's on-time rate per day or week, a ranking, a comparison table, and a cost view; carriers that
// miss one of the tenant's targets are highlighted (and say which). Reads GET /v1/analytics/carriers.
import { t } from '../i18n';
import { el } from '../shared/dom';
import { get } from './api';
import { deliveryWindowsCard } from './delivery_windows_card';
import { rankingChart, seriesColour, trendChart } from './scorecard_charts';

export interface CarrierFigures {
  carrier_id: string;
  name: string;
  period: string;
  deliveries: number;
  on_time_rate: number | null;
  first_attempt_rate: number | null;
  lateness_p50_min: number | null;
  lateness_p90_min: number | null;
  exceptions_per_100: Record<string, number>;
  missed_scans: number;
  csat: number | null;
  nps: number | null;
  tracking_quality: number | null;
  stops: number;
  km: number;
  parcels: number;
  cost: number | null;
  cost_per_delivery: number | null;
  currency: string | null;
  below_target: string[];
}

interface AnalyticsReply {
  targets: Record<string, number | null>;
  items: CarrierFigures[];
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const show = (v: number | null, unit = ''): string => (v === null ? '–' : `${v}${unit}`);
const money = (v: number | null): string => (v === null ? '–' : v.toFixed(2));

export class ScorecardsPage {
  readonly element: HTMLElement;
  private readonly from = el('input', { id: 'sc-from', type: 'date', required: true, 'data-testid': 'sc-from' }) as HTMLInputElement;
  private readonly to = el('input', { id: 'sc-to', type: 'date', required: true, 'data-testid': 'sc-to' }) as HTMLInputElement;
  private readonly group = el('select', { id: 'sc-group', 'data-testid': 'sc-group' },
    el('option', { value: 'day', text: t('scorecards.group.day') }),
    el('option', { value: 'week', text: t('scorecards.group.week') })) as HTMLSelectElement;
  private readonly status = el('p', { class: 'muted small', role: 'status', 'data-testid': 'sc-status' });
  private readonly body = el('div', { class: 'scorecards-body' });
  private readonly windows = el('div', { class: 'scorecards-windows' });

  constructor(now = Date.now()) {
    this.to.value = isoDay(now);
    this.from.value = isoDay(now - 29 * DAY_MS);
    const form = el('form', { class: 'scorecards-range', 'aria-label': t('scorecards.range') },
      el('label', { for: 'sc-from', text: t('scorecards.from') }), this.from,
      el('label', { for: 'sc-to', text: t('scorecards.to') }), this.to,
      el('label', { for: 'sc-group', text: t('scorecards.group') }), this.group,
      el('button', { type: 'submit', text: t('scorecards.show'), 'data-testid': 'sc-show' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.load();
    });
    this.element = el('section', { class: 'card scorecards', 'aria-labelledby': 'scorecards-heading', 'data-testid': 'scorecards' },
      el('h2', { id: 'scorecards-heading', text: t('scorecards.heading') }),
      el('p', { class: 'muted small', text: t('scorecards.intro') }),
      form, this.status, this.body, this.windows);
  }

  async load(): Promise<void> {
    if (!this.from.value || !this.to.value) return;
    void deliveryWindowsCard().then((card) => this.windows.replaceChildren(card));
    this.status.textContent = t('scorecards.loading');
    const range = { from: this.from.value, to: this.to.value };
    const [total, trend] = await Promise.all([
      get<AnalyticsReply>('/v1/analytics/carriers', { ...range, group: 'total' }),
      get<AnalyticsReply>('/v1/analytics/carriers', { ...range, group: this.group.value }),
    ]);
    if (!total.ok || !trend.ok) {
      this.status.textContent = t('scorecards.failed', { code: total.ok ? (trend.ok ? '' : trend.code) : total.code });
      this.body.replaceChildren();
      return;
    }
    const carriers = total.value.items;
    this.status.textContent = carriers.length ? '' : t('scorecards.none');
    if (!carriers.length) {
      this.body.replaceChildren();
      return;
    }
    const target = total.value.targets.on_time_rate ?? null;
    const periods = [...new Set(trend.value.items.map((i) => i.period))].sort();
    const series = carriers.map((c) => ({
      name: c.name,
      points: periods.map((p) => trend.value.items.find((i) => i.carrier_id === c.carrier_id && i.period === p)?.on_time_rate ?? null),
    }));
    const legend = el('ul', { class: 'legend', 'aria-label': t('scorecards.legend') },
      ...carriers.map((c, k) => el('li', {}, el('span', { class: 'swatch', style: `background:${seriesColour(k)}`, 'aria-hidden': 'true' }), c.name)));
    this.body.replaceChildren(
      el('h3', { text: t('scorecards.trend') }),
      trendChart(t('scorecards.trend_title', { from: range.from, to: range.to }), periods, series, target),
      legend,
      el('h3', { text: t('scorecards.ranking') }),
      rankingChart(t('scorecards.ranking_title'), carriers.map((c) => ({ name: c.name, value: c.on_time_rate, highlight: c.below_target.length > 0 }))),
      this.comparison(carriers, total.value.targets),
      this.costs(carriers),
    );
  }

  private comparison(carriers: CarrierFigures[], targets: Record<string, number | null>): HTMLElement {
    const heads = ['carrier', 'deliveries', 'on_time', 'first_attempt', 'lateness', 'exceptions', 'missed_scans', 'csat', 'nps', 'tracking', 'status'] as const;
    const rows = carriers.map((c) => {
      const below = c.below_target.length > 0;
      const exceptions = Object.values(c.exceptions_per_100).reduce((a, b) => a + b, 0);
      return el('tr', { class: below ? 'below-target' : '', 'data-carrier-id': c.carrier_id, 'data-testid': 'sc-row' },
        el('th', { scope: 'row', text: c.name }),
        el('td', { text: String(c.deliveries), 'data-col': 'deliveries' }),
        el('td', { text: show(c.on_time_rate, ' %'), 'data-col': 'on_time_rate' }),
        el('td', { text: show(c.first_attempt_rate, ' %'), 'data-col': 'first_attempt_rate' }),
        el('td', { text: `${show(c.lateness_p50_min)} / ${show(c.lateness_p90_min)}`, 'data-col': 'lateness' }),
        el('td', { text: String(Math.round(exceptions * 10) / 10), 'data-col': 'exceptions' }),
        el('td', { text: String(c.missed_scans), 'data-col': 'missed_scans' }),
        el('td', { text: show(c.csat, ' %'), 'data-col': 'csat' }),
        el('td', { text: show(c.nps), 'data-col': 'nps' }),
        el('td', { text: show(c.tracking_quality, ' %'), 'data-col': 'tracking_quality' }),
        el('td', { 'data-col': 'status', text: below ? t('scorecards.below', { what: c.below_target.map((b) => t(`scorecards.target.${b}` as Parameters<typeof t>[0])).join(', ') }) : t('scorecards.ok') }));
    });
    const set = Object.entries(targets).filter(([, v]) => v !== null).map(([k, v]) => `${t(`scorecards.target.${k}` as Parameters<typeof t>[0])} ${v}`);
    return el('div', { class: 'table-wrap' },
      el('h3', { text: t('scorecards.comparison') }),
      el('p', { class: 'muted small', 'data-testid': 'sc-targets', text: set.length ? t('scorecards.targets', { list: set.join(' · ') }) : t('scorecards.no_targets') }),
      el('table', { class: 'scorecard-table', 'data-testid': 'sc-table' },
        el('caption', { class: 'visually-hidden', text: t('scorecards.comparison') }),
        el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col', text: t(`scorecards.col.${h}`) })))),
        el('tbody', {}, ...rows)));
  }

  private costs(carriers: CarrierFigures[]): HTMLElement {
    const total = carriers.reduce((a, c) => a + (c.cost ?? 0), 0);
    const deliveries = carriers.filter((c) => c.cost !== null).reduce((a, c) => a + c.deliveries, 0);
    const heads = ['carrier', 'deliveries', 'stops', 'km', 'parcels', 'cost', 'cost_per_delivery'] as const;
    return el('div', { class: 'table-wrap' },
      el('h3', { text: t('scorecards.costs') }),
      el('table', { class: 'scorecard-table', 'data-testid': 'sc-costs' },
        el('caption', { class: 'visually-hidden', text: t('scorecards.costs') }),
        el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col', text: t(`scorecards.cost.${h}`) })))),
        el('tbody', {}, ...carriers.map((c) => el('tr', { 'data-carrier-id': c.carrier_id },
          el('th', { scope: 'row', text: c.name }),
          el('td', { text: String(c.deliveries) }), el('td', { text: String(c.stops) }), el('td', { text: c.km.toFixed(1) }),
          el('td', { text: String(c.parcels) }),
          el('td', { 'data-col': 'cost', text: c.cost === null ? t('scorecards.no_rate_card') : `${money(c.cost)} ${c.currency ?? ''}` }),
          el('td', { 'data-col': 'cost_per_delivery', text: money(c.cost_per_delivery) })))),
        el('tfoot', {}, el('tr', {},
          el('th', { scope: 'row', text: t('scorecards.cost.total') }),
          el('td', { text: String(deliveries) }), el('td', {}), el('td', {}), el('td', {}),
          el('td', { 'data-testid': 'sc-cost-total', text: money(total) }),
          el('td', { text: deliveries ? money(Math.round((total / deliveries) * 100) / 100) : '–' })))));
  }
}
