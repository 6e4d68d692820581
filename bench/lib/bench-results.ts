/**
 * The results file of `npm run bench` (bench/results/<date>.json): what ran, where, on which code, every run,
 * and the verdicts derived from the runs (recomputed by `--from`, so a report can be redrawn without rerunning).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { goals, scaling, summarizeSizes, type Goal, type Scaling, type SizeSummary } from './bench-summary.ts'
import { markdownTable, ratioRows, runRows, textTable, verdictLines } from './bench-table.ts'
import type { LoadSnapshot, MachineInfo } from './machine-info.ts'
import type { RunRecord } from './run-record.ts'

/** One database size as prepared for the run. */
export interface DatabaseEntry {
  readonly lots: number
  readonly months: number
  readonly seed: number
  readonly detectionRows: number
  readonly seedLots: number
  readonly lineageCids: number
  readonly historyRows: number
  readonly file_mb: number
  readonly generated_seconds: number
  readonly page_cache_warm_seconds: number | null
}

/** Everything measured, without the verdicts. */
export interface BenchRun {
  /** False while the run is still going (the file is rewritten after every run) or was interrupted. */
  readonly complete: boolean
  readonly trace: string
  readonly code: { commit: string | null; uncommitted_changes: boolean | null }
  readonly machine: MachineInfo
  readonly load_start: LoadSnapshot
  readonly load_end: LoadSnapshot | null
  readonly settings: {
    readonly sizes: readonly string[]
    readonly modes: readonly string[]
    readonly repeat: number
    readonly sample_ms: number
    readonly baseline_heap_mb: number
    readonly incident_size: string
    /** How the job mode's server ran: compiled (`npm start`) or through tsx; absent in files before the server build. */
    readonly runtime?: string
    readonly env: Readonly<Record<string, string>>
  }
  readonly databases: Readonly<Record<string, DatabaseEntry>>
  readonly prepare_seconds: number
  readonly runs: readonly RunRecord[]
}

/** The file: the run plus its verdicts. */
export interface BenchResults extends BenchRun {
  readonly summary: SizeSummary[]
  readonly scaling: Scaling
  readonly goals: Goal[]
}

/** Adds the summary, scaling and goals computed from the runs. */
export function withVerdicts(run: BenchRun): BenchResults {
  const summary = summarizeSizes(
    run.runs,
    run.settings.sizes.map((name) => ({ name, cids: run.databases[name]?.lineageCids ?? 0 })),
  )
  return { ...run, summary, scaling: scaling(summary), goals: goals(summary, run.settings.incident_size) }
}

/** Writes the file atomically (a reader never sees half of it). */
export function writeResults(path: string, results: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(`${path}.tmp`, JSON.stringify(results, null, 2) + '\n')
  renameSync(`${path}.tmp`, path)
}

/** Reads a results file back (its verdicts are recomputed by the caller when wanted). */
export function readResults(path: string): BenchRun {
  return JSON.parse(readFileSync(path, 'utf8')) as BenchRun
}

/** The human report: every run, the ratios, scaling and goals, sampling and load, then the same as Markdown. */
export function reportLines(results: BenchResults, path: string): string[] {
  const gaps = results.runs.map((r) => r.sampling)
  const load = (l: LoadSnapshot | null): string => (l ? l.loadavg.join(' ') : '–')
  return [
    '',
    textTable(runRows(results.runs)),
    '',
    textTable(ratioRows(results.summary)),
    '',
    ...verdictLines(results.scaling, results.goals),
    gaps.length
      ? `RSS sampled every ${results.settings.sample_ms} ms: mean gap ${Math.max(...gaps.map((g) => g.mean_gap_ms)).toFixed(0)} ms at worst, longest gap ${Math.max(...gaps.map((g) => g.max_gap_ms))} ms`
      : 'no runs',
    '',
    `load average: start ${load(results.load_start)}, end ${load(results.load_end)}; results in ${path}`,
    '',
    'Markdown (BENCHMARKS.md):',
    '',
    markdownTable(runRows(results.runs)),
    '',
    markdownTable(ratioRows(results.summary)),
  ]
}
