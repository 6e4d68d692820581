import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSV_BOM } from '../../src/shared/csv.ts'
import { DOMAIN_COLUMNS, type Domain } from '../../src/shared/domains.ts'
import { DEMO_DEFAULTS } from '../../src/server/demo/demo-options.ts'
import { writeSqliteDemo } from '../../src/server/demo/sqlite-demo.ts'
import { setLogLevel } from '../../src/server/logger.ts'
import { buildClient, chromiumAvailable, launchChromium, startTraceServer, type TraceServer } from './e2e-harness.ts'

const PROJECT_ROOT = resolve(import.meta.dirname, '../..')
/** Git-ignored; the screenshots are meant to be looked at after a run. */
const SHOTS = join(PROJECT_ROOT, 'test-results', 'e2e')

const haveChromium = chromiumAvailable()
if (!haveChromium && process.env.CI === 'true')
  throw new Error('CI=true but /usr/bin/chromium is missing: the browser e2e test cannot run')
if (!haveChromium)
  process.stderr.write('\n*** SKIPPING the browser e2e test: /usr/bin/chromium is not installed ***\n\n')

let dir: string
let server: TraceServer
let context: BrowserContext
let page: Page
let cdp: CDPSession
const workerUrls: string[] = []
/** Content-Security-Policy violations the browser reported while the tests ran. */
const cspViolations: string[] = []

/** Slows the page's downloads so a small demo job still streams for a few seconds (rows visible mid-run). */
async function throttle(bytesPerSecond: number | null): Promise<void> {
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: bytesPerSecond ?? -1,
    uploadThroughput: -1,
  })
}

function count(text: string | null): number {
  return Number((text ?? '').replace(/[^\d]/g, ''))
}

async function shot(name: string): Promise<void> {
  // Transitions (the progress bar's width) are finished first: a shot taken mid-animation shows a stale bar.
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false, animations: 'disabled' })
}

/** The domain of the selected results tab. */
async function activeDomain(): Promise<Domain> {
  const id = await page.locator('[role="tab"][aria-selected="true"]').first().getAttribute('data-testid')
  return (id ?? '').replace(/^tab-/, '') as Domain
}

/**
 * Fills the form and runs it as one background job; resolves with the samples the page took every animation
 * frame until the run left `running`: run status, progress-bar value, and the active tab's row count.
 */
async function runTrace(
  mode: 'forward' | 'reverse',
  type: string,
  ids: string,
): Promise<{ status: string; pct: number; rows: number }[]> {
  await page.getByTestId(`mode-${mode}`).click()
  await page.getByTestId(`type-${type}`).click()
  await page.getByTestId('id-paste-box').fill(ids)
  await page.getByTestId('run-mode').selectOption('job')
  await page.evaluate(() => {
    const w = window as unknown as { __samples: { status: string; pct: number; rows: number }[] }
    w.__samples = []
    const sample = (): void => {
      const status = document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-status') ?? 'none'
      const pct = Number(document.querySelector('[data-testid="progress-bar"]')?.getAttribute('aria-valuenow') ?? -1)
      const badge = document.querySelector('[role="tab"][aria-selected="true"] [data-testid^="tab-count-"]')
      const rows = Number((badge?.textContent ?? '').replace(/[^\d]/g, ''))
      w.__samples.push({ status, pct, rows })
      if (w.__samples.length < 2 || status === 'running' || status === 'none' || status === 'idle')
        requestAnimationFrame(sample)
    }
    requestAnimationFrame(sample)
  })
  await page.getByTestId('run-trace').click()
  await page.waitForSelector('[data-testid="run-progress"][data-status="running"]')
  await shot(`${mode}-running`)
  // A mid-stream picture when the run is slow enough to have one (the forward trace is throttled for it).
  type Sample = { status: string; rows: number }
  const seen = (): boolean => {
    const samples = (window as unknown as { __samples: Sample[] }).__samples
    return samples.some((x) => x.status === 'running' && x.rows > 0)
  }
  await page.waitForFunction(
    () => {
      const samples = (window as unknown as { __samples: { status: string; rows: number }[] }).__samples
      const last = samples.at(-1)?.status
      return (
        samples.some((x) => x.status === 'running' && x.rows > 0) ||
        (last !== undefined && !['running', 'idle', 'none'].includes(last))
      )
    },
    null,
    { timeout: 120_000 },
  )
  const midStream = await page.evaluate(seen)
  if (midStream) await shot(`${mode}-streaming`)
  await page.waitForSelector('[data-testid="run-progress"]:not([data-status="running"])', { timeout: 120_000 })
  return page.evaluate(
    () => (window as unknown as { __samples: { status: string; pct: number; rows: number }[] }).__samples,
  )
}

describe.skipIf(!haveChromium)('the browser app against the real server on the demo data', () => {
  beforeAll(async () => {
    setLogLevel('warn')
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-e2e-'))
    mkdirSync(SHOTS, { recursive: true })
    const dist = join(dir, 'dist')
    const db = join(dir, 'demo.sqlite')
    await Promise.all([buildClient(PROJECT_ROOT, dist), writeSqliteDemo(db, DEMO_DEFAULTS)])
    server = await startTraceServer(
      {
        MES_DB_PATH: db,
        // Every trace goes through the job path, in many small stream chunks.
        TRACE_ASYNC_CID_THRESHOLD: '1',
        TRACE_STREAM_BATCH_SIZE: '200',
        TRACE_RESULT_DIR: join(dir, 'results'),
        TRACE_JOB_DIR: join(dir, 'jobs'),
        LOG_LEVEL: 'warn',
      },
      dist,
    )
    context = await launchChromium(join(dir, 'profile'))
    page = context.pages()[0] ?? (await context.newPage())
    cdp = await context.newCDPSession(page)
    page.on('pageerror', (err) => process.stderr.write(`[page error] ${err.message}\n`))
    page.on('worker', (worker) => workerUrls.push(worker.url()))
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text())
    })
    await page.goto(server.url)
  }, 300_000)

  afterAll(async () => {
    await context?.close()
    await server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('streams a forward trace: rows show while it runs, the bar reaches 100%, the CSV matches, a reload restores it', async () => {
    await throttle(400 * 1024)
    const samples = await runTrace('forward', 'wafer_lot', 'W2601-00*')
    await throttle(null)
    await shot('forward-finished')

    expect(await page.getByTestId('run-progress').getAttribute('data-status')).toBe('finished')
    // The stream was fetched and parsed off the page's thread.
    expect(workerUrls.some((u) => u.includes('stream-parser'))).toBe(true)
    expect(samples.some((s) => s.status === 'running' && s.rows > 0)).toBe(true)
    expect(samples.some((s) => s.status === 'running' && s.pct > 0 && s.pct < 100)).toBe(true)
    await expect.poll(() => page.getByTestId('progress-bar').getAttribute('aria-valuenow')).toBe('100')

    const domain = await activeDomain()
    expect(DOMAIN_COLUMNS[domain]).toBeDefined()
    const rows = count(await page.getByTestId(`tab-count-${domain}`).textContent())
    expect(rows).toBeGreaterThan(1000)
    expect(count(await page.getByTestId('rows-received').textContent())).toBeGreaterThanOrEqual(rows)

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-full').click()])
    const csv = readFileSync((await download.path()) as string, 'utf8')
    expect(csv.startsWith(CSV_BOM)).toBe(true)
    const lines = csv.slice(CSV_BOM.length).split('\r\n')
    expect(lines.at(-1)).toBe('')
    expect(lines[0]).toBe(DOMAIN_COLUMNS[domain].join(','))
    expect(lines.length - 2).toBe(rows)

    const jobUrl = page.url()
    expect(new URL(jobUrl).searchParams.get('job')).toMatch(/.+/)
    await page.reload()
    await page.waitForSelector('[data-testid="run-progress"][data-status="finished"]', { timeout: 60_000 })
    await expect
      .poll(async () => count(await page.getByTestId(`tab-count-${domain}`).textContent()), { timeout: 30_000 })
      .toBe(rows)
    expect(page.url()).toBe(jobUrl)
    // The form comes back as it was run, "Run as" included.
    expect(await page.getByTestId('run-mode').inputValue()).toBe('job')
    await shot('forward-reloaded')
  }, 180_000)

  it('streams a reverse trace from a serial number up to its ancestors', async () => {
    await page.goto(server.url)
    const samples = await runTrace('reverse', 'serial_number', 'SN2601-00001\nSN2601-00002\nSN2601-00003')
    await shot('reverse-finished')
    expect(await page.getByTestId('run-progress').getAttribute('data-status')).toBe('finished')
    expect(samples.at(-1)?.rows).toBeGreaterThan(0)
    expect(await page.getByTestId('progress-bar').getAttribute('aria-valuenow')).toBe('100')
    const domain = await activeDomain()
    const rows = count(await page.getByTestId(`tab-count-${domain}`).textContent())
    expect(rows).toBeGreaterThan(0)
    expect(await page.getByTestId('results-table').getAttribute('aria-rowcount')).toBe(String(rows + 1))
  }, 180_000)

  it('runs the whole app under its Content-Security-Policy without a violation (workers included)', async () => {
    const res = await page.request.get(server.url)
    const csp = res.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("worker-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.headers()['x-content-type-options']).toBe('nosniff')
    expect(workerUrls.some((u) => u.includes('stream-parser'))).toBe(true)
    expect(cspViolations).toEqual([])
  })
})
