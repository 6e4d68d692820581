/** Shared shapes for client tests: a job id, statuses, and a typical stream. */
import type { JobStatusWithSeeds } from '../../../src/shared/job-seed-summary.ts'
import type { JobAccepted, JobStage, JobStatus } from '../../../src/shared/responses.ts'
import { DOMAIN_COLUMNS } from '../../../src/shared/domains.ts'
import { line } from './ndjson-body.ts'

export const JOB_ID = 'trace-evt-0123456789abcdef0123456789abcdef'

export function accepted(jobId = JOB_ID): JobAccepted {
  return {
    stage: 'events',
    async: true,
    job_id: jobId,
    status_url: `/api/trace/job/${jobId}`,
    stream_url: `/api/trace/job/${jobId}/stream`,
  }
}

export function jobStatus(
  status: JobStatus,
  stage: JobStage,
  extra: Partial<JobStatusWithSeeds> = {},
): JobStatusWithSeeds {
  const terminal = status === 'finished' || status === 'failed' || status === 'cancelled'
  return {
    job_id: JOB_ID,
    status,
    profile: 'query_tool',
    cid_count: 3,
    domains: ['history'],
    progress: { stage, pct: terminal ? 100 : 40, cids_done: 1, cids_total: 3, rows: 3, chunks: 1 },
    created_at: '2024-03-05T07:00:00Z',
    started_at: '2024-03-05T07:00:01Z',
    finished_at: terminal ? '2024-03-05T07:00:09Z' : null,
    elapsed_seconds: 8,
    error: null,
    ...extra,
  }
}

const H = DOMAIN_COLUMNS.history

/** A history row in DOMAIN_COLUMNS.history order. */
export function historyRow(cid: string, workcenter: string, trackIn: string, qty: number): unknown[] {
  const row: unknown[] = H.map(() => null)
  row[H.indexOf('CONTAINERID')] = cid
  row[H.indexOf('CONTAINERNAME')] = `GA2310${cid.slice(-4)}`
  row[H.indexOf('WORKCENTERNAME')] = workcenter
  row[H.indexOf('EQUIPMENTID')] = 'EQ-01'
  row[H.indexOf('TRACKINTIMESTAMP')] = trackIn
  row[H.indexOf('TRACKINQTY')] = qty
  return row
}

export const ROWS = [
  historyRow('48810380001cba48', '切割', '2024-03-05T07:41:09', 1200),
  historyRow('48810380001cba49', '焊接_DB', '2024-03-06T08:00:00', 1190),
  historyRow('48810380001cba4a', 'TMTT', '2024-03-07T09:30:00', 1180),
]

/** meta → history (two batches) → complete, as separate lines. */
export function typicalLines(): string[] {
  return [
    line({ type: 'meta', job_id: JOB_ID, profile: 'query_tool', domains: ['history'] }),
    line({ type: 'domain_start', domain: 'history', columns: H }),
    line({ type: 'records', domain: 'history', batch: 0, count: 2, rows: ROWS.slice(0, 2) }),
    line({ type: 'records', domain: 'history', batch: 1, count: 1, rows: ROWS.slice(2) }),
    line({ type: 'domain_end', domain: 'history', count: 3 }),
    line({ type: 'complete', total_records: 3, counts: { history: 3 } }),
  ]
}
