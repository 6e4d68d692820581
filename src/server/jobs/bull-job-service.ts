/**
 * The job system with REDIS_URL set: jobs go to the BullMQ queue TRACE_WORKER_QUEUE and run in standalone
 * workers (`npm run worker`); metadata and results live in Redis under REDIS_KEY_PREFIX. BullMQ is only the
 * transport: the job record is the truth, and reading a status reconciles it with the queue, so a job whose
 * worker vanished ends `failed` instead of staying `started`.
 */
import type { Queue } from 'bullmq'
import type { JobAccepted } from '../../shared/responses.ts'
import type { Config } from '../config.ts'
import { DomainError } from '../errors/domain-error.ts'
import { log } from '../logger.ts'
import { redisKeys } from '../storage/redis-keys.ts'
import { jobAccepted } from './accepted.ts'
import {
  activeTtlSeconds,
  createRedisClient,
  createRedisStores,
  createTraceQueue,
  type TraceJobData,
} from './bull-setup.ts'
import { newJobId } from './job-id.ts'
import { endRecord, isTerminal, newJobRecord, type JobRecord } from './job-record.ts'
import type { JobService, JobSpec } from './job-service.ts'
import { createRecordView } from './record-view.ts'
import { recordUnfinishedEnd } from './unfinished-end.ts'

/** How long a worker count is trusted before CLIENT LIST is asked again. */
const WORKER_COUNT_CACHE_MS = 1_000
/** A job not yet visible in the queue this soon after submission is still being added, not lost. */
const SUBMIT_GRACE_MS = 10_000
/** How long DELETE waits for a running job's worker to record the cancel (the API promises 2 s). */
const CANCEL_WAIT_MS = 1_800
const RETRY_AFTER_SECONDS = 10

/** Connects to Redis and the queue. */
export async function createBullJobService(config: Config): Promise<JobService> {
  const redis = createRedisClient(config)
  const { jobs, results } = createRedisStores(redis, config)
  const keys = redisKeys(config.REDIS_KEY_PREFIX)
  const queue: Queue<TraceJobData> = createTraceQueue(config)
  await queue.waitUntilReady()
  let workerCount = { value: 0, at: 0 }
  let closed = false

  async function countWorkers(): Promise<number> {
    if (Date.now() - workerCount.at > WORKER_COUNT_CACHE_MS) {
      workerCount = { value: await queue.getWorkersCount(), at: Date.now() }
    }
    return workerCount.value
  }
  const workersAlive = async (): Promise<boolean> => (await countWorkers()) > 0

  /** Ends a record whose job the queue no longer runs; its chunks go with it. */
  async function end(
    record: JobRecord,
    status: 'failed' | 'cancelled',
    error: NonNullable<JobRecord['error']>,
  ): Promise<JobRecord> {
    const ended = endRecord(record, status, error)
    await recordUnfinishedEnd(jobs, results, ended)
    return ended
  }

  /** Brings a non-terminal record in line with the queue's view of the job. */
  async function reconcile(record: JobRecord): Promise<JobRecord> {
    if (isTerminal(record.status)) return record
    const age = Date.now() - Date.parse(record.created_at)
    const state = await queue.getJobState(record.job_id)
    if (state === 'failed') {
      const job = await queue.getJob(record.job_id)
      return end(record, 'failed', {
        code: 'WORKER_DIED',
        message: `the worker running the job stopped (${job?.failedReason ?? 'no reason recorded'}); it was tried ${record.attempt} time(s)`,
      })
    }
    if ((state === 'unknown' && age > SUBMIT_GRACE_MS) || state === 'completed') {
      return end(record, 'failed', {
        code: 'WORKER_DIED',
        message: 'the job left the queue without its worker recording an end',
      })
    }
    if (record.status === 'queued' && age > config.TRACE_JOB_TIMEOUT_SECONDS * 1000) {
      await queue.remove(record.job_id).catch(() => 0)
      return end(record, 'failed', {
        code: 'JOB_TIMEOUT',
        message: `no worker took the job within TRACE_JOB_TIMEOUT_SECONDS (${config.TRACE_JOB_TIMEOUT_SECONDS} s)`,
      })
    }
    return record
  }

  const view = createRecordView(jobs, reconcile)

  return {
    mode: 'bullmq',
    results,
    async submit(spec: JobSpec): Promise<JobAccepted> {
      if (closed || !(await workersAlive())) {
        throw new DomainError(
          'SERVICE_UNAVAILABLE',
          `no trace worker is consuming queue ${config.TRACE_WORKER_QUEUE}; start one with \`npm run worker\` or retry later`,
          { details: { retry_after: RETRY_AFTER_SECONDS }, retryAfterSeconds: RETRY_AFTER_SECONDS },
        )
      }
      const jobId = newJobId()
      await jobs.create(newJobRecord(jobId, spec), spec.input)
      await queue.add('trace', { job_id: jobId }, { jobId })
      log.info('job queued', {
        job_id: jobId,
        profile: spec.profile,
        cid_count: spec.cid_count,
        input: spec.input.kind,
        queue: config.TRACE_WORKER_QUEUE,
      })
      return jobAccepted(jobId)
    },
    async canAccept() {
      return !closed && (await workersAlive())
    },
    workerCount: countWorkers,
    status: view.status,
    input: (jobId) => jobs.readInput(jobId),
    cancel: (jobId) =>
      view.cancel(jobId, async (record) => {
        await redis.set(keys.cancel(jobId), '1', 'EX', activeTtlSeconds(config))
        await redis.publish(keys.cancelChannel(), jobId)
        if (record.status === 'queued') {
          // remove() refuses a job a worker has locked; then the worker sees the cancel key and records it.
          const removed = await queue.remove(jobId).catch(() => 0)
          if (removed > 0) {
            await end(record, 'cancelled', { code: 'JOB_CANCELLED', message: 'cancelled by request' })
            return
          }
        }
        const deadline = Date.now() + CANCEL_WAIT_MS
        while (Date.now() < deadline) {
          const now = await jobs.get(jobId)
          if (!now || isTerminal(now.status)) break
          await new Promise((r) => setTimeout(r, 100))
        }
      }),
    async close() {
      if (closed) return
      closed = true
      await queue.close().catch((err: unknown) => log.warn('queue did not close cleanly', { error: String(err) }))
      await redis.quit().catch(() => undefined)
    },
  }
}
