/**
 * The standalone worker of BullMQ mode (`npm run worker`, on any machine that reaches Redis and the MES
 * database): one job at a time from TRACE_WORKER_QUEUE, the same job runner as the embedded workers, results
 * and metadata in Redis. A cancel is a key plus a pub/sub message: the message stops the job at once, the
 * key (checked every second and before a job starts) covers a message missed while reconnecting. A killed
 * worker's job is found by BullMQ's stalled-job check and retried TRACE_JOB_ATTEMPTS - 1 times.
 */
import { hostname } from 'node:os'
import { Worker } from 'bullmq'
import type { Config } from '../config.ts'
import { log } from '../logger.ts'
import { openSource } from '../source/open-source.ts'
import { redisKeys } from '../storage/redis-keys.ts'
import {
  bullConnection,
  bullPrefix,
  createRedisClient,
  createRedisStores,
  createTraceQueue,
  keepJobs,
  type TraceJobData,
} from './bull-setup.ts'
import { JobAbort, cancelAbort } from './job-abort.ts'
import { endRecord, isTerminal } from './job-record.ts'
import { startJob, type RunningJob } from './running-job.ts'
import type { JobContext } from './run-job.ts'

export interface BullWorkerOptions {
  /** BullMQ lock duration: a worker silent this long is considered stalled; default TRACE_WORKER_LOCK_MS. */
  readonly lockDurationMs?: number
  /** How often stalled jobs are looked for; default TRACE_WORKER_STALLED_INTERVAL_MS. */
  readonly stalledIntervalMs?: number
}

export interface BullWorkerHandle {
  /** Stops the running job (recorded as failed: the worker shut down), the worker and its connections; safe twice. */
  close(): Promise<void>
}

const CANCEL_POLL_MS = 1_000

/** Opens the source and Redis, then consumes the queue until closed. */
export async function startBullWorker(config: Config, options: BullWorkerOptions = {}): Promise<BullWorkerHandle> {
  const source = await openSource(config)
  const redis = createRedisClient(config)
  const subscriber = createRedisClient(config)
  const keys = redisKeys(config.REDIS_KEY_PREFIX)
  const { jobs, results } = createRedisStores(redis, config)
  const ctx: JobContext = { config, source, jobs, results, worker: `${hostname()}:${process.pid}` }
  let current: RunningJob | undefined

  // Creating the queue once records its options (the events stream cap) in Redis even before a web server does.
  const queue = createTraceQueue(config)
  await queue.waitUntilReady()
  await queue.close()

  await subscriber.subscribe(keys.cancelChannel())
  subscriber.on('message', (_channel: string, jobId: string) => {
    if (current?.jobId === jobId) current.abort(cancelAbort())
  })

  const worker = new Worker<TraceJobData>(
    config.TRACE_WORKER_QUEUE,
    async (job) => {
      const jobId = job.data.job_id
      if (await redis.exists(keys.cancel(jobId))) {
        const record = await jobs.get(jobId)
        if (record && !isTerminal(record.status)) {
          await jobs.put(endRecord(record, 'cancelled', { code: 'JOB_CANCELLED', message: 'cancelled by request' }))
        }
        return
      }
      const running = startJob(ctx, jobId)
      current = running
      const poll = setInterval(() => {
        redis.exists(keys.cancel(jobId)).then(
          (n) => {
            if (n > 0) running.abort(cancelAbort())
          },
          () => undefined,
        )
      }, CANCEL_POLL_MS)
      try {
        await running.done
      } finally {
        clearInterval(poll)
        current = undefined
      }
    },
    {
      connection: bullConnection(config),
      prefix: bullPrefix(config),
      concurrency: 1,
      maxStalledCount: Math.max(0, config.TRACE_JOB_ATTEMPTS - 1),
      lockDuration: options.lockDurationMs ?? config.TRACE_WORKER_LOCK_MS,
      stalledInterval: options.stalledIntervalMs ?? config.TRACE_WORKER_STALLED_INTERVAL_MS,
      removeOnComplete: keepJobs(config),
      removeOnFail: keepJobs(config),
    },
  )
  worker.on('error', (err) => log.error('bullmq worker error', { error: err.message }))
  // A lock this worker could not renew is a job BullMQ will hand to another worker: stop, record nothing.
  worker.on('lockRenewalFailed', (jobIds: string[]) => {
    if (current && jobIds.includes(current.jobId)) {
      current.abort(new JobAbort('lost', 'the job lock expired and the job moved to another worker'))
    }
  })
  await worker.waitUntilReady()
  log.info('trace worker ready', { pid: process.pid, mode: 'bullmq', queue: config.TRACE_WORKER_QUEUE })

  let closing: Promise<void> | undefined
  return {
    close() {
      closing ??= (async () => {
        current?.abort(new JobAbort('shutdown', 'the worker shut down while the job ran; submit it again'))
        await worker
          .close()
          .catch((err: unknown) => log.warn('bullmq worker did not close cleanly', { error: String(err) }))
        await subscriber.quit().catch(() => undefined)
        await redis.quit().catch(() => undefined)
        await source.close().catch(() => undefined)
      })()
      return closing
    },
  }
}

/** `npm run worker`: runs until SIGTERM or SIGINT. */
export async function runBullWorker(config: Config): Promise<void> {
  const handle = await startBullWorker(config)
  const stop = (signal: string): void => {
    log.info('trace worker stopping', { signal })
    void handle.close().then(() => process.exit(0))
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}
