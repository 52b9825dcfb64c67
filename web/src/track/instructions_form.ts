// The recipient's delivery instructions: a form that saves through PUT /v1/track/{token}/instructions
// while the parcel has not left for delivery, and is shown locked (read-only) afterwards.
import { t } from '../i18n';
import { saveInstructions, type PublicInstructions } from './api';
import { el } from '../shared/dom';

export class InstructionsForm {
  readonly element: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly gate: HTMLInputElement;
  private readonly safePlace: HTMLInputElement;
  private readonly note: HTMLTextAreaElement;
  private readonly gateHint: HTMLElement;
  private readonly message: HTMLElement;
  private readonly save: HTMLButtonElement;
  private editing = false; // the recipient has typed since the last save: keep their text

  constructor(private readonly token: string) {
    this.gate = el('input', { id: 'gate-code', name: 'gate_code', type: 'text', maxlength: '50', autocomplete: 'off', 'aria-describedby': 'gate-hint' });
    this.gateHint = el('p', { id: 'gate-hint', class: 'hint' });
    this.safePlace = el('input', { id: 'safe-place', name: 'safe_place', type: 'text', maxlength: '200' });
    this.note = el('textarea', { id: 'note', name: 'note', rows: '3', maxlength: '1000' });
    this.save = el('button', { type: 'submit', class: 'button', text: t('instructions.save') });
    this.message = el('p', { class: 'form-message', role: 'status', 'aria-live': 'polite', 'data-testid': 'instructions-message' });
    this.form = el(
      'form',
      { 'data-testid': 'instructions-form', novalidate: true },
      el('label', { for: 'gate-code', text: t('instructions.gate_code') }),
      this.gate,
      this.gateHint,
      el('label', { for: 'safe-place', text: t('instructions.safe_place') }),
      this.safePlace,
      el('label', { for: 'note', text: t('instructions.note') }),
      this.note,
      this.save,
      this.message,
    );
    this.element = el(
      'section',
      { class: 'card', 'aria-labelledby': 'instructions-heading' },
      el('h2', { id: 'instructions-heading', text: t('instructions.heading') }),
      el('p', { class: 'muted', text: t('instructions.intro') }),
      this.form,
    );
    for (const input of [this.gate, this.safePlace, this.note]) input.addEventListener('input', () => (this.editing = true));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
  }

  show(i: PublicInstructions): void {
    if (!this.editing) {
      this.safePlace.value = i.safe_place;
      this.note.value = i.note;
    }
    this.gateHint.textContent = !i.gate_code_set ? '' : t(i.editable ? 'instructions.gate_code.saved' : 'instructions.gate_code.kept');
    this.lock(!i.editable);
  }

  private lock(locked: boolean): void {
    this.form.dataset.locked = String(locked);
    for (const c of [this.gate, this.safePlace, this.note, this.save]) c.disabled = locked;
    if (locked) {
      this.editing = false;
      this.save.hidden = true;
      this.message.textContent = t('instructions.locked');
    }
  }

  private async submit(): Promise<void> {
    this.save.disabled = true;
    this.message.textContent = t('instructions.saving');
    const change = {
      safe_place: this.safePlace.value.trim(),
      note: this.note.value.trim(),
      ...(this.gate.value.trim() ? { gate_code: this.gate.value.trim() } : {}),
    };
    const r = await saveInstructions(this.token, change);
    this.save.disabled = false;
    if (r.ok) {
      this.editing = false;
      this.gate.value = '';
      this.show(r.instructions);
      this.message.textContent = t('instructions.saved');
    } else if (r.code === 'illegal_transition') {
      this.lock(true);
    } else {
      this.message.textContent = t('instructions.failed');
    }
  }
}
