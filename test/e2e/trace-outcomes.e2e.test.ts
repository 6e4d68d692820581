/**
 * The screens of a trace's outcomes other than a finished trace: nothing to trace (one state for typed names
 * and for an empty MSD range), a job reopened from its link (the query shown, the form refilled), and a
 * cancelled job (one state live and reopened, marked partial, no export). Screenshots go to test-results/e2e.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_DEFAULTS } from '../../src/server/demo/demo-options.ts'
import { writeSqliteDemo } from '../../src/server/demo/sqlite-demo.ts'
import { setLogLevel } from '../../src/server/logger.ts'
import { buildClient, chromiumAvailable, launchChromium, startTraceServer, type TraceServer } from './e2e-harness.ts'

const PROJECT_ROOT = resolve(import.meta.dirname, '../..')
const SHOTS = join(PROJECT_ROOT, 'test-results', 'e2e')

let dir: string
let server: TraceServer
let context: BrowserContext
let page: Page
let cdp: CDPSession

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false, animations: 'disabled' })
}

async function throttle(bytesPerSecond: number | null): Promise<void> {
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: bytesPerSecond ?? -1,
    uploadThroughput: -1,
  })
}

const status = (): Promise<string | null> => page.getByTestId('run-progress').getAttribute('data-status')

async function runForward(type: string, ids: string, mode: 'auto' | 'job'): Promise<void> {
  await page.getByTestId('mode-forward').click()
  await page.getByTestId(`type-${type}`).click()
  await page.getByTestId('id-paste-box').fill(ids)
  await page.getByTestId('run-mode').selectOption(mode)
  await page.getByTestId('run-trace').click()
}

describe.skipIf(!chromiumAvailable())('the outcome screens against the real server on the demo data', () => {
  beforeAll(async () => {
    setLogLevel('warn')
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-e2e-outcomes-'))
    mkdirSync(SHOTS, { recursive: true })
    const dist = join(dir, 'dist')
    const db = join(dir, 'demo.sqlite')
    await Promise.all([buildClient(PROJECT_ROOT, dist), writeSqliteDemo(db, DEMO_DEFAULTS)])
    server = await startTraceServer(
      {
        MES_DB_PATH: db,
        TRACE_STREAM_BATCH_SIZE: '200',
        // Small statements keep the cancelled job running on the server for several seconds: on a fast or
        // quiet machine it would otherwise finish before the cancel arrives, and reopen as finished.
        TRACE_IN_BATCH_SIZE: '10',
        DB_SLOW_FETCHMANY_SIZE: '25',
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
    await page.goto(server.url)
  }, 300_000)

  afterAll(async () => {
    await context?.close()
    await server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('shows zero seeds as one "Nothing to trace" state with its reason, for typed names and for an empty MSD range', async () => {
    await runForward('lot_id', 'GA-NO-SUCH-LOT', 'auto')
    await page.waitForSelector('[data-testid="run-progress"][data-status="empty"]')
    expect(await page.getByTestId('no-seeds').textContent()).toContain('no lot name matched GA-NO-SUCH-LOT')
    await shot('zero-seeds-typed')

    await runForward('work_order', 'GA9999*', 'job')
    await page.waitForSelector('[data-testid="run-progress"][data-status="empty"]', { timeout: 60_000 })
    expect(await page.getByTestId('no-seeds').textContent()).toContain('no GA/GC work order matched GA9999*')

    await page.getByTestId('mode-msd').click()
    // The dates default to the most recent month of the station's data, not to the last 31 days.
    await expect.poll(() => page.getByTestId('msd-end').inputValue()).toMatch(/^2026-03-/)
    expect(await page.getByTestId('msd-data-span').textContent()).toMatch(/Data at 測試: 2026-01-\d\d … 2026-03-\d\d/)
    await page.getByTestId('msd-start').fill('2025-01-01')
    await page.getByTestId('msd-end').fill('2025-01-31')
    await page.getByTestId('run-trace').click()
    await page.waitForSelector('[data-testid="run-progress"][data-status="empty"]', { timeout: 60_000 })
    expect(await page.getByTestId('no-seeds').textContent()).toMatch(
      /no lot was at 測試 between 2025-01-01 and 2025-01-31; the data holds 2026-01-\d\d … 2026-03-\d\d/,
    )
    expect(await page.getByTestId('run-status').textContent()).toContain('Nothing to trace')
    await shot('zero-seeds-msd')
  }, 180_000)

  it('reopens a job from its link alone with its query shown and the form refilled', async () => {
    await page.goto(server.url)
    await runForward('wafer_lot', 'W2601-0001', 'job')
    await page.waitForSelector('[data-testid="run-progress"][data-status="finished"]', { timeout: 120_000 })
    const jobUrl = page.url()
    expect(new URL(jobUrl).searchParams.get('job')).toMatch(/.+/)

    // A fresh tab without this browser's recent jobs: only the link is known.
    await page.evaluate(() => localStorage.clear())
    await page.goto(server.url)
    await page.goto(jobUrl)
    await page.waitForSelector('[data-testid="run-progress"][data-status="finished"]', { timeout: 60_000 })
    const query = (await page.getByTestId('run-query').textContent()) ?? ''
    expect(query).toContain('Forward trace')
    expect(query).toContain('W2601-0001')
    expect(query).toContain('Data read')
    expect(await page.getByTestId('mode-forward').getAttribute('aria-pressed')).toBe('true')
    expect(await page.getByTestId('type-wafer_lot').getAttribute('aria-pressed')).toBe('true')
    expect(await page.getByTestId('id-paste-box').inputValue()).toBe('W2601-0001')
    await shot('reopened-from-link')

    // "Check ids" after the run shows its own answer, not the run's seeds.
    const runSeeds = await page.getByTestId('seed-count').textContent()
    await page.getByTestId('id-paste-box').fill('W2601-0001\nW2601-0002\nW-NOPE')
    await page.getByTestId('check-ids').click()
    await expect.poll(() => page.getByTestId('seed-summary').locator('h3').textContent()).toBe('Check')
    await expect.poll(() => page.getByTestId('not-found-count').count()).toBe(1)
    expect(await page.getByTestId('seed-count').textContent()).not.toBe(runSeeds)
    await shot('check-after-run')
  }, 180_000)

  it('shows a cancelled job the same live and reopened: cancelled, partial data, no export', async () => {
    await page.goto(server.url)
    await throttle(64 * 1024)
    await runForward('wafer_lot', 'W26*', 'job')
    await page.waitForSelector('[data-testid="run-progress"][data-status="running"]')
    await page.waitForFunction(
      () =>
        Number((document.querySelector('[data-testid="rows-received"]')?.textContent ?? '0').replace(/[^\d]/g, '')) > 0,
      null,
      {
        timeout: 60_000,
      },
    )
    await page.getByTestId('cancel-trace').click()
    await page.waitForSelector('[data-testid="run-progress"][data-status="cancelled"]')
    await throttle(null)
    expect(await page.getByTestId('partial-data').textContent()).toContain('Partial data')
    expect(await page.getByTestId('export-full').count()).toBe(0)
    await shot('cancelled-live')

    await page.reload()
    await page.waitForSelector('[data-testid="run-progress"]:not([data-status="running"])', { timeout: 60_000 })
    expect(await status()).toBe('cancelled')
    expect(await page.getByTestId('partial-data').textContent()).toContain('Partial data')
    expect(await page.getByTestId('export-full').count()).toBe(0)
    expect(await page.locator('[data-testid^="stage-error-"]').count()).toBe(0)
    await shot('cancelled-reopened')
  }, 180_000)
})
