import { defineConfig } from 'vitest/config'

/**
 * `npm run test:faults`: the fault-injection suite (kills, restarts, a full store, aborts, load), kept out of
 * `npm test` by its file names (`*.faults.ts`). Files run one at a time: each starts processes and servers of its
 * own on loopback, and every wait in it is bounded.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
})
