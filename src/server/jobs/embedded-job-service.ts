/**
 * The default job system: a FIFO of job ids in the web process, worker processes forked and supervised by
 * it, metadata as files under TRACE_JOB_DIR and results under TRACE_RESULT_DIR, so both survive a restart.
 * The server writes a record until a worker takes the job, then the worker does until it reports the end;
 * the server writes again only when the worker died: the job goes back to the queue while TRACE_JOB_ATTEMPTS
 * allows (as BullMQ retries a stalled job), else it ends WORKER_DIED (or with the verdict of a kill it ordered).
 * A job running when the server stopped runs again on the next start: its worker hands it back on a clean
 * stop, and a job left `started` by a crash counts as a lost attempt.
 */
import type { JobAccepted } from '../../shared/responses.ts'
import type { Config } from '../config.ts'
import { DomainError } from '../errors/domain-error.ts'
import { log } from '../logger.ts'
import { createFileResultStore } from '../storage/file-result-store.ts'
import { jobAccepted } from './accepted.ts'
import { createFileJobStore } from './file-job-store.ts'
import { isExpired } from './job-expiry.ts'
import { newJobId } from './job-id.ts'
import { endRecord, isTerminal, newJobRecord, type JobRecord } from './job-record.ts'
import { canRetry, requeuedRecord } from './job-retry.ts'
import type { JobService, JobSpec } from './job-service.ts'
import { createRecordView } from './record-view.ts'
import { startSweeper } from './sweeper.ts'
import { recordUnfinishedEnd } from './unfinished-end.ts'
import { WORKER_MAIN } from './worker-entry.ts'
import { WorkerPool, type KillReason, type WorkerInfo } from './worker-pool.ts'

export interface EmbeddedJobServiceOptions {
  /** Module the workers run; default worker-main beside this file (.js when compiled, .ts otherwise). */
  readonly workerEntry?: string
  /** How often expired jobs are swept; default a quarter of TRACE_JOB_TTL_SECONDS, between 1 s and 60 s. */
  readonly sweepIntervalMs?: number
}

/** The embedded service, plus a view of its workers (for tests and /api/health). */
export interface EmbeddedJobService extends JobService {
  workers(): WorkerInfo[]
}

/** How long a cancelled job's worker gets to stop by itself before it is killed (the API promises 2 s). */
const CANCEL_GRACE_MS = 1_500
/** Extra time past TRACE_JOB_TIMEOUT_SECONDS before a worker that ignored its own timeout is killed. */
const TIMEOUT_BACKSTOP_MS = 10_000

/** Recovers jobs left by a previous server, then starts the workers and the sweeper. */
export async function createEmbeddedJobService(
  config: Config,
  options: EmbeddedJobServiceOptions = {},
): Promise<EmbeddedJobService> {
  const jobs = createFileJobStore(config.TRACE_JOB_DIR)
  const results = createFileResultStore(config.TRACE_RESULT_DIR)
  const ttl = config.TRACE_JOB_TTL_SECONDS
  const queue: string[] = []
  const endWaiters = new Map<string, Set<() => void>>()
  const backstops = new Map<string, NodeJS.Timeout>()
  let closed = false

  const jobEnded = (jobId: string): void => {
    const t = backstops.get(jobId)
    if (t) clearTimeout(t)
    backstops.delete(jobId)
    for (const wake of endWaiters.get(jobId) ?? []) wake()
    endWaiters.delete(jobId)
  }

  /** Resolves true when the job's worker reports its end within `ms`, false otherwise. */
  const waitForEnd = (jobId: string, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const waiters = endWaiters.get(jobId) ?? new Set<() => void>()
      endWaiters.set(jobId, waiters)
      const wake = (): void => {
        clearTimeout(timer)
        resolve(true)
      }
      const timer = setTimeout(() => {
        waiters.delete(wake)
        resolve(false)
      }, ms)
      waiters.add(wake)
    })

  /** Ends being recorded, per job: the next end of the same job waits for the one before it. */
  const ending = new Map<string, Promise<void>>()

  /**
   * Calls `settle` with the record of a job that has not ended, serialised per job because a cancel can
   * arrive while a dead worker's end (or retry) is written: both would read the record still running and the
   * later write would turn `failed` into `cancelled`, or run a cancelled job again.
   */
  const settleUnended = (jobId: string, settle: (r: JobRecord) => Promise<void>): Promise<void> => {
    const write = async (): Promise<void> => {
      const record = await jobs.get(jobId)
      if (!record || isTerminal(record.status)) return
      await settle(record)
    }
    const written = (ending.get(jobId) ?? Promise.resolve()).then(write, write)
    ending.set(jobId, written)
    const forget = (): void => {
      if (ending.get(jobId) === written) ending.delete(jobId)
    }
    written.then(forget, forget)
    return written
  }

  /** Records an end the worker could not record itself, unless the job already ended; its chunks are deleted. */
  const recordEnd = (jobId: string, end: (r: JobRecord) => JobRecord): Promise<void> =>
    settleUnended(jobId, (record) => recordUnfinishedEnd(jobs, results, end(record)))

  /** A worker died under `jobId`: the job runs again first in line while attempts remain, else it ends. */
  const jobLost = (jobId: string, why: string, killReason: KillReason | undefined): Promise<void> =>
    settleUnended(jobId, async (record) => {
      if (killReason || closed || !canRetry(record, config.TRACE_JOB_ATTEMPTS)) {
        await recordUnfinishedEnd(jobs, results, lostVerdict(record, why, killReason, config))
        return
      }
      await jobs.put(requeuedRecord(record, true))
      queue.unshift(jobId)
      log.warn('job retried after its worker died', {
        job_id: jobId,
        attempt: record.attempt + 1,
        of: config.TRACE_JOB_ATTEMPTS,
        why,
      })
    })

  const pool: WorkerPool = new WorkerPool({
    config,
    entry: options.workerEntry ?? WORKER_MAIN,
    hooks: {
      onIdle: () => dispatch(),
      onDone: (jobId, status) => {
        if (status === 'queued') {
          // A worker handed its job back (it is shutting down): it runs again on the next free worker, whose
          // dispatch (onIdle, next) sets a new backstop after this clears the old one.
          jobEnded(jobId)
          if (!closed) queue.unshift(jobId)
          return
        }
        const settle =
          status === null
            ? recordEnd(jobId, (r) =>
                endRecord(r, 'failed', { code: 'JOB_FAILED', message: 'the worker could not run the job' }),
              )
            : Promise.resolve()
        void settle
          .catch((err: unknown) => log.error('job end not recorded', { job_id: jobId, error: String(err) }))
          .finally(() => jobEnded(jobId))
      },
      onJobLost: async (jobId, why, killReason) => {
        try {
          await jobLost(jobId, why, killReason)
        } finally {
          jobEnded(jobId)
          // After jobEnded, which clears the lost run's timeout backstop: a retry gets a backstop of its own.
          dispatch()
        }
      },
      onUnavailable: () => void failQueued(),
    },
  })

  function dispatch(): void {
    while (!closed && queue.length > 0 && pool.hasIdle()) {
      const jobId = queue.shift() as string
      pool.run(jobId)
      const backstopMs = config.TRACE_JOB_TIMEOUT_SECONDS * 1000 + TIMEOUT_BACKSTOP_MS
      const timer = setTimeout(() => void pool.kill(jobId, 'timeout'), backstopMs)
      timer.unref()
      backstops.set(jobId, timer)
    }
  }

  /** No worker can start: queued jobs would wait forever, so they fail now with a reason. */
  async function failQueued(): Promise<void> {
    const ids = queue.splice(0)
    for (const jobId of ids) {
      await recordEnd(jobId, (r) =>
        endRecord(r, 'failed', {
          code: 'SERVICE_UNAVAILABLE',
          message: 'no trace worker process could be started; submit the job again later',
        }),
      ).catch((err: unknown) => log.error('queued job not failed', { job_id: jobId, error: String(err) }))
    }
  }

  async function recover(): Promise<void> {
    const queued: JobRecord[] = []
    for await (const record of jobs.list()) {
      if (record.status === 'queued') queued.push(record)
      else if (record.status === 'started' && canRetry(record, config.TRACE_JOB_ATTEMPTS)) {
        // The server died under it (a clean stop hands the job back `queued`): a lost attempt, as a dead worker's.
        const retry = requeuedRecord(record, true)
        await jobs.put(retry)
        queued.push(retry)
      } else if (record.status === 'started') {
        const ended = endRecord(record, 'failed', {
          code: 'WORKER_DIED',
          message: `the server stopped while the job ran, and it had used its ${config.TRACE_JOB_ATTEMPTS} attempt(s) (TRACE_JOB_ATTEMPTS)`,
        })
        await recordUnfinishedEnd(jobs, results, ended)
      }
    }
    queued.sort((a, b) => a.created_at.localeCompare(b.created_at))
    queue.push(...queued.map((r) => r.job_id))
    if (queued.length > 0) log.info('requeued jobs from before the restart', { count: queued.length })
  }

  /** The live record, or undefined for an unknown, malformed or expired id (an expired one is removed). */
  const view = createRecordView(jobs, async (record) => {
    if (!isExpired(record, ttl)) return record
    await jobs.delete(record.job_id)
    await results.delete(record.job_id)
    return undefined
  })

  await recover()
  pool.start()
  const sweeper = startSweeper({
    jobs,
    results,
    ttlSeconds: ttl,
    intervalMs: options.sweepIntervalMs ?? Math.min(60_000, Math.max(1_000, (ttl * 1000) / 4)),
  })

  return {
    mode: 'embedded',
    results,
    async submit(spec: JobSpec): Promise<JobAccepted> {
      if (closed || !pool.available()) {
        const retryAfter = closed ? 30 : pool.retryAfterSeconds()
        throw new DomainError('SERVICE_UNAVAILABLE', 'no trace worker process can take the job now; retry later', {
          details: { retry_after: retryAfter },
          retryAfterSeconds: retryAfter,
        })
      }
      const jobId = newJobId()
      await jobs.create(newJobRecord(jobId, spec), spec.input)
      queue.push(jobId)
      log.info('job queued', {
        job_id: jobId,
        profile: spec.profile,
        cid_count: spec.cid_count,
        input: spec.input.kind,
        queued: queue.length,
      })
      dispatch()
      return jobAccepted(jobId)
    },
    async canAccept() {
      return !closed && pool.available()
    },
    async workerCount() {
      return pool.workers().filter((w) => w.state === 'idle' || w.state === 'busy').length
    },
    status: view.status,
    input: (jobId) => jobs.readInput(jobId),
    cancel: (jobId) =>
      view.cancel(jobId, async () => {
        const at = queue.indexOf(jobId)
        if (at >= 0) queue.splice(at, 1)
        if (pool.isRunning(jobId)) {
          pool.cancel(jobId)
          if (!(await waitForEnd(jobId, CANCEL_GRACE_MS))) await pool.kill(jobId, 'cancel')
          return
        }
        await recordEnd(jobId, (r) =>
          endRecord(r, 'cancelled', { code: 'JOB_CANCELLED', message: 'cancelled by request' }),
        )
      }),
    workers: () => pool.workers(),
    async close() {
      if (closed) return
      closed = true
      sweeper.stop()
      for (const t of backstops.values()) clearTimeout(t)
      backstops.clear()
      await pool.close()
      await results.close()
    },
  }
}

/** The end of a job whose worker died: the verdict of the kill the supervisor ordered, else WORKER_DIED. */
function lostVerdict(record: JobRecord, why: string, killReason: KillReason | undefined, config: Config): JobRecord {
  if (killReason === 'cancel')
    return endRecord(record, 'cancelled', { code: 'JOB_CANCELLED', message: 'cancelled by request' })
  if (killReason === 'timeout') {
    return endRecord(record, 'failed', {
      code: 'JOB_TIMEOUT',
      message: `the job ran longer than TRACE_JOB_TIMEOUT_SECONDS (${config.TRACE_JOB_TIMEOUT_SECONDS} s) and was stopped`,
    })
  }
  return endRecord(record, 'failed', {
    code: 'WORKER_DIED',
    message: `${why}; it ran ${record.attempt} time(s) of TRACE_JOB_ATTEMPTS=${config.TRACE_JOB_ATTEMPTS}`,
  })
}
