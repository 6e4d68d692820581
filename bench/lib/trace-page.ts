/** What the browser benches do on the app's page: fill the MSD form, submit, and follow the rows as they show. */
import type { Page } from 'playwright-core'

/** One change of the run's status or of its row count, wall-clock ms. */
export interface Sample {
  readonly t: number
  readonly status: string
  readonly rows: number
}

/**
 * A per-frame sampler of run status and total rows (all tab badges), wall-clock stamped, into `window.__samples`;
 * also usable as an init script (it samples `none` until the page has drawn its progress bar).
 */
export function sampler(): void {
  const w = window as unknown as { __samples: { t: number; status: string; rows: number }[] }
  w.__samples = []
  const sample = (): void => {
    const status = document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-status') ?? 'none'
    let rows = 0
    for (const b of document.querySelectorAll('[data-testid^="tab-count-"]'))
      rows += Number((b.textContent ?? '').replace(/[^\d]/g, ''))
    const last = w.__samples.at(-1)
    if (!last || last.status !== status || last.rows !== rows)
      w.__samples.push({ t: performance.timeOrigin + performance.now(), status, rows })
    if (status === 'running' || status === 'none' || status === 'idle' || w.__samples.length < 2)
      requestAnimationFrame(sample)
  }
  requestAnimationFrame(sample)
}

/** Installs the sampler on the page as it is now. */
export function installSampler(page: Page): Promise<void> {
  return page.evaluate(sampler)
}

/** The samples taken so far. */
export function samples(page: Page): Promise<Sample[]> {
  return page.evaluate(() => (window as unknown as { __samples: Sample[] }).__samples)
}

/** Waits for the run to start and to end; the samples taken meanwhile. */
export async function waitFinished(page: Page): Promise<Sample[]> {
  await page.waitForSelector('[data-testid="run-progress"][data-status="running"]', { timeout: 600_000 })
  await page.waitForSelector('[data-testid="run-progress"]:not([data-status="running"])', { timeout: 3_600_000 })
  return page.evaluate(() => (window as unknown as { __samples: Sample[] }).__samples)
}

export interface MsdForm {
  readonly station: string
  readonly start: string
  readonly end: string
  readonly direction: string
  /** Event domains to tick; every other one is unticked. */
  readonly domains: readonly string[]
}

/** Fills the MSD date-range form as an engineer would and picks the async job run mode. */
export async function fillMsdForm(page: Page, form: MsdForm): Promise<void> {
  await page.getByTestId('mode-msd').click()
  await page.getByTestId('msd-date-range').click()
  await page.getByTestId('msd-station').selectOption(form.station)
  await page.getByTestId('msd-start').fill(form.start)
  await page.getByTestId('msd-end').fill(form.end)
  await page.getByTestId(form.direction === 'forward' ? 'msd-forward' : 'msd-backward').click()
  const wanted = new Set(form.domains)
  for (const box of await page.locator('input[type="checkbox"][data-testid^="domain-"]').all()) {
    const domain = ((await box.getAttribute('data-testid')) ?? '').replace(/^domain-/, '')
    await box.setChecked(wanted.has(domain))
  }
  await page.getByTestId('run-mode').selectOption('job')
}
