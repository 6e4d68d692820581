/**
 * How both job services read a job for the web routes: a malformed or unknown id is no job, a stored record is
 * brought up to date by the service's own rule (embedded: dropped once expired; BullMQ: reconciled with the
 * queue), and a cancel of a job that already ended is done without touching it.
 */
import type { JobStatusResponse } from '../../shared/responses.ts'
import { jobIdSchema } from '../../shared/schemas.ts'
import { isTerminal, toStatusResponse, type JobRecord } from './job-record.ts'
import type { JobStore } from './job-store.ts'

export interface RecordView {
  /** The job's record as it stands now, or undefined for a malformed, unknown or gone id. */
  live(jobId: string): Promise<JobRecord | undefined>
  /** The status body, or undefined when there is no such job. */
  status(jobId: string): Promise<JobStatusResponse | undefined>
  /** False for no such job; true once `stop` ran for a job still running, or at once for one that ended. */
  cancel(jobId: string, stop: (record: JobRecord) => Promise<void>): Promise<boolean>
}

/** The view over `jobs`; `refresh` brings a stored record up to date, undefined when the job is gone. */
export function createRecordView(
  jobs: Pick<JobStore, 'get'>,
  refresh: (record: JobRecord) => Promise<JobRecord | undefined>,
): RecordView {
  async function live(jobId: string): Promise<JobRecord | undefined> {
    if (!jobIdSchema.safeParse(jobId).success) return undefined
    const record = await jobs.get(jobId)
    return record ? refresh(record) : undefined
  }
  return {
    live,
    async status(jobId) {
      const record = await live(jobId)
      return record ? toStatusResponse(record) : undefined
    },
    async cancel(jobId, stop) {
      const record = await live(jobId)
      if (!record) return false
      if (!isTerminal(record.status)) await stop(record)
      return true
    },
  }
}
