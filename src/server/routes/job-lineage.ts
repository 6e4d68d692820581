/**
 * GET /api/trace/job/<id>/lineage: the genealogy a whole-trace job kept from its own lineage walk (the full
 * response for a family up to TRACE_JOB_LINEAGE_MAX_NODES containers, counts beyond), so the lineage view of a
 * job needs no second seed-resolve and lineage. Stored once the walk is over, before the job counts its CIDs.
 */
import type { Context } from 'hono'
import { ApiError } from '../http/api-error.ts'
import type { JobService } from '../jobs/job-service.ts'
import { jobNotFound } from './job-errors.ts'

/** Answers the stored JSON as is; 404 JOB_NOT_FOUND, or 404 LINEAGE_NOT_AVAILABLE until (or unless) stored. */
export async function jobLineage(c: Context, jobs: JobService): Promise<Response> {
  const jobId = c.req.param('id') ?? ''
  if (!(await jobs.status(jobId))) throw jobNotFound(jobId)
  const stored = await jobs.results.readLineage(jobId)
  if (!stored) {
    throw new ApiError(
      404,
      'LINEAGE_NOT_AVAILABLE',
      `job ${jobId} has no lineage (yet): a job keeps one once its lineage walk is over, and a job given ` +
        'container ids walks none',
    )
  }
  return c.body(new Uint8Array(stored), 200, { 'content-type': 'application/json; charset=utf-8' })
}
