// A proof of delivery as the customer page and the dashboard show it (GET /v1/track/{token}/proof,
// GET /v1/shipments/{id}/proof): when and where it was left, who took it, the photos and the
// signature. The images come through `image(url)`, which returns what an <img> can show: the URL
// itself on the public page, an object URL of a fetch with the staff key on the dashboard.
import { t, type MessageKey } from '../i18n';
import { en } from '../i18n/en';
import { el } from './dom';
import { stamp } from './format';

export interface ProofImage {
  sha256: string;
  content_type: string;
  width?: number | null;
  height?: number | null;
  url: string;
}

export interface Proof {
  shipment_id?: string;
  delivered_at: string;
  recipient_name?: string | null;
  left_at?: string | null;
  notes?: string | null;
  captured_at?: string | null;
  photos: ProofImage[];
  signature: ProofImage | null;
  location_mismatch?: boolean;
  distance_m?: number | null;
  verification?: { ok: boolean } | null;
}

export interface ProofOptions {
  image: (url: string) => Promise<string | null>;
  notes: boolean; // the driver's notes: staff only
  verification: boolean;
}

const leftAtLabel = (v: string): string => {
  const key = `driver.left_at.${v}`;
  return Object.prototype.hasOwnProperty.call(en, key) ? t(key as MessageKey) : v;
};

export function renderProof(p: Proof, options: ProofOptions): HTMLElement {
  const photos = el('div', { class: 'pod-photos' });
  const box = el(
    'section',
    { class: 'card pod', 'aria-labelledby': 'pod-heading', 'data-testid': 'pod' },
    el('h2', { id: 'pod-heading', text: t('pod.heading') }),
    el('p', { 'data-testid': 'pod-time' }, el('time', { datetime: p.delivered_at, text: t('pod.delivered_at', { at: stamp(p.delivered_at) }) })),
    p.left_at ? el('p', { 'data-testid': 'pod-left-at', text: t('pod.left_at', { where: leftAtLabel(p.left_at) }) }) : null,
    p.recipient_name ? el('p', { 'data-testid': 'pod-recipient', text: t('pod.recipient', { name: p.recipient_name }) }) : null,
    options.notes && p.notes ? el('p', { text: t('pod.notes', { notes: p.notes }) }) : null,
    options.verification && p.location_mismatch && p.distance_m != null ? el('p', { class: 'error', text: t('pod.location_mismatch', { distance: Math.round(p.distance_m) }) }) : null,
    options.verification && p.verification ? el('p', { 'data-testid': 'pod-verification', 'data-ok': String(p.verification.ok), class: p.verification.ok ? 'ok' : 'error', text: p.verification.ok ? t('pod.verified') : t('pod.not_verified') }) : null,
    photos,
  );
  const show = async (image: ProofImage, alt: string, testid: string): Promise<void> => {
    const src = await options.image(image.url);
    if (!src) return;
    const img = el('img', { src, alt, 'data-testid': testid, class: testid, loading: 'lazy' });
    if (image.width && image.height) Object.assign(img, { width: image.width, height: image.height });
    photos.append(el('figure', {}, img, el('figcaption', { class: 'muted small', text: alt })));
  };
  void (async () => {
    for (const [i, photo] of p.photos.entries()) await show(photo, t('pod.photo', { n: i + 1 }), 'pod-photo');
    if (p.signature) await show(p.signature, t('pod.signature'), 'pod-signature');
  })();
  return box;
}
