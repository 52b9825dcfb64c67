// A route's breaks (docs/api.md, routes' `breaks`) among its stops, as the driver app and the
// dispatcher's routes panel show them.
import { t } from '../i18n';
import { el } from './dom';
import { clock } from './format';

// A pause taken after the route's first `after_stops` stops.
export interface RouteBreak {
  id: string;
  after_stops: number;
  duration_s: number;
  window: { start: string; end: string } | null;
}

// `stops` rendered in visiting order with each break where it is taken; one after as many stops as
// the route has, or more (stops moved away since), at the end.
export function withBreaks<S>(stops: S[], breaks: RouteBreak[], renderStop: (s: S, i: number) => HTMLElement): HTMLElement[] {
  const items: HTMLElement[] = [];
  stops.forEach((s, i) => {
    for (const b of breaks) if (b.after_stops === i) items.push(renderBreak(b));
    items.push(renderStop(s, i));
  });
  for (const b of breaks) if (b.after_stops >= stops.length) items.push(renderBreak(b));
  return items;
}

export function renderBreak(b: RouteBreak): HTMLElement {
  return el(
    'li',
    { class: 'card break', 'data-testid': 'break', 'data-break-id': b.id },
    el('p', {}, el('strong', { text: t('break.heading', { name: b.id }) }), ' ', t('break.duration', { minutes: Math.round(b.duration_s / 60) })),
    b.window ? el('p', { class: 'muted', text: t('break.window', { start: clock(b.window.start), end: clock(b.window.end) }) }) : null,
  );
}
