// What the browser tests' scripts share: the configuration the .py file passes in
// LASTMILE_BROWSER_TEST, Debian's Chromium through playwright-core (from web/node_modules: no browser
// download), numbered "ok N - …" steps that stop at the first failure, a small API client, polling,
// and the watch for console errors, CSP violations and requests to another origin.
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const cfg = JSON.parse(process.env.LASTMILE_BROWSER_TEST);
const require = createRequire(join(cfg.web_dir, 'package.json'));
export const { chromium } = require('playwright-core');

export const base = cfg.base_url;
export const origin = new URL(base).origin;
let step = 0;

export function ok(what) {
  console.log(`ok ${++step} - ${what}`);
}

export function check(condition, what, detail = '') {
  if (!condition) throw new Error(`${what}${detail ? `: ${detail}` : ''}`);
  ok(what);
}

// `token` defaults to the test's API key (cfg.api_key), if any; null sends no credential.
export async function api(method, path, { token = cfg.api_key, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const r = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, text, headers: r.headers };
}

export async function must(method, path, status, options) {
  const r = await api(method, path, options);
  if (r.status !== status) throw new Error(`${method} ${path}: HTTP ${r.status} ${r.text}`);
  return r.json;
}

export async function waitFor(what, predicate, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const last = await predicate();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function launch() {
  return chromium.launch({
    executablePath: cfg.chromium,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader'],
  });
}

// Collects what a page must never do into `problems`: console errors, uncaught errors (a CSP
// violation is both), and requests to another origin than the server's (http or ws). `expected`
// names console errors that are a page's normal business (e.g. a 404 that means "none yet"): it gets
// the message text and the URL it is about.
export const PROOF_NOT_YET = (text, url) => /status of 404/.test(text) && /\/proof$/.test(url);

export function watchProblems(page, problems = [], expected = () => false) {
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected(m.text(), m.location()?.url ?? '')) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin && u.origin !== origin.replace('http', 'ws'))
      problems.push(`request to another origin: ${r.url()}`);
  });
  return problems;
}

// A new page of `browser` on the dispatcher dashboard, signed in with the test's API key, and the list
// its problems are collected into (watchProblems).
export async function signedInDashboard(browser, viewport = { width: 1280, height: 900 }) {
  const page = await (await browser.newContext({ viewport })).newPage();
  const problems = watchProblems(page, []);
  await page.goto(`${base}/dispatch`);
  await page.getByLabel('API key').fill(cfg.api_key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { page, problems };
}

// Runs `main`, then prints the closing line ("N passed, 0 failed") or the failed step and exits 1.
export function run(main) {
  main().then(
    () => console.log(`${step} passed, 0 failed`),
    (e) => {
      console.log(`not ok ${step + 1} - ${e.message}`);
      process.exit(1);
    },
  );
}
