/** What an export of a finished job needs: its result meta and a description of what it traced. */
import type { Domain, Profile } from '../../shared/domains.ts'
import { ApiError } from '../http/api-error.ts'
import { jobAbout, type JobAbout } from '../export/job-about.ts'
import type { JobService } from '../jobs/job-service.ts'
import type { DomainResultMeta, ResultMeta } from '../storage/result-store.ts'
import { jobNotFound } from './job-errors.ts'
import { finishedResult } from './job-finished-result.ts'

/** A finished job ready to export. */
export interface ExportableJob {
  readonly meta: ResultMeta
  readonly about: JobAbout
  readonly profile: Profile
}

/** The 404/409 of finishedResult, else the job's meta, about lines and profile. */
export async function exportableJob(jobs: JobService, jobId: string): Promise<ExportableJob> {
  const { meta } = await finishedResult(jobs, jobId)
  const [status, input] = await Promise.all([jobs.status(jobId), jobs.input(jobId)])
  if (!status) throw jobNotFound(jobId)
  return { meta, about: jobAbout(status, input, meta), profile: status.profile }
}

/** The domain's meta; 400 when the job did not fetch it. */
export function fetchedDomain(meta: ResultMeta, domain: Domain): DomainResultMeta {
  const dm = meta.domains[domain]
  if (!dm)
    throw new ApiError(400, 'INVALID_PARAMS', `domain ${domain} is not part of this job (${meta.order.join(', ')})`, {
      field: 'domain',
    })
  return dm
}
