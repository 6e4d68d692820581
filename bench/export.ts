/**
 * `npm run bench:export`: XLSX (and, for comparison, CSV) export of an incident-size finished job, measured
 * on a real server process started with `npm start`'s Node flags. The job's result is planted in the embedded
 * job system's directories (record, input and 5000-row chunks, as a worker writes them) so the bench measures
 * the export alone: rows/s as the client receives the file, and the server's peak RSS (VmRSS every 25 ms).
 *
 * Options: `--cids N` (default 114000, the incident's CIDs), `--history-per-cid N` (25), `--materials-per-cid N`
 * (17): the default is 4.8 M rows, the size of the incident's MSD result (upstream_history + materials);
 * `--workbook-only` measures the workbook of both domains alone.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createChunkWriter } from '../src/server/jobs/chunk-writer.ts'
import { createFileJobStore } from '../src/server/jobs/file-job-store.ts'
import { newJobId } from '../src/server/jobs/job-id.ts'
import { endRecord, newJobRecord } from '../src/server/jobs/job-record.ts'
import type { JobSpec } from '../src/server/jobs/job-service.ts'
import { createFileResultStore } from '../src/server/storage/file-result-store.ts'
import type { DomainResultMeta, ResultMeta } from '../src/server/storage/result-store.ts'
import { DOMAIN_COLUMNS, type Domain } from '../src/shared/domains.ts'
import { loadSnapshot, machineInfo } from './lib/machine-info.ts'
import { rssKb } from './lib/proc.ts'
import { startRssSampler } from './lib/rss-sampler.ts'
import { prepareBuilds, startProductServer } from './lib/product-server.ts'

const { values: args } = parseArgs({
  options: {
    cids: { type: 'string', default: '114000' },
    'history-per-cid': { type: 'string', default: '25' },
    'materials-per-cid': { type: 'string', default: '17' },
    /** Measure the workbook only (the incident size takes long on a loaded machine). */
    'workbook-only': { type: 'boolean', default: false },
  },
})
const CIDS = Number(args.cids)
const PER_CID: Record<'upstream_history' | 'materials', number> = {
  upstream_history: Number(args['history-per-cid']),
  materials: Number(args['materials-per-cid']),
}
const CHUNK = 5000
const WORKCENTERS = ['切割', '焊接_DB', '焊接_WB', '成型', '電鍍', '移印', '測試']

/** A CID in the shapes the warehouse has: a quarter all digits, some in the e-form, the rest hex. */
function cid(n: number): string {
  if (n % 4 === 0) return (4881000381000000 + n).toString().padStart(16, '0')
  if (n % 20 === 1) return `4881000381e${String(n % 100000).padStart(5, '0')}`
  return `48810380${n.toString(16).padStart(8, '0')}`
}

function timestamp(n: number, k: number): string {
  return new Date(Date.UTC(2026, 0, 1) + (n % 150) * 86_400_000 + k * 3_600_000 + (n % 3600) * 1000)
    .toISOString()
    .slice(0, 19)
}

function row(domain: 'upstream_history' | 'materials', n: number, k: number): unknown[] {
  const wc = WORKCENTERS[k % WORKCENTERS.length]
  if (domain === 'upstream_history') {
    return [
      cid(n),
      wc,
      wc,
      `EQ${String((n + k) % 300).padStart(5, '0')}`,
      `Machine ${(n + k) % 300}`,
      `SPEC-${k}`,
      timestamp(n, k),
      1000 - k,
    ]
  }
  return [
    cid(n),
    `GA2601${String(n).padStart(5, '0')}-A00-001`,
    `PART-${k % 40}`,
    `ML${String((n * 7 + k) % 99999).padStart(8, '0')}`,
    5 + (k % 3),
    wc,
    `SPEC-${k}`,
    `Machine ${(n + k) % 300}`,
    timestamp(n, k),
  ]
}

/** Plants a finished job with `upstream_history` and `materials` in the embedded stores under `dir`. */
async function plantJob(dir: string): Promise<{ jobId: string; rows: number }> {
  const jobId = newJobId()
  const results = createFileResultStore(join(dir, 'results'))
  const domains: Domain[] = ['upstream_history', 'materials']
  const meta: Record<string, DomainResultMeta> = {}
  let rows = 0
  const started: ResultMeta = {
    job_id: jobId,
    attempt: 1,
    chunk_size: CHUNK,
    order: domains,
    domains: {},
    aggregation: false,
    failed_domains: [],
    complete: false,
  }
  await results.writeMeta(started)
  for (const domain of ['upstream_history', 'materials'] as const) {
    const writer = createChunkWriter({ results, jobId, domain, chunkSize: CHUNK })
    let batch: unknown[][] = []
    for (let n = 0; n < CIDS; n++) {
      for (let k = 0; k < PER_CID[domain]; k++) batch.push(row(domain, n, k))
      if (batch.length >= CHUNK) {
        await writer.add(batch)
        batch = []
      }
    }
    await writer.add(batch)
    const totals = await writer.finish()
    meta[domain] = { columns: DOMAIN_COLUMNS[domain], chunks: totals.chunks, count: totals.count, done: true }
    rows += totals.count
    process.stderr.write(`planted ${domain}: ${totals.count.toLocaleString('en-US')} rows\n`)
  }
  const resultMeta: ResultMeta = { ...started, domains: meta, complete: true }
  await results.writeMeta(resultMeta)
  const params = {
    mode: 'date_range',
    station: '測試',
    start_date: '2026-01-01',
    end_date: '2026-05-31',
    direction: 'backward',
  } as const
  const seed = { profile: 'mid_section_defect', params } as const
  const input = { kind: 'trace', seed, direction: 'backward' } as const
  const spec: JobSpec = { profile: 'mid_section_defect', domains, input, cid_count: CIDS }
  const store = createFileJobStore(join(dir, 'jobs'))
  const record = newJobRecord(jobId, spec)
  await store.create(record, spec.input)
  await store.put(endRecord({ ...record, status: 'started', started_at: record.created_at }, 'finished'))
  return { jobId, rows }
}

interface ExportRun {
  readonly what: string
  readonly rows: number
  readonly bytes: number
  readonly seconds: number
  readonly rows_per_s: number
  readonly server_rss_before_mb: number
  readonly server_peak_rss_mb: number
}

async function measure(url: string, pid: number, what: string, rows: number): Promise<ExportRun> {
  const before = rssKb(pid)
  const sampler = startRssSampler({ pid })
  const started = performance.now()
  const res = await fetch(url)
  if (!res.ok || !res.body) throw new Error(`${what} answered ${res.status}: ${await res.text()}`)
  let bytes = 0
  const reader = res.body.getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length
  const seconds = (performance.now() - started) / 1000
  const peaks = await sampler.stop()
  return {
    what,
    rows,
    bytes,
    seconds: Math.round(seconds * 10) / 10,
    rows_per_s: Math.round(rows / seconds),
    server_rss_before_mb: Math.round(before / 1024),
    server_peak_rss_mb: Math.round(peaks.mainKb / 1024),
  }
}

async function tinyDemoDb(dir: string): Promise<string> {
  const path = join(dir, 'demo.sqlite')
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/server/demo/generate-cli.ts', '--lots', '5', '--out', path],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`demo generation exited ${code}`))))
  })
  return path
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mes-bench-export-'))
  mkdirSync(join(dir, 'jobs'))
  try {
    const { jobId, rows } = await plantJob(dir)
    await prepareBuilds()
    const server = await startProductServer('compiled', {
      MES_DB_PATH: await tinyDemoDb(dir),
      TRACE_JOB_DIR: join(dir, 'jobs'),
      TRACE_RESULT_DIR: join(dir, 'results'),
      TRACE_JOB_TTL_SECONDS: '86400',
      TRACE_WORKER_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
    })
    try {
      const base = `${server.url}/api/trace/job/${jobId}`
      const load = loadSnapshot()
      const history = CIDS * PER_CID.upstream_history
      const runs = [await measure(`${base}/export.xlsx`, server.pid, 'xlsx workbook (both domains)', rows)]
      if (!args['workbook-only']) {
        runs.push(
          await measure(`${base}/export.xlsx?domain=upstream_history`, server.pid, 'xlsx upstream_history', history),
        )
        runs.push(
          await measure(
            `${base}/export.csv?domain=upstream_history&flavour=spreadsheet`,
            server.pid,
            'csv upstream_history (spreadsheet)',
            history,
          ),
        )
        runs.push(
          await measure(
            `${base}/export.csv?domain=upstream_history`,
            server.pid,
            'csv upstream_history (scripts)',
            history,
          ),
        )
      }
      console.table(runs)
      console.log(
        JSON.stringify(
          { cids: CIDS, rows, machine: machineInfo(), load_before: load, load_after: loadSnapshot(), runs },
          null,
          2,
        ),
      )
    } finally {
      await server.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
