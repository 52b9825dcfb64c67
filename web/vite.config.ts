// The web pages' bundle: one HTML file per page, every script, style and image in dist/assets/ under
// a content-hashed name (served with a one-year immutable cache by `lastmile serve`, docs/web.md).
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
      },
    },
  },
});
