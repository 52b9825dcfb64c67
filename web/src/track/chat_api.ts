// The customer's chat and survey calls (docs/chat-and-surveys.md): the tracking token is the
// credential, so these need no key.
import type { ChatMessage, ChatTransport } from '../shared/chat_panel';

const base = (token: string): string => `/v1/track/${encodeURIComponent(token)}`;

async function send<T>(method: string, path: string, body?: unknown): Promise<{ ok: true; value: T } | { ok: false; code: string }> {
  try {
    const r = await fetch(path, {
      method,
      cache: 'no-store',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json().catch(() => ({}));
    if (r.ok) return { ok: true, value: json as T };
    return { ok: false, code: json?.error?.code ?? `http_${r.status}` };
  } catch {
    return { ok: false, code: 'network' };
  }
}

export function customerChat(token: string): ChatTransport {
  return {
    async list(after) {
      const r = await send<{ items: ChatMessage[]; closed: boolean }>('GET', `${base(token)}/messages?after=${after}`);
      return r.ok ? r.value : null;
    },
    async send(body, clientId) {
      const r = await send<{ message: ChatMessage }>('POST', `${base(token)}/messages`, { body, client_id: clientId });
      return r.ok ? { ok: true, message: r.value.message } : r;
    },
  };
}

export interface SurveyAnswer {
  stars: number;
  nps?: number;
  comment?: string;
  tags?: string[];
  source?: 'page' | 'link';
}

export interface SurveyState {
  submitted: boolean;
  can_submit: boolean;
  survey: (SurveyAnswer & { created_at: string }) | null;
  form: { tags: string[]; max_comment_chars: number };
}

export const fetchSurvey = (token: string) => send<SurveyState>('GET', `${base(token)}/survey`);
export const submitSurvey = (token: string, a: SurveyAnswer) => send<{ survey: SurveyAnswer }>('POST', `${base(token)}/survey`, a);
