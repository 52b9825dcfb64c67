// The shipment detail panel: summary, the driver (through the shipment's route), and every event of
// the shipment oldest first (GET /v1/shipments/{id}/events), milestones and exceptions alike, and
// its proof of delivery once there is one (GET /v1/shipments/{id}/proof, images fetched with the key).
import { t } from '../i18n';
import { get, imageUrl, revokeImages, type Driver, type Shipment, type ShipmentEvent } from './api';
import { renderProof, type Proof } from '../shared/proof_view';
import { ChatPanel, type ChatMessage } from '../shared/chat_panel';
import { staffChat, renderRating } from './chat';
import { el } from '../shared/dom';
import { stamp } from '../shared/format';
import { eventLabel, statusLabel } from './labels';

export class DetailPanel {
  readonly element: HTMLElement;
  private readonly content = el('div', { 'data-testid': 'detail' });
  private current: string | null = null;
  private generation = 0;
  private chat: ChatPanel | null = null;
  private chatFor: string | null = null;

  constructor(private readonly onClose: () => void) {
    this.element = el(
      'section',
      { class: 'card detail', 'aria-labelledby': 'detail-heading', 'data-testid': 'detail-panel', tabindex: '-1' },
      this.content,
    );
    this.empty();
  }

  shown(): string | null {
    return this.current;
  }

  // A chat message pushed live: shown when its shipment is open.
  chatMessage(shipmentId: string, m: ChatMessage): void {
    if (this.current === shipmentId) this.chat?.add(m);
  }

  empty(): void {
    this.current = null;
    this.chat = null;
    this.content.replaceChildren(el('h2', { id: 'detail-heading', class: 'visually-hidden', text: t('detail.timeline') }), el('p', { class: 'muted', text: t('detail.empty') }));
  }

  // Shows shipment `id` (reloading it); `driver` is its route's driver, if any; `track` says
  // whether the driver's track could be drawn.
  async show(id: string, driverOf: (s: Shipment) => Driver | null, track: (d: Driver) => Promise<boolean>, focus = true): Promise<void> {
    const generation = ++this.generation;
    this.current = id;
    const [s, events] = await Promise.all([
      get<Shipment>(`/v1/shipments/${encodeURIComponent(id)}`),
      get<{ items: ShipmentEvent[] }>(`/v1/shipments/${encodeURIComponent(id)}/events`),
    ]);
    if (generation !== this.generation) return;
    revokeImages();
    if (!s.ok || !events.ok) {
      this.content.replaceChildren(el('h2', { id: 'detail-heading', text: t('detail.failed') }));
      return;
    }
    const shipment = s.value;
    const driver = driverOf(shipment);
    const trackNote = el('p', { class: 'muted small', 'aria-live': 'polite' });
    const proofSlot = el('div', { class: 'proof-slot' });
    const ratingSlot = el('div', { class: 'rating-slot', 'data-testid': 'detail-rating' });
    const sameThread = this.chat && this.current === id && this.chatFor === id;
    if (!sameThread) this.chat = new ChatPanel(staffChat(id), 'dispatcher', t('chat.heading'));
    this.chatFor = id;
    const close = el('button', { type: 'button', class: 'secondary', text: t('detail.close') });
    close.addEventListener('click', () => {
      this.empty();
      this.onClose();
    });
    this.content.replaceChildren(
      el('div', { class: 'detail-head' }, el('h2', { id: 'detail-heading', text: t('detail.heading', { number: shipment.tracking_number }) }), close),
      el('p', {}, el('span', { class: `status status-${shipment.status}`, 'data-testid': 'detail-status', text: statusLabel(shipment.status) })),
      el('p', { text: t('detail.recipient', { name: shipment.recipient.name, street: shipment.address.line1, city: shipment.address.city }) }),
      el('p', { text: driver ? t('detail.driver', { name: driver.name }) : t('detail.no_driver') }),
      trackNote,
      ratingSlot,
      proofSlot,
      el('h3', { text: t('detail.timeline') }),
      el(
        'ol',
        { class: 'timeline', 'data-testid': 'timeline' },
        ...events.value.items.map((e) =>
          el(
            'li',
            { 'data-type': e.type },
            el('strong', { text: eventLabel(e.type) }),
            ' ',
            el('time', { datetime: e.at, class: 'muted', text: stamp(e.at) }),
            e.actor?.role ? el('span', { class: 'muted small', text: ` ${t('event.by', { who: e.actor.role })}` }) : null,
          ),
        ),
      ),
    );
    if (this.chat) {
      this.content.append(this.chat.element);
      void this.chat.refresh();
    }
    if (focus) this.element.focus();
    if (shipment.status === 'delivered') void renderRating(id, ratingSlot);
    if (shipment.status === 'delivered' || events.value.items.some((e) => e.type === 'delivered')) {
      const proof = await get<Proof>(`/v1/shipments/${encodeURIComponent(id)}/proof`);
      if (generation !== this.generation) return;
      if (proof.ok) proofSlot.replaceChildren(renderProof(proof.value, { image: imageUrl, notes: true, verification: true }));
    }
    if (driver) {
      const drawn = await track(driver);
      if (generation === this.generation) trackNote.textContent = drawn ? t('detail.track.shown') : t('detail.track.none');
    }
  }
}
