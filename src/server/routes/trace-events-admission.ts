/**
 * Admission control of POST /api/trace/events: which requests stream here, which become jobs, which are
 * refused. Big traces must not run inside the web process when a worker can take them.
 */
import type { JobAccepted } from '../../shared/responses.ts'
import type { AppDeps } from '../app-deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { ApiError } from '../http/api-error.ts'
import type { JobService, JobSpec } from '../jobs/job-service.ts'
import { log } from '../logger.ts'

/** Retry-After of a 503 this module raises itself: a worker slot usually frees within this many seconds. */
const NO_WORKER_RETRY_AFTER_SECONDS = 30

/** What became of a submission: accepted, or no worker could take it (with the Retry-After to send). */
export type SubmitOutcome =
  | { readonly status: 'accepted'; readonly accepted: JobAccepted }
  | { readonly status: 'unavailable'; readonly retryAfter: string }

/** Submits the job when a worker can take it; `unavailable` when none can (all busy, or down). */
export async function trySubmitJob(jobs: JobService, spec: JobSpec): Promise<SubmitOutcome> {
  const unavailable = (retryAfter = String(NO_WORKER_RETRY_AFTER_SECONDS)): SubmitOutcome => ({
    status: 'unavailable',
    retryAfter,
  })
  if (!(await jobs.canAccept())) return unavailable()
  try {
    return { status: 'accepted', accepted: await jobs.submit(spec) }
  } catch (err) {
    if (err instanceof DomainError && err.code === 'SERVICE_UNAVAILABLE') {
      return unavailable(err.retryAfterSeconds === undefined ? undefined : String(err.retryAfterSeconds))
    }
    throw err
  }
}

/**
 * Decides an events request of `spec.cid_count` CIDs: a JobAccepted when it goes to a worker, undefined when it
 * streams here. Above TRACE_ASYNC_CID_THRESHOLD with a job system it becomes a job; when no worker can take
 * it, MSD gets 503 (its aggregates need every CID, so it must not be cut or run here) and other profiles fall
 * back to the synchronous rules: above TRACE_EVENTS_CID_LIMIT 413 CID_LIMIT_EXCEEDED. Without a job system,
 * MSD above the limit streams here with a warning, as the old system did.
 */
export async function admitEvents(
  deps: Pick<AppDeps, 'config' | 'jobs'>,
  spec: JobSpec,
): Promise<JobAccepted | undefined> {
  const { config, jobs } = deps
  const cidCount = spec.cid_count
  const isMsd = spec.profile === 'mid_section_defect'
  if (jobs && cidCount > config.TRACE_ASYNC_CID_THRESHOLD) {
    const outcome = await trySubmitJob(jobs, spec)
    if (outcome.status === 'accepted') return outcome.accepted
    if (isMsd) {
      throw new ApiError(
        503,
        'SERVICE_UNAVAILABLE',
        `no trace worker can take this ${cidCount}-CID defect investigation now; retry later`,
        { cid_count: cidCount },
        { 'Retry-After': outcome.retryAfter },
      )
    }
  }
  const limit = config.TRACE_EVENTS_CID_LIMIT
  if (cidCount > limit) {
    if (!isMsd) {
      throw new ApiError(
        413,
        'CID_LIMIT_EXCEEDED',
        `${cidCount} CIDs is more than the ${limit} one events request may fetch; narrow the trace`,
        { cid_count: cidCount, limit },
      )
    }
    log.warn('MSD events request over the CID limit runs synchronously', { cid_count: cidCount, limit })
  }
  return undefined
}
