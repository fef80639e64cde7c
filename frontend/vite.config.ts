import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const node = 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/graphql': { target: node, ws: true, changeOrigin: true },
      '/auth': { target: node, changeOrigin: true },
      '/demo': { target: node, changeOrigin: true },
      '/checkpoint': { target: node, changeOrigin: true },
      '/proof': { target: node, changeOrigin: true },
      '/consistency': { target: node, changeOrigin: true },
      '/vkeys': { target: node, changeOrigin: true },
      '/documents': { target: node, changeOrigin: true },
      '/healthz': { target: node, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    // The page tests start a real `godown demo` per file, which seeds its consortium first
    // (and may wait out a rebuild of the binary), then sign and wait for the node's answers.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
