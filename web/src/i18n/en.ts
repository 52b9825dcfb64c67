// The English message catalogue: every text the pages show. Keys are stable; `{name}` is replaced
// by t()'s variables. A new language is a file of the same shape (docs/web.md).
export const en = {
  'page.title': 'Delivery tracking – {shipper}',
  'page.loading': 'Loading your delivery…',
  'page.skip': 'Skip to content',

  'status.created': 'Order received',
  'status.processed': 'Being prepared',
  'status.shipped': 'On its way to your area',
  'status.out_for_delivery': 'Out for delivery',
  'status.arriving': 'Arriving soon',
  'status.delivered': 'Delivered',
  'status.attempt_failed': 'Delivery attempt failed',
  'status.exception': 'Delayed',
  'status.returned': 'Returned to sender',
  'status.cancelled': 'Cancelled',
  'status.available_for_pickup': 'Ready for pickup',

  'summary.tracking_number': 'Tracking number {number}',
  'summary.from': 'From {shipper}',
  'summary.carrier': 'Delivered by {carrier}',
  'summary.to': 'To {name}, {street}, {city}',
  'summary.driver': 'Your driver: {name}',
  'details.label': 'Shipment details',

  'eta.heading': 'Estimated arrival',
  'eta.window': 'Between {earliest} and {latest}',
  'eta.at': 'Most likely around {at}',
  'promised.heading': 'Promised delivery window',
  'promised.window': '{day}, {start}–{end}',
  'stops.before.one': '1 stop before yours',
  'stops.before.many': '{count} stops before yours',
  'stops.before.none': 'You are the next stop',

  'map.label': 'Map of the delivery',
  'map.unavailable': 'The map is not available right now.',
  'map.truck': 'Delivery vehicle',
  'map.destination': 'Your address',
  'map.attribution': 'Map data © OpenStreetMap contributors',

  'timeline.heading': 'Delivery progress',
  'timeline.empty': 'No updates yet.',

  'instructions.heading': 'Delivery instructions',
  'instructions.intro': 'Tell the driver how to reach you. You can change this until your parcel is out for delivery.',
  'instructions.gate_code': 'Gate or door code',
  'instructions.gate_code.saved': 'A code is saved. Type a new one to replace it.',
  'instructions.gate_code.kept': 'A code is saved.',
  'instructions.safe_place': 'Safe place (if you are not in)',
  'instructions.note': 'Note to the driver',
  'instructions.save': 'Save instructions',
  'instructions.saving': 'Saving…',
  'instructions.saved': 'Your instructions are saved.',
  'instructions.failed': 'Your instructions could not be saved. Please try again.',
  'instructions.locked': 'Your parcel is out for delivery: the instructions can no longer be changed.',

  'live.reconnecting': 'Live updates paused, reconnecting…',

  'notfound.title': 'We cannot find this delivery',
  'notfound.body': 'The link may be mistyped or no longer valid. Please check the link in your message, or contact the shop you ordered from.',
  'error.title': 'Tracking is unavailable right now',
  'error.body': 'Please try again in a few minutes.',

  'dispatch.title': 'Dispatcher dashboard',
  'dispatch.coming': 'The dispatcher dashboard is coming soon. Until then, the REST API and the live stream serve dispatchers (see docs/api.md).',
} as const;

export type MessageKey = keyof typeof en;
