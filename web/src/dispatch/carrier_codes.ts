// "Carrier codes": the status codes carriers sent that have no mapping yet (GET
// /v1/carriers/{id}/mapping-tasks, docs/carriers.md). A dispatcher picks the milestone a code means and
// maps it (PUT /v1/carriers/{id}/code-mappings with the carrier's other mappings kept); the server then
// decides the waiting events again, so their shipments move on.
import { t } from '../i18n';
import { el } from '../shared/dom';
import { stamp } from '../shared/format';
import { call, get, type Carrier } from './api';
import { statusLabel } from './labels';

interface MappingTask {
  code: string;
  events: number;
  first_seen: string;
  last_seen: string;
  sample_description: string;
}

interface CodeMapping {
  code: string;
  milestone: string;
  reason?: string;
  description?: string;
}

// The milestones a carrier event may mean (every one but "created").
const MILESTONES = ['processed', 'shipped', 'out_for_delivery', 'arriving', 'delivered', 'attempt_failed', 'exception',
  'returned', 'cancelled', 'available_for_pickup'];

export class CarrierCodesPanel {
  readonly element: HTMLElement;
  private readonly list = el('div', { class: 'carrier-codes', 'data-testid': 'carrier-codes-list' });
  private readonly result = el('p', { class: 'muted small', 'aria-live': 'polite', 'data-testid': 'carrier-codes-result' });
  private carriers: Carrier[] = [];

  constructor() {
    const refresh = el('button', { type: 'button', class: 'secondary small', text: t('carrier_codes.refresh') });
    refresh.addEventListener('click', () => void this.reload());
    this.element = el(
      'section',
      { class: 'card carrier-codes-panel', 'aria-labelledby': 'carrier-codes-heading', 'data-testid': 'carrier-codes' },
      el('h2', { id: 'carrier-codes-heading', text: t('carrier_codes.heading') }),
      el('p', { class: 'muted small', text: t('carrier_codes.intro') }),
      this.list,
      this.result,
      refresh,
    );
  }

  async setCarriers(carriers: Carrier[]): Promise<void> {
    this.carriers = carriers;
    await this.reload();
  }

  async reload(): Promise<void> {
    const rows: HTMLElement[] = [];
    for (const c of this.carriers.slice(0, 50)) {
      const r = await get<{ items: MappingTask[] }>(`/v1/carriers/${encodeURIComponent(c.id)}/mapping-tasks`);
      if (!r.ok) continue;
      for (const task of r.value.items) rows.push(this.row(c, task));
    }
    this.list.replaceChildren(...(rows.length ? rows : [el('p', { class: 'muted', text: t('carrier_codes.none') })]));
  }

  private row(carrier: Carrier, task: MappingTask): HTMLElement {
    const id = `map-${carrier.id}-${task.code}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const select = el('select', { id, 'data-testid': 'carrier-code-milestone' },
      el('option', { value: '', text: t('carrier_codes.choose') }),
      ...MILESTONES.map((m) => el('option', { value: m, text: statusLabel(m) })),
    ) as HTMLSelectElement;
    const button = el('button', { type: 'button', text: t('carrier_codes.map'), 'data-testid': 'carrier-code-map' }) as HTMLButtonElement;
    button.addEventListener('click', () => void this.map(carrier, task, select.value, button));
    return el(
      'div',
      { class: 'carrier-code', 'data-code': task.code, 'data-carrier-id': carrier.id },
      el('p', {},
        el('strong', { text: task.code }),
        el('span', { text: ` · ${carrier.name} · ${t('carrier_codes.events', { n: String(task.events) })}` })),
      task.sample_description ? el('p', { class: 'muted small', text: `“${task.sample_description}”` }) : el('span', {}),
      el('p', { class: 'muted small', text: t('carrier_codes.seen', { from: stamp(task.first_seen), to: stamp(task.last_seen) }) }),
      el('label', { for: id, text: t('carrier_codes.means') }),
      select,
      button,
    );
  }

  private async map(carrier: Carrier, task: MappingTask, milestone: string, button: HTMLButtonElement): Promise<void> {
    if (!milestone) {
      this.result.textContent = t('carrier_codes.choose_first');
      return;
    }
    button.disabled = true;
    const path = `/v1/carriers/${encodeURIComponent(carrier.id)}/code-mappings`;
    const current = await get<{ mappings: CodeMapping[] }>(path);
    if (!current.ok) {
      button.disabled = false;
      this.result.textContent = t('carrier_codes.failed', { code: current.code });
      return;
    }
    const mappings = current.value.mappings.filter((m) => m.code !== task.code);
    mappings.push({ code: task.code, milestone, description: task.sample_description.slice(0, 200) });
    const r = await call<{ reprocessed: number }>('PUT', path, { mappings });
    button.disabled = false;
    if (!r.ok) {
      this.result.textContent = t('carrier_codes.failed', { code: r.code });
      return;
    }
    this.result.textContent = t('carrier_codes.mapped', { code: task.code, milestone: statusLabel(milestone), n: String(r.value.reprocessed) });
    await this.reload();
  }
}
