// The tenant settings page, /dispatch#settings (docs/settings.md): the settings document as a form
// grouped by section, the notification rules and templates with a preview, and the audit history.
// Saving sends a merge patch of what changed with the version read; a refused field shows its error
// next to it; a 409 (someone else saved first) reloads the document and says so. Dispatchers may
// read; only a tenant admin may save (the server answers 403 otherwise).
import { t, type MessageKey } from '../i18n';
import { el } from '../shared/dom';
import { stamp } from '../shared/format';
import { session } from './api';

type Kind = 'number' | 'int' | 'nint' | 'bool' | 'text' | 'choice';
interface Field {
  section: string;
  key: string;
  kind: Kind;
  choices?: string[];
}

// The scalar members of the document, in the order shown (docs/settings.md has their ranges).
const FIELDS: Field[] = [
  { section: 'milestones', key: 'arriving', kind: 'bool' },
  { section: 'delivery', key: 'out_for_delivery_on', kind: 'choice', choices: ['depot_departure', 'route_start'] },
  { section: 'geofence', key: 'radius_m', kind: 'number' },
  { section: 'geofence', key: 'dwell_s', kind: 'nint' },
  { section: 'privacy', key: 'show_driver_within_stops', kind: 'int' },
  { section: 'exceptions', key: 'device_offline_minutes', kind: 'nint' },
  { section: 'exceptions', key: 'stationary_minutes', kind: 'nint' },
  { section: 'exceptions', key: 'tracking_stale_hours', kind: 'nint' },
  { section: 'devices', key: 'require_secret', kind: 'bool' },
  { section: 'proof', key: 'max_distance_m', kind: 'number' },
  { section: 'branding', key: 'color', kind: 'text' },
  { section: 'branding', key: 'logo_url', kind: 'text' },
  { section: 'rerouting', key: 'auto_apply', kind: 'bool' },
  { section: 'retention', key: 'track_days', kind: 'nint' },
  { section: 'retention', key: 'photo_days', kind: 'nint' },
  { section: 'retention', key: 'chat_days', kind: 'nint' },
];
const SECTIONS = ['milestones', 'delivery', 'geofence', 'privacy', 'exceptions', 'devices', 'proof', 'branding', 'rerouting', 'retention'];
const CHANNELS = ['email', 'sms'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
interface Doc {
  version: number;
  settings: Obj;
  defaults: Obj;
}
interface Change {
  path: string;
  old: Json;
  new: Json;
}
interface HistoryEntry {
  version: number;
  at: string;
  by: { id: string; name: string };
  via: string;
  changes: Change[];
}
interface Answer {
  ok: boolean;
  status: number;
  body: { error?: { code: string; message: string; field?: string } } & Obj;
}

async function send(method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${session.key() ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const r = await fetch(path, { method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) });
    return { ok: r.ok, status: r.status, body: await r.json().catch(() => ({})) };
  } catch {
    return { ok: false, status: 0, body: { error: { code: 'network', message: '' } } };
  }
}

const label = (key: string): string => t(key as MessageKey);
const obj = (v: Json | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const same = (a: Json | undefined, b: Json | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const shown = (v: Json): string => {
  const s = v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
};

export class SettingsPage {
  private doc: Doc | null = null;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly errors = new Map<string, HTMLElement>();
  private rules: Obj = {};
  private templates: Obj = {};
  private readonly status = el('p', { class: 'settings-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'settings-status' });
  private readonly form = el('form', { class: 'settings-form', 'data-testid': 'settings-form', novalidate: true });
  private readonly history = el('ol', { class: 'settings-history', 'data-testid': 'settings-history' });
  private readonly preview = el('pre', { class: 'settings-preview', 'data-testid': 'settings-preview' });
  private readonly templateRule = el('select', { id: 'settings-template-rule' }) as HTMLSelectElement;
  private readonly templateChannel = el('select', { id: 'settings-template-channel' }, ...CHANNELS.map((c) => el('option', { value: c, text: c }))) as HTMLSelectElement;
  private readonly templateFields = el('div', { class: 'settings-template-fields' });

  async show(main: HTMLElement): Promise<void> {
    const page = el(
      'section',
      { class: 'card settings-page', 'aria-labelledby': 'settings-heading', 'data-testid': 'settings-page' },
      el('p', {}, el('a', { href: '#', text: t('settings.back') })),
      el('h2', { id: 'settings-heading', text: t('settings.heading') }),
      this.status,
      this.form,
      el('h3', { text: t('settings.history') }),
      this.history,
    );
    main.replaceChildren(page);
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    await this.load();
  }

  private async load(message = ''): Promise<void> {
    const r = await send('GET', '/v1/tenant/settings');
    if (!r.ok) {
      this.status.textContent = t('settings.load_failed', { code: r.body.error?.code ?? String(r.status) });
      return;
    }
    this.doc = r.body as unknown as Doc;
    const n = obj(this.doc.settings.notifications);
    this.rules = structuredClone(obj(n.rules));
    this.templates = structuredClone(obj(n.templates));
    this.render();
    this.status.textContent = message || t('settings.version', { version: this.doc.version });
    await this.loadHistory();
  }

  private render(): void {
    const doc = this.doc!;
    this.inputs.clear();
    this.errors.clear();
    const sets = SECTIONS.map((section) =>
      el('fieldset', { 'data-section': section }, el('legend', { text: label(`settings.section.${section}`) }),
        ...FIELDS.filter((f) => f.section === section).map((f) => this.field(f, obj(doc.settings[section])[f.key], obj(doc.defaults[section])[f.key]))),
    );
    const save = el('button', { type: 'submit', text: t('settings.save'), 'data-testid': 'settings-save' });
    this.form.replaceChildren(...sets, this.notifications(), save);
  }

  private field(f: Field, value: Json | undefined, fallback: Json | undefined): HTMLElement {
    const path = `${f.section}.${f.key}`;
    const id = `setting-${f.section}-${f.key}`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.kind === 'choice') {
      input = el('select', { id }, ...(f.choices ?? []).map((c) => el('option', { value: c, text: label(`settings.choice.${c}`) }))) as HTMLSelectElement;
      input.value = String(value ?? '');
    } else if (f.kind === 'bool') {
      input = el('input', { id, type: 'checkbox' }) as HTMLInputElement;
      input.checked = value === true;
    } else {
      const numeric = f.kind !== 'text';
      input = el('input', { id, type: numeric ? 'number' : 'text', step: f.kind === 'number' ? 'any' : '1' }) as HTMLInputElement;
      input.value = value === null || value === undefined ? '' : String(value);
      if (f.kind === 'nint' && fallback !== undefined) input.placeholder = t('settings.default', { value: String(fallback) });
    }
    input.dataset.path = path;
    const error = el('span', { class: 'field-error', id: `${id}-error`, 'data-error-for': path });
    input.setAttribute('aria-describedby', error.id);
    this.inputs.set(path, input);
    this.errors.set(path, error);
    return el('div', { class: 'settings-field' }, el('label', { for: id, text: label(`settings.field.${path}`) }), input, error);
  }

  private value(f: Field): Json {
    const input = this.inputs.get(`${f.section}.${f.key}`)!;
    if (f.kind === 'bool') return (input as HTMLInputElement).checked;
    if (f.kind === 'choice' || f.kind === 'text') return input.value;
    if (input.value.trim() === '') return null;
    const n = Number(input.value);
    return Number.isFinite(n) ? n : input.value;
  }

  // Notification rules (a channel checkbox per rule) and templates (one rule × channel at a time)
  // with a preview through POST /v1/notification-settings/preview of the unsaved text.
  private notifications(): HTMLElement {
    const rows = Object.keys(this.rules).map((rule) =>
      el('tr', {}, el('th', { scope: 'row', text: rule }),
        ...CHANNELS.map((c) => {
          const box = el('input', { type: 'checkbox', 'aria-label': `${rule} ${c}`, 'data-rule': rule, 'data-channel': c }) as HTMLInputElement;
          box.checked = ((this.rules[rule] as string[]) ?? []).includes(c);
          box.addEventListener('change', () => {
            const list = ((this.rules[rule] as string[]) ?? []).filter((x) => x !== c);
            this.rules[rule] = box.checked ? CHANNELS.filter((x) => x === c || list.includes(x)) : list;
          });
          return el('td', {}, box);
        })),
    );
    const rulesError = el('span', { class: 'field-error', 'data-error-for': 'notifications.rules' });
    this.errors.set('notifications.rules', rulesError);
    this.templateRule.replaceChildren(...Object.keys(this.templates).map((r) => el('option', { value: r, text: r })));
    this.templateRule.onchange = () => this.renderTemplate();
    const templateError = el('span', { class: 'field-error', 'data-error-for': 'notifications.templates' });
    this.errors.set('notifications.templates', templateError);
    const previewButton = el('button', { type: 'button', class: 'secondary', text: t('settings.preview'), 'data-testid': 'settings-preview-button' });
    previewButton.addEventListener('click', () => void this.showPreview());
    this.renderTemplate();
    return el('fieldset', { 'data-section': 'notifications' },
      el('legend', { text: t('settings.section.notifications') }),
      el('table', { class: 'settings-rules' }, el('thead', {}, el('tr', {}, el('th', { text: t('settings.rule') }), ...CHANNELS.map((c) => el('th', { text: c })))), el('tbody', {}, ...rows)),
      rulesError,
      el('div', { class: 'settings-field' }, el('label', { for: 'settings-template-rule', text: t('settings.template') }), this.templateRule),
      this.templateFields,
      templateError,
      el('div', { class: 'settings-field' }, el('label', { for: 'settings-template-channel', text: t('settings.channel') }), this.templateChannel, previewButton),
      this.preview,
    );
  }

  private renderTemplate(): void {
    const rule = this.templateRule.value;
    const entry = obj(this.templates[rule]);
    const area = (channel: string, key: string, text: MessageKey): HTMLElement => {
      const id = `template-${channel}-${key}`;
      const box = el('textarea', { id, rows: key === 'subject' ? '1' : '3', 'data-template': `${channel}.${key}` }) as HTMLTextAreaElement;
      box.value = String(obj(entry[channel])[key] ?? '');
      box.addEventListener('input', () => {
        const e = obj(this.templates[rule]);
        e[channel] = { ...obj(e[channel]), [key]: box.value };
        this.templates[rule] = e;
      });
      return el('div', { class: 'settings-field' }, el('label', { for: id, text: t(text) }), box);
    };
    this.templateFields.replaceChildren(
      area('email', 'subject', 'settings.template.subject'),
      area('email', 'text', 'settings.template.text'),
      area('email', 'html', 'settings.template.html'),
      area('sms', 'body', 'settings.template.sms'),
    );
  }

  private unsavedNotifications(): Obj {
    return { ...obj(this.doc!.settings.notifications), rules: this.rules, templates: this.templates };
  }

  private async showPreview(): Promise<void> {
    const r = await send('POST', '/v1/notification-settings/preview', {
      rule: this.templateRule.value, channel: this.templateChannel.value, settings: this.unsavedNotifications(),
    });
    if (!r.ok) {
      this.preview.textContent = t('settings.preview_failed', { message: r.body.error?.message ?? String(r.status) });
      return;
    }
    const b = r.body;
    this.preview.textContent = this.templateChannel.value === 'sms' ? String(b.body ?? '') : `${b.subject ?? ''}\n\n${b.text ?? ''}`;
  }

  // The merge patch of what differs from the document read.
  private patch(): Obj {
    const doc = this.doc!;
    const out: Obj = {};
    for (const f of FIELDS) {
      const v = this.value(f);
      if (same(v, obj(doc.settings[f.section])[f.key])) continue;
      out[f.section] = { ...obj(out[f.section]), [f.key]: v };
    }
    const n = obj(doc.settings.notifications);
    const notifications: Obj = {};
    if (!same(this.rules, n.rules)) notifications.rules = this.rules;
    const templates: Obj = {};
    for (const [rule, entry] of Object.entries(this.templates)) if (!same(entry, obj(n.templates)[rule])) templates[rule] = entry;
    if (Object.keys(templates).length) notifications.templates = templates;
    if (Object.keys(notifications).length) out.notifications = notifications;
    return out;
  }

  private async save(): Promise<void> {
    for (const [path, e] of this.errors) {
      e.textContent = '';
      this.inputs.get(path)?.removeAttribute('aria-invalid');
    }
    const patch = this.patch();
    if (!Object.keys(patch).length) {
      this.status.textContent = t('settings.nothing');
      return;
    }
    const r = await send('PUT', '/v1/tenant/settings', { version: this.doc!.version, settings: patch });
    if (r.ok) {
      await this.load(t('settings.saved', { version: Number(r.body.version) }));
      return;
    }
    const err = r.body.error;
    if (r.status === 409) {
      await this.load(t('settings.conflict'));
      return;
    }
    if (r.status === 403) {
      this.status.textContent = t('settings.forbidden');
      return;
    }
    const field = err?.field ?? '';
    const key = this.errors.has(field) ? field : field.startsWith('notifications.templates.') ? 'notifications.templates' : field.startsWith('notifications.rules') ? 'notifications.rules' : '';
    if (key) {
      this.errors.get(key)!.textContent = err?.message ?? '';
      this.inputs.get(key)?.setAttribute('aria-invalid', 'true');
      this.inputs.get(key)?.focus();
    }
    this.status.textContent = t('settings.refused', { message: err?.message ?? String(r.status) });
  }

  private async loadHistory(): Promise<void> {
    const r = await send('GET', '/v1/tenant/settings/history?limit=20');
    const items = r.ok ? ((r.body.items ?? []) as unknown as HistoryEntry[]) : [];
    this.history.replaceChildren(
      ...(items.length
        ? items.map((h) =>
          el('li', { 'data-version': String(h.version) },
            el('p', { text: t('settings.history.entry', { version: h.version, at: stamp(h.at), by: h.by.name || h.by.id, via: h.via }) }),
            el('ul', {}, ...h.changes.map((c) => el('li', { text: `${c.path}: ${shown(c.old)} → ${shown(c.new)}` })))))
        : [el('li', { class: 'muted', text: t('settings.history.none') })]),
    );
  }
}
