/** One measured run of one mode on one database size: the unit `npm run bench` reports and stores. */

/**
 * limit (the job's statements on SQLite's own thread), raw scan (the same statements through the source),
 * the product's async job path, and the buffered way it replaces.
 */
export type BenchMode = 'limit' | 'raw' | 'job' | 'baseline'

export const BENCH_MODES: readonly BenchMode[] = ['limit', 'raw', 'job', 'baseline']

export interface RunRecord {
  readonly size: string
  readonly mode: BenchMode
  /** 1-based repetition. */
  readonly repeat: number
  /** False when the run did not deliver its whole result (died, timed out, failed). */
  readonly ok: boolean
  /** Why it failed: exit status, signal, last stderr line, or the job's error. */
  readonly error: string | null
  readonly cids: number
  readonly rows: number
  /**
   * Seconds of the whole trace (seed-resolve, lineage, events; process and server start-up excluded):
   * raw and baseline as timed inside their process, job from submit to the stream's last byte.
   */
  readonly seconds: number
  readonly rows_per_s: number
  /** Seed-resolve plus lineage; for the job, from submit until its status says `events`. */
  readonly cids_seconds: number | null
  /** The events stage alone (for the job: from its `events` status until the stream ended). */
  readonly events_seconds: number | null
  /** Job: from submit to the first complete records line at the client. */
  readonly first_records_ms: number | null
  /** Job: from the worker storing its first chunk (the chunk file's mtime) to that line at the client. */
  readonly first_records_after_chunk_ms: number | null
  /** Job: NDJSON bytes streamed to the client; baseline: bytes of its one response body. */
  readonly bytes: number | null
  /** Peak RSS (MB) of the process that did the work; for the job, web and worker peaks summed. */
  readonly peak_mb: number
  /** Job: peak RSS of the web process (MB). */
  readonly peak_web_mb: number | null
  /** Job: peak RSS of the worker process (MB). */
  readonly peak_worker_mb: number | null
  /** The kernel's high-water mark (VmHWM, MB) of the same process(es), a cross-check of the sampler. */
  readonly vm_hwm_mb: Record<string, number>
  /** How the RSS sampling went: samples taken, mean and longest gap between two samples (ms). */
  readonly sampling: Sampling
  /** Mode-specific figures (per-domain rows, baseline phases and heap, job stage times, …). */
  readonly detail: Record<string, unknown>
}

/** RSS sampling of one run. */
export interface Sampling {
  readonly samples: number
  readonly mean_gap_ms: number
  readonly max_gap_ms: number
}

/** The sampling figures of a sampler's peaks. */
export function sampling(p: { samples: number; meanGapMs: number; maxGapMs: number }): Sampling {
  return { samples: p.samples, mean_gap_ms: p.meanGapMs, max_gap_ms: p.maxGapMs }
}

/** A failed run's record: what is known, zeros elsewhere. */
export function failedRecord(
  base: Pick<RunRecord, 'size' | 'mode' | 'repeat'>,
  error: string,
  peakMb: number,
  sampled: Sampling,
  detail: Record<string, unknown> = {},
): RunRecord {
  return {
    ...base,
    ok: false,
    error,
    cids: 0,
    rows: 0,
    seconds: 0,
    rows_per_s: 0,
    cids_seconds: null,
    events_seconds: null,
    first_records_ms: null,
    first_records_after_chunk_ms: null,
    bytes: null,
    peak_mb: peakMb,
    peak_web_mb: null,
    peak_worker_mb: null,
    vm_hwm_mb: {},
    sampling: sampled,
    detail,
  }
}

/** kB → MB, one decimal. */
export function mb(kb: number): number {
  return Math.round(kb / 102.4) / 10
}
