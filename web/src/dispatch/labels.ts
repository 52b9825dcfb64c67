// Catalogue texts for values the API names (statuses, event types, kinds), falling back to the raw
// value when the catalogue has no entry, so a new server-side value still shows.
import { t, type MessageKey } from '../i18n';
import { en } from '../i18n/en';

export function label(key: string, fallback: string): string {
  return Object.prototype.hasOwnProperty.call(en, key) ? t(key as MessageKey) : fallback;
}

export const statusLabel = (status: string): string => label(`shipment.status.${status}`, status);
export const eventLabel = (type: string): string => label(`shipment.status.${type}`, label(`event.${type}`, type));
export const kindLabel = (kind: string): string => label(`queue.kind.${kind}`, kind);

export const STATUSES = [
  'created', 'processed', 'shipped', 'out_for_delivery', 'arriving', 'delivered', 'attempt_failed',
  'exception', 'returned', 'cancelled', 'available_for_pickup',
];
