// The driver app's service worker, served at /driver/sw.js with scope /driver (the server sends
// `Service-Worker-Allowed: /driver`). It keeps the app shell — the page, its hashed assets, the
// manifest and the icon — so the app opens without a network. The page is network-first (a new
// bundle shows as soon as there is a network), assets cache-first (their names are content hashes).
// The API is never cached or intercepted: offline writes are the page's outbox's business.
/// <reference lib="webworker" />
export {};

declare const self: ServiceWorkerGlobalScope;

const CACHE = 'lastmile-driver-shell-v1';
const PAGE = '/driver';
const FIXED = ['/driver/manifest.webmanifest', '/driver/icon.svg'];

// The /assets/ files a page names (scripts, module preloads, style sheets).
function assetsOf(html: string): string[] {
  return [...new Set(html.match(/\/assets\/[A-Za-z0-9._-]+/g) ?? [])];
}

// Fetches the page and keeps it with every asset it names.
async function cacheShell(): Promise<void> {
  const cache = await caches.open(CACHE);
  const page = await fetch(PAGE, { cache: 'no-cache' });
  if (!page.ok) throw new Error(`${PAGE}: HTTP ${page.status}`);
  const html = await page.clone().text();
  const missing: string[] = [];
  for (const url of [...assetsOf(html), ...FIXED]) if (!(await cache.match(url))) missing.push(url);
  await cache.addAll(missing);
  await cache.put(PAGE, page);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

// After a new page: fetches the assets it names that are not cached yet (so the next offline start
// has them) and drops the cached assets it no longer names (an older bundle's).
async function refreshAssets(cache: Cache, wanted: string[]): Promise<void> {
  for (const a of wanted) if (!(await cache.match(a))) await cache.add(a).catch(() => undefined);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !wanted.includes(path)) await cache.delete(request);
  }
}

async function pageNetworkFirst(): Promise<Response> {
  try {
    const fresh = await fetch(PAGE, { cache: 'no-cache' });
    if (fresh.ok) {
      const cache = await caches.open(CACHE);
      const html = await fresh.clone().text();
      await cache.put(PAGE, fresh.clone());
      void refreshAssets(cache, assetsOf(html));
    }
    return fresh;
  } catch {
    const cached = await caches.match(PAGE);
    return cached ?? new Response('offline', { status: 503, headers: { 'Content-Type': 'text/plain' } });
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const r = await fetch(request);
  if (r.ok) await (await caches.open(CACHE)).put(request, r.clone());
  return r;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE || url.pathname === `${PAGE}/`) event.respondWith(pageNetworkFirst());
  else if (url.pathname.startsWith('/assets/') || FIXED.includes(url.pathname)) event.respondWith(cacheFirst(request));
});
