/**
 * `npm run bench:browser -- [--db data/demo-incident.sqlite] [--domains upstream_history] [--start 2026-01-01]
 * [--end 2026-05-31] [--direction backward] [--station 測試]`
 *
 * Drives Debian's Chromium through an incident-scale job: a backward MSD trace of the test station submitted
 * from the real form to the real server (SQLite source, embedded worker). Prints time from submit to the
 * job's first result chunk and to the first row in the table, rows ingested per second (live, and again when a
 * reload replays the finished job as fast as the browser takes it, and once more with the stream served from
 * memory so that the server does not share the cores with the browser) with the renderer's CPU per row (its main
 * thread, and all its threads: the stream is fetched and parsed in a Web Worker), the JS heap after all rows (as left, and
 * after a forced GC), and the longest main-thread task while the table is scrolled from top to bottom.
 * Targets (issue 4): first row within 1 s of the first chunk, >= 1 M rows/s, 2 M rows in < 400 MB heap, no task
 * over 50 ms while scrolling. The database must exist (`npm run demo:generate -- --scale incident --out ...`).
 * `--profile` builds the client unminified and prints the page's hottest functions during the replay and the
 * scroll (raw .cpuprofile files in test-results/). `--out FILE` names the results file (default
 * bench/results/browser-<date>-<commit>-<database>.json): the figures with what they depend on (code, machine, load
 * and steal per phase, Chromium version, flags and graphics features, database, the stream's shape, parser count).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { CDPSession, Page } from 'playwright-core'
import { DEMO_SCALES, demoDateSpan } from '../src/server/demo/demo-options.ts'
import { formatPhase, startPhase, type PhaseConditions } from './lib/bench-phase.ts'
import { chromiumInfo } from './lib/chromium-info.ts'
import { codeVersion } from './lib/code-version.ts'
import { formatHotFunctions, startCpuProfile, stopCpuProfile } from './lib/cpu-profile.ts'
import { cpuMhz, freshPageCpuUs } from './lib/cpu-stat.ts'
import { databaseInfo } from './lib/database-info.ts'
import { machineInfo } from './lib/machine-info.ts'
import { recordStream, startMemoryStreamProxy } from './lib/memory-stream-proxy.ts'
import { rendererCpuMs, rendererMainThreadCpuMs, rendererRssMb } from './lib/renderer-procs.ts'
import { streamShape } from './lib/stream-shape.ts'
import { fillMsdForm, installSampler, waitFinished, type Sample } from './lib/trace-page.ts'
import { setLogLevel } from '../src/server/logger.ts'
import { buildClient, chromiumAvailable, launchChromium, startTraceServer } from '../test/e2e/e2e-harness.ts'

const ROOT = resolve(import.meta.dirname, '..')
const span = demoDateSpan(DEMO_SCALES.incident)
const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'data/demo-incident.sqlite' },
    domains: { type: 'string', default: 'upstream_history' },
    start: { type: 'string', default: span.firstDay },
    end: { type: 'string', default: span.lastDay },
    direction: { type: 'string', default: 'backward' },
    station: { type: 'string', default: '測試' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
})

interface HeapFigures {
  /** V8 heap in use, MB. */
  readonly used: number
  /** ArrayBuffer backing stores (typed-array columns live there, outside the V8 heap), MB. */
  readonly backing: number
  /** The same two after a forced GC, MB. */
  readonly usedAfterGc: number
  readonly backingAfterGc: number
  /** RSS of all Chromium renderer processes this bench started, MB. */
  readonly rendererRss: number
}

async function heapMb(cdp: CDPSession): Promise<HeapFigures> {
  const before = await cdp.send('Runtime.getHeapUsage')
  const rendererRss = rendererRssMb()
  await cdp.send('HeapProfiler.collectGarbage')
  const after = await cdp.send('Runtime.getHeapUsage')
  const mb = (n: number | undefined): number => (n ?? 0) / 2 ** 20
  return {
    used: mb(before.usedSize),
    backing: mb(before.backingStorageSize),
    usedAfterGc: mb(after.usedSize),
    backingAfterGc: mb(after.backingStorageSize),
    rendererRss,
  }
}

/** When the job wrote its first result chunk (file time of `<first domain>.0.ndjson`), wall-clock ms. */
function firstChunkWrittenMs(resultDir: string, jobId: string): number | null {
  const dir = join(resultDir, jobId)
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { order?: string[] }
    const first = meta.order?.[0]
    if (!first) return null
    const st = statSync(join(dir, `${first}.0.ndjson`))
    return st.birthtimeMs > 0 ? st.birthtimeMs : st.mtimeMs
  } catch {
    return null
  }
}

/** Scrolls the visible table from top to bottom in steps of most of a screen, then jumps back; longest task, ms. */
async function longestTaskWhileScrolling(
  page: Page,
): Promise<{ longestMs: number; longTasks: number; steps: number; bottomRow: number; tableRows: number }> {
  return page.evaluate(async () => {
    const scroller = document.querySelector<HTMLElement>('[data-testid="results-scroller"]')
    if (!scroller) throw new Error('no results table on the page')
    const durations: number[] = []
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) durations.push(e.duration)
    })
    observer.observe({ type: 'longtask' })
    const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()))
    let steps = 0
    // 400 even steps across the whole range (a 2 M-row table is far too tall to page through screen by screen).
    const max = scroller.scrollHeight - scroller.clientHeight
    for (let i = 0; i <= 400; i++) {
      scroller.scrollTop = (max * i) / 400
      steps++
      await frame()
    }
    // At the very bottom the last row must show (the scroll range is paged past the browser's height limit).
    await frame()
    let bottomRow = 0
    for (const row of scroller.querySelectorAll<HTMLElement>('[role="row"]:not([hidden])'))
      bottomRow = Math.max(bottomRow, Number(row.getAttribute('aria-rowindex')) - 1)
    const tableRows = Number(document.querySelector('[data-testid="results-table"]')?.getAttribute('aria-rowcount')) - 1
    // And screen by screen for a while, the way a reader scrolls.
    for (let i = 0; i < 200; i++) {
      scroller.scrollTop -= scroller.clientHeight * 0.8
      steps++
      await frame()
    }
    scroller.scrollTop = 0
    await frame()
    await frame()
    await new Promise((r) => setTimeout(r, 200))
    observer.disconnect()
    return {
      longestMs: durations.length ? Math.max(...durations) : 0,
      longTasks: durations.length,
      steps,
      bottomRow,
      tableRows,
    }
  })
}

function countNewlines(chunks: readonly Uint8Array[]): number {
  let n = 0
  for (const chunk of chunks) for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++
  return n
}

function ms(n: number | null): string {
  return n === null ? 'n/a' : `${Math.round(n)} ms`
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('/usr/bin/chromium is not installed')
  const db = resolve(ROOT, args.db)
  if (!existsSync(db)) throw new Error(`${db} does not exist: npm run demo:generate -- --scale incident`)
  setLogLevel('warn')
  mkdirSync(join(ROOT, 'data'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, 'data', '.bench-browser-'))
  const load = loadavg()
  // Read before the run: a commit made while a long run goes on is not the code it measured.
  const code = codeVersion()
  const machine = { ...machineInfo(), cpu_mhz_start: cpuMhz(), fresh_page_cpu_us: freshPageCpuUs() }
  const database = databaseInfo(db)
  console.log(
    `bench:browser: MSD ${args.direction} trace of ${args.station} ${args.start}..${args.end}, domains ${args.domains}, db ${args.db}`,
  )
  console.log(
    `database ${database.path}, ${database.file_mb} MB, ${Object.entries(database.table_rows)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ')}`,
  )
  console.log(
    `machine ${machine.cpu_model}, ${machine.cores} cores at ${machine.cpu_mhz_start.join('/')} MHz, a fresh page costs ${machine.fresh_page_cpu_us} CPU µs, Node ${machine.node}; load average ${load.map((l) => l.toFixed(1)).join(' ')}`,
  )
  const dist = join(dir, 'dist')
  await buildClient(ROOT, dist, { minify: !args.profile })
  const server = await startTraceServer(
    { MES_DB_PATH: db, TRACE_RESULT_DIR: join(dir, 'results'), TRACE_JOB_DIR: join(dir, 'jobs'), LOG_LEVEL: 'warn' },
    dist,
  )
  const context = await launchChromium(join(dir, 'profile'))
  try {
    const chromium = await chromiumInfo(context)
    console.log(
      `Chromium ${chromium.version}, ${chromium.hardware_concurrency} cores seen, processes ${JSON.stringify(chromium.processes)}`,
    )
    console.log(
      `  graphics: ${
        Object.entries(chromium.graphics_features)
          .map(([f, v]) => `${f}: ${v}`)
          .join('; ') || 'unknown'
      }`,
    )
    console.log(`  CJK font: ${chromium.cjk_font} (${chromium.cjk_font_files} font files cover Chinese)`)
    console.log(`  browser args: ${chromium.args.join(' ')}`)
    const page = context.pages()[0] ?? (await context.newPage())
    // Parser workers started per phase: the pool's size as the page chose it, not as the code says it would.
    let parserWorkers = 0
    page.on('worker', (worker) => void (/stream-parser/.test(worker.url()) && parserWorkers++))
    const takeParserWorkers = (): number => {
      const n = parserWorkers
      parserWorkers = 0
      return n
    }
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
    const cdp = await context.newCDPSession(page)
    await cdp.send('HeapProfiler.enable')
    // tsx (esbuild keepNames) wraps named inner functions of the evaluated callbacks in __name(): give the page one.
    await page.addInitScript('globalThis.__name = (fn) => fn')
    await page.goto(server.url)

    await fillMsdForm(page, { ...args, domains: args.domains.split(',') })
    await installSampler(page)
    takeParserWorkers()
    const livePhase = startPhase(true)
    const submitted = await page.evaluate(() => performance.timeOrigin + performance.now())
    await page.getByTestId('run-trace').click()
    const live = await waitFinished(page)
    const liveConditions = { ...livePhase.end(), parser_workers: takeParserWorkers() }
    const status = live.at(-1)?.status
    const jobId = new URL(page.url()).searchParams.get('job') ?? ''
    const firstChunk = firstChunkWrittenMs(join(dir, 'results'), jobId)
    const firstRow = live.find((s) => s.rows > 0)
    const last = live.at(-1)
    const rows = last?.rows ?? 0
    const liveRate = firstRow && last && last.t > firstRow.t ? rows / ((last.t - firstRow.t) / 1000) : null
    const heap = await heapMb(cdp)
    await page.screenshot({ path: join(ROOT, 'test-results', 'bench-browser-finished.png') })
    if (args.profile) await startCpuProfile(cdp)
    const scrollCpuBefore = rendererMainThreadCpuMs()
    const scroll = await longestTaskWhileScrolling(page)
    const scrollCpuPerStep = (rendererMainThreadCpuMs() - scrollCpuBefore) / scroll.steps
    if (args.profile)
      console.log(
        formatHotFunctions(
          'hottest functions while scrolling (self time)',
          await stopCpuProfile(cdp, 15, join(ROOT, 'test-results', 'bench-browser-scroll.cpuprofile')),
        ),
      )
    await page.screenshot({ path: join(ROOT, 'test-results', 'bench-browser-scrolled.png') })

    // The finished job again through a reload: the stream is ready at once, so this is the browser's own pace.
    if (args.profile) await startCpuProfile(cdp)
    const replayCpuBefore = rendererMainThreadCpuMs()
    const replayAllCpuBefore = rendererCpuMs()
    const replayPhase = startPhase(true)
    await page.reload()
    await installSampler(page)
    const replay = await waitFinished(page)
    const replayConditions = { ...replayPhase.end(), parser_workers: takeParserWorkers() }
    // The reload's page load is in it too (small next to millions of rows).
    const replayCpuSeconds = (rendererMainThreadCpuMs() - replayCpuBefore) / 1000
    const replayAllCpuSeconds = (rendererCpuMs() - replayAllCpuBefore) / 1000
    if (args.profile)
      console.log(
        formatHotFunctions(
          'hottest functions during the replay (self time)',
          await stopCpuProfile(cdp, 20, join(ROOT, 'test-results', 'bench-browser-replay.cpuprofile')),
        ),
      )
    const replayFirst = replay.find((s) => s.rows > 0)
    const replayLast = replay.at(-1)
    const replayRate =
      replayFirst && replayLast && replayLast.t > replayFirst.t
        ? (replayLast.rows ?? 0) / ((replayLast.t - replayFirst.t) / 1000)
        : null
    const replayHeap = await heapMb(cdp)

    // Same stream, same rows, no browser: what the server can deliver, to set the browser's rate against.
    const recordStarted = performance.now()
    const recorded = await recordStream(server.url, jobId)
    const serverRead = { lines: countNewlines(recorded), seconds: (performance.now() - recordStarted) / 1000 }
    const serverRowsPerSecond = (replayLast?.rows ?? 0) / serverRead.seconds
    const shape = streamShape(recorded)

    // The browser on its own: the same stream from memory, as if the server ran on another machine.
    const proxy = await startMemoryStreamProxy(server.url, jobId, recorded)
    let alone: Sample[]
    let aloneConditions: PhaseConditions & { parser_workers: number; renderer_cpu_seconds: number }
    try {
      const at = new URL(page.url())
      const alonePhase = startPhase(false)
      const aloneCpuBefore = rendererCpuMs()
      await page.goto(`${proxy.url}${at.pathname}${at.search}`)
      await installSampler(page)
      alone = await waitFinished(page)
      aloneConditions = {
        ...alonePhase.end(),
        parser_workers: takeParserWorkers(),
        renderer_cpu_seconds: (rendererCpuMs() - aloneCpuBefore) / 1000,
      }
    } finally {
      await proxy.close()
    }
    const aloneFirst = alone.find((s) => s.rows > 0)
    const aloneLast = alone.at(-1)
    const aloneRate =
      aloneFirst && aloneLast && aloneLast.t > aloneFirst.t
        ? aloneLast.rows / ((aloneLast.t - aloneFirst.t) / 1000)
        : null

    const result = {
      status,
      rows,
      submit_to_first_chunk_ms: firstChunk === null ? null : firstChunk - submitted,
      first_chunk_to_first_row_ms: firstChunk !== null && firstRow ? firstRow.t - firstChunk : null,
      submit_to_first_row_ms: firstRow ? firstRow.t - submitted : null,
      submit_to_done_ms: last ? last.t - submitted : null,
      live_rows_per_second: liveRate,
      replay_rows: replayLast?.rows ?? 0,
      replay_rows_per_second: replayRate,
      replay_main_thread_cpu_seconds: replayCpuSeconds,
      replay_rows_per_main_thread_cpu_second: (replayLast?.rows ?? 0) / replayCpuSeconds,
      replay_renderer_cpu_seconds: replayAllCpuSeconds,
      replay_rows_per_renderer_cpu_second: (replayLast?.rows ?? 0) / replayAllCpuSeconds,
      stream_from_memory_rows: aloneLast?.rows ?? 0,
      stream_from_memory_rows_per_second: aloneRate,
      stream_from_memory_renderer_cpu_seconds: aloneConditions.renderer_cpu_seconds,
      stream_from_memory_rows_per_renderer_cpu_second: (aloneLast?.rows ?? 0) / aloneConditions.renderer_cpu_seconds,
      server_stream_lines_per_second: serverRead.lines / serverRead.seconds,
      server_stream_rows_per_second: serverRowsPerSecond,
      server_stream_seconds: serverRead.seconds,
      heap: heap,
      replay_heap: replayHeap,
      longest_scroll_task_ms: scroll.longestMs,
      long_tasks_while_scrolling: scroll.longTasks,
      scroll_steps: scroll.steps,
      scroll_bottom_row: scroll.bottomRow,
      scroll_main_thread_cpu_ms_per_step: scrollCpuPerStep,
      load_average_start: load,
      load_average_end: loadavg(),
    }
    const conditions = {
      code,
      at: new Date().toISOString(),
      options: args,
      machine: { ...machine, cpu_mhz_end: cpuMhz() },
      chromium,
      database,
      stream: shape,
      phases: { live: liveConditions, reload: replayConditions, from_memory: aloneConditions },
    }
    console.log(`run status                   ${status}, ${rows.toLocaleString('en-US')} rows`)
    console.log(`submit -> job's first chunk  ${ms(result.submit_to_first_chunk_ms)}   (chunk file written)`)
    console.log(`first chunk -> first row     ${ms(result.first_chunk_to_first_row_ms)}   (target <= 1000 ms)`)
    console.log(`submit -> first row          ${ms(result.submit_to_first_row_ms)}`)
    console.log(`submit -> all rows           ${ms(result.submit_to_done_ms)}`)
    console.log(
      `rows/s ingested (live job)   ${liveRate === null ? 'n/a' : Math.round(liveRate).toLocaleString('en-US')}`,
    )
    console.log(
      `rows/s ingested (reload)     ${replayRate === null ? 'n/a' : Math.round(replayRate).toLocaleString('en-US')}   (target >= 1,000,000)`,
    )
    console.log(
      `rows/s ingested (from memory) ${aloneRate === null ? 'n/a' : Math.round(aloneRate).toLocaleString('en-US')}   (target >= 1,000,000; stream served from memory, as if the server ran on another machine)`,
    )
    console.log(
      `rows per main-thread CPU s   ${Math.round(result.replay_rows_per_main_thread_cpu_second).toLocaleString('en-US')}   (reload; renderer main thread ${replayCpuSeconds.toFixed(1)} CPU s, whatever the load)`,
    )
    console.log(
      `rows per renderer CPU s      ${Math.round(result.replay_rows_per_renderer_cpu_second).toLocaleString('en-US')}   (reload; all renderer threads, parser worker included, ${replayAllCpuSeconds.toFixed(1)} CPU s)`,
    )
    console.log(
      `server stream alone (Node)   ${Math.round(serverRowsPerSecond).toLocaleString('en-US')} rows/s (${serverRead.lines} NDJSON lines in ${serverRead.seconds.toFixed(2)} s, no browser)`,
    )
    console.log(
      `JS heap after all rows       ${heap.used.toFixed(0)} MB V8 + ${heap.backing.toFixed(0)} MB ArrayBuffers; after GC ${heap.usedAfterGc.toFixed(0)} + ${heap.backingAfterGc.toFixed(0)} MB; renderer RSS ${heap.rendererRss.toFixed(0)} MB   (target < 400 MB for 2 M rows)`,
    )
    console.log(
      `longest task while scrolling ${scroll.longestMs.toFixed(0)} ms, ${scroll.longTasks} tasks over 50 ms in ${scroll.steps} steps   (target: none)`,
    )
    console.log(
      `bottom of the table shows   row ${scroll.bottomRow.toLocaleString('en-US')} of ${scroll.tableRows.toLocaleString('en-US')}`,
    )
    console.log(
      `main-thread CPU per scroll   ${scrollCpuPerStep.toFixed(1)} ms per step (renderer main thread, whatever the load)`,
    )
    console.log(
      `rows per renderer CPU s      ${Math.round(result.stream_from_memory_rows_per_renderer_cpu_second).toLocaleString('en-US')}   (from memory; ${aloneConditions.renderer_cpu_seconds.toFixed(1)} CPU s)`,
    )
    console.log(
      `load average                 ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (at start ${load.map((l) => l.toFixed(1)).join(' ')})`,
    )
    for (const [name, d] of Object.entries(shape.domains)) {
      console.log(
        `stream ${name}: ${d.rows.toLocaleString('en-US')} rows in ${d.records_lines} lines, ${d.bytes_per_row} bytes a row; distinct strings ${JSON.stringify(d.distinct_strings)}`,
      )
    }
    console.log(`phase live       ${formatPhase(liveConditions)}; ${liveConditions.parser_workers} parser workers`)
    console.log(`phase reload     ${formatPhase(replayConditions)}; ${replayConditions.parser_workers} parser workers`)
    console.log(`phase memory     ${formatPhase(aloneConditions)}; ${aloneConditions.parser_workers} parser workers`)
    const out = resolve(
      ROOT,
      args.out ??
        join(
          'bench',
          'results',
          `browser-${conditions.at.slice(0, 10)}-${conditions.code.commit?.slice(0, 7) ?? 'nogit'}-${basename(db, '.sqlite')}.json`,
        ),
    )
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, JSON.stringify({ conditions, result }, null, 2) + '\n')
    console.log(`results in ${relative(ROOT, out)}`)
  } finally {
    await context.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
