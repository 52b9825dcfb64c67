// The dashboard's side of chat and surveys (docs/chat-and-surveys.md): a shipment's thread through
// the staff routes (signed-in key) and its customer rating.
import { t } from '../i18n';
import { call, get } from './api';
import { el } from '../shared/dom';
import type { ChatMessage, ChatTransport } from '../shared/chat_panel';

export function staffChat(shipmentId: string): ChatTransport {
  const path = `/v1/shipments/${encodeURIComponent(shipmentId)}/messages`;
  return {
    async list(after) {
      const r = await get<{ items: ChatMessage[] }>(path, { after: String(after) });
      return r.ok ? { items: r.value.items, closed: false } : null;
    },
    async send(body, clientId) {
      const r = await call<{ message: ChatMessage }>('POST', path, { body, client_id: clientId });
      return r.ok ? { ok: true, message: r.value.message } : { ok: false, code: r.code };
    },
  };
}

interface StaffSurvey {
  stars: number;
  nps: number | null;
  comment: string;
  tags: string[];
}

export async function renderRating(shipmentId: string, slot: HTMLElement): Promise<void> {
  const r = await get<{ survey: StaffSurvey | null }>(`/v1/shipments/${encodeURIComponent(shipmentId)}/survey`);
  if (!r.ok) return;
  const s = r.value.survey;
  const parts: (HTMLElement | null)[] = [
    el('h3', { text: t('survey.staff.heading') }),
    ...(s
      ? [
          el('p', { class: s.stars <= 2 ? 'rating low' : 'rating', 'data-testid': 'rating-stars', text: `${'★'.repeat(s.stars)}${'☆'.repeat(5 - s.stars)} ${t('survey.staff.stars', { stars: s.stars })}` }),
          s.nps !== null ? el('p', { class: 'muted', text: t('survey.staff.nps', { nps: s.nps }) }) : null,
          s.tags.length ? el('p', { class: 'muted small', text: s.tags.map((x) => x.replace(/_/g, ' ')).join(', ') }) : null,
          s.comment ? el('blockquote', { 'data-testid': 'rating-comment', text: s.comment }) : null,
        ]
      : [el('p', { class: 'muted', text: t('survey.staff.none') })]),
  ];
  slot.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}
