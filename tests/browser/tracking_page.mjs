// The customer tracking page in Debian's Chromium at phone size, against the real server that
// test_tracking_page.py started and filled. Each step prints "ok - …"; the first failure prints
// "not ok - …" and exits 1. Configuration: a JSON object in LASTMILE_BROWSER_TEST (see the .py file).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PROOF_NOT_YET, api, base, cfg, check, launch, ok, run, waitFor, watchProblems } from './harness.mjs';

const iso = (ms) => new Date(ms).toISOString();

async function pings(fixes) {
  const r = await api('POST', '/v1/pings', { token: cfg.device_token, body: fixes });
  if (r.status !== 200 && r.status !== 202) throw new Error(`POST /v1/pings: HTTP ${r.status} ${r.text}`);
  if (r.json.accepted !== fixes.length) throw new Error(`POST /v1/pings did not accept every fix: ${r.text}`);
  return r.json;
}

async function center(locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('the vehicle marker has no box');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

async function main() {
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchProblems(page, [], PROOF_NOT_YET);
    const frames = []; // the live messages the page received, for failure reports
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload).slice(0, 200))));

    // An unknown link: a friendly page that tells nothing.
    const unknown = await page.goto(`${base}/t/${cfg.unknown_token}`);
    check(unknown.status() === 200, 'the page of an unknown token loads (the same HTML for every token)');
    await page.getByTestId('not-found').waitFor();
    const unknownText = await page.locator('main').innerText();
    check(/cannot find this delivery/i.test(unknownText) && !/LM\d/.test(unknownText), 'an unknown token shows the friendly not-found page', unknownText);
    problems.length = 0; // Chromium logs the expected 404 of /v1/track/{unknown} as a console error

    // The tracking page before the drive: branding, timeline, promised window, instructions.
    const res = await page.goto(`${base}/t/${cfg.token}`);
    const h = res.headers();
    check(h['content-security-policy']?.includes("script-src 'self'") && h['referrer-policy'] === 'no-referrer' &&
          h['x-content-type-options'] === 'nosniff', 'the page carries its CSP, no-referrer and nosniff', JSON.stringify(h));
    await page.getByTestId('timeline').waitFor();
    const types = await page.locator('[data-testid=timeline] li').evaluateAll((lis) => lis.map((li) => li.dataset.type));
    check(JSON.stringify(types) === JSON.stringify(['shipped', 'processed', 'created']), 'the timeline lists the milestones, newest first', JSON.stringify(types));
    const promised = await page.getByTestId('promised-window').innerText();
    check(/\d\d:\d\d–\d\d:\d\d/.test(promised), 'the promised window is shown', promised);
    check((await page.locator('#brand-name').innerText()) === cfg.shipper_name, "the shipper's name is in the header");
    const brandColor = await page.locator('#brand').evaluate((e) => getComputedStyle(e).backgroundColor);
    check(brandColor === 'rgb(10, 125, 90)', "the header has the shipper's brand colour", brandColor);
    const logoWidth = await page.getByTestId('brand-logo').evaluate((img) => img.complete && img.naturalWidth);
    check(logoWidth > 0, "the shipper's logo (an inline image) is in the header", String(logoWidth));
    check(await page.getByTestId('eta').isHidden(), 'no ETA before the drive');
    await waitFor('the live WebSocket', async () => (await page.locator('body').getAttribute('data-live')) === 'websocket');
    ok('the page is connected to the live WebSocket');

    // Delivery instructions: saved while the parcel waits.
    await page.getByLabel('Gate or door code').fill('4711B');
    await page.getByLabel('Safe place (if you are not in)').fill('behind the blue door');
    await page.getByLabel('Note to the driver').fill('ring twice please');
    await page.getByRole('button', { name: 'Save instructions' }).click();
    await waitFor('the saved message', async () => /saved/.test(await page.getByTestId('instructions-message').innerText()));
    const staff = await api('GET', `/v1/shipments/${cfg.shipment_id}`, { token: cfg.api_key });
    check(staff.json.instructions.gate_code === '4711B' && staff.json.instructions.safe_place === 'behind the blue door' &&
          staff.json.instructions.note === 'ring twice please', 'the instructions are saved and staff see them', JSON.stringify(staff.json.instructions));
    check(await page.getByLabel('Gate or door code').inputValue() === '' &&
          /code is saved/.test(await page.locator('#gate-hint').innerText()), 'the gate code is not shown back, only that one is saved');

    // The drive: the route starts, the phone leaves the depot — out for delivery, the vehicle appears.
    const started = await api('POST', `/v1/routes/${cfg.route_id}/start`, { token: cfg.api_key });
    if (started.status !== 200) throw new Error(`start route: ${started.text}`);
    const path = cfg.path; // [lat, lon] along the road from the depot to the address
    const t0 = Date.now() - 12 * 60_000; // the drive began 12 minutes ago
    await pings([
      { t: iso(t0), lat: cfg.depot.lat, lon: cfg.depot.lon, accuracy: 5, speed: 0 },
      { t: iso(t0 + 20_000), lat: path[1][0], lon: path[1][1], accuracy: 5, speed: 8, heading: path[1][2] },
    ]);
    await waitFor('out for delivery', async () => ['out_for_delivery', 'arriving'].includes(await page.getByTestId('status').getAttribute('data-status')));
    ok('the page shows the shipment out for delivery without a reload');
    const truck = page.getByTestId('truck');
    await truck.waitFor({ timeout: 10_000 });
    ok('the vehicle marker appears on the map');
    await page.getByTestId('eta-window').waitFor({ timeout: 10_000 });
    const eta1 = await page.getByTestId('eta-window').innerText();
    check(/Between \d\d:\d\d and \d\d:\d\d/.test(eta1), 'the live ETA window appears', eta1);
    check(await page.getByTestId('instructions-form').getAttribute('data-locked') === 'true' &&
          await page.getByLabel('Note to the driver').isDisabled(), 'the instructions form is locked once out for delivery');
    const refused = await api('PUT', `/v1/track/${cfg.token}/instructions`, { token: null, body: { note: 'too late' } });
    check(refused.status === 409 && refused.json.error.code === 'illegal_transition', 'a late change is refused with 409 illegal_transition');

    // The vehicle moves: it glides to the next position, and the ETA window follows the drive.
    await page.waitForTimeout(1200);
    const before = await center(truck);
    const next = path[2];
    await pings([{ t: iso(Date.now() - 1000), lat: next[0], lon: next[1], accuracy: 5, speed: 7, heading: next[2] }]);
    let seen = before;
    const moved = await waitFor('the vehicle to move', async () => {
      seen = await center(truck);
      return Math.hypot(seen.x - before.x, seen.y - before.y) > 10 ? seen : null;
    }).catch((e) => {
      throw new Error(`${e.message} (from ${JSON.stringify(before)}, now ${JSON.stringify(seen)}; path ${JSON.stringify(path)}; live messages ${frames.join(' | ')})`);
    });
    ok(`the vehicle marker moves on screen (${before.x.toFixed(0)},${before.y.toFixed(0)} → ${moved.x.toFixed(0)},${moved.y.toFixed(0)})`);
    const eta2 = await waitFor('the ETA window to change', async () => {
      const text = await page.getByTestId('eta-window').innerText();
      return text !== eta1 ? text : null;
    });
    ok(`the ETA window changes with the drive (${eta1} → ${eta2})`);
    await page.waitForTimeout(1200); // the glide ends
    const rotation = await truck.evaluate((e) => e.style.transform);
    const turned = /rotateZ?\((-?[\d.]+)deg\)/.exec(rotation);
    const degrees = turned ? ((Number(turned[1]) % 360) + 360) % 360 : NaN;
    check(Math.abs(degrees - next[2]) < 1, `the vehicle is turned to its heading (${next[2]}°)`, rotation);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(1500); // the glide ends, the tiles are drawn
    const shot = cfg.screenshot;
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    await page.screenshot({ path: shot.replace(/\.png$/, '-full.png'), fullPage: true });
    await truck.screenshot({ path: shot.replace(/\.png$/, '-vehicle.png') });
    ok(`screenshot ${shot} (vehicle: ${await truck.evaluate((e) => e.style.transform)})`);

    // Without the WebSocket (a proxy that refuses upgrades), the page polls /v1/track every 15 s: the
    // delivery shows, and the vehicle leaves the map (location privacy ends with the delivery).
    const offline = await context.newPage();
    offline.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await offline.routeWebSocket(/\/v1\/live/, (ws) => ws.close());
    await offline.goto(`${base}/t/${cfg.token}`);
    await offline.getByTestId('truck').waitFor();
    await waitFor('the polling fallback', async () => (await offline.locator('body').getAttribute('data-live')) === 'polling');
    ok('without the WebSocket the page falls back to polling');
    const delivered = await api('POST', `/v1/shipments/${cfg.shipment_id}/events`, { token: cfg.api_key, body: { type: 'delivered' } });
    if (delivered.status !== 201) throw new Error(`post delivered: ${delivered.text}`);
    await waitFor('the delivery by polling', async () => (await offline.getByTestId('status').getAttribute('data-status')) === 'delivered', 20_000);
    check(await offline.getByTestId('truck').count() === 0 && await offline.getByTestId('eta').isHidden(),
          'the polled page shows the delivery, without the vehicle or an ETA');
    await offline.close();

    // The dashboard's page (tested in dispatch_page.mjs) and a traversal attempt on the assets.
    const dispatch = await page.goto(`${base}/dispatch`);
    await page.getByTestId('sign-in').waitFor();
    check(dispatch.status() === 200, 'the dispatcher dashboard asks for a key');
    const traversal = await api('GET', '/assets/..%2ftrack.html', { token: null });
    check(traversal.status === 404, 'an encoded traversal below /assets/ is 404');

    check(problems.length === 0, 'no console error, no CSP violation, no request to another origin', problems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
