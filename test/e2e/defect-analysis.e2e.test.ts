/**
 * A defect investigation in the browser against the real server on the demo data: KPI cards and a Pareto
 * with the top suspect first, a loss-reason chip that re-aggregates without re-running, the suspect panel,
 * and the per-lot detail CSV; no Content-Security-Policy violation (ECharts included). Screenshots go to
 * test-results/e2e.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_DEFAULTS } from '../../src/server/demo/demo-options.ts'
import { writeSqliteDemo } from '../../src/server/demo/sqlite-demo.ts'
import { setLogLevel } from '../../src/server/logger.ts'
import type { AttributionResult } from '../../src/shared/defect-analysis.ts'
import { buildClient, chromiumAvailable, launchChromium, startTraceServer, type TraceServer } from './e2e-harness.ts'

const PROJECT_ROOT = resolve(import.meta.dirname, '../..')
const SHOTS = join(PROJECT_ROOT, 'test-results', 'e2e')

let dir: string
let server: TraceServer
let context: BrowserContext
let page: Page
const cspViolations: string[] = []

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false, animations: 'disabled' })
}

describe.skipIf(!chromiumAvailable())('a defect investigation in the browser', () => {
  beforeAll(async () => {
    setLogLevel('warn')
    dir = mkdtempSync(join(tmpdir(), 'mes-trace-e2e-msd-'))
    mkdirSync(SHOTS, { recursive: true })
    const dist = join(dir, 'dist')
    const db = join(dir, 'demo.sqlite')
    await Promise.all([buildClient(PROJECT_ROOT, dist), writeSqliteDemo(db, DEMO_DEFAULTS)])
    server = await startTraceServer(
      { MES_DB_PATH: db, TRACE_RESULT_DIR: join(dir, 'results'), TRACE_JOB_DIR: join(dir, 'jobs'), LOG_LEVEL: 'warn' },
      dist,
    )
    context = await launchChromium(join(dir, 'profile'))
    page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (err) => process.stderr.write(`[page error] ${err.message}\n`))
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text())
    })
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(server.url)
  }, 300_000)

  afterAll(async () => {
    await context?.close()
    await server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('names the suspects, re-aggregates on a loss-reason chip, opens a suspect and exports the lots', async () => {
    await page.getByTestId('mode-msd').click()
    await expect.poll(() => page.getByTestId('msd-end').inputValue()).toMatch(/^2026-03-/)
    await page.getByTestId('msd-start').fill('2026-01-01')
    await page.getByTestId('run-trace').click()
    await page.waitForSelector('[data-testid="run-progress"][data-status="finished"]', { timeout: 240_000 })

    await page.getByTestId('tab-aggregation').click()
    await page.waitForSelector('[data-testid="kpi-cards"]')
    await page.waitForSelector('[data-testid="pareto-chart"] canvas')
    const firstRow = page.locator('[data-testid="suspect-table"] tbody tr').first()
    const topName = (await firstRow.locator('td.name').textContent())?.trim() ?? ''
    const jobId = new URL(page.url()).searchParams.get('job')
    expect(jobId).toBeTruthy()
    const api = (await (await fetch(`${server.url}/api/trace/job/${jobId}/analysis`)).json()) as AttributionResult
    const top = api.suspects.machine[0]
    expect(topName).toBe(`${top.key[1]} (${top.key[0]})`)
    expect(top.score).toBeGreaterThan(0)
    await shot('defect-analysis')

    const kpiBefore = await page.getByTestId('kpi-cards').textContent()
    const chip = page.getByTestId('filter-chip').first()
    await chip.click()
    await expect.poll(() => page.getByTestId('kpi-cards').textContent()).not.toBe(kpiBefore)
    await expect.poll(() => chip.getAttribute('class')).toContain('on')
    await shot('defect-analysis-filtered')
    await chip.click()
    await expect.poll(() => page.getByTestId('kpi-cards').textContent()).toBe(kpiBefore)

    await firstRow.click()
    await page.waitForSelector('[data-testid="suspect-panel"] [data-testid="trend-chart"] canvas')
    await page.getByTestId('suspect-panel').scrollIntoViewIfNeeded()
    await shot('defect-analysis-suspect')

    const href = await page.getByTestId('lots-csv').getAttribute('href')
    const csv = await (await fetch(new URL(href!, server.url))).text()
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toContain('CONTAINERID,CONTAINERNAME,INPUT_QTY,DEFECT_QTY')
    expect(lines.length - 1).toBe(api.kpi.lot_count)
    expect(cspViolations).toEqual([])
  }, 300_000)
})
