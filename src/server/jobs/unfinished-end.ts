/** The one way the job services record the end of a job that did not finish (failed or cancelled). */
import { log } from '../logger.ts'
import type { ResultStore } from '../storage/result-store.ts'
import type { JobRecord } from './job-record.ts'
import type { JobStore } from './job-store.ts'

/**
 * Deletes the job's chunks, then writes its terminal record `ended`. In this order a client that sees the
 * failed or cancelled status never finds the partial result still there. A failed delete is logged and the
 * record written anyway: a job stuck `started` is worse, and the sweeper removes the chunks with the record.
 */
export async function recordUnfinishedEnd(jobs: JobStore, results: ResultStore, ended: JobRecord): Promise<void> {
  try {
    await results.delete(ended.job_id)
  } catch (err) {
    log.warn('chunks of an unfinished job not deleted', { job_id: ended.job_id, error: String(err) })
  }
  await jobs.put(ended)
}
