/** The stages a trace shows in its stepper, and how job statuses and errors map onto them. */
import type { Domain } from '../../shared/domains.ts'
import type { JobStatusWithSeeds, SeedSummary } from '../../shared/job-seed-summary.ts'
import type { JobStage, JobStatus, Seed } from '../../shared/responses.ts'
import type { StageError } from '../api/index.ts'

export const TRACE_STAGES = ['seed-resolve', 'lineage', 'events', 'streaming'] as const
export type TraceStage = (typeof TRACE_STAGES)[number]

/** Where an error is shown: streaming failures belong to the events stage. */
export type StageErrorKey = 'seed' | 'lineage' | 'events'
export type StageErrors = Readonly<Record<StageErrorKey, StageError | null>>
export const NO_STAGE_ERRORS: StageErrors = { seed: null, lineage: null, events: null }

/** The error slot of a stage. */
export function stageErrorKey(stage: TraceStage): StageErrorKey {
  if (stage === 'seed-resolve') return 'seed'
  if (stage === 'lineage') return 'lineage'
  return 'events'
}

/** The stepper stage a job is in (null while queued: it has not started any stage). */
export function stageOfJob(status: JobStatus, stage: JobStage): TraceStage | null {
  if (status === 'finished' || stage === 'done') return 'streaming'
  return stage === 'queued' ? null : stage
}

/** The stage an error code names (SEED_*, LINEAGE_*, EVENTS_*), if it names one. */
export function stageOfErrorCode(code: string): TraceStage | null {
  if (code.startsWith('SEED_')) return 'seed-resolve'
  if (code.startsWith('LINEAGE_')) return 'lineage'
  if (code.startsWith('EVENTS_')) return 'events'
  return null
}

/** The stages before `stage`, in stepper order. */
export function stagesBefore(stage: TraceStage): TraceStage[] {
  return TRACE_STAGES.slice(0, TRACE_STAGES.indexOf(stage))
}

/**
 * Run outcome, one value instead of a pile of booleans. `empty`: the input matched no container (typed names,
 * a pattern, an MSD range without lots), whichever path ran; the seed outcome's `no_seeds_reason` says why.
 */
export type RunStatus = 'idle' | 'running' | 'finished' | 'empty' | 'failed' | 'cancelled'

/** A job's progress as the progress bar shows it. */
export interface JobProgressView {
  readonly job_id: string
  readonly status: JobStatus
  readonly stage: JobStage
  /** 0-100. */
  readonly pct: number
  /** Rows the worker has written. */
  readonly rows: number
  readonly cids_done: number
  readonly cids_total: number
  /** The domain whose containers `cids_done` counts while events are fetched; null before and from older servers. */
  readonly domain: Domain | null
  readonly elapsed_seconds: number
  readonly domains: readonly Domain[]
  /** `Date.now()` when this status arrived (the elapsed clock keeps running from it). */
  readonly received_at: number
}

/** The progress view of a status answer. */
export function progressOf(status: JobStatusWithSeeds, now: number): JobProgressView {
  const p = status.progress
  return {
    job_id: status.job_id,
    status: status.status,
    stage: p.stage,
    pct: Math.max(0, Math.min(100, Number(p.pct) || 0)),
    rows: p.rows,
    cids_done: p.cids_done,
    cids_total: p.cids_total,
    domain: p.domain ?? null,
    elapsed_seconds: status.elapsed_seconds,
    domains: status.domains,
    received_at: now,
  }
}

/** What seed resolution found: the full list on the staged path, counts on the job path. */
export interface SeedOutcome extends SeedSummary {
  readonly seeds?: readonly Seed[]
}
