// Chat and the survey on the tracking page and the dashboard, in Debian's Chromium, against the real
// server that test_chat_survey_pages.py started and filled. Each step prints "ok N - …"; the first
// failure prints "not ok - …" and exits 1.
import { PROOF_NOT_YET, api, base, cfg, check, launch, must, ok, run, waitFor, watchProblems } from './harness.mjs';

const messages = (page) => page.locator('[data-testid=chat-message]');

async function noSecrets(page, where) {
  const text = await page.locator('body').innerText();
  const found = cfg.secrets.filter((s) => text.includes(s));
  check(found.length === 0, `no phone number or e-mail address on ${where}`, found.join(', '));
}

async function deliver() {
  for (const step of ['shipped', 'out_for_delivery', 'delivered'])
    await must('POST', `/v1/shipments/${cfg.shipment_id}/events`, 201, { body: { type: step } });
}

async function main() {
  const browser = await launch();
  try {
    // ---- the customer, on a phone ----
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    const problems = watchProblems(page, [], PROOF_NOT_YET);
    await page.goto(`${base}/t/${cfg.token}`);
    await page.getByTestId('chat').waitFor();
    await waitFor('the live WebSocket', async () => (await page.locator('body').getAttribute('data-live')) === 'websocket');
    check(/No messages yet/.test(await page.getByTestId('chat').innerText()), 'the chat panel is empty at first');
    check(await page.getByTestId('survey').isHidden(), 'no survey before delivery');
    await page.getByTestId('chat-input').fill('Hello! Please ring at the side door.');
    await page.getByTestId('chat-send').click();
    await waitFor('my message', async () => (await messages(page).count()) === 1);
    const mine = await messages(page).first().innerText();
    check(/Marie/.test(mine) && /side door/.test(mine), 'the sent message is shown with the first name only', mine);
    const thread = await must('GET', `/v1/shipments/${cfg.shipment_id}/messages`, 200);
    check(thread.items.length === 1 && thread.items[0].author.role === 'customer', 'staff read the message over the API');

    await must('POST', `/v1/shipments/${cfg.shipment_id}/messages`, 201, { token: cfg.device_token, body: { body: 'Sure, see you soon.' } });
    await waitFor("the driver's answer, live", async () => (await messages(page).count()) === 2);
    const answer = await messages(page).nth(1).innerText();
    check(/Luca/.test(answer) && !/Rossi/.test(answer) && /see you soon/.test(answer), "the driver's answer arrives live, signed with the first name", answer);

    // ---- delivery, then the survey link ----
    await deliver();
    await page.goto(`${base}/track/${cfg.token}?survey=1`);
    await page.getByTestId('survey-form').waitFor();
    ok('the survey link opens the tracking page with the survey form');
    check(await messages(page).count() === 2, 'the thread is still there after delivery');
    await page.getByTestId('survey-send').click();
    check(/choose/.test(await page.getByTestId('survey-message').innerText()), 'sending without stars asks for them');
    await page.locator('input[name=stars][value="2"]').check();
    await page.getByTestId('survey-nps').selectOption('3');
    await page.locator('input[name=tags][value="late"]').check();
    await page.getByTestId('survey-comment').fill('Two hours late.');
    await page.getByTestId('survey-send').click();
    await page.getByTestId('survey-thanks').waitFor();
    ok('the rating is sent and a thank-you replaces the form');
    const rated = await must('GET', `/v1/shipments/${cfg.shipment_id}/survey`, 200);
    check(rated.survey?.stars === 2 && rated.survey.nps === 3 && rated.survey.source === 'link' &&
          JSON.stringify(rated.survey.tags) === '["late"]', 'the API has the rating from the link', JSON.stringify(rated));
    const cases = await must('GET', `/v1/exceptions?kind=low_rating&shipment_id=${cfg.shipment_id}`, 200);
    check(cases.items.length === 1, 'the low rating opened a low_rating case');
    await page.reload();
    await page.getByTestId('survey-thanks').waitFor();
    ok('after a reload the page still thanks instead of asking again');
    await noSecrets(page, 'the tracking page');
    check(problems.length === 0, 'the tracking page logged no error and stayed on its origin', problems.join('\n'));

    // ---- the dispatcher ----
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const dash = await desk.newPage();
    const deskProblems = watchProblems(dash, [], PROOF_NOT_YET); // delivered without a proof: its /proof is 404
    await dash.goto(`${base}/dispatch`);
    await dash.getByLabel('API key').fill(cfg.api_key);
    await dash.getByRole('button', { name: 'Sign in' }).click();
    await dash.getByTestId('shipment-row').first().waitFor();
    await waitFor('the live WebSocket', async () => (await dash.locator('body').getAttribute('data-live')) === 'websocket');
    await dash.getByTestId('shipments-table').getByRole('button', { name: cfg.tracking_number }).click();
    await dash.getByTestId('chat').waitFor();
    await waitFor('the thread in the detail', async () => (await messages(dash).count()) === 2);
    ok('the shipment detail shows the thread');
    await waitFor('the rating', async () => /2 of 5 stars/.test(await dash.getByTestId('detail-rating').innerText()));
    check(/Two hours late/.test(await dash.getByTestId('detail-rating').innerText()), "the detail shows the customer's rating and comment");
    await dash.getByTestId('chat-input').fill('We are sorry, a voucher is on its way.');
    await dash.getByTestId('chat-send').click();
    await waitFor('the reply in the detail', async () => (await messages(dash).count()) === 3);
    const customerView = await must('GET', `/v1/track/${cfg.token}/messages`, 200, { token: null });
    const reply = customerView.items[2];
    check(reply?.author.role === 'dispatcher' && reply.author.label === cfg.shipper_name, "the reply reaches the customer's thread signed with the shipper's name", JSON.stringify(reply));
    const r = await api('POST', `/v1/track/${cfg.token}/messages`, { token: null, body: { body: 'Thank you!' } });
    check(r.status === 201, 'the customer answers (within the days after delivery)');
    await waitFor('the customer message, live on the dashboard', async () => (await messages(dash).count()) === 4);
    ok("the customer's message arrives live in the open detail");
    const row = dash.locator(`[data-testid=shipment-row][data-shipment-id="${cfg.shipment_id}"]`);
    await waitFor('the unread badge', async () => (await row.getByTestId('unread').count()) === 1 && /1 new/.test(await row.getByTestId('unread').innerText()));
    ok('the shipments table shows one customer message awaiting a reply');
    await noSecrets(dash, 'the shipment detail');
    check(deskProblems.length === 0, 'the dashboard logged no error and stayed on its origin', deskProblems.join('\n'));

    // ---- the driver app ----
    const van = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const app = await van.newPage();
    const appProblems = watchProblems(app, []);
    await app.goto(`${base}/driver#code=${cfg.code}`);
    await app.getByTestId('route').waitFor({ timeout: 15_000 });
    const stopRow = app.locator(`[data-testid=stop-shipment][data-shipment-id="${cfg.shipment_id}"]`);
    await stopRow.getByTestId('open-chat').click();
    await waitFor("the stop's thread", async () => (await messages(stopRow).count()) === 4);
    ok("the driver opens the stop's thread and sees the whole conversation");
    await stopRow.getByTestId('chat-input').fill('Glad it worked out in the end.');
    await stopRow.getByTestId('chat-send').click();
    await waitFor("the driver's message", async () => (await messages(stopRow).count()) === 5);
    const last = (await must('GET', `/v1/track/${cfg.token}/messages?after=4`, 200, { token: null })).items[0];
    check(last?.author.role === 'driver' && last.author.label === 'Luca' && last.channel === 'app', "the driver's message reaches the customer from the app, first name only", JSON.stringify(last));
    check(appProblems.length === 0, 'the driver app logged no error and stayed on its origin', appProblems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
