/** A job's metadata as stored (file or Redis), and how it is shown to clients. */
import type { Domain, Profile } from '../../shared/domains.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import type { JobStatusWithSeeds, SeedSummary } from '../../shared/job-seed-summary.ts'
import type { JobRequest } from '../../shared/schemas.ts'
import { TERMINAL_JOB_STATUSES, type JobProgress, type JobStatus } from '../../shared/responses.ts'
import type { JobInput, JobSpec } from './job-service.ts'

export interface JobRecord {
  readonly job_id: string
  readonly status: JobStatus
  readonly profile: Profile
  readonly cid_count: number
  readonly domains: readonly Domain[]
  readonly input_kind: JobInput['kind']
  readonly progress: JobProgress
  readonly created_at: string
  readonly started_at: string | null
  readonly finished_at: string | null
  readonly error: { readonly code: ErrorCode; readonly message: string } | null
  /** 1 for the first run; a BullMQ retry after a killed worker increments it. */
  readonly attempt: number
  /** Which process runs it (`<host>:<pid>`), for operators reading the metadata. */
  readonly worker: string | null
  /** What seed resolution found, once a whole-trace job ran it. */
  readonly seed_summary?: SeedSummary | null
  /** Who submitted it (absent or null without authentication). */
  readonly owner?: string | null
  /** The query of a whole-trace job whose params are small enough to keep in a record rewritten often. */
  readonly request?: JobRequest
}

/** Params larger than this (as JSON) are not copied into the record: the job's input keeps them. */
const MAX_RECORDED_PARAMS_BYTES = 16_384

function recordedRequest(spec: JobSpec): JobRequest | undefined {
  if (spec.input.kind !== 'trace') return undefined
  const { params } = spec.input.seed
  if (JSON.stringify(params).length > MAX_RECORDED_PARAMS_BYTES) return undefined
  return { profile: spec.profile, params: { ...params }, domains: [...spec.domains] }
}

/** The progress of a job nobody has started. */
export function queuedProgress(cidCount: number): JobProgress {
  return { stage: 'queued', pct: 0, cids_done: 0, cids_total: cidCount, rows: 0, chunks: 0 }
}

/** A `queued` record for `spec` under `jobId`. */
export function newJobRecord(jobId: string, spec: JobSpec, now: Date = new Date()): JobRecord {
  const request = recordedRequest(spec)
  return {
    ...(request ? { request } : {}),
    job_id: jobId,
    status: 'queued',
    profile: spec.profile,
    cid_count: spec.cid_count,
    domains: [...spec.domains],
    input_kind: spec.input.kind,
    progress: queuedProgress(spec.cid_count),
    created_at: now.toISOString(),
    started_at: null,
    finished_at: null,
    error: null,
    attempt: 1,
    worker: null,
    owner: spec.owner ?? null,
  }
}

/** True once a job can no longer change. */
export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status)
}

/** The record of a job that ended now with `status` (and an error for failed/cancelled jobs). */
export function endRecord(
  record: JobRecord,
  status: 'finished' | 'failed' | 'cancelled',
  error: JobRecord['error'] = null,
  now: Date = new Date(),
): JobRecord {
  return { ...record, status, error, finished_at: now.toISOString() }
}

/** The status body: `elapsed_seconds` runs from submission and stops when the job ends. */
export function toStatusResponse(record: JobRecord, now: Date = new Date()): JobStatusWithSeeds {
  const end = record.finished_at ? Date.parse(record.finished_at) : now.getTime()
  return {
    ...(record.seed_summary ? { seed_summary: record.seed_summary } : {}),
    ...(record.owner ? { owner: record.owner } : {}),
    ...(record.request ? { request: record.request } : {}),
    job_id: record.job_id,
    status: record.status,
    profile: record.profile,
    cid_count: record.cid_count,
    domains: [...record.domains],
    progress: { ...record.progress },
    created_at: record.created_at,
    started_at: record.started_at,
    finished_at: record.finished_at,
    elapsed_seconds: Math.max(0, Math.round((end - Date.parse(record.created_at)) / 100) / 10),
    error: record.error ? { ...record.error } : null,
  }
}
