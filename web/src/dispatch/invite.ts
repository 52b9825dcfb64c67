// "Invite driver": a one-time sign-in link for the driver app (POST /v1/drivers/{id}/login-links),
// shown as a link to copy and a QR code to scan with the driver's phone. The link works once and
// expires (24 h by default); a new invitation makes a new link.
import QRCode from 'qrcode';
import { t } from '../i18n';
import { el } from '../shared/dom';
import { stamp } from '../shared/format';
import { call, type Driver } from './api';

interface LoginLink {
  code: string;
  url: string;
  expires_at: string;
}

export class InvitePanel {
  readonly element: HTMLElement;
  private readonly list = el('ul', { class: 'drivers-list', 'data-testid': 'drivers-list' });
  private readonly result = el('div', { class: 'invite-result', 'aria-live': 'polite', 'data-testid': 'invite-result' });

  constructor() {
    this.element = el(
      'section',
      { class: 'card invite', 'aria-labelledby': 'invite-heading', 'data-testid': 'invite' },
      el('h2', { id: 'invite-heading', text: t('invite.heading') }),
      this.list,
      this.result,
    );
  }

  setDrivers(drivers: Driver[]): void {
    if (!drivers.length) {
      this.list.replaceChildren(el('li', { class: 'muted', text: t('invite.none') }));
      return;
    }
    this.list.replaceChildren(
      ...drivers.map((d) => {
        const button = el('button', { type: 'button', class: 'secondary', 'data-driver-id': d.id, text: t('invite.button', { name: d.name }) });
        button.addEventListener('click', () => void this.invite(d, button));
        return el('li', {}, button);
      }),
    );
  }

  private async invite(d: Driver, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    const r = await call<LoginLink>('POST', `/v1/drivers/${encodeURIComponent(d.id)}/login-links`, {});
    button.disabled = false;
    if (!r.ok) {
      this.result.replaceChildren(el('p', { class: 'error', role: 'alert', text: t('invite.failed', { code: r.code }) }));
      return;
    }
    const link = r.value.url;
    const canvas = el('canvas', { class: 'qr', role: 'img', 'aria-label': t('invite.qr'), 'data-testid': 'invite-qr' });
    const input = el('input', { id: 'invite-link', readonly: true, value: link, 'data-testid': 'invite-link' }) as HTMLInputElement;
    input.addEventListener('focus', () => input.select());
    this.result.replaceChildren(
      el('p', { text: t('invite.intro', { at: stamp(r.value.expires_at) }) }),
      el('label', { for: 'invite-link', text: t('invite.link') }),
      input,
      canvas,
    );
    await QRCode.toCanvas(canvas, link, { width: 220, margin: 2, errorCorrectionLevel: 'M' });
  }
}
