/** The 202 body of a submitted job. */
import type { JobAccepted } from '../../shared/responses.ts'

/** Where to poll and stream job `jobId`. */
export function jobAccepted(jobId: string): JobAccepted {
  return {
    stage: 'events',
    async: true,
    job_id: jobId,
    status_url: `/api/trace/job/${jobId}`,
    stream_url: `/api/trace/job/${jobId}/stream`,
  }
}
