/** The errors every job route raises the same way. */
import type { JobStatusResponse } from '../../shared/responses.ts'
import { ApiError } from '../http/api-error.ts'
import type { Identity } from '../http/identity.ts'

/** 404 JOB_NOT_FOUND for an unknown or expired id. */
export function jobNotFound(jobId: string): ApiError {
  return new ApiError(404, 'JOB_NOT_FOUND', `no job ${jobId} (unknown, or expired after TRACE_JOB_TTL_SECONDS)`, {
    job_id: jobId,
  })
}

/** 404 JOB_RESULT_EXPIRED: the job is known but its results are gone. */
export function resultExpired(jobId: string): ApiError {
  return new ApiError(404, 'JOB_RESULT_EXPIRED', `the results of job ${jobId} expired`, { job_id: jobId })
}

/** Refuses to read the result of a job that has none: 409 JOB_NOT_COMPLETE while it runs, JOB_FAILED/JOB_CANCELLED after. */
export function assertFinished(status: JobStatusResponse): void {
  if (status.status === 'finished') return
  const details = { job_id: status.job_id, status: status.status }
  if (status.status === 'failed') {
    throw new ApiError(
      409,
      'JOB_FAILED',
      `job ${status.job_id} failed: ${status.error?.message ?? 'no reason recorded'}`,
      details,
    )
  }
  if (status.status === 'cancelled')
    throw new ApiError(409, 'JOB_CANCELLED', `job ${status.job_id} was cancelled`, details)
  throw new ApiError(
    409,
    'JOB_NOT_COMPLETE',
    `job ${status.job_id} is ${status.status}; its result is readable once it finished`,
    {
      ...details,
      progress: status.progress,
    },
  )
}

/** Cancel is the owner's (or an admin's): 403 FORBIDDEN for anyone else. A job without owner anyone may cancel. */
export function assertMayCancel(identity: Identity, status: JobStatusResponse): void {
  if (!status.owner || identity.admin || identity.user === status.owner) return
  throw new ApiError(
    403,
    'FORBIDDEN',
    `job ${status.job_id} was started by ${status.owner}; only they (or an admin) may cancel it`,
    {
      job_id: status.job_id,
    },
  )
}
