// Re-planning from a late_risk case (docs/optimization.md): "Resequence" re-orders the case's route
// from the driver's position (also offered on every open route of the routes panel), "Reassign" moves the late shipment's stop to another open route of the
// same day. Each first asks for a preview (before/after late stops, return time, and where the route's
// breaks are taken), then applies it only when the dispatcher confirms.
import { t } from '../i18n';
import { call, type ExceptionCase } from './api';
import { el } from '../shared/dom';
import { stamp } from '../shared/format';

interface RouteBreak {
  id: string;
  after_stops: number;
  duration_s: number;
}

interface Timing {
  end_at: string;
  late_stops: number;
  late_s: number;
  breaks?: RouteBreak[];
}

interface Resequence {
  improved: boolean;
  applied: boolean;
  before: Timing;
  after: Timing;
}

interface Reassignment {
  applied: boolean;
  moved: { stop_id: string; to_route: string }[];
  from_route: { before: Timing; after: Timing };
}

interface RouteRow {
  id: string;
  date: string;
  status: string;
}

const breakPlace = (afterStops: number) =>
  afterStops === 0 ? t('replan.break_at_start') : t('replan.break_after', { n: afterStops });

// One line per break of the route under the new plan: where it is taken, and where it was if it moves.
function breakLines(before: Timing, after: Timing): string[] {
  return (after.breaks ?? []).map((b) => {
    const was = (before.breaks ?? []).find((x) => x.id === b.id);
    const vars = { name: b.id, minutes: Math.round(b.duration_s / 60), place: breakPlace(b.after_stops) };
    return was && was.after_stops !== b.after_stops
      ? t('replan.break_moved', { ...vars, before: breakPlace(was.after_stops) })
      : t('replan.break', vars);
  });
}

function summary(before: Timing, after: Timing): string {
  const late = t('replan.summary', {
    before: before.late_stops,
    after: after.late_stops,
    before_end: stamp(before.end_at),
    after_end: stamp(after.end_at),
  });
  return [late, ...breakLines(before, after)].join('\n');
}

// Other open routes of the case's route's day: the candidates of a reassignment.
async function candidates(routeId: string): Promise<string[]> {
  const route = await call<RouteRow>('GET', `/v1/routes/${encodeURIComponent(routeId)}`);
  if (!route.ok) return [];
  const day = await call<{ items: RouteRow[] }>('GET', `/v1/routes?date=${encodeURIComponent(route.value.date)}&limit=100`);
  if (!day.ok) return [];
  return day.value.items
    .filter((r) => r.id !== routeId && (r.status === 'planned' || r.status === 'in_progress'))
    .map((r) => r.id)
    .slice(0, 20);
}

// Asks for a resequence of `routeId` from the driver's position, shows the preview in a confirmation
// and applies it when the dispatcher accepts; says the outcome in `status`. True when applied.
export async function resequenceRoute(routeId: string, status: HTMLElement): Promise<boolean> {
  const path = `/v1/routes/${encodeURIComponent(routeId)}/resequence`;
  const preview = await call<Resequence>('POST', path, {});
  if (!preview.ok) {
    status.textContent = t('queue.refused', { code: preview.code });
    return false;
  }
  if (!preview.value.improved) {
    status.textContent = t('replan.no_better');
    return false;
  }
  if (!window.confirm(`${t('replan.confirm_resequence')}\n${summary(preview.value.before, preview.value.after)}`)) return false;
  const done = await call<Resequence>('POST', path, { apply: true });
  const applied = done.ok && done.value.applied;
  status.textContent = applied ? t('replan.applied') : t('queue.refused', { code: done.ok ? 'not_applied' : done.code });
  return applied;
}

export function replanActions(c: ExceptionCase): HTMLElement | null {
  if (c.kind !== 'late_risk' || !c.route_id) return null;
  const routeId = c.route_id;
  const status = el('p', { class: 'case-status', role: 'status' });
  const reseq = el('button', { type: 'button', class: 'secondary', 'data-action': 'resequence', text: t('replan.resequence') });
  const reassign = el('button', { type: 'button', class: 'secondary', 'data-action': 'reassign', text: t('replan.reassign') });
  const buttons = [reseq, reassign];
  const busy = (on: boolean) => buttons.forEach((b) => (b.disabled = on));

  reseq.addEventListener('click', async () => {
    busy(true);
    await resequenceRoute(routeId, status);
    busy(false);
  });

  reassign.addEventListener('click', async () => {
    busy(true);
    const to = await candidates(routeId);
    if (!to.length || !c.shipment_id) {
      status.textContent = t('replan.no_candidates');
      busy(false);
      return;
    }
    const body = { from_route: routeId, shipment_ids: [c.shipment_id], to_routes: to };
    const preview = await call<Reassignment>('POST', '/v1/routes/reassign', body);
    if (!preview.ok) {
      status.textContent = t('queue.refused', { code: preview.code });
    } else if (!preview.value.moved.length) {
      status.textContent = t('replan.no_room');
    } else {
      const p = preview.value;
      const text = `${t('replan.confirm_reassign', { route: p.moved[0].to_route })}\n${summary(p.from_route.before, p.from_route.after)}`;
      if (window.confirm(text)) {
        const done = await call<Reassignment>('POST', '/v1/routes/reassign', { ...body, apply: true });
        status.textContent = done.ok && done.value.applied ? t('replan.applied') : t('queue.refused', { code: done.ok ? 'not_applied' : done.code });
      }
    }
    busy(false);
  });

  return el('div', { class: 'case-replan' }, el('div', { class: 'buttons' }, ...buttons), status);
}
