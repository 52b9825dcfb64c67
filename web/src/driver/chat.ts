// The driver's chat with the customer and the office, per shipment of a stop (docs/chat-and-surveys.md).
// Online only: a message typed offline is not queued in the outbox — the panel says it was not sent
// and keeps the text. While open the thread is read again every 15 s (the app has no live socket).
import { t } from '../i18n';
import { el } from '../shared/dom';
import { ChatPanel, type ChatMessage, type ChatTransport } from '../shared/chat_panel';
import { call } from './api';

const POLL_MS = 15_000;

function driverChat(shipmentId: string): ChatTransport {
  const path = `/v1/shipments/${encodeURIComponent(shipmentId)}/messages`;
  return {
    async list(after) {
      const r = await call<{ items: ChatMessage[] }>('GET', `${path}?after=${after}`);
      return r.ok ? { items: r.value.items, closed: false } : null;
    },
    async send(body, clientId) {
      const r = await call<{ message: ChatMessage }>('POST', path, { body, client_id: clientId });
      return r.ok ? { ok: true, message: r.value.message } : { ok: false, code: r.code };
    },
  };
}

// A "Messages" button that opens the shipment's thread below it.
export function chatToggle(shipmentId: string): HTMLElement {
  const slot = el('div', { class: 'chat-slot' });
  const button = el('button', { type: 'button', class: 'secondary', 'data-testid': 'open-chat', 'aria-expanded': 'false', text: t('chat.heading') });
  let panel: ChatPanel | null = null;
  let timer: number | undefined;
  button.addEventListener('click', () => {
    if (panel) {
      window.clearInterval(timer);
      panel = null;
      slot.replaceChildren();
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    const opened = new ChatPanel(driverChat(shipmentId), 'driver', t('chat.heading'));
    panel = opened;
    slot.replaceChildren(opened.element, el('p', { class: 'muted small', text: t('chat.driver_online_only') }));
    button.setAttribute('aria-expanded', 'true');
    void opened.refresh();
    timer = window.setInterval(() => {
      if (!slot.isConnected) window.clearInterval(timer);
      else void opened.refresh();
    }, POLL_MS);
  });
  return el('div', { class: 'chat-toggle' }, button, slot);
}
