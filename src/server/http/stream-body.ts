/**
 * The one wrapper of Hono's `stream()` for bodies written after the 200: a signal that ends the work when the
 * client goes away, and one failure path. The status is already out when a body fails, so the body is either
 * closed with a last line that says why (`failureLine`, for NDJSON) or cut, so the client's parse fails.
 */
import type { Context } from 'hono'
import { stream } from 'hono/streaming'
import { log } from '../logger.ts'
import { bodyWriter, type BodyPiece } from './gzip-body.ts'

/** What a body writes through. */
export interface BodyOut {
  /** Writes a piece (text, bytes or a stored gzip chunk); resolves once the client side took it. */
  write(chunk: BodyPiece): Promise<void>
  /** Aborted when the client goes away or the body is cut: stop reading and writing. */
  readonly signal: AbortSignal
  /** Ends the body early for `reason` (a deadline, a broken output): not logged as a failure. */
  cut(reason: unknown): void
}

export interface StreamBodyOptions {
  /** What the log calls the body, e.g. `csv export`. */
  readonly what: string
  /** Fields logged with its end or failure (job_id, domain). Default none. */
  readonly context?: Record<string, unknown>
  /** The last chunk written for a failure, after which the body ends normally. Default: the body is cut. */
  readonly failureLine?: (err: unknown) => string
  /** Whether the body goes out gzip-encoded (see negotiateGzip, which also sets the headers). Default false. */
  readonly gzip?: boolean
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Streams `write`'s output as the response body; every failure is logged once and ends the body. */
export function streamBody(c: Context, options: StreamBodyOptions, write: (out: BodyOut) => Promise<void>): Response {
  const { what, context = {} } = options
  return stream(c, async (s) => {
    const ended = new AbortController()
    s.onAbort(() => ended.abort(new Error('the client went away')))
    const body = bodyWriter(s, options.gzip ?? false)
    const out: BodyOut = {
      write: (chunk) => body.write(chunk),
      signal: AbortSignal.any([ended.signal, c.req.raw.signal]),
      cut: (reason) => ended.abort(reason),
    }
    try {
      await write(out)
      await body.end()
    } catch (err) {
      const early = out.signal.aborted
      if (early) log.info(`${what} ended early`, { ...context, reason: messageOf(out.signal.reason) })
      else log.error(`${what} failed`, { ...context, error: messageOf(err) })
      if (options.failureLine && !early) {
        await body.write(options.failureLine(err))
        await body.end()
      } else s.abort()
    }
  })
}
