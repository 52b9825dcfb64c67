// The driver app, /driver (docs/web.md, "The driver app"): an installable web app for couriers on
// any phone. Sign in with a device token or a one-time link (/driver#code=…, exchanged at
// POST /v1/driver/session; the credential stays in localStorage until Sign out); today's route from
// GET /v1/driver/manifest (kept for offline use); Start route, position reporting, scans, proof of
// delivery and failed attempts, every write through the IndexedDB outbox so nothing is lost offline.
import '../shared/base.css';
import './driver.css';

import { t, translateDocument, type MessageKey } from '../i18n';
import { el } from '../shared/dom';
import { label } from '../dispatch/labels';
import { codeFromHash, credentials, exchangeCode, fetchManifest, savedManifest, type Manifest } from './api';
import type { App, Screen } from './app';
import { renderAttempt } from './attempt';
import { Outbox, newKey, type OutboxItem } from './outbox';
import { PositionReporter } from './position';
import { renderProof } from './proof';
import { renderRoute } from './route_view';
import { renderScan, scanOutcome } from './scan';

const main = document.getElementById('main') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const queueBadge = document.getElementById('queue') as HTMLElement;
const netState = document.getElementById('net') as HTMLElement;
const gpsState = document.getElementById('gps') as HTMLElement;
const rejectedBox = document.getElementById('rejected') as HTMLElement;
const notice = document.getElementById('notice') as HTMLElement;
const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;

document.title = t('driver.page_title');
translateDocument();

class DriverApp implements App {
  readonly outbox = new Outbox();
  readonly positions = new PositionReporter(this.outbox);
  private current: Manifest | null = null;
  private items: OutboxItem[] = [];
  private screen: Screen = { name: 'route' };
  private refreshTimer: number | undefined;

  constructor() {
    this.outbox.onChange((items) => {
      this.items = items;
      this.drawQueue();
    });
    this.outbox.onOutcome((o) => {
      scanOutcome(o);
      if (o.item.kind !== 'pings') this.scheduleRefresh();
    });
    this.outbox.onUnauthenticated = () => signOut(t('driver.sign_in.expired'), false);
    this.positions.onState = (state) => {
      gpsState.textContent = t(`driver.gps.state.${state}` as MessageKey);
      gpsState.dataset.state = state;
    };
  }

  manifest(): Manifest | null {
    return this.current;
  }

  pending(): OutboxItem[] {
    return this.items;
  }

  async begin(): Promise<void> {
    document.body.dataset.view = 'app';
    this.current = savedManifest.get();
    signOutButton.hidden = false;
    const driver = credentials.driver();
    who.textContent = driver ? t('driver.hello', { name: driver.first_name }) : '';
    this.items = await this.outbox.items();
    this.drawQueue();
    this.show({ name: 'route' });
    void this.outbox.retryNow(); // also resumes after a 401 paused it
    await this.refresh();
  }

  stop(): void {
    window.clearTimeout(this.refreshTimer);
  }

  show(screen: Screen): void {
    this.screen = screen;
    document.body.dataset.screen = screen.name;
    if (screen.name === 'route') main.replaceChildren(renderRoute(this));
    else if (screen.name === 'scan') main.replaceChildren(renderScan(this));
    else if (screen.name === 'proof') main.replaceChildren(renderProof(this, screen.shipment));
    else main.replaceChildren(renderAttempt(this, screen.shipment));
    if (screen.name !== 'route') main.focus();
  }

  // Reloads the manifest; offline, the saved one stays (and says so).
  async refresh(): Promise<void> {
    if (!credentials.token()) return; // signed out meanwhile
    const r = await fetchManifest();
    if (r.ok) {
      this.current = r.value;
      savedManifest.set(r.value);
      notice.textContent = '';
      if (r.value.driver) {
        credentials.set(credentials.token() ?? '', r.value.driver);
        who.textContent = t('driver.hello', { name: r.value.driver.first_name });
      }
      if (r.value.route?.status === 'in_progress') this.positions.start();
    } else if (r.status === 401) {
      signOut(t('driver.sign_in.expired'), false);
      return;
    } else {
      notice.textContent = r.status === 0 ? t('driver.offline.saved') : t('driver.manifest.failed', { code: r.code });
    }
    document.body.dataset.manifest = r.ok ? 'fresh' : 'saved';
    if (this.screen.name === 'route') this.show({ name: 'route' });
  }

  async startRoute(): Promise<void> {
    const route = this.current?.route;
    if (!route) return;
    // 409: the route was already started (from another device, or by the office): nothing to do.
    await this.outbox.add({ kind: 'start', path: `/v1/routes/${encodeURIComponent(route.id)}/start`, key: newKey(), ref: route.id, json: {}, accept: [409] });
    this.positions.start();
    if (this.screen.name === 'route') this.show({ name: 'route' });
  }

  // After the outbox delivered something, the manifest is read again (once for a burst).
  private scheduleRefresh(): void {
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => void this.refresh(), 500);
  }

  private drawQueue(): void {
    const waiting = this.items.filter((i) => !i.rejected);
    const rejected = this.items.filter((i) => i.rejected);
    queueBadge.textContent = waiting.length ? t('driver.queue.waiting', { count: waiting.length }) : t('driver.queue.empty');
    queueBadge.dataset.count = String(waiting.length);
    rejectedBox.hidden = rejected.length === 0;
    rejectedBox.replaceChildren(
      ...(rejected.length ? [el('h2', { text: t('driver.rejected.heading') })] : []),
      ...rejected.map((i) => {
        const dismiss = el('button', { type: 'button', class: 'secondary', text: t('driver.rejected.dismiss') });
        dismiss.addEventListener('click', () => void this.outbox.dismiss(i.id!));
        const code = i.rejected!.code;
        return el(
          'p',
          { 'data-testid': 'rejected-item', 'data-kind': i.kind },
          `${t(`driver.kind.${i.kind}` as MessageKey)}: ${label(`driver.rejected.${code}`, t('driver.rejected.generic', { code }))} `,
          dismiss,
        );
      }),
    );
    // The route screen shows what waits for its shipments: redrawn when that changes.
    const signature = this.items.filter((i) => i.kind !== 'pings' && i.kind !== 'scan').map((i) => `${i.id}${i.rejected ? 'x' : ''}`).join();
    if (signature !== this.drawnFor && this.screen.name === 'route' && document.body.dataset.view === 'app') this.show({ name: 'route' });
    this.drawnFor = signature;
  }
  private drawnFor = '';
}

let app: DriverApp | null = null;
let signOutArmed = false;

function showSignIn(message = ''): void {
  document.body.dataset.view = 'sign-in';
  signOutButton.hidden = true;
  who.textContent = '';
  const input = el('input', { id: 'device-token', type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'sign-in-error' });
  const error = el('p', { id: 'sign-in-error', class: 'error', role: 'alert', 'data-testid': 'sign-in-error', text: message });
  const submit = el('button', { type: 'submit', text: t('driver.sign_in.submit') });
  const form = el(
    'form',
    { class: 'card sign-in', 'aria-labelledby': 'sign-in-heading', 'data-testid': 'sign-in' },
    el('h2', { id: 'sign-in-heading', text: t('driver.sign_in.heading') }),
    el('p', { class: 'muted', text: t('driver.sign_in.intro') }),
    el('label', { for: 'device-token', text: t('driver.sign_in.token') }),
    input,
    submit,
    error,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    submit.disabled = true;
    error.textContent = t('driver.sign_in.checking');
    const r = await fetchManifest(token);
    submit.disabled = false;
    if (!r.ok) {
      error.textContent = r.status === 401 ? t('driver.sign_in.invalid') : r.status === 403 ? t('driver.sign_in.not_driver') : t('driver.sign_in.failed');
      input.focus();
      return;
    }
    credentials.set(token, r.value.driver);
    savedManifest.set(r.value);
    startApp();
  });
  main.replaceChildren(form);
}

// One app (one outbox and one position watch) for the page's lifetime, across sign-ins.
function startApp(): void {
  app ??= new DriverApp();
  signOutArmed = false;
  void app.begin();
}

// Signing out forgets the credential, the saved route and whatever still waits to be sent (after
// a second press when something does). `ask`: false when the server refused the credential.
async function signOut(message = '', ask = true): Promise<void> {
  const waiting = app ? (app.pending().filter((i) => !i.rejected).length) : 0;
  if (ask && waiting > 0 && !signOutArmed) {
    signOutArmed = true;
    notice.textContent = t('driver.sign_out.confirm', { count: waiting });
    signOutButton.textContent = t('driver.sign_out.anyway');
    return;
  }
  signOutArmed = false;
  signOutButton.textContent = t('driver.sign_out');
  notice.textContent = '';
  if (app) {
    app.stop();
    await app.positions.stop();
    if (ask) await app.outbox.clear();
  }
  credentials.clear();
  showSignIn(message);
}

signOutButton.addEventListener('click', () => void signOut());

function drawNetwork(): void {
  const online = navigator.onLine;
  document.body.dataset.online = String(online);
  netState.textContent = online ? t('driver.net.online') : t('driver.net.offline');
}
window.addEventListener('online', drawNetwork);
window.addEventListener('offline', drawNetwork);
drawNetwork();

// The service worker keeps the app shell for offline starts (sw.ts); the page works without it.
async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/driver/sw.js', { scope: '/driver' });
    document.body.dataset.sw = 'registered';
    await navigator.serviceWorker.ready;
    document.body.dataset.sw = 'ready';
  } catch {
    document.body.dataset.sw = 'failed';
  }
}

async function boot(): Promise<void> {
  void registerServiceWorker();
  const code = codeFromHash(location.hash);
  if (code) {
    history.replaceState(null, '', location.pathname); // the code is single use: off the address bar
    main.replaceChildren(el('p', { class: 'card', text: t('driver.sign_in.link') }));
    const r = await exchangeCode(code);
    if (r.ok) {
      credentials.set(r.value.token, r.value.driver);
    } else {
      showSignIn(r.status === 0 ? t('driver.sign_in.failed') : t('driver.sign_in.link_invalid'));
      return;
    }
  }
  if (credentials.token()) startApp();
  else showSignIn();
}

void boot();
