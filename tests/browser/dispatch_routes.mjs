// The routes panel of the dashboard in Debian's Chromium, against the server that
// test_dispatch_routes.py started and filled: a planned route of three stops in a zigzag order with a
// lunch after the first and a rest at the end, resequenced from the panel, then reassigned over REST. Each step prints "ok - …"; the first failure prints "not ok - …" and
// exits 1.
import { cfg, check, launch, must, ok, run, signedInDashboard, waitFor } from './harness.mjs';

// The items of an opened route, in page order: a stop's id or "break:" and the break's id.
async function items(route) {
  return route.locator('.route-stops > li').evaluateAll((lis) =>
    lis.map((li) => (li.dataset.testid === 'break' ? `break:${li.dataset.breakId}` : li.dataset.stopId)));
}

// The same for a route as REST has it: each break after its first `after_stops` stops.
function expected(route) {
  const out = [];
  route.stops.forEach((s, i) => {
    for (const b of route.breaks) if (b.after_stops === i) out.push(`break:${b.id}`);
    out.push(s.id);
  });
  for (const b of route.breaks) if (b.after_stops >= route.stops.length) out.push(`break:${b.id}`);
  return out;
}

async function open(route, count) {
  await route.locator('summary').click();
  await waitFor(`the route's ${count} stops`, async () => (await route.getByTestId('route-stop').count()) === count);
}

async function main() {
  const browser = await launch();
  try {
    const { page, problems } = await signedInDashboard(browser);
    const panel = page.getByTestId('routes');
    const route = panel.locator(`[data-testid=route][data-route-id="${cfg.route_id}"]`);
    await route.waitFor({ timeout: 10_000 });
    const summary = await route.locator('summary').innerText();
    check(/Giulia Verdi/.test(summary) && /Planned/.test(summary) && /3 stops/.test(summary),
          "the route is listed with its driver, status and stop count", summary);
    check(await panel.locator(`[data-route-id="${cfg.other_route_id}"]`).count() === 1, "the other driver's route is listed too");

    await open(route, 3);
    const [a, b, c] = cfg.stops;
    const order = await items(route);
    check(JSON.stringify(order) === JSON.stringify([a, 'break:lunch', b, c, 'break:rest']),
          'the stops in visiting order with the lunch after the first and the rest at the end', JSON.stringify(order));
    const lunch = await route.locator('[data-break-id=lunch]').innerText();
    check(/Break: lunch/.test(lunch) && /30 min/.test(lunch) && /Start between \d\d:\d\d and \d\d:\d\d/.test(lunch),
          "the lunch says its length and when it may start", lunch);
    const first = await route.locator(`[data-stop-id="${a}"]`).innerText();
    check(/^1\. To do · shipments: 1/.test(first), 'a stop says its place, status and shipments', first);

    // "Resequence": the preview in a confirmation, accepted; the route reloads in its new order.
    let dialog = '';
    page.once('dialog', async (d) => {
      dialog = d.message();
      await d.accept();
    });
    await route.getByRole('button', { name: 'Resequence' }).click();
    await waitFor('the confirmation', async () => dialog !== '');
    check(/Apply the new stop order\?/.test(dialog) && /Break lunch \(30 min\)/.test(dialog), 'the confirmation shows the plan with its breaks', dialog);
    await waitFor('the result', async () => /Applied/.test(await route.innerText()));
    const resequenced = await must('GET', `/v1/routes/${cfg.route_id}`, 200);
    check(JSON.stringify(resequenced.stops.map((s) => s.id)) !== JSON.stringify(cfg.stops), 'the stop order changed', JSON.stringify(resequenced.stops.map((s) => s.id)));
    await waitFor('the new order on the page', async () => JSON.stringify(await items(route)) === JSON.stringify(expected(resequenced)));
    ok('the route shows its new order with the breaks where REST has them');

    // Its last stop moves to the other route; opening the route again reads it again.
    const last = resequenced.stops[2].id;
    const moved = await must('POST', '/v1/routes/reassign', 200, {
      body: { from_route: cfg.route_id, stop_ids: [last], to_routes: [cfg.other_route_id], apply: true } });
    check(moved.applied && moved.moved.length === 1, 'the reassignment is applied', JSON.stringify(moved.moved));
    await route.locator('summary').click(); // close
    await open(route, 2);
    const reassigned = await must('GET', `/v1/routes/${cfg.route_id}`, 200);
    const after = await items(route);
    check(JSON.stringify(after) === JSON.stringify(expected(reassigned)) && after.at(-1) === 'break:rest' && !after.includes(last),
          'reopened: two stops with the breaks where REST has them, the rest still at the end', JSON.stringify(after));
    check(problems.length === 0, 'no console error, CSP violation or foreign request', problems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
