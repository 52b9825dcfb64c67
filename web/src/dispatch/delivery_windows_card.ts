// "Delivery windows" on the scorecards page (docs/delivery-windows.md): what delivering in each
// recipient's suggested window added to first-attempt success on the last 30 days, held back from the
// model. Reads GET /v1/delivery-windows/evaluation.
import { t } from '../i18n';
import { el } from '../shared/dom';
import { get } from './api';

interface Evaluation {
  test_first_attempts: number;
  baseline_first_attempt_success: number;
  in_suggested_window: number;
  in_window_first_attempt_success: number;
  added_points: number | null;
  min_cases: number;
}

const percent = (share: number): string => `${Math.round(share * 1000) / 10} %`;

export async function deliveryWindowsCard(): Promise<HTMLElement> {
  const card = el('section', { class: 'table-wrap', 'aria-labelledby': 'dw-heading', 'data-testid': 'sc-windows' },
    el('h3', { id: 'dw-heading', text: t('windows.heading') }),
    el('p', { class: 'muted small', text: t('windows.intro') }));
  const r = await get<Evaluation>('/v1/delivery-windows/evaluation', { holdout_days: '30' });
  if (!r.ok) {
    card.append(el('p', { class: 'error', text: t('scorecards.failed', { code: r.code }) }));
    return card;
  }
  const e = r.value;
  if (e.added_points === null) {
    card.append(el('p', { 'data-testid': 'sc-windows-result',
      text: t('windows.too_few', { cases: String(e.in_suggested_window), min: String(e.min_cases) }) }));
    return card;
  }
  const sign = e.added_points >= 0 ? '+' : '−';
  card.append(el('dl', { class: 'facts', 'data-testid': 'sc-windows-result' },
    el('dt', { text: t('windows.cases') }), el('dd', { text: String(e.test_first_attempts) }),
    el('dt', { text: t('windows.baseline') }), el('dd', { text: percent(e.baseline_first_attempt_success) }),
    el('dt', { text: t('windows.in_window', { n: String(e.in_suggested_window) }) }),
    el('dd', { text: percent(e.in_window_first_attempt_success) }),
    el('dt', { text: t('windows.added') }),
    el('dd', { text: `${sign}${Math.abs(e.added_points).toFixed(1)} ${t('windows.points')}` })));
  return card;
}
