// The carrier scorecards page in Debian's Chromium, against the server test_dispatch_scorecards.py started
// and filled: the dispatcher signs in, follows "Scorecards" in the top bar, and sees the hand-computed
// figures, Baie Couriers highlighted below the 80 % on-time target, the cost view and both charts.
// Each step prints "ok - …"; the first failure prints "not ok - …" and exits 1.
import { cfg, check, launch, ok, run, signedInDashboard, waitFor } from './harness.mjs';

async function main() {
  const browser = await launch();
  try {
    const { page, problems } = await signedInDashboard(browser);
    const nav = page.getByTestId('nav-scorecards');
    await nav.waitFor({ timeout: 10_000 });
    await nav.click();
    const table = page.getByTestId('sc-table');
    await table.waitFor({ timeout: 10_000 });
    check(page.url().endsWith('#scorecards'), 'the top bar link opens /dispatch#scorecards', page.url());
    check(await page.getByLabel('From').inputValue() !== '' && await page.getByLabel('To').inputValue() !== '',
          'the date range is labelled and preset');

    const row = (id) => table.locator(`tr[data-carrier-id="${id}"]`);
    const cell = async (id, col) => (await row(id).locator(`td[data-col="${col}"]`).innerText()).trim();
    await waitFor('both carriers', async () => (await table.locator('tbody tr').count()) === 2);
    check(await cell(cfg.alpen, 'deliveries') === '2' && await cell(cfg.alpen, 'on_time_rate') === '100 %',
          'Alpen Post: 2 deliveries, 100 % on time', await row(cfg.alpen).innerText());
    check(await cell(cfg.baie, 'deliveries') === '2' && await cell(cfg.baie, 'on_time_rate') === '50 %',
          'Baie Couriers: 2 deliveries, 50 % on time (one 45 min late)', await row(cfg.baie).innerText());
    check(await cell(cfg.baie, 'lateness') === '0 / 45', 'Baie Couriers: lateness P50 / P90 0 / 45 min',
          await cell(cfg.baie, 'lateness'));
    check((await row(cfg.baie).getAttribute('class')).includes('below-target') &&
          /Below target: on-time rate/.test(await cell(cfg.baie, 'status')),
          'Baie Couriers is highlighted below the on-time target', await row(cfg.baie).innerText());
    check(!(await row(cfg.alpen).getAttribute('class')).includes('below-target') &&
          await cell(cfg.alpen, 'status') === 'On target', 'Alpen Post is on target');
    check(/on-time rate 80/.test(await page.getByTestId('sc-targets').innerText()), 'the targets are shown');
    ok('the comparison table shows the hand-computed figures');

    const costs = page.getByTestId('sc-costs');
    const alpenCost = (await costs.locator(`tr[data-carrier-id="${cfg.alpen}"] td[data-col="cost"]`).innerText()).trim();
    check(alpenCost === '5.00 EUR', 'Alpen Post costs 2 parcels × 2.50', alpenCost);
    check((await costs.locator(`tr[data-carrier-id="${cfg.baie}"] td[data-col="cost"]`).innerText()).trim() === 'no rate card',
          'Baie Couriers has no rate card');
    check((await page.getByTestId('sc-cost-total').innerText()).trim() === '5.00', 'the total cost');
    ok('the cost view prices the rate card');

    const trend = page.getByTestId('trend-chart');
    check(await trend.locator('path[data-series]').count() === 2, 'the trend has one line per carrier');
    check(await trend.locator('[data-testid="trend-target"]').count() === 1, 'the trend shows the target');
    const bars = page.getByTestId('ranking-chart');
    check(await bars.locator('rect.bar').count() === 2 && await bars.locator('rect.bar.below').count() === 1 &&
          await bars.locator('rect.bar.below').getAttribute('data-name') === 'Baie Couriers',
          'the ranking bars mark Baie Couriers');
    check(await trend.getAttribute('role') === 'img' && ((await trend.locator('title').first().textContent()) ?? '').length > 0,
          'the charts are images with a title');
    ok('the charts are drawn as inline SVG');
    const windows = page.getByTestId('sc-windows-result');
    await windows.waitFor({ timeout: 10_000 });
    check(/Not enough history yet: 0 held-back first attempts/.test(await windows.innerText()),
          'the delivery-window card says the fixture has no earlier history to learn from', await windows.innerText());
    ok('the personalised delivery windows card is shown');
    check(problems.length === 0, 'no console error, CSP violation or foreign request', problems.join('\n'));
  } finally {
    await browser.close();
  }
}

run(main);
