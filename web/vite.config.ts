import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is served by Vigil itself under a strict CSP (script-src 'self', style-src 'self',
 * font-src 'self'): nothing may be inlined into index.html, and no asset becomes a data: URL.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev:web`: the API comes from a `vigil serve` running on the default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
