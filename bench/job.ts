/**
 * `npm run bench:job -- [--sizes incident,tenth] [--runtimes compiled,tsx] [--clients 3] [--domains history,materials]
 *   [--msd-analysis]`
 *
 * The incident, replayed through the async job path: a backward MSD trace of the test station over the whole
 * demo span (incident scale: 114 K+ CIDs, 3 M+ history rows), submitted as one whole-trace job to the real
 * server (`npm start` in a child process, with its embedded worker), while `--clients` clients read the NDJSON
 * stream at once. Prints rows, seconds, rows/s, time to the first records line, bytes streamed, the time from
 * the start command to the first answer of /api/health and to the worker being ready, and the resting and peak
 * RSS of the web process and of the worker, sampled from /proc every 25 ms. The same runs at a tenth of the
 * size show whether memory grows with the result (it must not).
 *
 * `--runtimes` runs each size with the compiled server (what `npm start` runs) and the way it ran before the
 * server build (TypeScript through tsx, web process and workers), alternating, so one run shows both.
 * Sizes `10k` and `114k` are `npm run bench`'s databases (data/bench/); the others live in data/. Databases
 * are generated once when missing; the browser app and the server are built before the first run, so a
 * measured start is an `npm start` on a built checkout.
 *
 * `--msd-analysis` also reads the finished job's defect analysis: the time of the first /analysis (restored
 * from the stored job) and of a loss-reason filter change (the issue wants well under a second at incident
 * scale), and the top machine and material lot by score (the demo's planted ones, see the README).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEMO_DEFAULTS, DEMO_SCALES, demoDateSpan, type DemoOptions } from '../src/server/demo/demo-options.ts'
import { COMPACT_ACCEPT_NDJSON } from '../src/shared/row-shape.ts'
import { benchDemoOptions, ensureBenchDatabase, wholeSpanMsdParams } from './lib/bench-databases.ts'
import { childPids, rssKb } from './lib/proc.ts'
import { prepareBuilds, RUNTIMES, startProductServer, type ProductServer, type Runtime } from './lib/product-server.ts'

/** A database size: where its database is (generated on first use) and the MSD trace that covers all of it. */
interface Size {
  readonly name: string
  ensure(): Promise<{ readonly dbPath: string; readonly msdParams: Record<string, unknown> }>
}

/** A size generated into data/ by the demo generator's own arguments. */
function dataSize(name: string, dbPath: string, options: DemoOptions, generateArgs: string[]): Size {
  const span = demoDateSpan(options)
  const msdParams = {
    mode: 'date_range',
    station: '測試',
    start_date: span.firstDay,
    end_date: span.lastDay,
    direction: 'backward',
  }
  return {
    name,
    async ensure() {
      await generateInto(dbPath, generateArgs)
      return { dbPath: join(ROOT, dbPath), msdParams }
    },
  }
}

/** A size of `npm run bench` (data/bench/, 5 months; ~7.1 CIDs per wafer lot). */
function benchSize(name: string, lots: number): Size {
  return {
    name,
    async ensure() {
      const db = await ensureBenchDatabase(benchDemoOptions(lots, 5))
      return { dbPath: db.path, msdParams: wholeSpanMsdParams(db.options) }
    },
  }
}

const INCIDENT = DEMO_SCALES.incident
const SIZES: Readonly<Record<string, Size>> = {
  /** The default demo size, for a quick smoke run (`--sizes small`). */
  small: dataSize('small', 'data/bench-job-small.sqlite', DEMO_DEFAULTS, []),
  incident: dataSize('incident', 'data/demo-incident.sqlite', INCIDENT, ['--scale', 'incident']),
  tenth: dataSize('tenth', 'data/demo-incident-tenth.sqlite', { ...INCIDENT, lots: Math.round(INCIDENT.lots / 10) }, [
    '--scale',
    'incident',
    '--lots',
    String(Math.round(INCIDENT.lots / 10)),
  ]),
  '10k': benchSize('10k', 1_400),
  '114k': benchSize('114k', 16_000),
}

interface RunResult {
  readonly size: string
  readonly runtime: Runtime
  readonly cids: number
  readonly rows: number
  readonly seconds: number
  readonly rowsPerSecond: number
  readonly firstRecordsMs: number
  readonly bytesPerClient: number
  /** From the start command to the first answer of /api/health, and to the worker being ready. */
  readonly healthMs: number
  readonly readyMs: number
  readonly webRestingMb: number
  readonly workerRestingMb: number
  readonly webPeakMb: number
  readonly workerPeakMb: number
  /** Worker peak while each job stage ran (seed-resolve, lineage, events), from status polls. */
  readonly workerPeakMbByStage: Record<string, number>
}

const SAMPLE_MS = 25
const ROOT = resolve(import.meta.dirname, '..')

await main()

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: 'incident,tenth' },
      runtimes: { type: 'string', default: RUNTIMES.join(',') },
      clients: { type: 'string', default: '3' },
      domains: { type: 'string' },
      'msd-analysis': { type: 'boolean', default: false },
    },
  })
  const clients = Number(values.clients)
  const sizes = (values.sizes ?? '').split(',').map((name) => {
    const size = SIZES[name]
    if (!size) throw new Error(`unknown size ${name}; one of ${Object.keys(SIZES).join(', ')}`)
    return size
  })
  const runtimes = (values.runtimes ?? '').split(',') as Runtime[]
  for (const r of runtimes) {
    if (!RUNTIMES.includes(r)) throw new Error(`unknown runtime ${r}; one of ${RUNTIMES.join(', ')}`)
  }
  const domains = values.domains?.split(',')
  console.log(
    `bench:job: backward MSD trace of the test station, domains ${domains?.join(',') ?? 'upstream_history,materials (MSD defaults)'}, ${clients} stream clients`,
  )
  const buildMs = await prepareBuilds()
  console.log(`server build (esbuild into dist-server/, Node start-up included): ${Math.round(buildMs)} ms`)
  const results: RunResult[] = []
  for (const [n, size] of sizes.entries()) {
    const db = await size.ensure()
    // Each size starts with the next runtime, so neither always meets a colder page cache.
    const order = runtimes.map((_, i) => runtimes[(i + n) % runtimes.length])
    for (const runtime of order) {
      results.push(await runOnce(size.name, runtime, db, clients, domains, values['msd-analysis'] ?? false))
    }
  }
  printTable(results)
}

async function exitCode(child: ReturnType<typeof spawn>, what: string): Promise<void> {
  const code = await new Promise<number | null>((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`${what} failed (exit ${code})`)
}

/** Generates `dbPath` (relative to the project) when it is missing (progress on the terminal). */
async function generateInto(dbPath: string, generateArgs: readonly string[]): Promise<void> {
  const path = join(ROOT, dbPath)
  if (existsSync(path)) return
  console.log(`generating ${dbPath} (${generateArgs.join(' ')}); this is done once`)
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/demo/generate-cli.ts', ...generateArgs, '--out', path],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  )
  await exitCode(child, 'demo generation')
}

async function runOnce(
  sizeName: string,
  runtime: Runtime,
  db: { dbPath: string; msdParams: Record<string, unknown> },
  clients: number,
  domains: string[] | undefined,
  msdAnalysis: boolean,
): Promise<RunResult> {
  const work = mkdtempSync(join(ROOT, 'data', '.bench-job-'))
  let server: ProductServer | undefined
  try {
    server = await startProductServer(runtime, {
      MES_DB_PATH: db.dbPath,
      MES_DATABASE_URL: '',
      REDIS_URL: '',
      TRACE_WORKER_CONCURRENCY: '1',
      TRACE_JOB_DIR: join(work, 'jobs'),
      TRACE_RESULT_DIR: join(work, 'results'),
      LOG_LEVEL: 'warn',
    })
    const { url, pid } = server
    const sampler = startSampler(pid)
    const body = { profile: 'mid_section_defect', params: db.msdParams, ...(domains ? { domains } : {}) }
    const t0 = performance.now()
    const submit = await fetch(`${url}/api/trace/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (submit.status !== 202) throw new Error(`submit answered ${submit.status}: ${await submit.text()}`)
    const { job_id, stream_url } = (await submit.json()) as { job_id: string; stream_url: string }
    const stagePoll = setInterval(() => {
      fetch(`${url}/api/trace/job/${job_id}`)
        .then((r) => r.json() as Promise<{ progress?: { stage?: string } }>)
        .then((st) => sampler.setStage(st.progress?.stage ?? 'queued'))
        .catch(() => undefined)
    }, 250)
    const reads = await Promise.all(
      Array.from({ length: clients }, () => readStream(`${url}${stream_url}`, t0)),
    ).finally(() => clearInterval(stagePoll))
    const seconds = (performance.now() - t0) / 1000
    const status = (await fetchJson(`${url}/api/trace/job/${job_id}`)) as {
      status: string
      cid_count: number
      error: unknown
    }
    const peaks = sampler.stop()
    if (status.status !== 'finished') throw new Error(`job ended ${status.status}: ${JSON.stringify(status.error)}`)
    const rows = reads[0].rows
    if (reads.some((r) => r.rows !== rows || !r.complete)) throw new Error(`clients disagree: ${JSON.stringify(reads)}`)
    const result: RunResult = {
      size: sizeName,
      runtime,
      cids: status.cid_count,
      rows,
      seconds,
      rowsPerSecond: rows / seconds,
      firstRecordsMs: Math.max(...reads.map((r) => r.firstRecordsMs)),
      bytesPerClient: reads[0].bytes,
      healthMs: server.healthMs,
      readyMs: server.readyMs,
      webRestingMb: server.restingWebMb,
      workerRestingMb: server.restingWorkerMb,
      webPeakMb: peaks.web / 1024,
      workerPeakMb: peaks.worker / 1024,
      workerPeakMbByStage: Object.fromEntries(Object.entries(peaks.byStage).map(([k, v]) => [k, Math.round(v / 1024)])),
    }
    console.log(JSON.stringify(result))
    if (msdAnalysis) await reportAnalysis(`${url}/api/trace/job/${job_id}/analysis`, sizeName, runtime)
    return result
  } finally {
    await server?.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

interface AnalysisAnswer {
  readonly suspects: Record<string, { key: string[]; score: number }[]>
  readonly available_loss_reasons: string[]
}

/** Times the first /analysis and a loss-reason filter change, and prints the top machine and material lot. */
async function reportAnalysis(url: string, sizeName: string, runtime: Runtime): Promise<void> {
  const timed = async (query: string): Promise<{ ms: number; answer: AnalysisAnswer }> => {
    const t0 = performance.now()
    const answer = (await fetchJson(url + query)) as AnalysisAnswer
    return { ms: performance.now() - t0, answer }
  }
  const first = await timed('')
  const reason = first.answer.available_loss_reasons[0] ?? ''
  const filtered = await timed(`?loss_reasons=${encodeURIComponent(reason)}`)
  const top = (dimension: string): string => {
    const s = first.answer.suspects[dimension]?.[0]
    return s ? `${s.key.filter((k) => !/^[0-9a-f]{16}$/.test(k)).join(' ')} (score ${s.score})` : 'none'
  }
  console.log(
    `msd analysis, ${sizeName} ${runtime}: first /analysis ${Math.round(first.ms)} ms, filter loss_reasons=${reason} ` +
      `${Math.round(filtered.ms)} ms; top machine ${top('machine')}, top material ${top('material')}`,
  )
}

/**
 * GET `url` as JSON, once more on a socket error: a kept-alive connection the server closes at its keep-alive
 * timeout just as the request goes out fails with "other side closed" (seen on a loaded machine).
 */
async function fetchJson(url: string): Promise<unknown> {
  try {
    return await (await fetch(url)).json()
  } catch {
    return (await fetch(url)).json()
  }
}

/** Reads one stream to its end, counting rows from each records line's `count` without parsing its rows. */
async function readStream(
  url: string,
  t0: number,
): Promise<{ rows: number; bytes: number; firstRecordsMs: number; complete: boolean }> {
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
  const header = [
    'size',
    'runtime',
    'CIDs',
    'rows',
    'seconds',
    'rows/s',
    'first records',
    'MB/client',
    'health ms',
    'ready ms',
  ]
  header.push('web rest MB', 'worker rest MB', 'web peak MB', 'worker peak MB')
  const rows = results.map((r) => [
    r.size,
    r.runtime,
    String(r.cids),
    String(r.rows),
    r.seconds.toFixed(1),
    Math.round(r.rowsPerSecond).toString(),
    `${Math.round(r.firstRecordsMs)} ms`,
    (r.bytesPerClient / 1048576).toFixed(0),
    Math.round(r.healthMs).toString(),
    Math.round(r.readyMs).toString(),
    r.webRestingMb.toFixed(0),
    r.workerRestingMb.toFixed(0),
    r.webPeakMb.toFixed(0),
    r.workerPeakMb.toFixed(0),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ')
  console.log('\n' + fmt(header))
  for (const r of rows) console.log(fmt(r))
  for (const r of results) {
    const stages = Object.entries(r.workerPeakMbByStage).map(([k, v]) => `${k} ${v} MB`)
    console.log(`worker peak by stage, ${r.size} ${r.runtime}: ${stages.join(', ')}`)
  }
  const sizes = [...new Set(results.map((r) => r.size))]
  for (const runtime of sizes.length === 2 ? new Set(results.map((r) => r.runtime)) : []) {
    const [a, b] = sizes.map((size) => results.find((r) => r.size === size && r.runtime === runtime))
    if (!a || !b) continue
    const ratio = (x: number, y: number): string => (x / y).toFixed(2)
    console.log(
      `\npeak RSS ratio ${a.size}/${b.size}, ${runtime}: web ${ratio(a.webPeakMb, b.webPeakMb)}, worker ${ratio(a.workerPeakMb, b.workerPeakMb)}`,
    )
  }
  for (const size of sizes) {
    const compiled = results.find((r) => r.size === size && r.runtime === 'compiled')
    const tsx = results.find((r) => r.size === size && r.runtime === 'tsx')
    if (!compiled || !tsx) continue
    const change = (a: number, b: number): string => `${Math.round(a - b)} (${Math.round(((a - b) / b) * 100)} %)`
    console.log(
      `compiled vs tsx, ${size}: web rest ${change(compiled.webRestingMb, tsx.webRestingMb)} MB, ` +
        `worker rest ${change(compiled.workerRestingMb, tsx.workerRestingMb)} MB, ` +
        `web peak ${change(compiled.webPeakMb, tsx.webPeakMb)} MB, ` +
        `worker peak ${change(compiled.workerPeakMb, tsx.workerPeakMb)} MB, ` +
        `to /api/health ${change(compiled.healthMs, tsx.healthMs)} ms, to worker ready ${change(compiled.readyMs, tsx.readyMs)} ms`,
    )
  }
}
