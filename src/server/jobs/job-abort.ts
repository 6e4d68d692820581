/** Why a running job's signal was aborted, so the worker records the right end state. */
import type { ErrorCode } from '../../shared/errors.ts'
import type { JobRecord } from './job-record.ts'

/**
 * `lost`: the queue gave the job to another worker (this one's lock expired); this runner must stop without
 * touching the record or the chunks, which now belong to the new attempt. `requeue`: an embedded worker shuts
 * down with its server; the job goes back to the queue (record `queued`) and the next server runs it again.
 */
export type JobAbortKind = 'cancel' | 'timeout' | 'shutdown' | 'lost' | 'requeue'

/** The abort reason a worker passes to its job's AbortController. */
export class JobAbort extends Error {
  constructor(
    readonly kind: JobAbortKind,
    message: string,
  ) {
    super(message)
    this.name = 'JobAbort'
  }
}

/** The end state a job aborted for `reason` is recorded with. */
export function abortOutcome(reason: JobAbort): {
  status: 'cancelled' | 'failed'
  error: NonNullable<JobRecord['error']>
} {
  // `lost` and `requeue` never reach here (runJob handles them first); they map like a shutdown for completeness.
  const code: ErrorCode =
    reason.kind === 'cancel' ? 'JOB_CANCELLED' : reason.kind === 'timeout' ? 'JOB_TIMEOUT' : 'JOB_FAILED'
  return { status: reason.kind === 'cancel' ? 'cancelled' : 'failed', error: { code, message: reason.message } }
}

/** The abort reason of a job that ran past TRACE_JOB_TIMEOUT_SECONDS. */
export function timeoutAbort(timeoutSeconds: number): JobAbort {
  return new JobAbort(
    'timeout',
    `the job ran longer than TRACE_JOB_TIMEOUT_SECONDS (${timeoutSeconds} s) and was stopped`,
  )
}

/** The abort reason of a cancel request. */
export function cancelAbort(): JobAbort {
  return new JobAbort('cancel', 'cancelled by request')
}
