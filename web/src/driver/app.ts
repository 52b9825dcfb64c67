// What the driver app's screens share: the outbox, the position reporter, the day's manifest and
// navigation between screens.
import type { Manifest, ManifestShipment } from './api';
import type { Outbox, OutboxItem } from './outbox';
import type { PositionReporter } from './position';

export type Screen =
  | { name: 'route' }
  | { name: 'scan' }
  | { name: 'proof'; shipment: ManifestShipment }
  | { name: 'attempt'; shipment: ManifestShipment };

export interface App {
  readonly outbox: Outbox;
  readonly positions: PositionReporter;
  manifest(): Manifest | null;
  pending(): OutboxItem[];
  show(screen: Screen): void;
  startRoute(): Promise<void>;
  refresh(): Promise<void>;
}

// The status a shipment will have once the outbox has sent what waits for it.
export function localStatus(app: App, s: ManifestShipment): { status: string; waiting: boolean } {
  const item = app.pending().find((i) => i.ref === s.id && !i.rejected && (i.kind === 'proof' || i.kind === 'attempt'));
  if (!item) return { status: s.status, waiting: false };
  return { status: item.kind === 'proof' ? 'delivered' : 'attempt_failed', waiting: true };
}
