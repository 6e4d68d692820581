/**
 * `npm run bench:peers -- [--quick] [--db FILE] [--repeat N] [--out FILE]`
 *
 * mes-trace's table against two peers in the same Chromium, on the same stream, on the same machine: AG Grid
 * Community (client-side row model, `applyTransactionAsync` per `records` line) and Perspective (engine in a
 * Web Worker, viewer with its datagrid, `table.update` per line), pages built from bench/peers/ with Vite. The
 * stream is the whole-span backward MSD job of the test station, `upstream_history` (the incident database by
 * default: 3.76 M rows; `--quick` the 10 K-CID one), recorded once from the real server and then served from
 * memory to every contender, so the server does not share the cores with the browser while one ingests.
 * For each: first row visible (ms after navigation start), rows/s (rows ÷ first row → last row), the main
 * thread's V8 heap and ArrayBuffers after a forced GC, the renderer processes' RSS growth (it holds the
 * Perspective engine's WebAssembly memory, in its worker) per million rows, and long tasks while scrolling to
 * the bottom. Results in bench/results/peers-<date>-<commit>-<database>.json.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg } from 'node:os'
import { basename, dirname, extname, join, normalize, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { BrowserContext, Page } from 'playwright-core'
import { DEMO_SCALES } from '../src/server/demo/demo-options.ts'
import { setLogLevel } from '../src/server/logger.ts'
import { buildClient, chromiumAvailable, launchChromium, startTraceServer } from '../test/e2e/e2e-harness.ts'
import {
  BENCH_MONTHS,
  BENCH_SIZES,
  benchDemoOptions,
  ensureBenchDatabase,
  wholeSpanMsdParams,
} from './lib/bench-databases.ts'
import { codeVersion } from './lib/code-version.ts'
import { machineInfo } from './lib/machine-info.ts'
import { recordStream, startMemoryStreamProxy } from './lib/memory-stream-proxy.ts'
import { rendererRssMb } from './lib/renderer-procs.ts'
import { streamShape } from './lib/stream-shape.ts'
import { longTasksWhileScrolling, type ScrollFigures } from './lib/scroll-long-tasks.ts'
import { sampler, samples } from './lib/trace-page.ts'

const ROOT = resolve(import.meta.dirname, '..')
const CONTENDERS = ['mes-trace', 'AG Grid', 'Perspective'] as const
type Contender = (typeof CONTENDERS)[number]
const SCROLLER: Record<Contender, string> = {
  'mes-trace': '[data-testid="results-scroller"]',
  'AG Grid': '[class*="ag-body"]',
  Perspective: 'regular-table',
}

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    db: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
})

interface Figures {
  readonly contender: Contender
  readonly repeat: number
  readonly rows: number
  readonly error: string | null
  readonly first_row_ms: number | null
  readonly rows_per_second: number | null
  readonly heap_mb: number
  readonly array_buffers_mb: number
  readonly renderer_rss_growth_mb: number
  readonly heap_mb_per_million_rows: number | null
  readonly renderer_mb_per_million_rows: number | null
  readonly scroll: ScrollFigures | null
  readonly load_average: number[]
}

function buildPeers(outDir: string): Promise<void> {
  const vite = join(ROOT, 'node_modules', '.bin', 'vite')
  const child = spawn(vite, ['build', '--config', 'bench/peers/vite.config.ts', '--outDir', outDir], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  return once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`vite build of bench/peers exited with ${code}`)
  })
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
}

/** The peer pages and, at /stream, the recorded job stream. */
async function startPeerServer(dist: string, chunks: readonly Buffer[]): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/stream') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' })
      const write = async (): Promise<void> => {
        for (const c of chunks) if (!res.write(c)) await once(res, 'drain')
        res.end()
      }
      write().catch((err: unknown) => res.destroy(err as Error))
      return
    }
    const file = normalize(join(dist, path))
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(readFileSync(file))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }
}

interface PeerReport {
  readonly firstRowAt: number | null
  readonly doneAt: number | null
  readonly rows: number
  readonly error: string | null
}

async function ingest(page: Page, contender: Contender, url: string): Promise<PeerReport & { timeOrigin: number }> {
  if (contender === 'mes-trace') {
    // Sampling from the document's start: a replay of a small result can finish before the page's load event.
    await page.addInitScript(sampler)
    await page.goto(url)
    await page.waitForFunction(
      () => {
        const status = (window as unknown as { __samples?: { status: string }[] }).__samples?.at(-1)?.status
        return status === 'finished' || status === 'empty' || status === 'failed' || status === 'cancelled'
      },
      undefined,
      { timeout: 3_600_000, polling: 200 },
    )
    const taken = await samples(page)
    const first = taken.find((s) => s.rows > 0)
    const last = taken.at(-1)
    const timeOrigin = await page.evaluate(() => performance.timeOrigin)
    const ok = last?.status === 'finished'
    return {
      firstRowAt: first?.t ?? null,
      doneAt: last?.t ?? null,
      rows: last?.rows ?? 0,
      error: ok ? null : `run ended ${last?.status}`,
      timeOrigin,
    }
  }
  await page.goto(url)
  await page.waitForFunction(
    () => {
      const r = (window as unknown as { __peer?: PeerReport }).__peer
      return r !== undefined && (r.doneAt !== null || r.error !== null)
    },
    undefined,
    { timeout: 3_600_000, polling: 500 },
  )
  return page.evaluate(() => ({
    ...(window as unknown as { __peer: PeerReport }).__peer,
    timeOrigin: performance.timeOrigin,
  }))
}

async function measure(
  context: BrowserContext,
  contender: Contender,
  url: string,
  repeat: number,
  expectedRows: number,
): Promise<Figures> {
  const page = await context.newPage()
  try {
    page.on('pageerror', (err) => console.error(`[${contender} page error] ${err.message}`))
    await page.addInitScript('globalThis.__name = (fn) => fn')
    const cdp = await context.newCDPSession(page)
    await cdp.send('HeapProfiler.enable')
    const rssBefore = rendererRssMb()
    const r = await ingest(page, contender, url)
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = await cdp.send('Runtime.getHeapUsage')
    const rssGrowth = rendererRssMb() - rssBefore
    const heapMb = (heap.usedSize ?? 0) / 2 ** 20
    const buffersMb = (heap.backingStorageSize ?? 0) / 2 ** 20
    const error = r.error ?? (r.rows === expectedRows ? null : `${r.rows} rows of ${expectedRows}`)
    const scroll = r.error === null ? await longTasksWhileScrolling(page, SCROLLER[contender]) : null
    const perMillion = (mb: number): number | null => (r.rows > 0 ? mb / (r.rows / 1e6) : null)
    return {
      contender,
      repeat,
      rows: r.rows,
      error,
      first_row_ms: r.firstRowAt === null ? null : r.firstRowAt - r.timeOrigin,
      rows_per_second:
        r.firstRowAt !== null && r.doneAt !== null && r.doneAt > r.firstRowAt
          ? r.rows / ((r.doneAt - r.firstRowAt) / 1000)
          : null,
      heap_mb: heapMb,
      array_buffers_mb: buffersMb,
      renderer_rss_growth_mb: rssGrowth,
      heap_mb_per_million_rows: perMillion(heapMb + buffersMb),
      renderer_mb_per_million_rows: perMillion(rssGrowth),
      scroll,
      load_average: loadavg(),
    }
  } finally {
    await page.close()
  }
}

const fmt = (n: number | null, digits = 0): string =>
  n === null ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('/usr/bin/chromium is not installed')
  const repeat = Number(args.repeat)
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat must be a positive integer')
  setLogLevel('warn')
  const code = codeVersion()
  const machine = machineInfo()
  const loadStart = loadavg()
  const options = args.quick
    ? benchDemoOptions(BENCH_SIZES['10k'], BENCH_MONTHS)
    : benchDemoOptions(DEMO_SCALES.incident.lots, DEMO_SCALES.incident.months)
  const dbPath = args.db ? resolve(ROOT, args.db) : (await ensureBenchDatabase(options)).path
  mkdirSync(join(ROOT, 'data'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, 'data', '.bench-peers-'))
  await buildClient(ROOT, join(dir, 'dist'))
  await buildPeers(join(dir, 'peers'))
  const server = await startTraceServer(
    {
      MES_DB_PATH: dbPath,
      TRACE_RESULT_DIR: join(dir, 'results'),
      TRACE_JOB_DIR: join(dir, 'jobs'),
      LOG_LEVEL: 'warn',
      LINEAGE_TIMEOUT_SECONDS: '3600',
      TRACE_JOB_TIMEOUT_SECONDS: '7200',
    },
    join(dir, 'dist'),
  )
  const runs: Figures[] = []
  let streamBytes: number
  let expectedRows: number
  try {
    const submitted = await fetch(`${server.url}/api/trace/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        profile: 'mid_section_defect',
        params: wholeSpanMsdParams(options),
        domains: ['upstream_history'],
      }),
    })
    if (submitted.status !== 202) throw new Error(`submit answered ${submitted.status}: ${await submitted.text()}`)
    const jobId = ((await submitted.json()) as { job_id: string }).job_id
    const recorded = await recordStream(server.url, jobId)
    const shape = streamShape(recorded)
    streamBytes = shape.bytes
    expectedRows = Object.values(shape.domains).reduce((n, d) => n + d.rows, 0)
    console.log(
      `bench:peers: ${basename(dbPath)}, upstream_history, ${expectedRows.toLocaleString('en-US')} rows, ${(streamBytes / 1048576).toFixed(0)} MB of NDJSON; ${machine.cores} cores; load ${loadStart.map((l) => l.toFixed(1)).join(' ')}`,
    )
    const peers = await startPeerServer(join(dir, 'peers'), recorded)
    const own = await startMemoryStreamProxy(server.url, jobId, recorded)
    const context = await launchChromium(join(dir, 'profile'))
    const urls: Record<Contender, string> = {
      'mes-trace': `${own.url}/?job=${encodeURIComponent(jobId)}`,
      'AG Grid': `${peers.url}/ag-grid.html`,
      Perspective: `${peers.url}/perspective.html`,
    }
    try {
      for (let r = 1; r <= repeat; r++) {
        const order = CONTENDERS.map((_, i) => CONTENDERS[(i + r - 1) % CONTENDERS.length])
        for (const contender of order) {
          const f = await measure(context, contender, urls[contender], r, expectedRows)
          runs.push(f)
          console.log(
            `${contender} #${r}: ${f.error ?? 'ok'}; ${f.rows.toLocaleString('en-US')} rows, first row ${fmt(f.first_row_ms)} ms, ${fmt(f.rows_per_second)} rows/s; heap ${fmt(f.heap_mb)} MB + ${fmt(f.array_buffers_mb)} MB ArrayBuffers, renderer RSS +${fmt(f.renderer_rss_growth_mb)} MB; scrolling: ${f.scroll ? `${f.scroll.longTasks} long tasks, longest ${fmt(f.scroll.longestMs)} ms in ${f.scroll.steps} steps` : '–'}; load ${f.load_average.map((l) => l.toFixed(1)).join(' ')}`,
          )
        }
      }
    } finally {
      await context.close()
      await own.close()
      peers.close()
    }
  } finally {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log('')
  console.log(
    '| grid | rows | first row visible (ms) | rows/s | V8 heap + ArrayBuffers, MB per M rows | renderer RSS, MB per M rows | long tasks while scrolling (longest) |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const f of runs)
    console.log(
      `| ${f.contender}${repeat > 1 ? ` #${f.repeat}` : ''}${f.error ? ` (${f.error})` : ''} | ${f.rows.toLocaleString('en-US')} | ${fmt(f.first_row_ms)} | ${fmt(f.rows_per_second)} | ${fmt(f.heap_mb_per_million_rows)} | ${fmt(f.renderer_mb_per_million_rows)} | ${f.scroll ? `${f.scroll.longTasks} (${fmt(f.scroll.longestMs)} ms)` : '–'} |`,
    )
  const loadEnd = loadavg()
  console.log(
    `load average: start ${loadStart.map((l) => l.toFixed(1)).join(' ')}, end ${loadEnd.map((l) => l.toFixed(1)).join(' ')}`,
  )
  const at = new Date().toISOString()
  const out = resolve(
    ROOT,
    args.out ??
      join(
        'bench',
        'results',
        `peers-${at.slice(0, 10)}-${code.commit?.slice(0, 7) ?? 'nogit'}-${basename(dbPath, '.sqlite')}.json`,
      ),
  )
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(
    out,
    JSON.stringify(
      {
        at,
        code,
        machine,
        database: dbPath,
        rows: expectedRows,
        stream_bytes: streamBytes,
        load_start: loadStart,
        load_end: loadEnd,
        runs,
      },
      null,
      2,
    ) + '\n',
  )
  console.log(`results in ${relative(ROOT, out)}`)
}

await main()
