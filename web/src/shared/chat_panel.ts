// A chat thread (docs/chat-and-surveys.md) for the three pages: the tracking page (customer, by
// tracking token), the dashboard's shipment detail and the driver app's stops (by credential). The
// page gives the transport; the panel lists messages oldest first, reads only what follows the last
// seq it has, and sends with a client id so a retried send is stored once.
import { t } from '../i18n';
import { el } from './dom';
import { stamp } from './format';

export interface ChatMessage {
  seq: number;
  id: string;
  author: { role: 'customer' | 'driver' | 'dispatcher'; label: string };
  channel: string;
  body: string;
  client_id: string | null;
  created_at: string;
}

export interface ChatTransport {
  // Messages with seq > after; null when the thread could not be read.
  list(after: number): Promise<{ items: ChatMessage[]; closed: boolean } | null>;
  // The stored message, or the refusal's error code ("illegal_transition" once closed, "network").
  send(body: string, clientId: string): Promise<{ ok: true; message: ChatMessage } | { ok: false; code: string }>;
}

export const MAX_CHAT_CHARS = 1000;

export class ChatPanel {
  readonly element: HTMLElement;
  private readonly list = el('ol', { class: 'chat-messages', 'data-testid': 'chat-messages', 'aria-live': 'polite' });
  private readonly input: HTMLTextAreaElement;
  private readonly send: HTMLButtonElement;
  private readonly note = el('p', { class: 'form-message', role: 'status', 'data-testid': 'chat-note' });
  private readonly form: HTMLFormElement;
  private lastSeq = 0;
  private readonly shown = new Set<string>();
  private loading: Promise<void> | null = null;

  // `me`: the author role of this page's user (their messages are drawn on the right).
  constructor(
    private readonly transport: ChatTransport,
    private readonly me: ChatMessage['author']['role'],
    heading: string,
  ) {
    const inputId = `chat-input-${Math.random().toString(36).slice(2, 8)}`;
    this.input = el('textarea', { id: inputId, name: 'body', rows: '2', maxlength: String(MAX_CHAT_CHARS), 'data-testid': 'chat-input' });
    this.send = el('button', { type: 'submit', class: 'button', text: t('chat.send'), 'data-testid': 'chat-send' });
    this.form = el('form', { class: 'chat-form', novalidate: true }, el('label', { for: inputId, class: 'visually-hidden', text: t('chat.label') }), this.input, this.send, this.note);
    this.element = el('section', { class: 'card chat', 'data-testid': 'chat' }, el('h2', { text: heading }), this.list, this.form);
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
  }

  // Reads what follows the last message shown (calls while one runs share it).
  refresh(): Promise<void> {
    if (!this.loading) this.loading = this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  // A message pushed live (or returned by a send): drawn once, in order.
  add(m: ChatMessage): void {
    if (this.shown.has(m.id)) return;
    if (m.seq > this.lastSeq + 1) {
      void this.refresh(); // something in between was missed
      return;
    }
    this.draw(m);
  }

  private async load(): Promise<void> {
    const r = await this.transport.list(this.lastSeq);
    if (!r) return;
    for (const m of r.items) this.draw(m);
    if (r.closed) this.close();
    if (this.list.children.length === 0 && !this.list.dataset.empty) {
      this.list.dataset.empty = 'true';
      this.list.append(el('li', { class: 'muted chat-empty', text: t('chat.empty') }));
    }
  }

  private draw(m: ChatMessage): void {
    if (this.shown.has(m.id)) return;
    this.shown.add(m.id);
    this.list.querySelector('.chat-empty')?.remove();
    this.lastSeq = Math.max(this.lastSeq, m.seq);
    const mine = m.author.role === this.me;
    this.list.append(
      el(
        'li',
        { class: `chat-message ${mine ? 'mine' : 'theirs'} from-${m.author.role}`, 'data-seq': String(m.seq), 'data-testid': 'chat-message' },
        el('span', { class: 'chat-author', text: m.author.label }),
        el('p', { class: 'chat-body', text: m.body }),
        el('time', { class: 'muted small', datetime: m.created_at, text: stamp(m.created_at) }),
      ),
    );
    this.list.scrollTop = this.list.scrollHeight;
  }

  private close(): void {
    this.form.dataset.closed = 'true';
    this.input.disabled = true;
    this.send.disabled = true;
    this.note.textContent = t('chat.closed');
  }

  private async submit(): Promise<void> {
    const body = this.input.value.trim();
    if (!body) return;
    if ([...body].length > MAX_CHAT_CHARS) {
      this.note.textContent = t('chat.too_long', { max: MAX_CHAT_CHARS });
      return;
    }
    this.send.disabled = true;
    this.note.textContent = t('chat.sending');
    const clientId = `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const r = await this.transport.send(body, clientId);
    this.send.disabled = false;
    if (r.ok) {
      this.input.value = '';
      this.note.textContent = '';
      this.add(r.message);
    } else if (r.code === 'illegal_transition') {
      this.close();
    } else {
      this.note.textContent = r.code === 'network' ? t('chat.offline') : t('chat.failed');
    }
  }
}
