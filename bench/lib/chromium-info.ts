/**
 * What a browser bench's figures depend on besides the page: the Chromium build and the flags it runs with,
 * how it draws (chrome://gpu's feature status: software raster or not, GPU compositing), the processes it runs
 * (site isolation gives pages and workers processes of their own), the cores it sees, and the fonts the page's
 * CJK text falls back to. Read once a bench has its browser up.
 */
import { execFileSync } from 'node:child_process'
import type { BrowserContext } from 'playwright-core'
import { browserArgs, chromiumProcessTypes } from './renderer-procs.ts'

/** The browser side of a run's conditions. */
export interface ChromiumInfo {
  /** The build, from chrome://gpu (`156.0.8078.114`). */
  readonly version: string
  readonly user_agent: string
  /** The browser process's arguments, as given by the bench and added by playwright. */
  readonly args: readonly string[]
  /** chrome://gpu's "Graphics Feature Status" (feature: status), e.g. `Rasterization: Software only...`. */
  readonly graphics_features: Record<string, string>
  /** Chromium processes by type once the page is up. */
  readonly processes: Record<string, number>
  /** The page's `navigator.hardwareConcurrency`: the parser pool has that many workers, at most four. */
  readonly hardware_concurrency: number
  /** `fc-match` for the page's Traditional Chinese text, and how many installed font files cover Chinese. */
  readonly cjk_font: string
  readonly cjk_font_files: number
}

/** Reads the conditions from a fresh page of `context` (closed again; the bench's page is left alone). */
export async function chromiumInfo(context: BrowserContext): Promise<ChromiumInfo> {
  const page = await context.newPage()
  try {
    const { userAgent, cores } = await page.evaluate(() => ({
      userAgent: navigator.userAgent,
      cores: navigator.hardwareConcurrency,
    }))
    await page.goto('chrome://gpu')
    await page.waitForTimeout(500)
    // The page is built of custom elements: its text is inside shadow roots, which innerText does not enter.
    // A string, not a function: tsx would wrap the inner function in a __name() call the page does not have.
    const text = await page.evaluate<string>(`(() => {
      const parts = []
      const walk = (node) => {
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '')
        if (node.shadowRoot) walk(node.shadowRoot)
        for (const child of node.childNodes) walk(child)
        if (['LI', 'TR', 'DIV'].includes(node.tagName)) parts.push('\\n')
      }
      walk(document.body)
      return parts.join('')
    })()`)
    return {
      // The user agent gives the major version only (156.0.0.0); chrome://gpu gives the build.
      version: /Chrome version\s*:\s*Chrome\/([\d.]+)/.exec(text)?.[1] ?? 'unknown',
      user_agent: userAgent,
      args: browserArgs(),
      graphics_features: graphicsFeatures(text),
      processes: chromiumProcessTypes(),
      hardware_concurrency: cores,
      cjk_font: command('fc-match', ['sans-serif:lang=zh-tw']),
      cjk_font_files: command('fc-list', [':lang=zh', 'file']).split('\n').filter(Boolean).length,
    }
  } finally {
    await page.close()
  }
}

/** The `*   Feature: status` lines under "Graphics Feature Status". */
function graphicsFeatures(text: string): Record<string, string> {
  const at = text.indexOf('Graphics Feature Status')
  const out: Record<string, string> = {}
  if (at < 0) return out
  for (const line of text.slice(at).split('\n').slice(1)) {
    const m = /^\W*([\w ./-]+?):\s+(.+?)\s*$/.exec(line)
    if (m) out[m[1]] = m[2]
    else if (Object.keys(out).length > 0 && line.trim() === '') break
  }
  return out
}

function command(file: string, args: readonly string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'unavailable'
  }
}
