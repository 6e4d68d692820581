/** The result meta of a finished job, or the 404/409 that says why there is none. */
import type { JobService } from '../jobs/job-service.ts'
import type { ResultMeta } from '../storage/result-store.ts'
import { assertFinished, jobNotFound, resultExpired } from './job-errors.ts'

/** Throws 404 JOB_NOT_FOUND, 409 JOB_NOT_COMPLETE (or JOB_FAILED/JOB_CANCELLED), 404 JOB_RESULT_EXPIRED. */
export async function finishedResult(jobs: JobService, jobId: string): Promise<{ meta: ResultMeta }> {
  const status = await jobs.status(jobId)
  if (!status) throw jobNotFound(jobId)
  assertFinished(status)
  const meta = await jobs.results.readMeta(jobId)
  if (!meta?.complete) throw resultExpired(jobId)
  return { meta }
}
