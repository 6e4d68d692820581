/**
 * A standalone BullMQ worker with short locks, so tests see a killed worker's job detected as stalled in
 * seconds rather than BullMQ's default 30 s. Configuration comes from the environment like `npm run worker`.
 */
import { loadConfig } from '../../../src/server/config.ts'
import { startBullWorker } from '../../../src/server/jobs/bull-worker.ts'

const handle = await startBullWorker(loadConfig(), { lockDurationMs: 5000, stalledIntervalMs: 2000 })
process.once('SIGTERM', () => void handle.close().then(() => process.exit(0)))
