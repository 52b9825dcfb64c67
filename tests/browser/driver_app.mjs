// The driver app in Debian's Chromium at phone size, against the real server that
// test_driver_app.py started and filled (a route for today with two stops). Each step prints
// "ok N - …"; the first failure prints "not ok N - …" and exits 1. Configuration: a JSON object in
// LASTMILE_BROWSER_TEST (see the .py file); shared helpers in harness.mjs.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PROOF_NOT_YET, api, base, cfg, check, launch, must, ok, run, waitFor, watchProblems } from './harness.mjs';

const A = cfg.first;
const B = cfg.second;
const near = (p, dLat, dLon) => ({ latitude: p.lat + dLat, longitude: p.lon + dLon, accuracy: 8 });

// Chromium logs a failed load as a console error: while offline, and for the answers the test
// provokes on purpose (an unknown barcode's 404; a used sign-in code is only tried over the API).
const offlineNoise = (text) => /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_CONNECTION_RESET|Failed to fetch/.test(text);
const expected = (text, url) => PROOF_NOT_YET(text, url) || offlineNoise(text) ||
  (/status of 404/.test(text) && /\/v1\/scans$/.test(url)) || (/status of 503/.test(text) && /\/attempts$/.test(url));

async function main() {
  // The installable parts: the manifest and the service worker, with their types and scope.
  const manifest = await api('GET', '/driver/manifest.webmanifest', { token: null });
  check(manifest.status === 200 && manifest.headers.get('content-type') === 'application/manifest+json' &&
        manifest.json.start_url === '/driver' && manifest.json.scope === '/driver' && manifest.json.display === 'standalone' &&
        manifest.json.icons.length > 0, 'the web app manifest is served (start_url and scope /driver, standalone, icons)', manifest.text);
  const sw = await api('GET', '/driver/sw.js', { token: null });
  check(sw.status === 200 && /javascript/.test(sw.headers.get('content-type')) && sw.headers.get('service-worker-allowed') === '/driver',
        'the service worker is served as JavaScript with Service-Worker-Allowed: /driver');

  const browser = await launch();
  try {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      permissions: ['geolocation'], geolocation: near(cfg.depot, 0, 0),
    });
    const page = await context.newPage();
    const problems = watchProblems(page, [], expected);

    // Sign in with the one-time link: the code leaves the address bar, the credential is kept.
    const res = await page.goto(`${base}/driver#code=${cfg.code}`);
    check(res.status() === 200 && res.headers()['content-security-policy']?.includes("script-src 'self'"), 'the app loads with its CSP');
    await page.getByTestId('route').waitFor({ timeout: 15_000 });
    check(!page.url().includes(cfg.code), 'the sign-in code is taken off the address bar', page.url());
    check(await page.evaluate(() => !!localStorage.getItem('lastmile.driver.token')), 'the driver credential is kept in localStorage');
    const again = await api('POST', '/v1/driver/session', { token: null, body: { code: cfg.code } });
    check(again.status === 401 && again.json?.error?.code === 'invalid_code', 'the link works once (401 invalid_code after)', again.text);
    check((await page.locator('#who').innerText()).includes('Luca'), "the header greets the driver by first name");

    // The service worker registers and controls the app.
    await waitFor('the service worker', async () => (await page.locator('body').getAttribute('data-sw')) === 'ready', 15_000);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/driver'))?.scope);
    check(scope === `${base}/driver`, 'the service worker is registered with scope /driver', scope);

    // Today's route: stops in order, parcels, instructions, navigation links.
    const stops = page.getByTestId('stop');
    check(await stops.count() === 2, 'the route lists its two stops');
    const firstStop = await stops.nth(0).innerText();
    check(firstStop.includes('12 Avenue de la Costa') && firstStop.includes('Marie Dupont') && A.barcodes.every((b) => firstStop.includes(b)),
          'the first stop shows its address, recipient and parcels', firstStop);
    check(/behind the blue gate|ring twice/.test(firstStop), "the stop shows the recipient's delivery instructions", firstStop);
    // The lunch break sits between the two stops, with its length and window.
    const order = await page.locator('[data-testid=stops] > li').evaluateAll((items) => items.map((li) => li.dataset.testid));
    check(JSON.stringify(order) === JSON.stringify(['stop', 'break', 'stop']), 'the break is listed after the first stop', JSON.stringify(order));
    const lunch = await page.getByTestId('break').innerText();
    check(lunch.includes('lunch') && lunch.includes('30 min') && /Start between \d\d:\d\d and \d\d:\d\d/.test(lunch),
          'the break shows its name, length and window', lunch);
    const geo = await stops.nth(0).getByTestId('nav-geo').getAttribute('href');
    const osm = await stops.nth(0).getByTestId('nav-osm').getAttribute('href');
    check(/^geo:43\.738400,7\.424600/.test(geo) && osm.startsWith('https://www.openstreetmap.org/directions'), 'each stop has navigation links (geo: and OpenStreetMap)', `${geo} ${osm}`);

    // Start the route; the simulated position moves and reaches the server in a batch.
    await page.getByTestId('start-route').click();
    await waitFor('the route to start', async () => (await api('GET', `/v1/routes/${cfg.route_id}`)).json?.status === 'in_progress');
    ok('"Start route" starts the route (REST says in_progress)');
    for (let i = 1; i <= 3; i++) {
      await context.setGeolocation(near(cfg.depot, 0.0004 * i, 0.0002 * i));
      await page.waitForTimeout(300);
    }
    const position = await waitFor('a position on the server', async () => (await api('GET', `/v1/drivers/${cfg.driver_id}`)).json?.position, 20_000);
    check(Math.abs(position.lat - cfg.depot.lat) < 0.01, 'the phone positions reach the server (POST /v1/pings batch)', JSON.stringify(position));

    // Scans: both parcels of the first stop and the second's loaded; a duplicate and an unknown barcode.
    await page.getByRole('button', { name: 'Scan parcels' }).click();
    await page.getByLabel('Scan type').selectOption('loaded');
    const scanOne = async (barcode) => {
      await page.getByLabel('Barcode').fill(barcode);
      await page.getByRole('button', { name: 'Record scan' }).click();
    };
    for (const b of [...A.barcodes, ...B.barcodes]) await scanOne(b);
    const scanItems = page.locator('[data-testid=scan-list] li');
    await waitFor('three recorded scans', async () => (await page.locator('[data-testid=scan-list] li[data-state=recorded]').count()) === 3);
    ok('three parcels scanned "loaded" and recorded by the server');
    await scanOne(A.barcodes[0]);
    const dup = scanItems.first();
    await waitFor('the duplicate warning', async () => (await dup.getAttribute('data-state')) === 'warning');
    check(await dup.locator('[data-warning=duplicate_scan]').isVisible(), 'scanning a parcel twice shows a clear warning', await dup.innerText());
    await scanOne(cfg.elsewhere_barcode);
    const wrong = scanItems.first();
    await waitFor('the wrong-route warning', async () => (await wrong.getAttribute('data-state')) === 'warning');
    check(await wrong.locator('[data-warning=wrong_route]').isVisible() && /not on your route/.test(await wrong.innerText()),
          'scanning a parcel of no route of the driver warns "not on your route"', await wrong.innerText());
    await scanOne('NOT-A-PARCEL-1');
    const unknown = scanItems.first();
    await waitFor('the unknown barcode', async () => (await unknown.getAttribute('data-state')) === 'rejected');
    check(/Unknown barcode/.test(await unknown.innerText()), 'an unknown barcode is shown as not recorded', await unknown.innerText());
    await page.getByTestId('rejected-item').getByRole('button', { name: 'Dismiss' }).click();

    // Offline: the proof of delivery of the first stop, with a photo and a drawn signature.
    await page.getByRole('button', { name: 'Back' }).click();
    await context.setOffline(true);
    await waitFor('the offline state', async () => (await page.locator('body').getAttribute('data-online')) === 'false');
    ok('the app notices it is offline');
    await context.setGeolocation(near(cfg.first_address, 0.00005, 0)); // at the door
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Proof of delivery for Marie Dupont' }).click();
    await page.getByLabel('Photo', { exact: true }).setInputFiles(cfg.photo);
    const thumb = page.locator('[data-testid=photo-thumbs] img');
    await thumb.waitFor();
    check(await thumb.getAttribute('data-width') === '1600' && await thumb.getAttribute('data-height') === '1200',
          'the 2000×1500 photo is resized on the phone to 1600×1200', `${await thumb.getAttribute('data-width')}`);
    const pad = await page.getByTestId('signature-pad').boundingBox();
    await page.mouse.move(pad.x + pad.width * 0.15, pad.y + pad.height * 0.6);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(pad.x + pad.width * (0.15 + i * 0.05), pad.y + pad.height * (0.6 - 0.3 * Math.sin(i / 2)), { steps: 2 });
    await page.mouse.up();
    await page.getByLabel('Recipient name').fill('Marie Dupont');
    await page.getByLabel('Left', { exact: true }).selectOption('front_door');
    await page.getByRole('button', { name: 'Confirm delivery' }).click();
    await page.getByTestId('route').waitFor();
    const queue = page.getByTestId('queue-count');
    await waitFor('the waiting proof', async () => Number(await queue.getAttribute('data-count')) >= 1);
    check(/waiting to send/.test(await queue.innerText()), 'offline, the proof waits in the outbox ("N waiting to send")', await queue.innerText());
    const rowA = page.locator(`[data-testid=stop-shipment][data-shipment-id="${A.id}"]`);
    check(/Delivered \(waiting to send\)/.test(await rowA.getByTestId('shipment-status').innerText()), 'the stop shows it delivered, waiting to send');
    check((await api('GET', `/v1/shipments/${A.id}/proof`)).status === 404, 'the server has no proof yet');

    // Reopened offline: the service worker serves the app, IndexedDB still holds the proof.
    await page.reload();
    await page.getByTestId('route').waitFor({ timeout: 15_000 });
    await waitFor('the outbox after the reload', async () => Number(await queue.getAttribute('data-count')) >= 1);
    check(await page.locator('body').getAttribute('data-manifest') === 'saved', 'offline, the app opens from the service worker with the saved route and the waiting proof');
    await page.screenshot({ path: cfg.screenshot.replace('route', 'offline'), fullPage: true });

    // Back online: the outbox sends the proof and empties. The first answer is lost on the way back
    // (the server stored the proof, the phone sees a reset connection): the re-send with the same
    // Idempotency-Key and the same bytes gets the same proof, not a second one.
    let lost = 0;
    await page.route(/\/v1\/shipments\/[^/]+\/proof$/, async (route) => {
      if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
      lost++;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await context.setOffline(false);
    await waitFor('the outbox to empty', async () => (await queue.getAttribute('data-count')) === '0', 30_000);
    check(lost === 1, 'back online, the outbox sends everything (0 waiting), re-sending the proof whose answer was lost');
    await page.unroute(/\/v1\/shipments\/[^/]+\/proof$/);
    await waitFor('the delivered status', async () => (await rowA.getAttribute('data-status')) === 'delivered' &&
      !/waiting/.test(await rowA.getByTestId('shipment-status').innerText()), 15_000);
    ok('the stop shows the shipment delivered');
    const proof = await must('GET', `/v1/shipments/${A.id}/proof`, 200);
    check(proof.photos.length === 1 && proof.signature && proof.recipient_name === 'Marie Dupont', 'the server holds the proof: one photo, the signature, the name', JSON.stringify(proof));

    // A failed attempt at the second stop (online); the server is unavailable at the first try (503):
    // the outbox keeps it and tries again after a second.
    let unavailable = 0;
    await page.route(/\/attempts$/, async (route) => {
      if (unavailable++ > 0) return route.fallback();
      await route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"busy"}}' });
    });
    await page.getByRole('button', { name: 'Failed attempt for Jean Martin' }).click();
    await page.getByLabel('Reason').selectOption('no_one_home');
    await page.getByLabel('Next step').selectOption('reattempt_tomorrow');
    await page.getByRole('button', { name: 'Record failed attempt' }).click();
    const rowB = page.locator(`[data-testid=stop-shipment][data-shipment-id="${B.id}"]`);
    await waitFor('the failed attempt', async () => (await rowB.getAttribute('data-status')) === 'attempt_failed' && (await queue.getAttribute('data-count')) === '0', 15_000);
    check(unavailable === 2, 'a failed attempt is recorded (no one home, try again tomorrow), retried after a 503', String(unavailable));
    mkdirSync(dirname(cfg.screenshot), { recursive: true });
    await page.screenshot({ path: cfg.screenshot, fullPage: true });
    ok(`screenshot ${cfg.screenshot}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, 'the app fits a phone screen', String(overflow));

    // The customer's tracking page shows the proof.
    const customer = await context.newPage();
    watchProblems(customer, problems, expected);
    await customer.goto(`${base}/t/${A.token}`);
    const pod = customer.getByTestId('pod');
    await pod.waitFor({ timeout: 15_000 });
    const podText = await pod.innerText();
    check(/Delivered/.test(podText) && /front door/i.test(podText), 'the tracking page shows the proof of delivery (time, left at the front door)', podText);
    await waitFor('the proof images', async () => customer.evaluate(() =>
      ['pod-photo', 'pod-signature'].every((id) => { const img = document.querySelector(`[data-testid=${id}]`); return img && img.complete && img.naturalWidth > 0; })));
    ok('the tracking page shows the photo and the signature');
    await customer.screenshot({ path: cfg.screenshot.replace('route', 'tracking-pod'), fullPage: true });

    // The dashboard: the proof in the shipment detail (images fetched with the key), and "invite driver".
    const office = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const desk = await office.newPage();
    watchProblems(desk, problems, expected);
    await desk.goto(`${base}/dispatch`);
    await desk.getByLabel('API key').fill(cfg.api_key);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('button', { name: A.tracking_number }).click();
    await desk.getByTestId('pod').waitFor({ timeout: 15_000 });
    await waitFor('the dashboard proof images', async () => desk.evaluate(() =>
      ['pod-photo', 'pod-signature'].every((id) => { const img = document.querySelector(`[data-testid=${id}]`); return img && img.complete && img.naturalWidth > 0; })));
    check(await desk.getByTestId('pod-verification').getAttribute('data-ok') === 'true', "the dashboard's detail shows the proof, its images and a verified record");
    await desk.getByRole('button', { name: `Invite ${cfg.driver_name}` }).click();
    const link = await desk.getByTestId('invite-link').inputValue();
    check(/\/driver#code=[A-Za-z0-9_-]+$/.test(link), 'Invite driver shows a one-time sign-in link', link);
    check(await desk.getByTestId('invite-qr').evaluate((c) => c.width > 100), 'and its QR code');
    // That link signs a fresh phone in.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const second = await phone.newPage();
    watchProblems(second, problems, expected);
    await second.goto(link.replace(/^https?:\/\/[^/]+/, base));
    await second.getByTestId('route').waitFor({ timeout: 15_000 });
    ok("the dashboard's link signs another phone in and shows the route");
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.getByTestId('sign-in').waitFor();
    check(await second.evaluate(() => localStorage.getItem('lastmile.driver.token') === null), 'Sign out forgets the credential');

    check(problems.length === 0, 'no console error, no CSP violation, no request to another origin', problems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
