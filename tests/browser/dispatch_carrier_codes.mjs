// The "Carrier codes to map" panel of the dashboard in Debian's Chromium, against the server that
// test_dispatch_carrier_codes.py started and filled: a carrier sent a code nobody mapped; the dispatcher
// sees it with its waiting event, maps it to "shipped", and the shipment moves on. Each step prints
// "ok - …"; the first failure prints "not ok - …" and exits 1.
import { cfg, check, launch, must, ok, run, signedInDashboard, waitFor } from './harness.mjs';

async function main() {
  const browser = await launch();
  try {
    const { page, problems } = await signedInDashboard(browser);
    const panel = page.getByTestId('carrier-codes');
    const row = panel.locator(`.carrier-code[data-code="${cfg.code}"]`);
    await row.waitFor({ timeout: 10_000 });
    const text = await row.innerText();
    check(text.includes('1 waiting') && text.includes('Arrived at hub Nice'),
          'the unmapped code is listed with its waiting event and the carrier\'s words', text);

    await row.getByRole('button', { name: 'Map' }).click();
    await waitFor('the reminder to choose', async () => /Choose the milestone/.test(await panel.getByTestId('carrier-codes-result').innerText()));
    ok('mapping without a milestone asks for one');

    await row.getByLabel('Means').selectOption('shipped');
    await row.getByRole('button', { name: 'Map' }).click();
    await waitFor('the confirmation', async () => /1 waiting events decided again/.test(await panel.getByTestId('carrier-codes-result').innerText()));
    await waitFor('the task to go', async () => (await panel.locator(`.carrier-code[data-code="${cfg.code}"]`).count()) === 0);
    ok('mapping the code decides its waiting event and removes the task');

    const shipment = await must('GET', `/v1/shipments/${cfg.shipment_id}`, 200);
    check(shipment.status === 'shipped', 'the shipment moved on', shipment.status);
    const mappings = await must('GET', `/v1/carriers/${cfg.carrier_id}/code-mappings`, 200);
    check(mappings.mappings.some((m) => m.code === 'DL') && mappings.mappings.some((m) => m.code === cfg.code),
          'the carrier\'s other mappings were kept', JSON.stringify(mappings));
    check(problems.length === 0, 'no console error, CSP violation or foreign request', problems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
