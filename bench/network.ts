/**
 * `npm run bench:network -- [--size 114k|10k] [--quick] [--repeat N] [--out FILE]`
 *
 * The app over a plant network: the whole-span backward MSD trace of the test station (MSD default domains,
 * as `npm run bench` runs it) submitted from the real form in Debian's Chromium, timed from submit to the last
 * row in the table, on loopback and through bench/lib/throttle-proxy.ts at 100 Mbit/s with a 20 ms round trip
 * and at 20 Mbit/s with 50 ms. The page itself is loaded through the link, so the app's assets and every fetch
 * of its parser workers cross it. Prints each time, its ratio to loopback, and the bytes the link carried
 * (per row). Issue 16's goal: at 100 Mbit/s within 20 % of loopback. `--quick` is the 10 K-CID database.
 * Results in bench/results/network-<date>-<commit>-<size>.json. The database is generated once into data/bench/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { BrowserContext } from 'playwright-core'
import { demoDateSpan } from '../src/server/demo/demo-options.ts'
import { setLogLevel } from '../src/server/logger.ts'
import { buildClient, chromiumAvailable, launchChromium, startTraceServer } from '../test/e2e/e2e-harness.ts'
import { BENCH_MONTHS, BENCH_SIZES, benchDemoOptions, ensureBenchDatabase } from './lib/bench-databases.ts'
import { codeVersion } from './lib/code-version.ts'
import { machineInfo } from './lib/machine-info.ts'
import { startThrottleProxy, type LinkSpec, type ThrottleProxy } from './lib/throttle-proxy.ts'
import { fillMsdForm, installSampler, waitFinished } from './lib/trace-page.ts'

const ROOT = resolve(import.meta.dirname, '..')
const MSD_DEFAULT_DOMAINS = ['upstream_history', 'materials']

interface Link {
  readonly name: string
  /** Undefined: straight to the server on loopback. */
  readonly spec?: LinkSpec
}

const LINKS: readonly Link[] = [
  { name: 'loopback' },
  { name: '100 Mbit/s, 20 ms RTT', spec: { bitsPerSecond: 100e6, rttMs: 20 } },
  { name: '20 Mbit/s, 50 ms RTT', spec: { bitsPerSecond: 20e6, rttMs: 50 } },
]

const { values: args } = parseArgs({
  options: {
    size: { type: 'string' },
    quick: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
})

interface LinkRun {
  readonly link: string
  readonly repeat: number
  readonly status: string
  readonly rows: number
  readonly submit_to_first_row_ms: number | null
  readonly submit_to_last_row_ms: number | null
  /** Bytes the link carried server → browser and back, page load included; null on loopback. */
  readonly bytes_down: number | null
  readonly bytes_up: number | null
  readonly wire_bytes_per_row: number | null
  readonly load_average: number[]
}

async function runOnce(
  context: BrowserContext,
  serverUrl: string,
  link: Link,
  repeat: number,
  form: Parameters<typeof fillMsdForm>[1],
): Promise<LinkRun> {
  const proxy: ThrottleProxy | undefined = link.spec ? await startThrottleProxy(serverUrl, link.spec) : undefined
  // A fresh page on its own origin (the proxy's port): nothing cached or kept alive from another link.
  const page = await context.newPage()
  try {
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
    await page.addInitScript('globalThis.__name = (fn) => fn')
    await page.goto(proxy?.url ?? serverUrl)
    await fillMsdForm(page, form)
    await installSampler(page)
    const submitted = await page.evaluate(() => performance.timeOrigin + performance.now())
    await page.getByTestId('run-trace').click()
    const samples = await waitFinished(page)
    const first = samples.find((s) => s.rows > 0)
    const last = samples.at(-1)
    const rows = last?.rows ?? 0
    const bytes = proxy?.bytes()
    return {
      link: link.name,
      repeat,
      status: last?.status ?? 'none',
      rows,
      submit_to_first_row_ms: first ? first.t - submitted : null,
      submit_to_last_row_ms: last ? last.t - submitted : null,
      bytes_down: bytes?.down ?? null,
      bytes_up: bytes?.up ?? null,
      wire_bytes_per_row: bytes && rows > 0 ? bytes.down / rows : null,
      load_average: loadavg(),
    }
  } finally {
    await page.close()
    await proxy?.close()
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('/usr/bin/chromium is not installed')
  const size = args.size ?? (args.quick ? '10k' : '114k')
  if (!(size in BENCH_SIZES)) throw new Error(`unknown size ${size}; one of ${Object.keys(BENCH_SIZES).join(', ')}`)
  const repeat = Number(args.repeat)
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat must be a positive integer')
  setLogLevel('warn')
  const code = codeVersion()
  const machine = machineInfo()
  const loadStart = loadavg()
  const db = await ensureBenchDatabase(benchDemoOptions(BENCH_SIZES[size], BENCH_MONTHS))
  const span = demoDateSpan(db.options)
  const form = {
    station: '測試',
    start: span.firstDay,
    end: span.lastDay,
    direction: 'backward',
    domains: MSD_DEFAULT_DOMAINS,
  }
  console.log(
    `bench:network: ${size} (${db.scale.lineageCids.toLocaleString('en-US')} CIDs), MSD ${form.direction} ${form.start}..${form.end}, domains ${form.domains.join(',')}; ${machine.cores} cores; load ${loadStart.map((l) => l.toFixed(1)).join(' ')}`,
  )
  mkdirSync(join(ROOT, 'data'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, 'data', '.bench-network-'))
  await buildClient(ROOT, join(dir, 'dist'))
  const server = await startTraceServer(
    {
      MES_DB_PATH: db.path,
      TRACE_RESULT_DIR: join(dir, 'results'),
      TRACE_JOB_DIR: join(dir, 'jobs'),
      LOG_LEVEL: 'warn',
      LINEAGE_TIMEOUT_SECONDS: '3600',
      TRACE_JOB_TIMEOUT_SECONDS: '7200',
    },
    join(dir, 'dist'),
  )
  const context = await launchChromium(join(dir, 'profile'))
  const runs: LinkRun[] = []
  try {
    for (let r = 1; r <= repeat; r++) {
      // Each repetition starts on the next link, so machine noise does not always hit the same one first.
      const order = LINKS.map((_, i) => LINKS[(i + r - 1) % LINKS.length])
      for (const link of order) {
        const run = await runOnce(context, server.url, link, r, form)
        runs.push(run)
        const perRow = run.wire_bytes_per_row === null ? '' : `, ${run.wire_bytes_per_row.toFixed(1)} wire bytes a row`
        console.log(
          `${link.name} #${r}: ${run.status}, ${run.rows.toLocaleString('en-US')} rows; first row ${((run.submit_to_first_row_ms ?? 0) / 1000).toFixed(1)} s, last row ${((run.submit_to_last_row_ms ?? 0) / 1000).toFixed(1)} s${run.bytes_down === null ? '' : `; ${(run.bytes_down / 1048576).toFixed(1)} MB down, ${(((run.bytes_up ?? 0) as number) / 1024).toFixed(0)} KB up${perRow}`}; load ${run.load_average.map((l) => l.toFixed(1)).join(' ')}`,
        )
      }
    }
  } finally {
    await context.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }

  const loopback = median(runs.filter((r) => r.link === 'loopback').map((r) => r.submit_to_last_row_ms ?? NaN))
  const summary = LINKS.map((link) => {
    const mine = runs.filter((r) => r.link === link.name)
    const last = median(mine.map((r) => r.submit_to_last_row_ms ?? NaN))
    const perRow = mine.flatMap((r) => (r.wire_bytes_per_row === null ? [] : [r.wire_bytes_per_row]))
    return {
      link: link.name,
      rows: mine[0]?.rows ?? 0,
      submit_to_last_row_s: last / 1000,
      vs_loopback: last / loopback,
      wire_bytes_per_row: perRow.length ? median(perRow) : null,
    }
  })
  console.log('')
  console.log('| link | rows | submit → last row (s) | ÷ loopback | wire bytes a row |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  for (const s of summary)
    console.log(
      `| ${s.link} | ${s.rows.toLocaleString('en-US')} | ${s.submit_to_last_row_s.toFixed(1)} | ${s.vs_loopback.toFixed(2)} | ${s.wire_bytes_per_row === null ? '–' : s.wire_bytes_per_row.toFixed(1)} |`,
    )
  const at100 = summary.find((s) => s.link.startsWith('100 Mbit'))
  if (at100)
    console.log(
      `${at100.vs_loopback <= 1.2 ? 'met    ' : 'NOT MET'}  at 100 Mbit/s within 20 % of loopback: ${at100.vs_loopback.toFixed(2)} ×`,
    )
  const loadEnd = loadavg()
  console.log(
    `load average: start ${loadStart.map((l) => l.toFixed(1)).join(' ')}, end ${loadEnd.map((l) => l.toFixed(1)).join(' ')}`,
  )
  const at = new Date().toISOString()
  const out = resolve(
    ROOT,
    args.out ??
      join('bench', 'results', `network-${at.slice(0, 10)}-${code.commit?.slice(0, 7) ?? 'nogit'}-${size}.json`),
  )
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(
    out,
    JSON.stringify(
      {
        at,
        code,
        machine,
        size,
        cids: db.scale.lineageCids,
        links: LINKS,
        load_start: loadStart,
        load_end: loadEnd,
        runs,
        summary,
      },
      null,
      2,
    ) + '\n',
  )
  console.log(`results in ${relative(ROOT, out)}`)
}

await main()
