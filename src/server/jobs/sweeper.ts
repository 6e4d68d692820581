/**
 * Removes jobs TRACE_JOB_TTL_SECONDS after they ended (record, input and results together), and result
 * directories whose job record is gone. Runs on a timer in the web process of the embedded job system.
 */
import { log } from '../logger.ts'
import type { ResultStore } from '../storage/result-store.ts'
import { isExpired } from './job-expiry.ts'
import type { JobStore } from './job-store.ts'

export interface SweeperOptions {
  readonly jobs: JobStore
  readonly results: ResultStore
  readonly ttlSeconds: number
  readonly intervalMs: number
}

/** One pass: returns how many jobs and orphaned results were removed. */
export async function sweepOnce(options: Omit<SweeperOptions, 'intervalMs'>): Promise<number> {
  const { jobs, results, ttlSeconds } = options
  let removed = 0
  for await (const record of jobs.list()) {
    if (!isExpired(record, ttlSeconds)) continue
    await results.delete(record.job_id)
    await jobs.delete(record.job_id)
    removed += 1
  }
  for await (const jobId of results.listJobIds()) {
    // A record is written before any result, so results without one belong to a job already removed.
    if (await jobs.get(jobId)) continue
    await results.delete(jobId)
    removed += 1
  }
  return removed
}

/** Starts sweeping every `intervalMs`; a pass never overlaps the previous one. */
export function startSweeper(options: SweeperOptions): { stop(): void } {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    sweepOnce(options)
      .then((n) => {
        if (n > 0) log.info('expired jobs removed', { count: n })
      })
      .catch((err: unknown) =>
        log.warn('job sweep failed', { error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => {
        running = false
      })
  }, options.intervalMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
