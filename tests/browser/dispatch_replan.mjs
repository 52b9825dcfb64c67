// The "Resequence" action of a late_risk case in Debian's Chromium, against the server that
// test_dispatch_replan.py started and filled. Each step prints "ok - …"; the first failure prints
// "not ok - …" and exits 1.
import { cfg, check, launch, must, ok, run, signedInDashboard, waitFor } from './harness.mjs';

async function main() {
  const browser = await launch();
  try {
    const { page, problems } = await signedInDashboard(browser, { width: 1280, height: 800 });
    const item = page.locator(`[data-testid=case][data-case-id="${cfg.case_id}"]`);
    await item.waitFor({ timeout: 10_000 });
    check(await item.getAttribute('data-kind') === 'late_risk', 'the late_risk case is in the queue');
    const reseq = item.getByRole('button', { name: 'Resequence' });
    check(await reseq.count() === 1 && await item.getByRole('button', { name: 'Reassign' }).count() === 1,
          'the case offers Resequence and Reassign');

    let dialog = '';
    page.once('dialog', async (d) => {
      dialog = d.message();
      await d.accept();
    });
    await reseq.click();
    await waitFor('the confirmation', async () => dialog !== '');
    check(/Apply the new stop order\?/.test(dialog) && /Late stops 1 → 0/.test(dialog),
          'the confirmation shows the late stops before → after', dialog);
    const lunch = /Break lunch \(30 min\): (?:after stop 2 → )?after stop (\d+)\./.exec(dialog);
    check(lunch !== null, "the confirmation says where the driver's lunch is taken", dialog);
    await waitFor('the result', async () => /Applied/.test(await item.innerText()));
    ok('accepting applies the new order');

    const route = await must('GET', `/v1/routes/${cfg.route_id}`, 200);
    const order = route.stops.map((s) => s.id);
    check(order.indexOf(cfg.stops[3]) < 3, 'the tight stop moved forward', JSON.stringify(order));
    check(route.breaks.length === 1 && route.breaks[0].after_stops === Number(lunch[1]),
          'the lunch is stored where the confirmation said', JSON.stringify(route.breaks));
    const events = await must('GET', `/v1/shipments/${cfg.tight_shipment}/events`, 200);
    check(events.items.some((e) => e.type === 'eta_changed' && e.payload.reason === 'replanned'),
          "its customer's ETA change is stored (eta_changed)");
    check(problems.length === 0, 'no console error, CSP violation or foreign request', problems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
