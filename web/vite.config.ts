// The web pages' bundle: one HTML file per page, every script, style and image in dist/assets/ under
// a content-hashed name (served with a one-year immutable cache by `lastmile serve`, docs/web.md). The
// driver app's service worker is the exception: it keeps one URL, dist/driver/sw.js (served at
// /driver/sw.js); public/driver/ (its manifest and icon) is copied to dist/driver/ as it is.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The page's CSP allows no inline script; Vite's preload helper stays inside the bundle.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500, // MapLibre GL alone is about 1 MB
    rollupOptions: {
      input: {
        track: resolve(__dirname, 'track.html'),
        dispatch: resolve(__dirname, 'dispatch.html'),
        driver: resolve(__dirname, 'driver.html'),
        sw: resolve(__dirname, 'src/driver/sw.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'driver/sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
