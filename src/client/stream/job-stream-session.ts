/**
 * Reads a job's NDJSON stream to its end into a StreamIngest, resuming with `?from=<domain>:<batch>` after a
 * dropped connection. A server restart (the job is taken up again and retried) refuses connections for a while:
 * the read keeps trying for a window of time, not only a number of reconnects, so the engineer sees no error.
 * Resolves once the stream said its last word (`complete`, `error` or `full_result`); rejects with the reason
 * otherwise: never ends silently.
 */
import { ApiRequestError, MalformedLineError, resumeUrl, type ApiOptions } from '../api/index.ts'
import type { ReceivedItem, IngestOutcome, StreamIngest } from '../rows/index.ts'
import { readJobStream } from './job-stream-reader.ts'

export interface JobStreamOptions {
  /** The job's stream URL (see job-urls.ts); resumes add `from` to it. */
  readonly streamUrl: string
  readonly ingest: StreamIngest
  /** Aborts reading (cancel, reset); the rejection is then the abort error. */
  readonly signal: AbortSignal
  readonly api?: Omit<ApiOptions, 'signal'>
  /** Reconnects in a row without a line received before giving up with STREAM_DROPPED (see resumeWindowMs). Default 5. */
  readonly maxResumes?: number
  /** Wait before reconnect attempt n is n times this, at most five times this. Default 1000 ms. */
  readonly resumeDelayMs?: number
  /**
   * Reconnects go on past `maxResumes` until no line arrived for this long: long enough for the server to
   * restart. Default 60000 ms.
   */
  readonly resumeWindowMs?: number
  /** Receives each line's outcomes, in order. */
  readonly onOutcomes: (outcomes: readonly IngestOutcome[]) => void
  /** Told about each reconnect (from = the resume point, null = from the start). */
  readonly onResume?: (from: string | null, attempt: number) => void
}

/** The start of an item's line, for an error message. */
function excerptOf(item: ReceivedItem): string {
  if (item.kind === 'line') return JSON.stringify(item.line).slice(0, 120)
  const { domain, batch, count } = item.records
  return `{"type":"records","domain":"${domain}","batch":${batch},"count":${count},…}`
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** A failure worth reconnecting for: the connection, not the job. */
function isDrop(err: unknown): boolean {
  if (err instanceof MalformedLineError) return false
  if (err instanceof ApiRequestError) return err.status === 0 || err.status >= 500
  return true
}

/** Reads the whole stream; see the module comment. */
export async function streamJob(options: JobStreamOptions): Promise<void> {
  const { ingest, signal } = options
  const maxResumes = options.maxResumes ?? 5
  const resumeDelayMs = options.resumeDelayMs ?? 1000
  const resumeWindowMs = options.resumeWindowMs ?? 60_000
  let failures = 0
  let lastLineAt = Date.now()
  let lastDrop = 'the stream ended before its complete line'
  for (;;) {
    let progressed = false
    const from = ingest.resumeFrom()
    const attempt = new AbortController()
    const onAbort = (): void => attempt.abort(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      await readJobStream(
        { path: resumeUrl(options.streamUrl, from), api: options.api, signal: attempt.signal },
        (item) => {
          progressed = true
          lastLineAt = Date.now()
          const outcomes = item.kind === 'records' ? ingest.applyRecords(item.records) : ingest.apply(item.line)
          const bad = outcomes.find((o) => o.kind === 'invalid')
          if (bad) throw new MalformedLineError(item.lineNumber, excerptOf(item), bad.message)
          options.onOutcomes(outcomes)
          return !ingest.finished
        },
      )
      if (ingest.finished) return
    } catch (err) {
      if (signal.aborted) throw signal.reason
      if (!isDrop(err)) throw err
      lastDrop = err instanceof Error ? err.message : String(err)
    } finally {
      signal.removeEventListener('abort', onAbort)
      // Releases the connection on every path (a `complete` line stops reading before the body ends).
      attempt.abort()
    }
    failures = progressed ? 1 : failures + 1
    if (failures > maxResumes && Date.now() - lastLineAt >= resumeWindowMs) {
      throw new ApiRequestError(
        0,
        'STREAM_DROPPED',
        `the result stream dropped ${failures} times in a row over ${Math.round((Date.now() - lastLineAt) / 1000)} s (${lastDrop})`,
      )
    }
    const resumeAt = ingest.resumeFrom()
    options.onResume?.(resumeAt, failures)
    await sleep(resumeDelayMs * Math.min(failures, 5), signal)
  }
}
