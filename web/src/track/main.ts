// The customer tracking page, /t/{tracking_token} (docs/web.md): the shipper's branding, status and
// live ETA window, the map with the vehicle, the milestone timeline and the delivery instructions.
// State comes from GET /v1/track/{token}; the live WebSocket moves the vehicle and the ETA between
// reloads of the view (each milestone event reloads it).
import '../shared/base.css';
import './track.css';

import { t } from '../i18n';
import { fetchProof, fetchTracking, tokenFromPath, type EtaWindow, type Position, type TrackingView } from './api';
import { el } from '../shared/dom';
import { textColorOn } from '../shared/format';
import { renderProof } from '../shared/proof_view';
import { ChatPanel, type ChatMessage } from '../shared/chat_panel';
import { customerChat } from './chat_api';
import { InstructionsForm } from './instructions_form';
import { SurveyForm } from './survey_form';
import { LiveConnection } from './live';
import { loadStyle, TrackingMap } from './map';
import { renderDetails, renderEta, renderNotFound, renderPromised, renderSummary, renderTimeline, renderUnavailable } from './view';

const ON_THE_ROAD = new Set(['out_for_delivery', 'arriving']);
const main = document.getElementById('main') as HTMLElement;
const token = tokenFromPath(location.pathname);

class TrackingPage {
  private readonly status = el('div', { class: 'status' });
  private readonly eta = el('div', { class: 'eta', 'data-testid': 'eta', 'aria-live': 'polite' });
  private readonly promised = el('div', { class: 'promised', 'data-testid': 'promised' });
  private readonly summary = el('section', { class: 'card summary', 'aria-labelledby': 'status' }, this.status, this.eta, this.promised);
  private readonly mapBox = el('section', { class: 'map', 'aria-label': t('map.label'), 'data-testid': 'map' });
  private readonly timeline = el('section', { class: 'card', 'aria-labelledby': 'timeline-heading' });
  private readonly details = el('section', { class: 'card details muted', 'aria-label': t('details.label') });
  private readonly instructions = new InstructionsForm(token);
  private readonly proof = el('div', { class: 'proof-slot' });
  private readonly survey = new SurveyForm(token, new URLSearchParams(location.search).get('survey') === '1');
  private readonly chat = new ChatPanel(customerChat(token), 'customer', t('chat.heading.customer'));
  private proofState: 'none' | 'loading' | 'shown' = 'none';
  private map: TrackingMap | null = null;
  private view: TrackingView | null = null;
  private reloading = false;
  private reloadAgain = false;
  private liveEta: EtaWindow | null = null;
  private vehicleAt = 0; // time of the drawn vehicle position (ms since the epoch)

  async start(first: TrackingView): Promise<void> {
    main.replaceChildren(this.summary, this.survey.element, this.proof, this.mapBox, this.timeline, this.chat.element, this.details, this.instructions.element);
    void this.chat.refresh();
    main.removeAttribute('aria-busy');
    this.render(first);
    const style = await loadStyle();
    if (style) {
      this.map = new TrackingMap(this.mapBox, style);
      this.placeMarkers();
    } else {
      this.mapBox.replaceChildren(el('p', { class: 'muted map-unavailable', text: t('map.unavailable') }));
    }
    new LiveConnection(token, {
      onEvent: () => void this.reload(),
      onResync: () => {
        void this.reload();
        void this.chat.refresh();
      },
      poll: () => {
        void this.reload();
        void this.chat.refresh();
      },
      onMessage: (m) => this.chat.add(m as ChatMessage),
      // The server sends positions only while the location-privacy rule lets the customer see them.
      onPosition: (p) => this.showVehicle({ lat: p.lat, lon: p.lon, heading: p.heading, at: p.t }),
      onEta: (e) => {
        this.liveEta = { at: e.eta, earliest: e.earliest, latest: e.latest };
        renderEta(this.eta, this.liveEta);
      },
    }).start();
  }

  // Reloads the view; calls that arrive meanwhile are folded into one more reload.
  private async reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = true;
    do {
      this.reloadAgain = false;
      const r = await fetchTracking(token);
      if (r.kind === 'ok') this.render(r.value);
    } while (this.reloadAgain);
    this.reloading = false;
  }

  private render(v: TrackingView): void {
    this.view = v;
    document.title = t('page.title', { shipper: v.shipper.name });
    renderSummary(this.status, v);
    renderDetails(this.details, v);
    // A view read just before the pipeline stored its first estimate has no ETA yet; the pushed one
    // stands until the shipment leaves the road (delivered, failed, …).
    if (v.eta || !ON_THE_ROAD.has(v.status)) this.liveEta = v.eta;
    renderEta(this.eta, this.liveEta);
    renderPromised(this.promised, v.promised);
    renderTimeline(this.timeline, v);
    this.instructions.show(v.instructions);
    this.placeMarkers();
    if (v.status === 'delivered') void this.showProof();
    void this.survey.show(v.status);
  }

  // The proof of delivery (photo, signature, time, where it was left), once delivered.
  private async showProof(): Promise<void> {
    if (this.proofState !== 'none') return;
    this.proofState = 'loading';
    const p = await fetchProof(token);
    if (!p) {
      this.proofState = 'none'; // not there yet: the next reload asks again
      return;
    }
    this.proofState = 'shown';
    this.proof.replaceChildren(renderProof(p, { image: async (url) => (url.startsWith('/') && !url.startsWith('//') ? url : null), notes: false, verification: false }));
  }

  // Shows the vehicle at `p` unless a newer position is already drawn (a reloaded view may carry an
  // older one than the live stream).
  private showVehicle(p: Position): void {
    const at = p.at ? Date.parse(p.at) : Date.now();
    if (at < this.vehicleAt) return;
    this.vehicleAt = at;
    this.map?.setTruck(p, p.heading);
  }

  private placeMarkers(): void {
    const v = this.view;
    if (!this.map || !v) return;
    if (v.destination) this.map.setDestination(v.destination);
    const p = v.driver?.position;
    if (p) {
      this.showVehicle(p);
    } else {
      this.vehicleAt = 0;
      this.map.hideTruck();
    }
  }
}

function brand(v: TrackingView): void {
  const header = document.getElementById('brand') as HTMLElement;
  const color = /^#[0-9a-f]{6}$/i.test(v.shipper.brand_color) ? v.shipper.brand_color : '#1d3557';
  header.style.backgroundColor = color;
  header.style.color = textColorOn(color);
  (document.getElementById('brand-name') as HTMLElement).textContent = v.shipper.name;
  // Only a logo of this origin or an inline image: the page loads nothing from elsewhere.
  const logo = v.shipper.brand_logo_url ?? '';
  if ((logo.startsWith('/') && !logo.startsWith('//')) || logo.startsWith('data:image/'))
    header.prepend(el('img', { class: 'brand-logo', src: logo, alt: '', 'data-testid': 'brand-logo' }));
  const footer = document.getElementById('footer') as HTMLElement;
  footer.replaceChildren(
    ...(v.carrier ? [el('p', { text: t('summary.carrier', { carrier: v.carrier.name }) })] : []),
    el('p', { class: 'muted', text: t('map.attribution') }),
  );
}

async function boot(): Promise<void> {
  (document.getElementById('loading') as HTMLElement).textContent = t('page.loading');
  const first = token ? await fetchTracking(token) : ({ kind: 'not_found' } as const);
  if (first.kind === 'not_found') {
    main.removeAttribute('aria-busy');
    renderNotFound(main);
    return;
  }
  if (first.kind === 'failed') {
    main.removeAttribute('aria-busy');
    renderUnavailable(main);
    return;
  }
  brand(first.value);
  await new TrackingPage().start(first.value);
}

void boot();
