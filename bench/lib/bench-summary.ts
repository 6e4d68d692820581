/**
 * From the runs of `npm run bench` to its verdicts: the median run per size and mode, the two ratios
 * (raw ÷ limit and job ÷ raw throughput, baseline ÷ job peak memory), how memory and time scale with size, and the goals of
 * issue 6 met or not.
 */
import type { BenchMode, RunRecord } from './run-record.ts'

/** The medians of one mode at one size (over its successful repetitions; failed ones are counted). */
export interface ModeSummary {
  readonly runs: number
  readonly failed: number
  readonly rows: number
  readonly seconds: number
  readonly rows_per_s: number
  readonly events_seconds: number | null
  /** Highest peak over all repetitions, failed ones included (a run that died still used that much). */
  readonly peak_mb: number
  readonly peak_web_mb: number | null
  readonly peak_worker_mb: number | null
  readonly first_records_ms: number | null
  readonly first_records_after_chunk_ms: number | null
  readonly bytes: number | null
  readonly error: string | null
}

export interface SizeSummary {
  readonly size: string
  readonly cids: number
  readonly modes: Partial<Record<BenchMode, ModeSummary>>
  /** Raw scan rows/s ÷ limit rows/s, whole trace (both share the CIDs stage). */
  readonly raw_vs_limit_throughput: number | null
  /** The same over the events stage alone: what the source's threads cost over SQLite itself. */
  readonly raw_vs_limit_events_throughput: number | null
  /** Job rows/s ÷ raw scan rows/s, whole trace. */
  readonly job_vs_raw_throughput: number | null
  /** The same over the events stage alone. */
  readonly job_vs_raw_events_throughput: number | null
  /** Baseline peak RSS ÷ the job's worker peak RSS (the process that holds the job's data). */
  readonly baseline_vs_job_peak: number | null
  /** Baseline peak RSS ÷ the job's web and worker peaks summed (both processes of the job path). */
  readonly baseline_vs_job_total_peak: number | null
}

/** Log-log slope of y against CIDs over the sizes: ≈ 0 is flat, ≈ 1 is linear. */
export interface Scaling {
  readonly job_worker_peak_slope: number | null
  readonly job_web_peak_slope: number | null
  readonly job_seconds_slope: number | null
  readonly raw_seconds_slope: number | null
  readonly baseline_peak_slope: number | null
  /** Job seconds per million rows at each size (constant when time is linear in rows). */
  readonly job_seconds_per_million_rows: Record<string, number>
}

export interface Goal {
  readonly goal: string
  readonly met: boolean | null
  readonly measured: string
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

function medianOrNull(xs: readonly (number | null)[]): number | null {
  const present = xs.filter((x): x is number => x !== null)
  return present.length ? median(present) : null
}

function summarizeMode(runs: readonly RunRecord[]): ModeSummary | undefined {
  if (runs.length === 0) return undefined
  const ok = runs.filter((r) => r.ok)
  const maxOrNull = (xs: readonly (number | null)[]): number | null => {
    const present = xs.filter((x): x is number => x !== null)
    return present.length ? Math.max(...present) : null
  }
  return {
    runs: runs.length,
    failed: runs.length - ok.length,
    rows: ok.length ? median(ok.map((r) => r.rows)) : 0,
    seconds: ok.length ? median(ok.map((r) => r.seconds)) : 0,
    rows_per_s: ok.length ? median(ok.map((r) => r.rows_per_s)) : 0,
    events_seconds: medianOrNull(ok.map((r) => r.events_seconds)),
    peak_mb: Math.max(...runs.map((r) => r.peak_mb)),
    peak_web_mb: maxOrNull(runs.map((r) => r.peak_web_mb)),
    peak_worker_mb: maxOrNull(runs.map((r) => r.peak_worker_mb)),
    first_records_ms: medianOrNull(ok.map((r) => r.first_records_ms)),
    first_records_after_chunk_ms: maxOrNull(ok.map((r) => r.first_records_after_chunk_ms)),
    bytes: medianOrNull(ok.map((r) => r.bytes)),
    error: runs.find((r) => !r.ok)?.error ?? null,
  }
}

/** Medians and ratios per size, in the given size order. */
export function summarizeSizes(
  records: readonly RunRecord[],
  sizes: readonly { name: string; cids: number }[],
): SizeSummary[] {
  return sizes.map(({ name, cids }) => {
    const modes: Partial<Record<BenchMode, ModeSummary>> = {}
    for (const mode of ['limit', 'raw', 'job', 'baseline'] as const) {
      const s = summarizeMode(records.filter((r) => r.size === name && r.mode === mode))
      if (s) modes[mode] = s
    }
    const { limit, raw, job, baseline } = modes
    const usable = (s: ModeSummary | undefined): s is ModeSummary => s !== undefined && s.failed < s.runs
    const eventsRate = (s: ModeSummary): number | null => (s.events_seconds ? s.rows / s.events_seconds : null)
    const rawEvents = usable(raw) ? eventsRate(raw) : null
    const jobEvents = usable(job) ? eventsRate(job) : null
    const limitEvents = usable(limit) ? eventsRate(limit) : null
    return {
      size: name,
      cids,
      modes,
      raw_vs_limit_throughput: usable(limit) && usable(raw) ? raw.rows_per_s / limit.rows_per_s : null,
      raw_vs_limit_events_throughput: rawEvents && limitEvents ? rawEvents / limitEvents : null,
      job_vs_raw_throughput: usable(raw) && usable(job) ? job.rows_per_s / raw.rows_per_s : null,
      job_vs_raw_events_throughput: rawEvents && jobEvents ? jobEvents / rawEvents : null,
      // A baseline that died still reached its peak: the ratio is then a lower bound.
      baseline_vs_job_peak:
        baseline && usable(job) && job.peak_worker_mb ? baseline.peak_mb / job.peak_worker_mb : null,
      baseline_vs_job_total_peak: baseline && usable(job) ? baseline.peak_mb / job.peak_mb : null,
    }
  })
}

function slope(points: readonly [number, number][]): number | null {
  const p = points.filter(([x, y]) => x > 0 && y > 0).map(([x, y]) => [Math.log(x), Math.log(y)] as const)
  if (p.length < 2) return null
  const mx = p.reduce((s, [x]) => s + x, 0) / p.length
  const my = p.reduce((s, [, y]) => s + y, 0) / p.length
  const sxx = p.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  if (sxx === 0) return null
  return Math.round((p.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx) * 100) / 100
}

/** How peak memory and time grow with the number of CIDs. */
export function scaling(sizes: readonly SizeSummary[]): Scaling {
  const points = (pick: (s: SizeSummary) => number | null | undefined): [number, number][] =>
    sizes.flatMap((s) => {
      const y = pick(s)
      return y === null || y === undefined ? [] : [[s.cids, y] as [number, number]]
    })
  const ok = (m: ModeSummary | undefined): ModeSummary | undefined => (m && m.failed < m.runs ? m : undefined)
  return {
    job_worker_peak_slope: slope(points((s) => ok(s.modes.job)?.peak_worker_mb)),
    job_web_peak_slope: slope(points((s) => ok(s.modes.job)?.peak_web_mb)),
    job_seconds_slope: slope(points((s) => ok(s.modes.job)?.seconds)),
    raw_seconds_slope: slope(points((s) => ok(s.modes.raw)?.seconds)),
    baseline_peak_slope: slope(points((s) => s.modes.baseline?.peak_mb)),
    job_seconds_per_million_rows: Object.fromEntries(
      sizes.flatMap((s) => {
        const job = ok(s.modes.job)
        return job && job.rows > 0 ? [[s.size, Math.round((job.seconds / (job.rows / 1e6)) * 10) / 10]] : []
      }),
    ),
  }
}

/** The goals of issue 6 against the measurements; `met: null` when the runs needed were missing. */
export function goals(sizes: readonly SizeSummary[], incidentSize: string): Goal[] {
  const jobs = sizes.flatMap((s) =>
    s.modes.job && s.modes.job.failed < s.modes.job.runs ? [[s.size, s.modes.job] as const] : [],
  )
  const list = (f: (j: ModeSummary) => number | null): string =>
    jobs.map(([size, j]) => `${size} ${f(j) ?? '–'}`).join(', ')
  const all = (f: (j: ModeSummary) => boolean): boolean | null => (jobs.length ? jobs.every(([, j]) => f(j)) : null)
  const incident = sizes.find((s) => s.size === incidentSize)
  const ratioList = (pick: (s: SizeSummary) => number | null): (readonly [string, number])[] =>
    sizes.flatMap((s) => {
      const r = pick(s)
      return r === null ? [] : [[s.size, r] as const]
    })
  const ratios = ratioList((s) => s.job_vs_raw_throughput)
  const rawVsLimit = ratioList((s) => s.raw_vs_limit_throughput)
  const atLeast = (list: readonly (readonly [string, number])[], min: number): boolean | null =>
    list.length ? list.every(([, r]) => r >= min) : null
  const shown = (list: readonly (readonly [string, number])[]): string =>
    list.map(([size, r]) => `${size} ${r.toFixed(2)}`).join(', ') || 'not measured'
  return [
    {
      goal: 'job worker peak RSS under 300 MB at every size',
      met: all((j) => (j.peak_worker_mb ?? Infinity) < 300),
      measured: `MB: ${list((j) => j.peak_worker_mb)}`,
    },
    {
      goal: 'job web peak RSS under 150 MB at every size',
      met: all((j) => (j.peak_web_mb ?? Infinity) < 150),
      measured: `MB: ${list((j) => j.peak_web_mb)}`,
    },
    {
      goal: `baseline peak at least 10 × the job's (worker) at ${incidentSize}`,
      met: incident?.baseline_vs_job_peak == null ? null : incident.baseline_vs_job_peak >= 10,
      measured:
        incident?.baseline_vs_job_peak == null
          ? 'not measured'
          : `${incident.baseline_vs_job_peak.toFixed(1)} × the worker, ${incident.baseline_vs_job_total_peak?.toFixed(1)} × web + worker${incident.modes.baseline?.failed ? ' (baseline died: lower bounds)' : ''}`,
    },
    {
      goal: 'job throughput at least half the raw scan rate',
      met: atLeast(ratios, 0.5),
      measured: shown(ratios),
    },
    {
      goal: 'raw scan throughput at least 0.6 × the limit (issue 16)',
      met: atLeast(rawVsLimit, 0.6),
      measured: shown(rawVsLimit),
    },
    {
      goal: 'job throughput at least 0.8 × the raw scan (issue 16)',
      met: atLeast(ratios, 0.8),
      measured: shown(ratios),
    },
    {
      goal: "first records line within 1 s of the worker's first batch",
      met: all((j) => j.first_records_after_chunk_ms !== null && j.first_records_after_chunk_ms <= 1000),
      measured: `ms (worst run): ${list((j) => (j.first_records_after_chunk_ms === null ? null : Math.round(j.first_records_after_chunk_ms)))}`,
    },
  ]
}
