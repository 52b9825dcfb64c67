// The exception queue panel: the open and acknowledged cases (GET /v1/exceptions), newest activity
// first, each with Acknowledge / Resolve / Add note. Live changes arrive as `exception_queue`
// messages; per case the highest `revision` wins, so a late or repeated message never undoes a newer
// state. reload() replaces the list from REST (after every (re)connection of the live stream).
import { t } from '../i18n';
import { call, getAll, type ExceptionCase } from './api';
import { el } from '../shared/dom';
import { stamp } from '../shared/format';
import { kindLabel, label } from './labels';
import { replanActions } from './replan';

export interface QueueContext {
  subject(c: ExceptionCase): string; // "Shipment LM…" or "Driver Luca Rossi"
  changed(): void; // the set of unresolved cases changed (driver colours, late-risk filter)
  open(c: ExceptionCase): void; // show the case's shipment
}

type Action = 'acknowledge' | 'resolve' | 'notes';

export class ExceptionQueue {
  readonly element: HTMLElement;
  private readonly list = el('ul', { class: 'queue-list', 'data-testid': 'queue-list' });
  private readonly summary = el('p', { class: 'muted', 'aria-live': 'polite' });
  private readonly cases = new Map<string, ExceptionCase>(); // every case seen, resolved ones too
  private generation = 0;

  constructor(private readonly ctx: QueueContext) {
    this.element = el(
      'section',
      { class: 'card queue', 'aria-labelledby': 'queue-heading', 'data-testid': 'queue' },
      el('h2', { id: 'queue-heading', text: t('queue.heading') }),
      this.summary,
      this.list,
    );
  }

  unresolved(): ExceptionCase[] {
    return [...this.cases.values()]
      .filter((c) => c.status !== 'resolved')
      .sort((a, b) => b.last_seen_at.localeCompare(a.last_seen_at));
  }

  async reload(): Promise<void> {
    const generation = ++this.generation;
    const [open, acknowledged] = await Promise.all([
      getAll<ExceptionCase>('/v1/exceptions', { status: 'open' }),
      getAll<ExceptionCase>('/v1/exceptions', { status: 'acknowledged' }),
    ]);
    if (generation !== this.generation) return;
    const fresh = new Set([...open, ...acknowledged].map((c) => c.id));
    // A case unresolved here before but in neither list now was resolved while we were away.
    for (const c of this.cases.values()) if (c.status !== 'resolved' && !fresh.has(c.id)) this.cases.delete(c.id);
    [...open, ...acknowledged].forEach((c) => this.upsert(c, false));
    this.render();
  }

  // Takes a case from the live stream or an action's reply; older revisions are ignored.
  upsert(c: ExceptionCase, render = true): void {
    const known = this.cases.get(c.id);
    if (known && known.revision >= c.revision) return;
    this.cases.set(c.id, c);
    if (render) this.render();
  }

  render(): void {
    const items = this.unresolved();
    this.summary.textContent = items.length ? t('queue.count', { count: items.length }) : t('queue.empty');
    // Keep the item that has focus (and its note) when it is still listed: re-render the others only.
    const existing = new Map<string, HTMLElement>();
    this.list.querySelectorAll<HTMLElement>(':scope > li').forEach((li) => existing.set(li.dataset.caseId!, li));
    const next = items.map((c) => {
      const old = existing.get(c.id);
      if (old && old.dataset.revision === String(c.revision)) {
        const subject = old.querySelector('.link');
        if (subject) subject.textContent = this.ctx.subject(c);
        return old;
      }
      const li = this.item(c);
      if (old) {
        const note = old.querySelector('textarea')?.value ?? '';
        (li.querySelector('textarea') as HTMLTextAreaElement).value = note;
      }
      return li;
    });
    this.list.replaceChildren(...next);
    this.ctx.changed();
  }

  private item(c: ExceptionCase): HTMLElement {
    const noteId = `note-${c.id}`;
    const resolutionId = `resolution-${c.id}`;
    const note = el('textarea', { id: noteId, rows: '2', maxlength: '2000' }) as HTMLTextAreaElement;
    const resolution = el(
      'select',
      { id: resolutionId },
      el('option', { value: 'handled', text: t('queue.resolution.handled') }),
      el('option', { value: 'false_alarm', text: t('queue.resolution.false_alarm') }),
    ) as HTMLSelectElement;
    const status = el('p', { class: 'case-status', role: 'status' });
    const act = (action: Action) => async () => {
      const text = note.value.trim();
      if (action === 'notes' && !text) {
        status.textContent = t('queue.note_required');
        note.focus();
        return;
      }
      const body: Record<string, string> = {};
      if (text) body.note = text;
      if (action === 'resolve') body.resolution = resolution.value;
      buttons.forEach((b) => (b.disabled = true));
      const r = await call<ExceptionCase>('POST', `/v1/exceptions/${encodeURIComponent(c.id)}/${action}`, body);
      buttons.forEach((b) => (b.disabled = false));
      if (!r.ok) {
        status.textContent = t('queue.refused', { code: r.code });
        return;
      }
      note.value = '';
      this.upsert(r.value);
      const li = this.list.querySelector<HTMLElement>(`li[data-case-id="${CSS.escape(c.id)}"]`);
      const where = li?.querySelector('.case-status') ?? this.summary;
      where.textContent = t(`queue.done.${action}`);
    };
    const ack = el('button', { type: 'button', 'data-action': 'acknowledge', text: t('queue.acknowledge') });
    const resolve = el('button', { type: 'button', 'data-action': 'resolve', text: t('queue.resolve') });
    const addNote = el('button', { type: 'button', 'data-action': 'notes', class: 'secondary', text: t('queue.add_note') });
    ack.addEventListener('click', act('acknowledge'));
    resolve.addEventListener('click', act('resolve'));
    addNote.addEventListener('click', act('notes'));
    const buttons = c.status === 'open' ? [ack, resolve, addNote] : [resolve, addNote];
    const subject = el('button', { type: 'button', class: 'link', text: this.ctx.subject(c) });
    subject.addEventListener('click', () => this.ctx.open(c));
    return el(
      'li',
      { class: `case case-${c.status}`, 'data-testid': 'case', 'data-case-id': c.id, 'data-kind': c.kind, 'data-status': c.status, 'data-revision': String(c.revision) },
      el(
        'div',
        { class: 'case-head' },
        el('strong', { text: kindLabel(c.kind) }),
        el('span', { class: `badge badge-${c.status}`, text: label(`queue.status.${c.status}`, c.status) }),
        el('span', { class: 'muted', text: t('queue.times', { count: c.count }) }),
      ),
      c.shipment_id || c.driver_id ? subject : null,
      el('p', { class: 'muted small', text: t('queue.seen', { first: stamp(c.first_seen_at), last: stamp(c.last_seen_at) }) }),
      el(
        'div',
        { class: 'case-form' },
        el('label', { for: noteId, text: t('queue.note') }),
        note,
        el('label', { for: resolutionId, text: t('queue.resolution') }),
        resolution,
        el('div', { class: 'buttons' }, ...buttons),
      ),
      replanActions(c),
      status,
    );
  }
}
