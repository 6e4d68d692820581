/** A job running in this worker process, with its AbortController and the TRACE_JOB_TIMEOUT_SECONDS timer. */
import { log } from '../logger.ts'
import { timeoutAbort, type JobAbort } from './job-abort.ts'
import type { JobRecord } from './job-record.ts'
import { runJob, type JobContext } from './run-job.ts'

export interface RunningJob {
  readonly jobId: string
  /** Stops the job (cursor closed, chunks deleted); the first reason wins. */
  abort(reason: JobAbort): void
  /** The terminal record (undefined when the job vanished); never rejects. */
  readonly done: Promise<JobRecord | undefined>
}

/** Starts `jobId` now. */
export function startJob(ctx: JobContext, jobId: string): RunningJob {
  const controller = new AbortController()
  const timeoutSeconds = ctx.config.TRACE_JOB_TIMEOUT_SECONDS
  const timer = setTimeout(() => controller.abort(timeoutAbort(timeoutSeconds)), timeoutSeconds * 1000)
  const done = runJob(ctx, jobId, controller.signal)
    .catch((err: unknown) => {
      log.error('job could not be recorded', { job_id: jobId, error: err instanceof Error ? err.message : String(err) })
      return undefined
    })
    .finally(() => clearTimeout(timer))
  return {
    jobId,
    abort: (reason) => {
      if (!controller.signal.aborted) controller.abort(reason)
    },
    done,
  }
}
