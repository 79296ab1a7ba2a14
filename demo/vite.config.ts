import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The demo shop: a static app whose backend is MSW's service worker (public/mockServiceWorker.js). */
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  publicDir: resolve(import.meta.dirname, '../public'),
  plugins: [react()],
  server: { port: 5173, strictPort: false },
  // React and MSW in one chunk: a demo, not a product page.
  build: { outDir: resolve(import.meta.dirname, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 1_000 },
});
