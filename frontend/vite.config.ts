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
  },
});
