/** The tables `npm run bench` prints: every run, then per-size ratios; plain text or Markdown (for BENCHMARKS.md). */
import type { Goal, Scaling, SizeSummary } from './bench-summary.ts'
import type { RunRecord } from './run-record.ts'

const MODE_LABEL = {
  limit: 'limit (in-thread)',
  raw: 'raw scan',
  job: 'mes-trace job',
  baseline: 'buffered baseline',
} as const

const int = (n: number): string => Math.round(n).toLocaleString('en-US')
const opt = (n: number | null, f: (n: number) => string): string => (n === null ? '–' : f(n))

/** One row per run. */
export function runRows(records: readonly RunRecord[]): { header: string[]; rows: string[][] } {
  const header = [
    'size',
    'mode',
    '#',
    'CIDs',
    'rows',
    'seconds',
    'rows/s',
    'first records',
    '… after 1st chunk',
    'MB streamed',
    'peak MB',
    'web MB',
    'worker MB',
  ]
  const rows = records.map((r) => [
    r.size,
    MODE_LABEL[r.mode],
    String(r.repeat),
    r.ok ? int(r.cids) : '–',
    r.ok ? int(r.rows) : '–',
    r.ok ? r.seconds.toFixed(1) : 'failed',
    r.ok ? int(r.rows_per_s) : '–',
    opt(r.first_records_ms, (n) => `${(n / 1000).toFixed(1)} s`),
    opt(r.first_records_after_chunk_ms, (n) => `${int(n)} ms`),
    opt(r.bytes, (n) => (n / 1048576).toFixed(0)),
    r.peak_mb.toFixed(0),
    opt(r.peak_web_mb, (n) => n.toFixed(0)),
    opt(r.peak_worker_mb, (n) => n.toFixed(0)),
  ])
  return { header, rows }
}

/** One row per size: the ratios. */
export function ratioRows(sizes: readonly SizeSummary[]): { header: string[]; rows: string[][] } {
  const header = [
    'size',
    'CIDs',
    'raw ÷ limit rows/s',
    'raw ÷ limit (events stage)',
    'job ÷ raw rows/s',
    'job ÷ raw (events stage)',
    'baseline ÷ job worker peak',
    'baseline ÷ job web + worker',
  ]
  const rows = sizes.map((s) => [
    s.size,
    int(s.cids),
    opt(s.raw_vs_limit_throughput, (n) => n.toFixed(2)),
    opt(s.raw_vs_limit_events_throughput, (n) => n.toFixed(2)),
    opt(s.job_vs_raw_throughput, (n) => n.toFixed(2)),
    opt(s.job_vs_raw_events_throughput, (n) => n.toFixed(2)),
    opt(s.baseline_vs_job_peak, (n) => `${n.toFixed(1)} ×${s.modes.baseline?.failed ? ' (baseline died)' : ''}`),
    opt(s.baseline_vs_job_total_peak, (n) => `${n.toFixed(1)} ×`),
  ])
  return { header, rows }
}

/** Right-aligned plain-text table. */
export function textTable(t: { header: string[]; rows: string[][] }): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)))
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ')
  return [fmt(t.header), ...t.rows.map(fmt)].join('\n')
}

/** GitHub Markdown table. */
export function markdownTable(t: { header: string[]; rows: string[][] }): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(t.header), line(t.header.map((_, i) => (i < 2 ? '---' : '---:'))), ...t.rows.map(line)].join('\n')
}

/** Scaling and goals as text lines. */
export function verdictLines(scale: Scaling, goalList: readonly Goal[]): string[] {
  const s = (n: number | null): string => (n === null ? '–' : n.toFixed(2))
  return [
    `scaling (log-log slope against CIDs; 0 = flat, 1 = linear): job worker peak ${s(scale.job_worker_peak_slope)}, job web peak ${s(scale.job_web_peak_slope)}, ` +
      `job seconds ${s(scale.job_seconds_slope)}, raw seconds ${s(scale.raw_seconds_slope)}, baseline peak ${s(scale.baseline_peak_slope)}`,
    `job seconds per million rows: ${
      Object.entries(scale.job_seconds_per_million_rows)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '–'
    }`,
    ...goalList.map((g) => `${g.met === null ? 'n/a    ' : g.met ? 'met    ' : 'NOT MET'}  ${g.goal}: ${g.measured}`),
  ]
}
