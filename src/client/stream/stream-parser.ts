/**
 * The parsing side of a job stream read: fetches the stream, frames and parses the NDJSON body
 * (ndjson-readablestream, through readNdjson) and encodes records by column, posting one item per line. It runs
 * in a Web Worker (stream-parser.worker.ts) so that the body's bytes, JSON.parse and string de-duplication,
 * most of a row's cost, never touch the page's thread. At most MAX_AHEAD items wait for the page at a time: a
 * page busy elsewhere holds the read, and with it the connection, instead of piling up batches.
 *
 * In a pool (parser-pool-reader.ts) the page fetches and splits the stream itself and feeds each parser every
 * K-th line instead (`feed`, `line`..., `close`); item line numbers then count the lines this parser was fed.
 */
// Module files, not the faces: this runs in a Web Worker, where a face would load the page's modules (Vue, i18n).
import { openStream } from '../api/api-client.ts'
import { ApiRequestError, MalformedLineError, type TraceErrorCode } from '../api/trace-errors.ts'
import { transferablesOf, type StreamItem } from '../rows/columnar-records.ts'
import { RecordsEncoder } from '../rows/records-encoder.ts'
import { readNdjson } from './ndjson-reader.ts'

/** Items posted and not yet acknowledged before the parser waits. */
export const MAX_AHEAD = 16

/** What the page posts: the stream to read (or lines to parse), one ack per item, and `stop` when it is done. */
export type ParserRequest =
  | { readonly type: 'read'; readonly url: string; readonly timeoutMs?: number }
  | { readonly type: 'feed' }
  /** One line of a fed stream, newline included. */
  | { readonly type: 'line'; readonly bytes: Uint8Array }
  | { readonly type: 'close' }
  | { readonly type: 'ack' }
  | { readonly type: 'stop' }

/** What the parser posts: items in stream order, then `end` or `error`. */
export type ParserMessage =
  | { readonly type: 'item'; readonly item: StreamItem }
  | { readonly type: 'end' }
  | { readonly type: 'error'; readonly error: PostedError }

/** An error as it crosses threads (an Error's class does not survive structured cloning). */
export interface PostedError {
  readonly name: string
  readonly message: string
  readonly malformed?: { readonly lineNumber: number; readonly excerpt: string; readonly reason: string }
  readonly api?: {
    readonly status: number
    readonly code: TraceErrorCode
    readonly details: Readonly<Record<string, unknown>>
  }
}

export function postedError(err: unknown): PostedError {
  if (err instanceof MalformedLineError) {
    return {
      name: err.name,
      message: err.message,
      malformed: { lineNumber: err.lineNumber, excerpt: err.excerpt, reason: err.reason },
    }
  }
  if (err instanceof ApiRequestError)
    return { name: err.name, message: err.message, api: { status: err.status, code: err.code, details: err.details } }
  if (err instanceof Error) return { name: err.name, message: err.message }
  return { name: 'Error', message: String(err) }
}

/** The error again, of its class where the page tells classes apart (malformed line, HTTP error, dropped connection). */
export function revivedError(posted: PostedError): Error {
  const m = posted.malformed
  if (m) return new MalformedLineError(m.lineNumber, m.excerpt, m.reason)
  const a = posted.api
  if (a) return new ApiRequestError(a.status, a.code, posted.message, a.details)
  const err = new Error(posted.message)
  err.name = posted.name
  return err
}

/** The worker's global scope, or one end of a MessageChannel in tests. */
export interface ParserScope {
  onmessage: ((event: MessageEvent<ParserRequest>) => void) | null
  postMessage(message: ParserMessage, transfer: Transferable[]): void
}

/** Answers one `read` or `feed` request on `scope` (the page starts a parser per read). */
export function serveStreamParser(scope: ParserScope): void {
  let posted = 0
  let acked = 0
  let wake: (() => void) | null = null
  const stopped = new AbortController()
  let fed: ReadableStreamDefaultController<Uint8Array> | null = null

  const read = async (body: () => Promise<ReadableStream<Uint8Array>>): Promise<void> => {
    const encoder = new RecordsEncoder()
    try {
      await readNdjson(await body(), (line, lineNumber) => {
        if (stopped.signal.aborted) return false
        const item = encoder.item(line, lineNumber)
        const message: ParserMessage = { type: 'item', item }
        scope.postMessage(message, transferablesOf(item))
        posted++
        if (posted - acked < MAX_AHEAD) return true
        return new Promise<boolean>((resolve) => {
          wake = () => resolve(!stopped.signal.aborted)
        })
      })
      if (!stopped.signal.aborted) scope.postMessage({ type: 'end' }, [])
    } catch (err) {
      if (!stopped.signal.aborted) scope.postMessage({ type: 'error', error: postedError(err) }, [])
    } finally {
      stopped.abort()
    }
  }

  const resume = (): void => {
    const w = wake
    wake = null
    w?.()
  }

  scope.onmessage = (event) => {
    const request = event.data
    switch (request.type) {
      case 'read':
        return void read(
          async () => (await openStream(request.url, { timeoutMs: request.timeoutMs, signal: stopped.signal })).body!,
        )
      case 'feed':
        return void read(async () => new ReadableStream<Uint8Array>({ start: (controller) => void (fed = controller) }))
      case 'line':
        return fed?.enqueue(request.bytes)
      case 'close':
        return fed?.close()
      case 'ack':
        acked++
        return resume()
      case 'stop':
        // Aborts the fetch and lets a read held for acks see it.
        stopped.abort()
        return resume()
    }
  }
}
