// A failed delivery attempt: the reason, the next step, notes and an optional photo, queued as the
// multipart body of POST /v1/shipments/{id}/attempts with its Idempotency-Key.
import { t, type MessageKey } from '../i18n';
import { el } from '../shared/dom';
import type { ManifestShipment } from './api';
import type { App } from './app';
import { PhotoPicker, positionNote } from './capture';
import { newKey } from './outbox';

export const REASONS = ['no_one_home', 'access_issue', 'address_not_found', 'refused', 'damaged', 'unsafe'] as const;
export const NEXT_STEPS = ['reattempt_tomorrow', 'return_to_depot', 'pickup_point'] as const;

export function renderAttempt(app: App, s: ManifestShipment): HTMLElement {
  const reason = el('select', { id: 'attempt-reason', name: 'reason' }, ...REASONS.map((v) => el('option', { value: v, text: t(`driver.reason.${v}` as MessageKey) })));
  const next = el('select', { id: 'attempt-next', name: 'next_step' }, ...NEXT_STEPS.map((v) => el('option', { value: v, text: t(`driver.next_step.${v}` as MessageKey) })));
  const notes = el('textarea', { id: 'attempt-notes', name: 'notes', rows: '3', maxlength: '1000' });
  const photos = new PhotoPicker('attempt-photo', t('driver.attempt.photo'), 1);
  const gps = positionNote();
  const submit = el('button', { type: 'submit', text: t('driver.attempt.submit') });
  const back = el('button', { type: 'button', class: 'secondary', text: t('driver.back') });
  back.addEventListener('click', () => {
    photos.dispose();
    app.show({ name: 'route' });
  });
  void app.positions.current().then((fix) => {
    gps.textContent = fix ? t('driver.gps.fix', { accuracy: Math.round(fix.accuracy) }) : t('driver.gps.none');
  });
  const form = el(
    'form',
    { class: 'card capture', 'aria-labelledby': 'attempt-heading', 'data-testid': 'attempt-form' },
    el('h2', { id: 'attempt-heading', text: t('driver.attempt.heading', { number: s.tracking_number }) }),
    el('p', { class: 'muted', text: t('driver.proof.for', { name: s.recipient.name, street: s.address.line1 ?? '' }) }),
    el('label', { for: 'attempt-reason', text: t('driver.attempt.reason') }),
    reason,
    el('label', { for: 'attempt-next', text: t('driver.attempt.next_step') }),
    next,
    el('label', { for: 'attempt-notes', text: t('driver.proof.notes') }),
    notes,
    photos.element,
    gps,
    el('div', { class: 'actions' }, submit, back),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    const fix = await app.positions.current(3_000);
    const fields: Record<string, string> = { reason: reason.value, next_step: next.value };
    if (notes.value.trim()) fields.notes = notes.value.trim();
    if (fix) Object.assign(fields, { lat: String(fix.lat), lon: String(fix.lon), accuracy: String(fix.accuracy) });
    const files = photos.photos.map((p) => ({ name: 'photo', blob: p.blob, filename: 'photo.jpg' }));
    await app.outbox.add({ kind: 'attempt', path: `/v1/shipments/${encodeURIComponent(s.id)}/attempts`, key: newKey(), ref: s.id, form: { fields, files } });
    photos.dispose();
    app.show({ name: 'route' });
  });
  return form;
}
