/**
 * The job's NDJSON stream read the plain way a page that is not mes-trace reads it: fetch, decode, split lines,
 * JSON.parse each on the main thread. Yields each `records` line's rows with its domain's columns.
 */
import { COMPACT_ACCEPT_NDJSON } from '../../src/shared/row-shape.ts'

export interface Batch {
  readonly domain: string
  readonly columns: readonly string[]
  readonly rows: unknown[][]
}

interface Line {
  readonly type?: string
  readonly domain?: string
  readonly columns?: unknown[]
  readonly rows?: unknown[][]
}

export async function* streamBatches(url: string): AsyncGenerator<Batch> {
  const res = await fetch(url, { headers: { accept: COMPACT_ACCEPT_NDJSON } })
  if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`)
  const columns = new Map<string, string[]>()
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  let carry = ''
  const handle = (text: string): Batch | undefined => {
    if (text.length === 0) return undefined
    const line = JSON.parse(text) as Line
    if (line.type === 'domain_start' && line.domain && line.columns) columns.set(line.domain, line.columns.map(String))
    if (line.type !== 'records' || !line.domain || !line.rows) return undefined
    return { domain: line.domain, columns: columns.get(line.domain) ?? [], rows: line.rows }
  }
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    const text = carry + r.value
    let start = 0
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      const batch = handle(text.slice(start, i))
      if (batch) yield batch
      start = i + 1
    }
    carry = text.slice(start)
  }
  const last = handle(carry)
  if (last) yield last
}

/** What a peer page reports to the bench (window.__peer), wall-clock ms. */
export interface PeerReport {
  firstRowAt: number | null
  doneAt: number | null
  rows: number
  error: string | null
}

export function report(): PeerReport {
  const w = window as unknown as { __peer?: PeerReport }
  w.__peer ??= { firstRowAt: null, doneAt: null, rows: 0, error: null }
  return w.__peer
}

export const now = (): number => performance.timeOrigin + performance.now()

/** Resolves on the first frame where `visible()` holds. */
export async function whenVisible(visible: () => boolean): Promise<number> {
  for (;;) {
    await new Promise((r) => requestAnimationFrame(r))
    if (visible()) return now()
  }
}

/** Finds an element by selector through open shadow roots too. */
export function deepQuery(selector: string, root: Document | ShadowRoot | Element = document): Element | null {
  const direct = root.querySelector(selector)
  if (direct) return direct
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const found = deepQuery(selector, el.shadowRoot)
      if (found) return found
    }
  }
  return null
}
