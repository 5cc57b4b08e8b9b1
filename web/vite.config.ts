// Builds the review UI (web/) into dist/web, which src/api/web/static.ts serves. No inline script may
// be emitted (the CSP forbids them): the module-preload polyfill is off, and nothing is loaded from outside.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    // Small files are not inlined as data: URLs, so the CSP's img-src/font-src need nothing beyond 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
