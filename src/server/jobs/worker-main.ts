/**
 * Entry of a trace worker process. Forked by the embedded supervisor (marked by EMBEDDED_WORKER_ENV and an IPC
 * channel) it serves that supervisor; started by `npm run worker` with REDIS_URL set it consumes the BullMQ
 * queue TRACE_WORKER_QUEUE.
 */
import { loadConfig } from '../config.ts'
import { log } from '../logger.ts'
import { runEmbeddedWorker } from './embedded-worker.ts'
import { EMBEDDED_WORKER_ENV } from './worker-protocol.ts'

try {
  const config = loadConfig()
  if (process.env[EMBEDDED_WORKER_ENV] === '1' && process.send) await runEmbeddedWorker(config)
  // Imported on demand: embedded workers never load BullMQ and ioredis (about 37 MB of RSS).
  else if (config.REDIS_URL) await (await import('./bull-worker.ts')).runBullWorker(config)
  else {
    log.error('npm run worker needs REDIS_URL: without Redis the web server starts its own workers')
    process.exitCode = 1
  }
} catch (err) {
  log.error('trace worker failed to start', { error: err instanceof Error ? err.message : String(err) })
  process.exit(1)
}
