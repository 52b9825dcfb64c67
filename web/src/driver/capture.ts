// Pieces of the proof-of-delivery and failed-attempt forms: the photo picker (the phone's camera
// through <input type=file capture>, each photo resized before it is kept) and the GPS note.
import { t } from '../i18n';
import { el } from '../shared/dom';
import { resizePhoto, type Photo } from './photo';

export const MAX_PHOTOS = 5;

export class PhotoPicker {
  readonly element: HTMLElement;
  readonly photos: Photo[] = [];
  private readonly thumbs = el('ul', { class: 'thumbs', 'data-testid': 'photo-thumbs', 'aria-label': t('driver.photo.taken') });
  private readonly note = el('p', { class: 'muted small', 'aria-live': 'polite' });
  private readonly urls: string[] = [];

  constructor(id: string, labelText: string, max = MAX_PHOTOS) {
    const input = el('input', { id, type: 'file', accept: 'image/*', capture: 'environment', name: 'photo', 'data-testid': 'photo-input' });
    input.addEventListener('change', async () => {
      const files = [...(input.files ?? [])];
      input.value = '';
      for (const f of files) {
        if (this.photos.length >= max) {
          this.note.textContent = t('driver.photo.max', { max });
          break;
        }
        this.note.textContent = t('driver.photo.resizing');
        try {
          this.add(await resizePhoto(f));
          this.note.textContent = t('driver.photo.count', { count: this.photos.length });
        } catch {
          this.note.textContent = t('driver.photo.unreadable');
        }
      }
    });
    this.element = el('div', { class: 'field' }, el('label', { for: id, text: labelText }), input, this.note, this.thumbs);
  }

  private add(p: Photo): void {
    this.photos.push(p);
    const url = URL.createObjectURL(p.blob);
    this.urls.push(url);
    const index = this.photos.length - 1;
    const remove = el('button', { type: 'button', class: 'link', text: t('driver.photo.remove') });
    const item = el('li', {}, el('img', { src: url, alt: t('driver.photo.alt', { n: index + 1 }), width: '96', 'data-width': String(p.width), 'data-height': String(p.height) }), remove);
    remove.addEventListener('click', () => {
      const i = this.photos.indexOf(p);
      if (i >= 0) this.photos.splice(i, 1);
      item.remove();
      URL.revokeObjectURL(url);
      this.note.textContent = t('driver.photo.count', { count: this.photos.length });
    });
    this.thumbs.append(item);
  }

  dispose(): void {
    this.urls.forEach((u) => URL.revokeObjectURL(u));
  }
}

// "Position: ±12 m" or "No position", filled in once the position is known.
export function positionNote(): HTMLElement {
  return el('p', { class: 'muted small', 'data-testid': 'gps-note', 'aria-live': 'polite', text: t('driver.gps.waiting') });
}
