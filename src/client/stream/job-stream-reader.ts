/**
 * Reads a job's NDJSON stream into items for the page, whichever way the browser allows:
 * - several Web Workers (parser-pool-reader.ts): the page fetches and splits the stream into lines, the workers
 *   parse them in parallel; the default where the machine has two cores or more;
 * - one Web Worker that fetches and parses the stream itself, so not even the bytes pass through the page;
 * - this thread, with the same fetch, framing, parsing and encoding (no Workers, or their script failed).
 * Every way hands the page records encoded by column (see columnar-records.ts).
 */
import { apiUrl, openStream } from '../api/index.ts'
import { StringLists, type ReceivedItem, RecordsEncoder } from '../rows/index.ts'
import { readNdjson, type ReadEnd } from './ndjson-reader.ts'
import { readThroughPool } from './parser-pool-reader.ts'
import { revivedError } from './stream-parser.ts'
import type { ParserHandle, StreamRequest } from './stream-read-types.ts'

/** Starts a parser, or null to parse on this thread. */
export type ParserStarter = () => ParserHandle | null

/** A module Web Worker running stream-parser.worker.ts, where the browser has Workers. */
export const startWorkerParser: ParserStarter = () =>
  typeof Worker === 'undefined'
    ? null
    : (new Worker(new URL('./stream-parser.worker.ts', import.meta.url), { type: 'module' }) as unknown as ParserHandle)

/**
 * Parsers to run at once: one per core up to four, leaving a core to the page where there are more than two. On
 * two cores two parsers still win (bench:browser): the page's share of a row is about half a parser's.
 */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? (navigator.hardwareConcurrency ?? 1) : 1
  return Math.max(1, Math.min(4, cores > 2 ? cores - 1 : cores))
}

// Starters whose worker failed before saying anything (its script blocked or missing): later reads with them
// stay on this thread instead of failing again.
const brokenStarters = new WeakSet<ParserStarter>()

/**
 * Calls `onItem` with each line of the stream, in order; `onItem` returns false to stop reading (or throws,
 * which stops it and rejects). Rejects as openStream and readNdjson do: ApiRequestError for an HTTP error or
 * timeout, MalformedLineError for a bad line, else the body's error (a dropped connection).
 */
export function readJobStream(
  request: StreamRequest,
  onItem: (item: ReceivedItem) => boolean,
  startParser: ParserStarter = startWorkerParser,
  poolSize = defaultPoolSize(),
): Promise<ReadEnd> {
  // A fetch of the caller's own (tests, instrumentation) cannot cross into a worker.
  const first = request.api?.fetch || brokenStarters.has(startParser) ? null : startParser()
  if (!first) return readOnThisThread(request, onItem)
  const markBroken = (): void => void brokenStarters.add(startParser)
  const pool = [first]
  while (pool.length < poolSize) {
    const parser = startParser()
    if (!parser) break
    pool.push(parser)
  }
  if (pool.length === 1) return readThroughParser(first, request, onItem, markBroken)
  // A pool's read fails like a dropped connection; the resume then reads on this thread.
  for (const parser of pool) watchStart(parser, markBroken)
  return readThroughPool(request, onItem, pool)
}

/** Calls `markBroken` when the parser fails before its first message. */
function watchStart(parser: ParserHandle, markBroken: () => void): void {
  parser.addEventListener?.('message', () => parser.removeEventListener?.('error', markBroken), { once: true })
  parser.addEventListener?.('error', markBroken, { once: true })
}

async function readOnThisThread(request: StreamRequest, onItem: (item: ReceivedItem) => boolean): Promise<ReadEnd> {
  const res = await openStream(request.path, { ...request.api, signal: request.signal })
  const encoder = new RecordsEncoder()
  const lists = new StringLists()
  return readNdjson(res.body!, (line, lineNumber) => onItem(lists.receive(encoder.item(line, lineNumber))))
}

function readThroughParser(
  parser: ParserHandle,
  request: StreamRequest,
  onItem: (item: ReceivedItem) => boolean,
  markBroken: () => void,
): Promise<ReadEnd> {
  const lists = new StringLists()
  const { signal } = request
  return new Promise<ReadEnd>((resolve, reject) => {
    let settled = false
    let heard = false
    const settle = (then: () => void): void => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      parser.onmessage = null
      parser.postMessage({ type: 'stop' }, [])
      parser.terminate()
      then()
    }
    const onAbort = (): void => settle(() => reject(signal.reason))
    if (signal.aborted) return settle(() => reject(signal.reason))
    signal.addEventListener('abort', onAbort, { once: true })
    parser.onmessage = (event) => {
      heard = true
      const message = event.data
      if (message.type === 'end') return settle(() => resolve('ended'))
      if (message.type === 'error') return settle(() => reject(revivedError(message.error)))
      let go: boolean
      try {
        go = onItem(lists.receive(message.item))
      } catch (err) {
        return settle(() => reject(err))
      }
      if (!go) return settle(() => resolve('stopped'))
      parser.postMessage({ type: 'ack' }, [])
    }
    parser.onerror = (event) => {
      event.preventDefault()
      // A worker that never started (its script blocked or not found) must not cost the engineer the results.
      if (!heard) {
        markBroken()
        return settle(() => resolve(readOnThisThread(request, onItem)))
      }
      settle(() => reject(new Error(`the stream parser failed: ${event.message || 'worker error'}`)))
    }
    parser.postMessage(
      { type: 'read', url: apiUrl(request.path, request.api?.baseUrl), timeoutMs: request.api?.timeoutMs },
      [],
    )
  })
}
