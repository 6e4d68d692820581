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
  // vue-i18n's bundler build reads these flags: Composition API only, no devtools in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
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
