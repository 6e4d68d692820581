import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { compressAssets } from './scripts/compress-assets.mjs'

/** The app is built into dist/ and served by the Hono server; `npm run dev` proxies /api to it. */
export default defineConfig({
  plugins: [
    vue(),
    {
      // Precompressed copies of the assets, made once per build (the server sends them, static-files.ts).
      name: 'mes-trace-compress-assets',
      apply: 'build',
      async writeBundle(options) {
        await compressAssets(options.dir ?? 'dist')
      },
    },
  ],
  root: '.',
  build: { outDir: 'dist', emptyOutDir: true },
  // The sort/filter worker is an ES module (new Worker(url, { type: 'module' })).
  worker: { format: 'es' },
  server: {
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 8787}` },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Several suites start worker processes and databases: two cores, so keep the pool small.
    maxWorkers: 2,
  },
})
