// t('key', {name: value}): the text of `key` in the message catalogue with `{name}` replaced.
// English only for now; an unknown variable stays visible as `{name}` so a gap shows in review.
import { en, type MessageKey } from './en';

export type { MessageKey };

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

// Fills every element with a data-i18n attribute with its message (static page text).
export function translateDocument(root: ParentNode = document): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n as MessageKey);
  });
}
