/**
 * A bench client for a job's NDJSON stream: reads it to its end like a browser would, counting rows from each
 * records line's `count` (rows are not parsed: the client's own parsing is not what is measured). Asks for
 * the compact rows the app asks for.
 */
import { COMPACT_ACCEPT_NDJSON } from '../../src/shared/row-shape.ts'

/** What one client saw. */
export interface StreamRead {
  /** Rows announced by the records lines. */
  readonly rows: number
  /** Records lines received. */
  readonly recordsLines: number
  /** Body bytes received. */
  readonly bytes: number
  /** Epoch ms when the first records line was complete; undefined when none came. */
  readonly firstRecordsAt: number | undefined
  /** Epoch ms when the body ended. */
  readonly endedAt: number
  /** Whether a `complete` line came. */
  readonly complete: boolean
}

/** Reads the stream at `url` to its end; throws on a non-200 answer or an `error` line. */
export async function readNdjsonStream(url: string, signal?: AbortSignal): Promise<StreamRead> {
  const res = await fetch(url, { signal, headers: { accept: COMPACT_ACCEPT_NDJSON } })
  if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}: ${await res.text()}`)
  const decoder = new TextDecoder()
  let pending = ''
  let rows = 0
  let recordsLines = 0
  let bytes = 0
  let firstRecordsAt: number | undefined
  let complete = false
  const reader = res.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.byteLength
      pending += decoder.decode(value, { stream: true })
      let start = 0
      let nl: number
      while ((nl = pending.indexOf('\n', start)) >= 0) {
        // Only the line's head is looked at: a records line's `count` precedes its rows.
        const lineStart = start
        const head = pending.slice(lineStart, Math.min(nl, lineStart + 120))
        start = nl + 1
        if (head.startsWith('{"type":"records"')) {
          firstRecordsAt ??= Date.now()
          recordsLines += 1
          rows += Number(/"count":(\d+)/.exec(head)?.[1] ?? 0)
        } else if (head.startsWith('{"type":"complete"')) complete = true
        else if (head.startsWith('{"type":"error"'))
          throw new Error(`stream error line: ${pending.slice(lineStart, nl)}`)
      }
      pending = pending.slice(start)
    }
  } finally {
    reader.releaseLock()
  }
  return { rows, recordsLines, bytes, firstRecordsAt, endedAt: Date.now(), complete }
}
