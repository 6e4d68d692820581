/**
 * Reads a job stream with several parser workers at once. One thread cannot parse faster than about 1 M rows/s
 * (JSON.parse and string de-duplication, ~1 µs a row), so the page fetches the stream itself, splits it into
 * lines with the NdjsonFramer (cheap: a newline search and one copy), and feeds line n to parser (n - 1) mod K.
 * Items come back out of order across parsers and are handed to `onItem` in stream order. Hand-written because
 * the order, the line numbers and the failure semantics are the stream's own: a malformed line or a dropped
 * connection is reported after every line before it has been applied, exactly as a single reader does.
 */
import { openStream, MalformedLineError } from '../api/index.ts'
import { StringLists, type ReceivedItem } from '../rows/index.ts'
import type { ParserHandle, StreamRequest } from './stream-read-types.ts'
import { NdjsonFramer } from './ndjson-framer.ts'
import type { ReadEnd } from './ndjson-reader.ts'
import { revivedError } from './stream-parser.ts'

/** Lines fed and not yet handed to the page, per parser, before the page stops reading the body. */
const LINES_AHEAD_PER_PARSER = 16

/** Line n of the stream goes to parser (n - 1) mod K; its k-th line is stream line (k - 1) K + w + 1. */
function streamLine(localLine: number, parser: number, parsers: number): number {
  return (localLine - 1) * parsers + parser + 1
}

export async function readThroughPool(
  request: StreamRequest,
  onItem: (item: ReceivedItem) => boolean,
  parsers: readonly ParserHandle[],
): Promise<ReadEnd> {
  const k = parsers.length
  let res: Response
  try {
    res = await openStream(request.path, { ...request.api, signal: request.signal })
  } catch (err) {
    for (const p of parsers) p.terminate()
    throw err
  }
  const framer = new NdjsonFramer()
  const lines = framer.frame(res.body!).getReader()
  const lists = parsers.map(() => new StringLists())
  // Items (or a parser's error) by stream line, waiting for the lines before them.
  const ready = new Map<number, ReceivedItem | Error>()
  let next = 1
  let fed = 0
  let bodyEnded = false
  let bodyFailure: unknown
  let wakeFeeder: (() => void) | null = null

  return new Promise<ReadEnd>((resolve, reject) => {
    let settled = false
    const settle = (then: () => void): void => {
      if (settled) return
      settled = true
      request.signal.removeEventListener('abort', onAbort)
      for (const p of parsers) {
        p.onmessage = null
        p.terminate()
      }
      lines.cancel().catch(() => {})
      then()
    }
    const onAbort = (): void => settle(() => reject(request.signal.reason))
    if (request.signal.aborted) return onAbort()
    request.signal.addEventListener('abort', onAbort, { once: true })

    const drain = (): void => {
      for (let entry = ready.get(next); entry !== undefined; entry = ready.get(next)) {
        ready.delete(next)
        next++
        if (entry instanceof Error) return settle(() => reject(entry))
        let go: boolean
        try {
          go = onItem(entry)
        } catch (err) {
          return settle(() => reject(err))
        }
        if (!go) return settle(() => resolve('stopped'))
      }
      if (bodyEnded && next > fed) {
        settle(() => (bodyFailure === undefined ? resolve('ended') : reject(bodyFailure)))
        return
      }
      const w = wakeFeeder
      wakeFeeder = null
      w?.()
    }

    parsers.forEach((parser, w) => {
      parser.onmessage = (event) => {
        const message = event.data
        if (message.type === 'item') {
          parser.postMessage({ type: 'ack' }, [])
          const line = streamLine(message.item.lineNumber, w, k)
          ready.set(line, { ...lists[w].receive(message.item), lineNumber: line })
        } else if (message.type === 'error') {
          const err = revivedError(message.error)
          if (!(err instanceof MalformedLineError)) return settle(() => reject(err))
          const line = streamLine(err.lineNumber, w, k)
          ready.set(line, new MalformedLineError(line, err.excerpt, err.reason))
        } else return
        drain()
      }
      parser.onerror = (event) => {
        event.preventDefault()
        settle(() => reject(new Error(`a stream parser failed: ${event.message || 'worker error'}`)))
      }
      parser.postMessage({ type: 'feed' }, [])
    })

    const feed = async (): Promise<void> => {
      try {
        for (;;) {
          while (!settled && fed - (next - 1) >= LINES_AHEAD_PER_PARSER * k)
            await new Promise<void>((r) => (wakeFeeder = r))
          if (settled) return
          const { done, value } = await lines.read()
          if (done) break
          framer.markConsumed()
          // A copy with its newline: the framed line is a view into a network chunk that holds other lines.
          const bytes = new Uint8Array(value.length + 1)
          bytes.set(value)
          bytes[value.length] = 10
          parsers[fed % k].postMessage({ type: 'line', bytes }, [bytes.buffer])
          fed++
        }
        framer.finish()
      } catch (err) {
        bodyFailure = err
      }
      if (settled) return
      for (const p of parsers) p.postMessage({ type: 'close' }, [])
      bodyEnded = true
      drain()
    }
    void feed()
  })
}
