/**
 * A job service that holds statuses in memory and runs nothing: enough for tests of what the HTTP layer does
 * around the job routes (guards, headers, query parsing, cancel rights) without worker processes.
 */
import type { JobService, JobSpec } from '../../../src/server/jobs/job-service.ts'
import type { ResultStore } from '../../../src/server/storage/result-store.ts'
import type { JobStatusResponse } from '../../../src/shared/responses.ts'

export interface StubJobs extends JobService {
  /** Specs submitted so far, in order. */
  readonly submitted: JobSpec[]
  /** Ids cancel() was called with. */
  readonly cancelled: string[]
  /** Adds a known job. */
  put(status: JobStatusResponse): void
}

/** A queued status of `job_id` (owned by `owner` when given). */
export function queuedStatus(jobId: string, owner?: string): JobStatusResponse {
  return {
    job_id: jobId,
    status: 'queued',
    profile: 'query_tool',
    cid_count: 0,
    domains: ['history'],
    progress: { stage: 'queued', pct: 0, cids_done: 0, cids_total: 0, rows: 0, chunks: 0 },
    created_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
    elapsed_seconds: 0,
    error: null,
    ...(owner ? { owner } : {}),
  }
}

/** The stub; result reads find nothing (a job's result is "expired"). */
export function stubJobs(): StubJobs {
  const statuses = new Map<string, JobStatusResponse>()
  const submitted: JobSpec[] = []
  const cancelled: string[] = []
  const results = {
    readMeta: async () => undefined,
    readChunk: async () => undefined,
    readLegacy: async () => undefined,
    readAggregation: async () => undefined,
    readAnalysis: async () => undefined,
    readLineage: async () => undefined,
  } as unknown as ResultStore
  return {
    mode: 'embedded',
    results,
    submitted,
    cancelled,
    put: (s) => void statuses.set(s.job_id, s),
    async submit(spec) {
      submitted.push(spec)
      const jobId = `trace-evt-${String(submitted.length).padStart(32, '0')}`
      statuses.set(jobId, queuedStatus(jobId, spec.owner ?? undefined))
      return {
        stage: 'events',
        async: true,
        job_id: jobId,
        status_url: `/api/trace/job/${jobId}`,
        stream_url: `/api/trace/job/${jobId}/stream`,
      }
    },
    canAccept: async () => true,
    workerCount: async () => 1,
    status: async (id) => statuses.get(id),
    input: async () => undefined,
    async cancel(id) {
      cancelled.push(id)
      return statuses.has(id)
    },
    close: async () => undefined,
  }
}
