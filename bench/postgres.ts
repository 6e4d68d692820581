/**
 * `npm run bench:postgres -- [--url postgres://…] [--schema demo_incident] [--sqlite data/demo-incident.sqlite]
 * [--order postgres,sqlite] [--sample-ms 25]`
 *
 * The incident-scale job from PostgreSQL next to the same job from SQLite, in one run: a backward MSD trace of
 * the test station over the whole incident demo span (MSD default domains), through a real server process with
 * its embedded worker (bench/lib/mode-job.ts), one client reading the NDJSON stream to `complete`. Prints rows,
 * seconds, rows/s and the peak RSS of the worker and of the web process (sampled from /proc every --sample-ms),
 * with the load average before and after, since the machine may be shared.
 *
 * PostgreSQL: the schema loaded by `npm run demo:load-postgres -- --scale incident --schema demo_incident`,
 * reached through `options=-c search_path=<schema>` in MES_DATABASE_URL (so nothing but the URL changes).
 * SQLite: generated with `npm run demo:generate -- --scale incident --out <file>` when missing.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { JobRequest } from '../src/shared/schemas.ts'
import { DEMO_SCALES } from '../src/server/demo/demo-options.ts'
import { wholeSpanMsdParams } from './lib/bench-databases.ts'
import { textTable } from './lib/bench-table.ts'
import { loadSnapshot, machineInfo } from './lib/machine-info.ts'
import { runJob } from './lib/mode-job.ts'
import { prepareBuilds } from './lib/product-server.ts'
import type { RunRecord } from './lib/run-record.ts'

const ROOT = resolve(import.meta.dirname, '..')
const WORK_ROOT = join(ROOT, 'data', 'bench')
type Source = 'postgres' | 'sqlite'

interface Args {
  readonly url: string
  readonly schema: string
  readonly sqlite: string
  readonly order: Source[]
  readonly sampleMs: number
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.MES_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test' },
      schema: { type: 'string', default: 'demo_incident' },
      sqlite: { type: 'string', default: 'data/demo-incident.sqlite' },
      order: { type: 'string', default: 'postgres,sqlite' },
      'sample-ms': { type: 'string', default: '25' },
    },
  })
  const order = (values.order ?? '').split(',') as Source[]
  for (const s of order)
    if (s !== 'postgres' && s !== 'sqlite') throw new Error(`--order: unknown source ${s}; postgres or sqlite`)
  const sampleMs = Number(values['sample-ms'])
  if (!(sampleMs > 0 && sampleMs <= 50)) throw new Error('--sample-ms must be in (0, 50]')
  return {
    url: values.url as string,
    schema: values.schema as string,
    sqlite: resolve(ROOT, values.sqlite as string),
    order,
    sampleMs,
  }
}

/** MES_DATABASE_URL for the schema: the search_path travels in the URL, as a deployment would set it. */
function schemaUrl(url: string, schema: string): string {
  const u = new URL(url)
  u.searchParams.set('options', `-c search_path=${schema}`)
  return u.toString()
}

/** Product defaults except the source and longer time limits (a loaded machine is measured, not cut off). */
function runEnv(source: Source, a: Args): Record<string, string> {
  return {
    ...(source === 'postgres'
      ? { MES_DATABASE_URL: schemaUrl(a.url, a.schema) }
      : { MES_DATABASE_URL: '', MES_DB_PATH: a.sqlite }),
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
    LINEAGE_TIMEOUT_SECONDS: '3600',
    TRACE_JOB_TIMEOUT_SECONDS: '7200',
  }
}

async function ensureSqlite(path: string): Promise<void> {
  if (existsSync(path)) return
  console.log(`generating ${path} (incident scale); done once`)
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/demo/generate-cli.ts', '--scale', 'incident', '--out', path],
    { cwd: ROOT, stdio: 'inherit' },
  )
  const code = await new Promise<number | null>((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`demo generation failed (exit ${code})`)
}

function row(source: Source, r: RunRecord): string[] {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US')
  if (!r.ok)
    return [
      source,
      '–',
      '–',
      'failed',
      '–',
      r.peak_worker_mb?.toFixed(0) ?? '–',
      r.peak_web_mb?.toFixed(0) ?? '–',
      r.error ?? '',
    ]
  return [
    source,
    n(r.cids),
    n(r.rows),
    r.seconds.toFixed(1),
    n(r.rows_per_s),
    r.peak_worker_mb?.toFixed(0) ?? '–',
    r.peak_web_mb?.toFixed(0) ?? '–',
    `${r.sampling.samples} samples, mean gap ${r.sampling.mean_gap_ms.toFixed(0)} ms`,
  ]
}

async function main(): Promise<void> {
  const a = args()
  mkdirSync(WORK_ROOT, { recursive: true })
  await ensureSqlite(a.sqlite)
  await prepareBuilds()
  const machine = machineInfo()
  const start = loadSnapshot()
  console.log(
    `bench:postgres: ${machine.cores} cores, ${machine.memory_total_mb} MB, Node ${machine.node}; load average ${start.loadavg.join(' ')}`,
  )
  console.log(`PostgreSQL ${a.url} schema ${a.schema}; SQLite ${a.sqlite}`)
  const request: JobRequest = { profile: 'mid_section_defect', params: wholeSpanMsdParams(DEMO_SCALES.incident) }
  console.log(`job: ${JSON.stringify(request)} (MSD default domains)\n`)

  const rows: string[][] = []
  for (const source of a.order) {
    const record = await runJob({
      size: 'incident',
      repeat: 1,
      env: runEnv(source, a),
      request,
      workRoot: WORK_ROOT,
      sampleMs: a.sampleMs,
      timeoutMs: 2 * 3600_000,
      runtime: 'compiled',
    })
    console.log(`${source}: ${JSON.stringify(record)}`)
    rows.push(row(source, record))
  }
  const end = loadSnapshot()
  console.log(
    '\n' +
      textTable({
        header: ['source', 'CIDs', 'rows', 'seconds', 'rows/s', 'worker peak MB', 'web peak MB', 'RSS sampling'],
        rows,
      }),
  )
  console.log(`\nload average: start ${start.loadavg.join(' ')}, end ${end.loadavg.join(' ')} (${machine.cores} cores)`)
}

await main()
