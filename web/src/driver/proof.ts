// Proof of delivery for one shipment: photos, a signature, the recipient's name, where it was left,
// notes, and the GPS fix at capture. Queued in the outbox as the multipart body of
// POST /v1/shipments/{id}/proof with an Idempotency-Key made now, so a re-send is never a second POD.
import { t, type MessageKey } from '../i18n';
import { el } from '../shared/dom';
import type { ManifestShipment } from './api';
import type { App } from './app';
import { PhotoPicker, positionNote } from './capture';
import { newKey, type FormPayload } from './outbox';
import { SignaturePad } from './signature';

export const LEFT_AT = ['with_recipient', 'front_door', 'reception', 'neighbour', 'locker', 'mailbox', 'garage', 'other'] as const;

export function renderProof(app: App, s: ManifestShipment): HTMLElement {
  const photos = new PhotoPicker('proof-photo', t('driver.proof.photo'));
  const pad = new SignaturePad(t('driver.proof.signature.pad'));
  const clear = el('button', { type: 'button', class: 'secondary', text: t('driver.proof.signature.clear') });
  clear.addEventListener('click', () => pad.clear());
  const name = el('input', { id: 'proof-name', name: 'recipient_name', autocomplete: 'off', maxlength: '200' });
  const leftAt = el('select', { id: 'proof-left-at', name: 'left_at' }, ...LEFT_AT.map((v) => el('option', { value: v, text: t(`driver.left_at.${v}` as MessageKey) })));
  const notes = el('textarea', { id: 'proof-notes', name: 'notes', rows: '3', maxlength: '1000' });
  const gps = positionNote();
  const error = el('p', { class: 'error', role: 'alert', 'data-testid': 'proof-error' });
  const submit = el('button', { type: 'submit', text: t('driver.proof.submit') });
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
    { class: 'card capture', 'aria-labelledby': 'proof-heading', 'data-testid': 'proof-form', novalidate: true },
    el('h2', { id: 'proof-heading', text: t('driver.proof.heading', { number: s.tracking_number }) }),
    el('p', { class: 'muted', text: t('driver.proof.for', { name: s.recipient.name, street: s.address.line1 ?? '' }) }),
    photos.element,
    el('div', { class: 'field' }, el('span', { class: 'label-text', id: 'signature-label', text: t('driver.proof.signature') }), pad.canvas, clear),
    el('label', { for: 'proof-name', text: t('driver.proof.recipient_name') }),
    name,
    el('label', { for: 'proof-left-at', text: t('driver.proof.left_at') }),
    leftAt,
    el('label', { for: 'proof-notes', text: t('driver.proof.notes') }),
    notes,
    gps,
    error,
    el('div', { class: 'actions' }, submit, back),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const signature = await pad.png();
    if (!photos.photos.length && !signature && !name.value.trim()) {
      error.textContent = t('driver.proof.needs');
      return;
    }
    submit.disabled = true;
    const fix = await app.positions.current(3_000);
    const fields: Record<string, string> = { left_at: leftAt.value, captured_at: new Date().toISOString() };
    if (name.value.trim()) fields.recipient_name = name.value.trim();
    if (notes.value.trim()) fields.notes = notes.value.trim();
    if (fix) Object.assign(fields, { lat: String(fix.lat), lon: String(fix.lon), accuracy: String(fix.accuracy) });
    const form: FormPayload = {
      fields,
      files: photos.photos.map((p, i) => ({ name: 'photo', blob: p.blob, filename: `photo-${i + 1}.jpg` })),
    };
    if (signature) form.files.push({ name: 'signature', blob: signature, filename: 'signature.png' });
    await app.outbox.add({ kind: 'proof', path: `/v1/shipments/${encodeURIComponent(s.id)}/proof`, key: newKey(), ref: s.id, form });
    photos.dispose();
    app.show({ name: 'route' });
  });
  return form;
}
