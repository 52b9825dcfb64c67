// The dispatcher dashboard in Debian's Chromium at 1280×800, against the real server that
// test_dispatch_page.py started and filled. Each step prints "ok - …"; the first failure prints
// "not ok - …" and exits 1. Configuration: a JSON object in LASTMILE_BROWSER_TEST (see the .py file).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { base, cfg, check, launch, must, ok, run, waitFor, watchProblems } from './harness.mjs';

const S = cfg.shipments;

async function caseOf(shipmentId) {
  const page = await must('GET', `/v1/exceptions?shipment_id=${shipmentId}`, 200);
  if (page.items.length !== 1) throw new Error(`expected one case for ${shipmentId}: ${JSON.stringify(page)}`);
  return page.items[0];
}

async function main() {
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page, []);
    // The live socket passes through a switch: `cut()` drops it and refuses new ones until `restore()`.
    let refuse = false;
    const sockets = [];
    await page.routeWebSocket(/\/v1\/live/, (ws) => {
      if (refuse) return ws.close();
      ws.connectToServer();
      sockets.push(ws);
    });
    const live = async () => page.locator('body').getAttribute('data-live');

    // Sign-in: a wrong key is refused with a clear message; the right one opens the dashboard.
    const res = await page.goto(`${base}/dispatch`);
    const h = res.headers();
    check(res.status() === 200 && h['content-security-policy']?.includes("script-src 'self'"), 'the page loads with its CSP');
    await page.getByTestId('sign-in').waitFor();
    await page.getByLabel('API key').fill('lm_wrong_0000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitFor('the refusal', async () => /not valid/.test(await page.getByTestId('sign-in-error').innerText()));
    check(await page.getByRole('alert').count() === 1, 'a wrong key is refused with a clear message (role alert)');
    problems.length = 0; // Chromium logs the expected 401 as a console error
    await page.getByLabel('API key').fill(cfg.api_key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('shipment-row').first().waitFor();
    check(!page.url().includes(cfg.api_key) && page.url() === `${base}/dispatch`, 'the key is not in the URL', page.url());
    check(await page.evaluate(() => Object.values(sessionStorage).length === 1), 'the key is kept in sessionStorage');
    await waitFor('the live WebSocket', async () => (await live()) === 'websocket');
    ok('the dashboard is connected to the live WebSocket');
    await page.evaluate(() => { window.__sameDocument = true; }); // a reload would drop this

    // The shipments table, a status filter and a search.
    const rows = page.getByTestId('shipment-row');
    await waitFor('three rows', async () => (await rows.count()) === 3);
    const text = await page.getByTestId('shipments-table').innerText();
    check(Object.values(S).every((x) => text.includes(x.tracking_number)) && text.includes('Marie Dupont') &&
          text.includes('SO-7003') && text.includes('Luca Rossi') && text.includes('Monaco Express'),
          'the table lists the shipments with recipient, order, carrier and driver', text);
    await page.getByLabel('Status', { exact: true }).selectOption('shipped');
    await waitFor('the status filter', async () => (await rows.count()) === 1 &&
      (await rows.first().getAttribute('data-shipment-id')) === S.shipped.id);
    ok('filtering by status "shipped" leaves the one shipped shipment');
    check(/Shipped/.test(await rows.first().innerText()), 'the row shows the status in words');
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Search').fill('sofia');
    await page.getByLabel('Search').press('Enter');
    await waitFor('the search', async () => (await rows.count()) === 1 &&
      (await rows.first().getAttribute('data-shipment-id')) === S.waiting.id);
    ok('searching for a recipient name finds the shipment');
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Driver', { exact: true }).selectOption({ label: 'Luca Rossi' });
    await waitFor('the driver filter', async () => (await rows.count()) === 2);
    ok("filtering by driver leaves the driver's two shipments");
    await page.getByLabel('Driver', { exact: true }).selectOption('');
    await waitFor('all rows again', async () => (await rows.count()) === 3);

    // A shipment's detail: its timeline.
    await page.getByRole('button', { name: S.shipped.tracking_number }).click();
    await page.getByTestId('timeline').waitFor();
    const types = await page.locator('[data-testid=timeline] li').evaluateAll((lis) => lis.map((li) => li.dataset.type));
    check(JSON.stringify(types) === JSON.stringify(['created', 'processed', 'shipped']), 'the detail shows the timeline, oldest first', JSON.stringify(types));
    check(/Luca Rossi/.test(await page.getByTestId('detail').innerText()), "the detail names the shipment's driver");

    // A failed delivery raised over the API appears in the queue live, is acknowledged and resolved.
    await must('POST', `/v1/shipments/${S.failing.id}/events`, 201, { body: { type: 'out_for_delivery' } });
    await must('POST', `/v1/shipments/${S.failing.id}/events`, 201, { body: { type: 'attempt_failed', reason: 'nobody home' } });
    const failed = await caseOf(S.failing.id);
    const item = page.locator(`[data-testid=case][data-case-id="${failed.id}"]`);
    await item.waitFor({ timeout: 10_000 });
    check(await page.evaluate(() => window.__sameDocument === true), 'the failed delivery appears in the exception queue without a reload');
    const failedRow = page.locator(`[data-testid=shipment-row][data-shipment-id="${S.failing.id}"]`);
    await waitFor('the row to follow the event', async () => (await failedRow.getAttribute('data-status')) === 'attempt_failed');
    ok("the table's row follows the live event (attempt failed)");
    const itemText = await item.innerText();
    check(/Delivery attempt failed/.test(itemText) && itemText.includes(S.failing.tracking_number) && /First seen/.test(itemText) && /1×/.test(itemText),
          'the case shows its kind, subject, first/last seen and count', itemText);
    await item.getByLabel('Note (optional)').fill('called the recipient');
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await waitFor('acknowledged', async () => (await item.getAttribute('data-status')) === 'acknowledged');
    ok('the Acknowledge button acknowledges the case');
    await item.getByLabel('Resolution').selectOption('handled');
    await item.getByRole('button', { name: 'Resolve' }).click();
    await waitFor('the case to leave the queue', async () => (await item.count()) === 0);
    const resolved = await must('GET', `/v1/exceptions/${failed.id}`, 200);
    check(resolved.status === 'resolved' && resolved.resolution === 'handled' &&
          resolved.notes.some((n) => n.note === 'called the recipient'),
          'the Resolve button resolves it: REST says resolved (handled), with the note', JSON.stringify(resolved));

    // The socket drops; a case opened and resolved meanwhile is settled by the REST reload after the reconnect.
    await must('POST', `/v1/shipments/${S.waiting.id}/events`, 201, { body: { type: 'exception', reason: 'damaged' } });
    const damaged = await caseOf(S.waiting.id);
    const damagedItem = page.locator(`[data-testid=case][data-case-id="${damaged.id}"]`);
    await damagedItem.waitFor({ timeout: 10_000 });
    ok('a second case (exception) appears live');
    refuse = true;
    sockets.forEach((ws) => ws.close());
    await waitFor('the reconnecting state', async () => (await live()) === 'reconnecting');
    ok('the dashboard notices the dropped socket and says it is reconnecting');
    await must('POST', `/v1/exceptions/${damaged.id}/resolve`, 200, { body: { resolution: 'false_alarm' } });
    await page.waitForTimeout(1500);
    check(await damagedItem.count() === 1, 'while disconnected the change is not seen');
    refuse = false;
    await waitFor('the reconnect', async () => (await live()) === 'websocket', 20_000);
    await waitFor('the reloaded queue', async () => (await damagedItem.count()) === 0);
    ok('after the reconnect the queue is reloaded over REST: the case resolved meanwhile is gone');

    // The route is drawn along Monaco's roads (one OSRM-style request per open route), not as straight lines.
    const mapBox = page.getByTestId('map');
    await waitFor('the route along the roads', async () => (await mapBox.getAttribute('data-road-routes')) === '1');
    ok("the driver's route is drawn along the roads");

    // Positions put the driver on the map; an open case on one of its shipments turns it red.
    check(await page.getByTestId('driver-marker').count() === 0, 'no driver marker before a position');
    const t0 = Date.now() - 60_000;
    const ping = await must('POST', '/v1/pings', 200, { token: cfg.device_token, body: [
      { t: new Date(t0).toISOString(), lat: cfg.depot.lat, lon: cfg.depot.lon, accuracy: 5, speed: 0 },
      { t: new Date(t0 + 30_000).toISOString(), lat: cfg.depot.lat + 0.0012, lon: cfg.depot.lon + 0.0006, accuracy: 5, speed: 5, heading: 20 }] });
    if (ping.accepted !== 2) throw new Error(`pings not accepted: ${JSON.stringify(ping)}`);
    const marker = page.getByTestId('driver-marker');
    await marker.waitFor({ timeout: 10_000 });
    const label = await marker.getAttribute('aria-label');
    check(/^Luca Rossi: /.test(label) && (await marker.isVisible()), 'the driver marker appears on the map, labelled with its state', label);
    await must('POST', `/v1/shipments/${S.shipped.id}/events`, 201, { body: { type: 'out_for_delivery' } });
    await must('POST', `/v1/shipments/${S.shipped.id}/events`, 201, { body: { type: 'attempt_failed', reason: 'no access' } });
    await page.locator(`[data-testid=case][data-case-id="${(await caseOf(S.shipped.id)).id}"]`).waitFor();
    await waitFor('the exception colour', async () => (await marker.getAttribute('data-state')) === 'exception');
    check(/open exception/.test(await marker.getAttribute('aria-label')), 'a driver with an open case is marked (colour and label)');

    // The shipment's driver track on the map, then the desktop screenshot.
    await page.getByRole('button', { name: S.failing.tracking_number }).first().click();
    await waitFor('the track note', async () => /track is drawn/.test(await page.getByTestId('detail').innerText()));
    ok("the detail of a shipment on the route draws its driver's track");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(1500); // tiles drawn
    const shot = cfg.screenshot;
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    ok(`screenshot ${shot}`);

    // A narrow screen: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, 'on a narrow screen the page fits the width (the table scrolls in its box)', String(overflow));
    await page.screenshot({ path: shot.replace('desktop', 'narrow'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Paging: a search that matches more than a page (50) shows "Load more", which adds the rest.
    for (let i = 0; i < 51; i++) {
      await must('POST', '/v1/shipments', 201, { body: {
        external_order_id: `BULK-${i}`, recipient: { name: `Bulk Recipient ${i}` },
        address: { line1: `${i + 1} Rue Bellevue`, city: 'Monaco', country: 'MC' }, parcels: [{ barcode: `B-${i}` }] } });
    }
    await page.getByLabel('Search').fill('bulk recipient');
    await page.getByLabel('Search').press('Enter');
    await waitFor('the first page', async () => (await rows.count()) === 50);
    const more = page.getByRole('button', { name: 'Load more' });
    check(await more.isVisible(), 'a search over more than a page shows 50 rows and "Load more"');
    await more.click();
    await waitFor('the second page', async () => (await rows.count()) === 51);
    check(await more.isHidden(), '"Load more" adds the last row and disappears');

    // Sign out: back to the form, the key forgotten.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('sign-in').waitFor();
    check(await page.evaluate(() => sessionStorage.length === 0), 'signing out forgets the key');

    check(problems.length === 0, 'no console error, no CSP violation, no request to another origin', problems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
