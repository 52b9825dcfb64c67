// The parts of the tracking page drawn from the tracking view: the summary (status, ETA window,
// promised window, stops before), the milestone timeline, and the page for an unknown link.
import { t, type MessageKey } from '../i18n';
import type { EtaWindow, TrackingView } from './api';
import { el } from '../shared/dom';
import { clock, day, stamp } from '../shared/format';

const statusText = (status: string): string => t(`status.${status}` as MessageKey) || status;

// Status in words, the driver's first name and the stops before this one.
export function renderSummary(container: HTMLElement, v: TrackingView): void {
  const lines: HTMLElement[] = [
    el('h1', { id: 'status', 'data-testid': 'status', 'data-status': v.status, text: statusText(v.status) }),
  ];
  if (v.driver) lines.push(el('p', { 'data-testid': 'driver', text: t('summary.driver', { name: v.driver.first_name }) }));
  if (v.stops_before !== null && v.stops_before !== undefined) {
    const n = v.stops_before;
    const text = n === 0 ? t('stops.before.none') : n === 1 ? t('stops.before.one') : t('stops.before.many', { count: n });
    lines.push(el('p', { class: 'stops-before', 'data-testid': 'stops-before', text }));
  }
  container.replaceChildren(...lines);
}

// The tracking number and where the parcel goes (masked as the view gives it).
export function renderDetails(container: HTMLElement, v: TrackingView): void {
  const lines: HTMLElement[] = [
    el('p', { 'data-testid': 'tracking-number', text: t('summary.tracking_number', { number: v.tracking_number }) }),
  ];
  if (v.address.street && v.address.city)
    lines.push(el('p', { text: t('summary.to', { name: v.recipient.first_name, street: v.address.street, city: v.address.city }) }));
  container.replaceChildren(...lines);
}

export function renderEta(container: HTMLElement, eta: EtaWindow | null): void {
  container.hidden = eta === null;
  if (!eta) {
    container.replaceChildren();
    return;
  }
  container.replaceChildren(
    el('h2', { class: 'label', text: t('eta.heading') }),
    el('p', { class: 'eta-window', 'data-testid': 'eta-window', text: t('eta.window', { earliest: clock(eta.earliest), latest: clock(eta.latest) }) }),
    el('p', { class: 'muted', 'data-testid': 'eta-at', text: t('eta.at', { at: clock(eta.at) }) }),
  );
}

export function renderPromised(container: HTMLElement, promised: TrackingView['promised']): void {
  container.hidden = promised === null;
  if (!promised) return;
  container.replaceChildren(
    el('h2', { class: 'label', text: t('promised.heading') }),
    el('p', { 'data-testid': 'promised-window', text: t('promised.window', { day: day(promised.start), start: clock(promised.start), end: clock(promised.end) }) }),
  );
}

export function renderTimeline(container: HTMLElement, v: TrackingView): void {
  const items = [...v.timeline].reverse().map((e, i) =>
    el(
      'li',
      { class: i === 0 ? 'current' : undefined, 'data-type': e.type },
      el('span', { class: 'milestone', text: statusText(e.type) }),
      el('time', { datetime: e.at, text: stamp(e.at) }),
    ),
  );
  container.replaceChildren(
    el('h2', { id: 'timeline-heading', text: t('timeline.heading') }),
    items.length ? el('ol', { class: 'timeline', 'data-testid': 'timeline' }, ...items) : el('p', { text: t('timeline.empty') }),
  );
}

function renderNotice(main: HTMLElement, testid: string, title: MessageKey, body: MessageKey): void {
  document.title = t(title);
  main.replaceChildren(
    el(
      'section',
      { class: 'card notice', 'data-testid': testid, 'aria-labelledby': 'notice-title' },
      el('h1', { id: 'notice-title', text: t(title) }),
      el('p', { text: t(body) }),
    ),
  );
}

// An unknown or expired link: says nothing about whether any shipment exists.
export const renderNotFound = (main: HTMLElement): void => renderNotice(main, 'not-found', 'notfound.title', 'notfound.body');

export const renderUnavailable = (main: HTMLElement): void => renderNotice(main, 'unavailable', 'error.title', 'error.body');
