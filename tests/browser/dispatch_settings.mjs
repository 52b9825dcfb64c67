// The tenant settings page, /dispatch#settings, in Debian's Chromium against the server that
// test_dispatch_settings.py started: a refused value shows its error next to the field, a saved change
// shows in the history, a concurrent save (409) reloads the page and says so, and a notification
// template is previewed unsaved and then saved. Each step prints "ok - …"; the first failure prints
// "not ok - …" and exits 1.
import { base, cfg, check, launch, must, ok, run, waitFor, watchProblems } from './harness.mjs';

// A refused save is the page's normal business: the console reports its HTTP status.
const REFUSED = (text, url) => /status of (400|409|422)/.test(text) && /\/v1\/tenant\/settings$/.test(url);

async function main() {
  const browser = await launch();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const problems = watchProblems(page, [], REFUSED);
    await page.goto(`${base}/dispatch#settings`);
    await page.getByLabel('API key').fill(cfg.api_key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const settings = page.getByTestId('settings-page');
    await settings.waitFor({ timeout: 10_000 });
    const radius = page.getByLabel('Stop and depot radius (m)');
    await waitFor('the document', async () => (await radius.inputValue()) === '75');
    const status = page.getByTestId('settings-status');
    ok('the settings page shows the document grouped by section');

    await radius.fill('5');
    await page.getByTestId('settings-save').click();
    const radiusError = page.locator('[data-error-for="geofence.radius_m"]');
    await waitFor('the error next to the radius', async () => /between 10 and 2000/.test(await radiusError.innerText()));
    check((await radius.getAttribute('aria-invalid')) === 'true', 'the refused field is marked invalid');
    check((await must('GET', '/v1/tenant/settings', 200)).version === 0, 'a refused save changes nothing');
    ok('a value out of range is refused with its error next to the field');

    await radius.fill('120');
    await page.getByTestId('settings-save').click();
    await waitFor('the saved version', async () => /Saved: version 1/.test(await status.innerText()));
    const history = page.getByTestId('settings-history');
    await waitFor('the history entry', async () => /geofence\.radius_m: 75 → 120/.test(await history.innerText()));
    check((await radiusError.innerText()) === '', 'the error is gone once saved');
    ok('a saved change shows its version and its history entry');

    // Someone else saves meanwhile; this page still holds version 1.
    await must('PUT', '/v1/tenant/settings', 200, { body: { version: 1, settings: { proof: { max_distance_m: 90 } } } });
    await page.getByLabel('Dwell before an arrival (s)').fill('10');
    await page.getByTestId('settings-save').click();
    await waitFor('the conflict message', async () => /Someone else saved the settings/.test(await status.innerText()));
    const pod = page.getByLabel('Proof of delivery farther than this from the address is flagged (m)');
    check((await pod.inputValue()) === '90', 'the page reloaded the other change', await pod.inputValue());
    check((await page.getByLabel('Dwell before an arrival (s)').inputValue()) === '', 'the unsaved edit was dropped');
    ok('a concurrent save (409) reloads the document and tells the user');

    await page.getByLabel('Template of rule').selectOption('delivered');
    await page.getByLabel('SMS', { exact: true }).fill('Delivered to {{first_name}}!');
    await page.getByLabel('Preview channel').selectOption('sms');
    await page.getByTestId('settings-preview-button').click();
    await waitFor('the preview', async () => (await page.getByTestId('settings-preview').innerText()) === 'Delivered to Ann!');
    ok('an unsaved template is previewed');
    await page.getByRole('checkbox', { name: 'survey email', exact: true }).uncheck();
    await page.getByTestId('settings-save').click();
    await waitFor('the saved version', async () => /Saved: version 3/.test(await status.innerText()));
    const n = await must('GET', '/v1/notification-settings', 200);
    check(n.templates.delivered.sms.body === 'Delivered to {{first_name}}!', 'the template was saved', JSON.stringify(n.templates.delivered));
    check(n.rules.survey.length === 0, 'the rule was saved', JSON.stringify(n.rules.survey));
    ok('notification rules and templates are saved through the document');

    await page.getByRole('link', { name: '← Back to the dashboard' }).click();
    await page.getByTestId('map').waitFor({ timeout: 10_000 });
    ok('the dashboard is one link away');
    check(problems.length === 0, 'no console error, CSP violation or foreign request', problems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
