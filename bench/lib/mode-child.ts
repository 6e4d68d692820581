/** The limit, the raw scan and the buffered baseline, each run in its own measured process on one database. */
import type { JobRequest } from '../../src/shared/schemas.ts'
import type { BaselineResult } from '../baseline/buffered-trace.ts'
import { runMeasuredChild, type MeasuredChild } from './measured-child.ts'
import type { RawScanResult } from './raw-scan.ts'
import { failedRecord, mb, type RunRecord } from './run-record.ts'

export interface ChildModeOptions {
  readonly size: string
  readonly repeat: number
  /** Environment of the run (MES_DB_PATH, limits). */
  readonly env: Readonly<Record<string, string>>
  readonly request: JobRequest
  readonly sampleMs: number
  readonly timeoutMs: number
}

/** Runs bench/lib/raw-scan.ts. */
export function runRawScan(options: ChildModeOptions): Promise<RunRecord> {
  return runScan('raw', 'bench/lib/raw-scan.ts', options)
}

/** Runs bench/lib/limit-scan.ts: the same statements iterated on the process's own thread. */
export function runLimitScan(options: ChildModeOptions): Promise<RunRecord> {
  return runScan('limit', 'bench/lib/limit-scan.ts', options)
}

async function runScan(mode: 'raw' | 'limit', script: string, options: ChildModeOptions): Promise<RunRecord> {
  const child = await runMeasuredChild<RawScanResult>({
    script,
    args: ['--request', JSON.stringify(options.request)],
    env: options.env,
    sampleMs: options.sampleMs,
    timeoutMs: options.timeoutMs,
  })
  const base = { size: options.size, mode, repeat: options.repeat }
  const r = child.result
  if (!r) return failedRecord(base, failure(child), mb(child.peakRssKb), child.sampling)
  return {
    ...base,
    ok: true,
    error: null,
    cids: r.cids,
    rows: r.rows,
    seconds: r.total_ms / 1000,
    rows_per_s: r.rows / (r.total_ms / 1000),
    cids_seconds: r.cids_ms / 1000,
    events_seconds: r.events_ms / 1000,
    first_records_ms: null,
    first_records_after_chunk_ms: null,
    bytes: null,
    peak_mb: mb(child.peakRssKb),
    peak_web_mb: null,
    peak_worker_mb: null,
    vm_hwm_mb: { process: mb(r.vm_hwm_kb ?? 0) },
    sampling: child.sampling,
    detail: {
      rows_by_domain: r.rows_by_domain,
      peak_mb_until_cids_known: mb(r.hwm_after_cids_kb),
      process_wall_seconds: child.wallMs / 1000,
    },
  }
}

/** Runs bench/baseline/buffered-trace.ts with a V8 heap of `heapMb`. */
export async function runBaseline(options: ChildModeOptions & { readonly heapMb: number }): Promise<RunRecord> {
  const child = await runMeasuredChild<BaselineResult>({
    script: 'bench/baseline/buffered-trace.ts',
    args: ['--request', JSON.stringify(options.request)],
    env: options.env,
    maxOldSpaceMb: options.heapMb,
    sampleMs: options.sampleMs,
    timeoutMs: options.timeoutMs,
  })
  const base = { size: options.size, mode: 'baseline' as const, repeat: options.repeat }
  const r = child.result
  if (!r) {
    return failedRecord(base, failure(child), mb(child.peakRssKb), child.sampling, {
      heap_limit_mb: options.heapMb,
      process_wall_seconds: child.wallMs / 1000,
    })
  }
  return {
    ...base,
    ok: true,
    error: null,
    cids: r.cids,
    rows: r.rows,
    seconds: r.total_ms / 1000,
    rows_per_s: r.rows / (r.total_ms / 1000),
    cids_seconds: r.cids_ms / 1000,
    events_seconds: r.fetch_ms / 1000,
    first_records_ms: null,
    first_records_after_chunk_ms: null,
    bytes: r.response_bytes,
    peak_mb: mb(child.peakRssKb),
    peak_web_mb: null,
    peak_worker_mb: null,
    vm_hwm_mb: { process: mb(r.vm_hwm_kb ?? 0) },
    sampling: child.sampling,
    detail: {
      heap_limit_mb: options.heapMb,
      peak_mb_until_cids_known: mb(r.hwm_after_cids_kb),
      fetch_seconds: r.fetch_ms / 1000,
      group_seconds: r.group_ms / 1000,
      build_seconds: r.build_ms / 1000,
      heap_used_mb_after: r.heap_mb,
      stringify_error: r.stringify_error,
      process_wall_seconds: child.wallMs / 1000,
    },
  }
}

/** One line saying how a child ended without a result. */
function failure(child: MeasuredChild<unknown>): string {
  const lines = child.stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const why =
    lines.find((l) => /heap out of memory|Invalid string length|Array buffer allocation failed|FATAL/.test(l)) ??
    lines.at(-1) ??
    ''
  const how = child.timedOut ? 'timed out' : child.signal ? `killed by ${child.signal}` : `exit ${child.exitCode}`
  return `${how}${why ? `: ${why}` : ''}`
}
