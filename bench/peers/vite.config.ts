/**
 * The peer pages of `npm run bench:peers` (bench only: not part of the app's build, whose root is the
 * repository's and whose only page is index.html).
 */
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

export default defineConfig({
  root: import.meta.dirname,
  logLevel: 'warn',
  build: {
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
    rollupOptions: {
      input: {
        'ag-grid': resolve(import.meta.dirname, 'ag-grid.html'),
        perspective: resolve(import.meta.dirname, 'perspective.html'),
      },
    },
  },
  worker: { format: 'es' },
})
