/**
 * `npm run bench:sync -- [--cids 20000] [--lots 3000] [--warm] [--shape compact|objects]`
 *
 * The synchronous events path at its largest: one POST /api/trace/events for `--cids` containers and every
 * query_tool domain (history, materials, rejects, holds, jobs), streamed from a real server running alone in a
 * child process started with the Node flags of `npm start` (read from package.json). Prints rows, seconds,
 * rows/s, time to first byte, bytes, the server's event-loop delay, and its peak RSS (sampled from
 * /proc/<pid>/status VmRSS every 25 ms, and the kernel's own high-water mark VmHWM). Target: peak RSS under
 * 200 MB. The demo database (`--lots` wafer lots, enough for the CIDs) is generated once into data/.
 *
 * By default the server is freshly started (SQLite threads start on demand, as after `npm start`); `--warm`
 * starts every DB_POOL_SIZE thread first, the state of a server that has served concurrent requests.
 * `--shape` picks the row shape asked for: `compact` (arrays, what the app asks for; the default) or `objects`
 * (rows keyed by column name, what the old clients get).
 *
 * `tsx bench/sync-events.ts --serve` is the server role the bench starts: the same bootstrap as `npm start`
 * without the client build and demo steps, no job system (so every request streams here), one JSON line
 * `{url, pid}` on stdout once listening; on SIGTERM it prints `{event_loop_p99_ms, event_loop_max_ms}` and stops.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import type { EventsResponse } from '../src/shared/responses.ts'
import { ROW_SHAPES, type RowShape } from '../src/shared/row-shape.ts'
import { startNodeFlags, TSX_FLAGS } from './lib/start-flags.ts'

const ROOT = resolve(import.meta.dirname, '..')
const SAMPLE_MS = 25
const TARGET_MB = 200
const DOMAINS = ['history', 'materials', 'rejects', 'holds', 'jobs'] as const

if (process.argv.includes('--serve')) await serve()
else await main()

/** The server role: configured source, HTTP on a free port, nothing else in the process. */
async function serve(): Promise<void> {
  const { loadConfig } = await import('../src/server/config.ts')
  const { openSource } = await import('../src/server/source/open-source.ts')
  const { startServer } = await import('../src/server/serve.ts')
  const config = loadConfig()
  const source = await openSource(config)
  if (process.argv.includes('--warm'))
    await Promise.all(Array.from({ length: config.DB_POOL_SIZE }, () => source.ping()))
  const server = await startServer({ config, source, port: 0, staticRoot: join(ROOT, 'data', 'no-client') })
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + '\n')
  process.once('SIGTERM', () => {
    delay.disable()
    const ms = (ns: number) => Math.round(ns / 1e5) / 10
    process.stdout.write(
      JSON.stringify({ event_loop_p99_ms: ms(delay.percentile(99)), event_loop_max_ms: ms(delay.max) }) + '\n',
    )
    void server
      .close()
      .then(() => source.close())
      .finally(() => process.exit(0))
  })
}

function args(): { cids: number; lots: number; warm: boolean; shape: RowShape } {
  const { values } = parseArgs({
    options: {
      cids: { type: 'string', default: '20000' },
      lots: { type: 'string', default: '3000' },
      warm: { type: 'boolean', default: false },
      shape: { type: 'string', default: 'compact' },
    },
  })
  const cids = Number(values.cids)
  const lots = Number(values.lots)
  const shape = ROW_SHAPES.find((s) => s === values.shape)
  if (!Number.isInteger(cids) || cids < 1 || !Number.isInteger(lots) || lots < 1 || !shape) {
    console.error('usage: npm run bench:sync -- [--cids N] [--lots N] [--warm] [--shape compact|objects]')
    process.exit(2)
  }
  return { cids, lots, warm: values.warm, shape }
}

async function ensureDatabase(lots: number): Promise<string> {
  const path = join(ROOT, 'data', `bench-sync-${lots}.sqlite`)
  if (existsSync(path)) return path
  const { DEMO_DEFAULTS } = await import('../src/server/demo/demo-options.ts')
  const { writeSqliteDemo } = await import('../src/server/demo/sqlite-demo.ts')
  const { createProgressPrinter } = await import('../src/server/demo/progress-printer.ts')
  console.log(`generating ${path} (${lots} wafer lots)…`)
  const progress = createProgressPrinter()
  try {
    await writeSqliteDemo(path, { ...DEMO_DEFAULTS, lots }, progress.onProgress)
  } finally {
    progress.finish()
  }
  return path
}

/** The first `n` lot CIDs in id order (deterministic for a given database). */
function pickCids(path: string, n: number): string[] {
  const db = new Database(path, { readonly: true })
  try {
    const rows = db
      .prepare(`SELECT CONTAINERID FROM DW_MES_CONTAINER WHERE OBJECTTYPE = 'LOT' ORDER BY CONTAINERID LIMIT ?`)
      .pluck()
      .all(n) as string[]
    if (rows.length < n) throw new Error(`${path} has only ${rows.length} lots; pass a larger --lots`)
    return rows
  } finally {
    db.close()
  }
}

interface ServerChild {
  readonly child: ChildProcess
  readonly url: string
  readonly pid: number
  /** Stops the server; resolves with its event-loop delay report. */
  stop(): Promise<{ event_loop_p99_ms: number; event_loop_max_ms: number }>
}

function startServer(dbPath: string, nodeFlags: readonly string[], warm: boolean): Promise<ServerChild> {
  const child = spawn(
    process.execPath,
    [...nodeFlags, 'bench/sync-events.ts', '--serve', ...(warm ? ['--warm'] : [])],
    {
      cwd: ROOT,
      env: { ...process.env, MES_DB_PATH: dbPath, MES_DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const nextLine = async (): Promise<string> => {
    const { done, value } = await lines.next()
    if (done) throw new Error('server exited without answering')
    return value
  }
  return nextLine().then((line) => {
    const { url, pid } = JSON.parse(line) as { url: string; pid: number }
    return {
      child,
      url,
      pid,
      async stop() {
        child.kill('SIGTERM')
        return JSON.parse(await nextLine()) as { event_loop_p99_ms: number; event_loop_max_ms: number }
      },
    }
  })
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

async function main(): Promise<void> {
  const { cids: cidCount, lots, warm, shape } = args()
  const dbPath = await ensureDatabase(lots)
  const cids = pickCids(dbPath, cidCount)
  const nodeFlags = [...TSX_FLAGS, ...startNodeFlags()]
  const server = await startServer(dbPath, nodeFlags, warm)
  const idleMb = statusKb(server.pid, 'VmRSS') / 1024
  let peakKb = 0
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, statusKb(server.pid, 'VmRSS'))
  }, SAMPLE_MS)

  let result: Record<string, unknown> | undefined
  let peakMb: number
  let hwmMb: number
  try {
    const started = performance.now()
    const res = await fetch(`${server.url}/api/trace/events?shape=${shape}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'query_tool', container_ids: cids, domains: DOMAINS }),
    })
    if (res.status !== 200) throw new Error(`events answered ${res.status}: ${await res.text()}`)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    const parts: string[] = []
    let bytes = 0
    let firstByteMs = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (bytes === 0) firstByteMs = performance.now() - started
      bytes += value.byteLength
      parts.push(decoder.decode(value, { stream: true }))
    }
    const seconds = (performance.now() - started) / 1000
    peakKb = Math.max(peakKb, statusKb(server.pid, 'VmRSS'))
    peakMb = peakKb / 1024
    hwmMb = statusKb(server.pid, 'VmHWM') / 1024
    const body = JSON.parse(parts.join('')) as EventsResponse
    if (body.failed_domains?.length) throw new Error(`domains failed: ${JSON.stringify(body.failed_domains)}`)
    const counts = Object.fromEntries(DOMAINS.map((d) => [d, body.results[d]?.count ?? 0]))
    const rows = Object.values(counts).reduce((a, b) => a + b, 0)
    result = {
      cids: cids.length,
      shape,
      rows,
      counts,
      seconds: Math.round(seconds * 100) / 100,
      rows_per_second: Math.round(rows / seconds),
      first_byte_ms: Math.round(firstByteMs),
      mb_streamed: Math.round(bytes / 1e5) / 10,
      server_node_flags: nodeFlags.join(' '),
      server_threads: warm ? 'all started first (--warm)' : 'on demand',
      server_idle_rss_mb: Math.round(idleMb),
      server_peak_rss_mb: Math.round(peakMb),
      server_vmhwm_mb: Math.round(hwmMb),
      target_mb: TARGET_MB,
    }
  } finally {
    clearInterval(sampler)
    const loop = await server.stop()
    if (result) Object.assign(result, loop)
  }
  const r = result as Record<string, number | string> & { counts: Record<string, number> }
  console.log(`cids            ${r.cids}  (rows as ${r.shape})`)
  console.log(`rows            ${r.rows}  (${DOMAINS.map((d) => `${d} ${r.counts[d]}`).join(', ')})`)
  console.log(`seconds         ${r.seconds}  (first byte after ${r.first_byte_ms} ms, ${r.mb_streamed} MB streamed)`)
  console.log(`rows/s          ${r.rows_per_second}`)
  console.log(`event loop      p99 ${r.event_loop_p99_ms} ms, max ${r.event_loop_max_ms} ms (server process)`)
  console.log(`server          node ${r.server_node_flags}; SQLite threads ${r.server_threads}`)
  console.log(
    `server RSS      idle ${r.server_idle_rss_mb} MB, peak ${r.server_peak_rss_mb} MB sampled, VmHWM ${r.server_vmhwm_mb} MB (target < ${TARGET_MB} MB)`,
  )
  console.log(JSON.stringify(result))
  if (Math.max(peakMb, hwmMb) >= TARGET_MB) {
    console.error(`peak server RSS over the ${TARGET_MB} MB target`)
    process.exitCode = 1
  }
}
