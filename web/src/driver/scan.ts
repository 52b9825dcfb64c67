// The scan screen (chain of custody): a kind (DC processed, loaded, hand-off, delivered, returned),
// the barcode typed or read by the camera (BarcodeDetector, where the browser has it), queued with
// its client id (the idempotency key) and the newest GPS fix. The list below shows each scan's fate
// once sent: recorded, recorded with the server's warnings (wrong route, scanned twice, out of
// sequence), or refused (an unknown barcode).
import { t, type MessageKey } from '../i18n';
import { el } from '../shared/dom';
import { clock } from '../shared/format';
import { label } from '../dispatch/labels';
import type { App } from './app';
import { newKey, type Outcome } from './outbox';

export const SCAN_KINDS = ['dc_processed', 'loaded', 'handoff', 'delivered', 'returned'] as const;

interface Warning {
  code: string;
  message: string;
}

interface LoggedScan {
  id: string;
  barcode: string;
  kind: string;
  at: string;
  state: 'waiting' | 'recorded' | 'warning' | 'rejected';
  warnings: Warning[];
  error: string;
}

// This session's scans, newest first (kept across screens).
const log: LoggedScan[] = [];
let redraw: () => void = () => {};
let lastKind = 'loaded';

// The outbox's answer about a scan.
export function scanOutcome(o: Outcome): void {
  if (o.item.kind !== 'scan') return;
  const entry = log.find((s) => s.id === o.item.key);
  if (!entry) return;
  if (o.done) {
    const warnings = ((o.body as { warnings?: Warning[] } | null)?.warnings ?? []).filter((w) => w && w.code);
    entry.warnings = warnings;
    entry.state = warnings.length ? 'warning' : 'recorded';
  } else {
    entry.state = 'rejected';
    entry.error = o.item.rejected?.code ?? '';
  }
  redraw();
}

const known = label;

export function renderScan(app: App): HTMLElement {
  const kind = el('select', { id: 'scan-kind', name: 'kind' }, ...SCAN_KINDS.map((k) => el('option', { value: k, text: t(`driver.scan.kind.${k}` as MessageKey), selected: k === lastKind })));
  const barcode = el('input', { id: 'scan-barcode', name: 'barcode', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', required: true, inputmode: 'text' });
  const submit = el('button', { type: 'submit', text: t('driver.scan.submit') });
  const list = el('ol', { class: 'scan-list', 'data-testid': 'scan-list', 'aria-live': 'polite', 'aria-label': t('driver.scan.list') });
  const back = el('button', { type: 'button', class: 'secondary', text: t('driver.back') });
  back.addEventListener('click', () => app.show({ name: 'route' }));

  const record = async (code: string): Promise<void> => {
    const value = code.trim();
    if (!value) return;
    lastKind = kind.value;
    const fix = app.positions.last();
    const id = newKey();
    const route = app.manifest()?.route;
    const body: Record<string, unknown> = { id, barcode: value, kind: kind.value, at: new Date().toISOString() };
    if (fix) Object.assign(body, { lat: fix.lat, lon: fix.lon, accuracy: fix.accuracy });
    if (route) body.route_id = route.id;
    log.unshift({ id, barcode: value, kind: kind.value, at: body.at as string, state: 'waiting', warnings: [], error: '' });
    draw();
    await app.outbox.add({ kind: 'scan', path: '/v1/scans', key: id, ref: id, json: body });
  };

  const form = el(
    'form',
    { class: 'card scan-form', 'aria-labelledby': 'scan-heading', 'data-testid': 'scan-form' },
    el('h2', { id: 'scan-heading', text: t('driver.scan.heading') }),
    el('label', { for: 'scan-kind', text: t('driver.scan.kind') }),
    kind,
    el('label', { for: 'scan-barcode', text: t('driver.scan.barcode') }),
    barcode,
    el('div', { class: 'actions' }, submit, back),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = barcode.value;
    barcode.value = '';
    barcode.focus();
    void record(value);
  });
  const camera = cameraScanner((code) => void record(code));
  if (camera) form.append(camera);

  function draw(): void {
    list.replaceChildren(
      ...log.slice(0, 50).map((s) =>
        el(
          'li',
          { class: `scan scan-${s.state}`, 'data-scan-id': s.id, 'data-state': s.state, 'data-barcode': s.barcode },
          el('p', {}, el('code', { text: s.barcode }), ` · ${t(`driver.scan.kind.${s.kind}` as MessageKey)} · ${clock(s.at)}`),
          el('p', { class: 'scan-state', text: t(`driver.scan.state.${s.state}` as MessageKey) }),
          ...s.warnings.map((w) => el('p', { class: 'warning', role: 'alert', 'data-warning': w.code, text: `⚠ ${known(`driver.scan.warning.${w.code}`, w.message || w.code)}` })),
          s.error ? el('p', { class: 'error', role: 'alert', 'data-error': s.error, text: known(`driver.scan.error.${s.error}`, t('driver.rejected.generic', { code: s.error })) }) : null,
        ),
      ),
    );
  }
  redraw = draw;
  draw();
  queueMicrotask(() => barcode.focus());
  return el('div', { class: 'scan-screen' }, form, el('section', { class: 'card', 'aria-labelledby': 'scan-list-heading' }, el('h2', { id: 'scan-list-heading', text: t('driver.scan.list') }), list));
}

// The camera reader, when the browser has BarcodeDetector (Chrome on Android does); null otherwise.
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

function cameraScanner(found: (code: string) => void): HTMLElement | null {
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector || !navigator.mediaDevices?.getUserMedia) return null;
  const video = el('video', { class: 'camera', playsinline: true, muted: true, 'aria-label': t('driver.scan.camera.view') });
  video.hidden = true;
  const button = el('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', text: t('driver.scan.camera.start') });
  const note = el('p', { class: 'muted small', 'aria-live': 'polite' });
  let stream: MediaStream | null = null;
  let timer: number | undefined;
  let lastCode = '';
  const stop = (): void => {
    window.clearInterval(timer);
    stream?.getTracks().forEach((tr) => tr.stop());
    stream = null;
    video.hidden = true;
    button.textContent = t('driver.scan.camera.start');
    button.setAttribute('aria-pressed', 'false');
  };
  button.addEventListener('click', async () => {
    if (stream) return stop();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch {
      note.textContent = t('driver.scan.camera.denied');
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play().catch(() => {});
    button.textContent = t('driver.scan.camera.stop');
    button.setAttribute('aria-pressed', 'true');
    const detector = new Detector();
    timer = window.setInterval(async () => {
      if (!video.isConnected) return stop();
      const codes = await detector.detect(video).catch(() => [] as DetectedBarcode[]);
      const code = codes[0]?.rawValue;
      if (code && code !== lastCode) {
        lastCode = code;
        note.textContent = t('driver.scan.camera.read', { code });
        found(code);
      }
    }, 300);
  });
  return el('div', { class: 'camera-box' }, button, video, note);
}
