/**
 * `npm run bench:job -- [--sizes incident,tenth] [--clients 3] [--domains history,materials]`
 *
 * The incident, replayed through the async job path: a backward MSD trace of the test station over the whole
 * demo span (incident scale: 114 K+ CIDs, 3 M+ history rows), submitted as one whole-trace job to a real
 * server process with its embedded worker, while `--clients` clients read the NDJSON stream at once. Prints
 * rows, seconds, rows/s, time to the first records line, bytes streamed, and the peak RSS of the web process
 * and of the worker, sampled from /proc every 25 ms. The same runs at a tenth of the size show whether memory
 * grows with the result (it must not). Databases are generated once into data/ when missing.
 *
 * `tsx bench/job.ts --serve` is the server role the bench starts (with `npm start`'s Node flags): it prints one JSON line `{url, pid}` once
 * its workers are ready, and stops on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { DEMO_DEFAULTS, DEMO_SCALES, demoDateSpan, type DemoOptions } from '../src/server/demo/demo-options.ts'
import { COMPACT_ACCEPT_NDJSON } from '../src/shared/row-shape.ts'
import { childPids, rssKb } from './lib/proc.ts'
import { startNodeFlags } from './lib/start-flags.ts'

/** A database size: how it is generated and the MSD trace that covers all of it. */
interface Size {
  readonly name: string
  readonly dbPath: string
  readonly generateArgs: readonly string[]
  readonly msdParams: Record<string, unknown>
}

function size(name: string, dbPath: string, options: DemoOptions, generateArgs: string[]): Size {
  const span = demoDateSpan(options)
  return {
    name,
    dbPath,
    generateArgs,
    msdParams: { mode: 'date_range', station: '測試', start_date: span.firstDay, end_date: span.lastDay, direction: 'backward' },
  }
}

const INCIDENT = DEMO_SCALES.incident
const SIZES: Readonly<Record<string, Size>> = {
  /** The default demo size, for a quick smoke run (`--sizes small`). */
  small: size('small', 'data/bench-job-small.sqlite', DEMO_DEFAULTS, []),
  incident: size('incident', 'data/demo-incident.sqlite', INCIDENT, ['--scale', 'incident']),
  tenth: size('tenth', 'data/demo-incident-tenth.sqlite', { ...INCIDENT, lots: Math.round(INCIDENT.lots / 10) }, [
    '--scale',
    'incident',
    '--lots',
    String(Math.round(INCIDENT.lots / 10)),
  ]),
}

interface RunResult {
  readonly size: string
  readonly cids: number
  readonly rows: number
  readonly seconds: number
  readonly rowsPerSecond: number
  readonly firstRecordsMs: number
  readonly bytesPerClient: number
  readonly webPeakMb: number
  readonly workerPeakMb: number
  /** Worker peak while each job stage ran (seed-resolve, lineage, events), from status polls. */
  readonly workerPeakMbByStage: Record<string, number>
}

const SAMPLE_MS = 25
const ROOT = resolve(import.meta.dirname, '..')

if (process.argv.includes('--serve')) await serve()
else await main()

/** The server role: source, embedded job system (workers ready), HTTP on a free port. */
async function serve(): Promise<void> {
  const { loadConfig } = await import('../src/server/config.ts')
  const { openSource } = await import('../src/server/source/open-source.ts')
  const { createEmbeddedJobService } = await import('../src/server/jobs/embedded-job-service.ts')
  const { startServer } = await import('../src/server/serve.ts')
  const config = loadConfig()
  const source = await openSource(config)
  const jobs = await createEmbeddedJobService(config)
  while (!jobs.workers().every((w) => w.state === 'idle')) await new Promise((r) => setTimeout(r, 50))
  const server = await startServer({ config, source, jobs, port: 0, staticRoot: join(config.TRACE_JOB_DIR, 'no-client') })
  process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + '\n')
  process.once('SIGTERM', () => {
    void (async () => {
      await server.close()
      await jobs.close()
      await source.close()
      process.exit(0)
    })()
  })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: 'incident,tenth' },
      clients: { type: 'string', default: '3' },
      domains: { type: 'string' },
    },
  })
  const clients = Number(values.clients)
  const sizes = (values.sizes ?? '').split(',').map((name) => {
    const size = SIZES[name]
    if (!size) throw new Error(`unknown size ${name}; one of ${Object.keys(SIZES).join(', ')}`)
    return size
  })
  const domains = values.domains?.split(',')
  console.log(`bench:job: backward MSD trace of the test station, domains ${domains?.join(',') ?? 'upstream_history,materials (MSD defaults)'}, ${clients} stream clients`)
  const results: RunResult[] = []
  for (const size of sizes) {
    await ensureDatabase(size)
    results.push(await runOnce(size, clients, domains))
  }
  printTable(results)
}

/** Generates the size's database into data/ when it is missing (progress on the terminal). */
async function ensureDatabase(size: Size): Promise<void> {
  const path = join(ROOT, size.dbPath)
  if (existsSync(path)) return
  console.log(`generating ${size.dbPath} (${size.generateArgs.join(' ')}); this is done once`)
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/demo/generate-cli.ts', ...size.generateArgs, '--out', path], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  const code = await new Promise<number | null>((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`demo generation failed (exit ${code})`)
}

async function runOnce(size: Size, clients: number, domains: string[] | undefined): Promise<RunResult> {
  const work = mkdtempSync(join(ROOT, 'data', '.bench-job-'))
  const server = spawn(process.execPath, [...startNodeFlags(), 'bench/job.ts', '--serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MES_DB_PATH: join(ROOT, size.dbPath),
      TRACE_JOB_DIR: join(work, 'jobs'),
      TRACE_RESULT_DIR: join(work, 'results'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const { url, pid } = await readyLine(server)
    const sampler = startSampler(pid)
    const body = { profile: 'mid_section_defect', params: size.msdParams, ...(domains ? { domains } : {}) }
    const t0 = performance.now()
    const submit = await fetch(`${url}/api/trace/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    if (submit.status !== 202) throw new Error(`submit answered ${submit.status}: ${await submit.text()}`)
    const { job_id, stream_url } = (await submit.json()) as { job_id: string; stream_url: string }
    const stagePoll = setInterval(() => {
      fetch(`${url}/api/trace/job/${job_id}`)
        .then((r) => r.json() as Promise<{ progress?: { stage?: string } }>)
        .then((st) => sampler.setStage(st.progress?.stage ?? 'queued'))
        .catch(() => undefined)
    }, 250)
    const reads = await Promise.all(Array.from({ length: clients }, () => readStream(`${url}${stream_url}`, t0))).finally(() =>
      clearInterval(stagePoll),
    )
    const seconds = (performance.now() - t0) / 1000
    const status = (await (await fetch(`${url}/api/trace/job/${job_id}`)).json()) as { status: string; cid_count: number; error: unknown }
    const peaks = sampler.stop()
    if (status.status !== 'finished') throw new Error(`job ended ${status.status}: ${JSON.stringify(status.error)}`)
    const rows = reads[0].rows
    if (reads.some((r) => r.rows !== rows || !r.complete)) throw new Error(`clients disagree: ${JSON.stringify(reads)}`)
    const result: RunResult = {
      size: size.name,
      cids: status.cid_count,
      rows,
      seconds,
      rowsPerSecond: rows / seconds,
      firstRecordsMs: Math.max(...reads.map((r) => r.firstRecordsMs)),
      bytesPerClient: reads[0].bytes,
      webPeakMb: peaks.web / 1024,
      workerPeakMb: peaks.worker / 1024,
      workerPeakMbByStage: Object.fromEntries(Object.entries(peaks.byStage).map(([k, v]) => [k, Math.round(v / 1024)])),
    }
    console.log(JSON.stringify(result))
    return result
  } finally {
    server.kill('SIGTERM')
    await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r(undefined)))
    rmSync(work, { recursive: true, force: true })
  }
}

async function readyLine(server: ChildProcess): Promise<{ url: string; pid: number }> {
  if (!server.stdout) throw new Error('server has no stdout')
  const lines = createInterface({ input: server.stdout })
  for await (const line of lines) {
    if (line.startsWith('{')) return JSON.parse(line) as { url: string; pid: number }
  }
  throw new Error('server exited before it was ready')
}

/** Reads one stream to its end, counting rows from each records line's `count` without parsing its rows. */
async function readStream(url: string, t0: number): Promise<{ rows: number; bytes: number; firstRecordsMs: number; complete: boolean }> {
  const res = await fetch(url, { headers: { accept: COMPACT_ACCEPT_NDJSON } })
  if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`)
  const decoder = new TextDecoder()
  let buffered = ''
  let rows = 0
  let bytes = 0
  let firstRecordsMs = -1
  let complete = false
  const reader = res.body.getReader()
  for (;;) {
    const { done, value: part } = await reader.read()
    if (done) break
    bytes += part.byteLength
    buffered += decoder.decode(part, { stream: true })
    let nl: number
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      if (line.startsWith('{"type":"records"')) {
        if (firstRecordsMs < 0) firstRecordsMs = performance.now() - t0
        rows += Number(/"count":(\d+)/.exec(line)?.[1] ?? 0)
      } else if (line.startsWith('{"type":"complete"')) complete = true
      else if (line.startsWith('{"type":"error"')) throw new Error(`stream error: ${line}`)
    }
  }
  return { rows, bytes, firstRecordsMs, complete }
}

/** Peak VmRSS (kB) of the web process and of its worker children, sampled every SAMPLE_MS. */
function startSampler(webPid: number): {
  setStage(stage: string): void
  stop(): { web: number; worker: number; byStage: Record<string, number> }
} {
  let web = 0
  let worker = 0
  let stage = 'queued'
  const byStage: Record<string, number> = {}
  let workers: number[] = []
  let lastScan = 0
  const timer = setInterval(() => {
    const now = Date.now()
    if (now - lastScan > 500) {
      workers = childPids(webPid)
      lastScan = now
    }
    web = Math.max(web, rssKb(webPid))
    for (const pid of workers) {
      const rss = rssKb(pid)
      worker = Math.max(worker, rss)
      byStage[stage] = Math.max(byStage[stage] ?? 0, rss)
    }
  }, SAMPLE_MS)
  return {
    setStage(next) {
      stage = next
    },
    stop() {
      clearInterval(timer)
      return { web, worker, byStage }
    },
  }
}

function printTable(results: readonly RunResult[]): void {
  const header = ['size', 'CIDs', 'rows', 'seconds', 'rows/s', 'first records', 'MB/client', 'web peak MB', 'worker peak MB']
  const rows = results.map((r) => [
    r.size,
    String(r.cids),
    String(r.rows),
    r.seconds.toFixed(1),
    Math.round(r.rowsPerSecond).toString(),
    `${Math.round(r.firstRecordsMs)} ms`,
    (r.bytesPerClient / 1048576).toFixed(0),
    r.webPeakMb.toFixed(0),
    r.workerPeakMb.toFixed(0),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ')
  console.log('\n' + fmt(header))
  for (const r of rows) console.log(fmt(r))
  for (const r of results) {
    const stages = Object.entries(r.workerPeakMbByStage).map(([k, v]) => `${k} ${v} MB`)
    console.log(`worker peak by stage, ${r.size}: ${stages.join(', ')}`)
  }
  if (results.length === 2) {
    const [a, b] = results
    console.log(`\npeak RSS ratio ${a.size}/${b.size}: web ${(a.webPeakMb / b.webPeakMb).toFixed(2)}, worker ${(a.workerPeakMb / b.workerPeakMb).toFixed(2)}`)
  }
}
