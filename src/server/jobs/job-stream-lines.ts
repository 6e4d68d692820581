/**
 * The lines of GET /api/trace/job/<id>/stream, produced while the worker writes them: stored chunks are sent
 * as stored, gzip members wrapped as `StoredGzip` (no JSON work unless rows go out as objects, decompressed
 * and re-encoded one chunk at a time), the framing lines
 * come from the result meta, and the reader polls the store while it waits for the worker. It ends after
 * `complete`, or with one `error` line when the job failed, was cancelled or expired. A job retried under the
 * reader (its worker died, or the server restarted) is followed into the new attempt, which rewrites the same
 * chunks in the same order: the reader goes on where it was once the new attempt has rewritten the last chunk
 * it sent, byte for byte. Aborting `signal` stops it between reads.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Domain } from '../../shared/domains.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import type { StreamLine } from '../../shared/ndjson-lines.ts'
import type { JobStatusResponse } from '../../shared/responses.ts'
import { rowsToObjects, type RowShape } from '../../shared/row-shape.ts'
import { isGzip, plainChunk, StoredGzip } from '../storage/chunk-gzip.ts'
import type { ResultMeta, ResultStore } from '../storage/result-store.ts'
import { decodeRecordsLine } from './records-codec.ts'

export interface JobStreamOptions {
  readonly results: ResultStore
  /** The job's current status (undefined once it expired). */
  readonly status: () => Promise<JobStatusResponse | undefined>
  readonly jobId: string
  /** Resume after this batch (the client already has everything up to and including it). */
  readonly from?: { readonly domain: Domain; readonly batch: number }
  /** `compact` sends the stored chunks as they are; `objects` re-encodes each one (see row-shape.ts). */
  readonly shape: RowShape
  readonly signal: AbortSignal
  /** Wait between polls while the worker has nothing new; default 100 ms. */
  readonly pollMs?: number
}

/** Ends the stream with an `error` line. */
class StreamEnd extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** One encoded line, newline included. */
export function encodeLine(line: StreamLine): string {
  return JSON.stringify(line) + '\n'
}

/** Yields the stream's lines for a job whose status is `first`. */
export async function* jobStreamLines(
  options: JobStreamOptions,
  first: JobStatusResponse,
): AsyncGenerator<string | Uint8Array | StoredGzip, void, undefined> {
  const { results, jobId, signal } = options
  const pollMs = options.pollMs ?? 100
  const order = first.domains
  let attempt: number | undefined
  let sawFinished = false
  /** The last chunk sent, kept to check that a retried attempt rewrote it identically. */
  let sent: { readonly domain: Domain; readonly idx: number; readonly chunk: Buffer } | undefined

  /**
   * Whether the attempt writing `meta` rewrote the last chunk sent as it was: `pending` until it got that far.
   * `changed` when the warehouse answered differently this time (rows added or reordered between attempts).
   */
  const rewritten = async (meta: ResultMeta): Promise<'same' | 'changed' | 'pending'> => {
    if (!sent) return 'same'
    const chunk = await results.readChunk(jobId, sent.domain, sent.idx)
    if (chunk) return chunk.equals(sent.chunk) ? 'same' : 'changed'
    const dm = meta.domains[sent.domain]
    return dm?.done && dm.chunks <= sent.idx ? 'changed' : 'pending'
  }

  /** The meta; when the job was retried since the last read, once the new attempt has caught up with the reader. */
  const readMeta = async (): Promise<ResultMeta | undefined> => {
    let meta = await results.readMeta(jobId)
    while (meta && attempt !== undefined && meta.attempt !== attempt) {
      const check = await rewritten(meta)
      if (check === 'changed') {
        throw new StreamEnd(
          'STREAM_FAILED',
          'the job was retried and the database answered differently than for the rows already sent; run the trace again',
        )
      }
      if (check === 'same') break
      await waitOrEnd()
      meta = await results.readMeta(jobId)
    }
    attempt = meta?.attempt ?? attempt
    return meta
  }

  /**
   * Throws the reason the result will never come, or returns when the caller should read again: at once
   * the first time the job is seen finished, else after one poll interval.
   */
  const waitOrEnd = async (): Promise<void> => {
    const status = await options.status()
    if (!status) throw new StreamEnd('JOB_RESULT_EXPIRED', 'the job and its results expired')
    if (status.status === 'failed')
      throw new StreamEnd(status.error?.code ?? 'JOB_FAILED', status.error?.message ?? 'the job failed')
    if (status.status === 'cancelled')
      throw new StreamEnd('JOB_CANCELLED', status.error?.message ?? 'the job was cancelled')
    if (status.status === 'finished') {
      // The worker may have written the missing part and finished between the read and this check, so the
      // first sighting only earns a re-read. The worker writes its whole result before the finished record,
      // so whatever is still missing after that re-read was deleted (expired) after the job ended.
      if (sawFinished)
        throw new StreamEnd('JOB_RESULT_EXPIRED', 'the results of this job expired while they were streamed')
      sawFinished = true
      return
    }
    await sleep(pollMs, undefined, { signal })
  }

  yield encodeLine({ type: 'meta', job_id: jobId, profile: first.profile, domains: [...order] })
  try {
    const startAt = options.from ? order.indexOf(options.from.domain) : 0
    for (let di = Math.max(0, startAt); di < order.length; di++) {
      const domain = order[di]
      const resuming = options.from !== undefined && di === startAt
      let meta = await readMeta()
      while (!meta?.domains[domain]) {
        await waitOrEnd()
        meta = await readMeta()
      }
      const columns = meta.domains[domain].columns
      if (!resuming) yield encodeLine({ type: 'domain_start', domain, columns: [...columns] })
      let idx = resuming ? (options.from?.batch ?? -1) + 1 : 0
      let missesAfterDone = 0
      for (;;) {
        signal.throwIfAborted()
        const chunk = await results.readChunk(jobId, domain, idx)
        if (chunk) {
          // An attempt deletes the chunks before it writes its meta, and its meta before its chunks: the meta
          // read after a chunk names the attempt that wrote it. Read from a new attempt, it is read again.
          const before = attempt
          await readMeta()
          if (attempt !== before) continue
          sent = { domain, idx, chunk }
          if (options.shape === 'objects') yield toObjectsLine(await plainChunk(chunk), columns)
          else yield isGzip(chunk) ? new StoredGzip(chunk) : chunk
          idx += 1
          missesAfterDone = 0
          continue
        }
        const dm = (await readMeta())?.domains[domain]
        if (dm?.done && idx >= dm.chunks) {
          yield encodeLine({ type: 'domain_end', domain, count: dm.count })
          break
        }
        // Done but a listed chunk is absent: it was written before the meta, so one re-read settles a race.
        if (dm?.done && missesAfterDone++ === 0) continue
        await waitOrEnd()
      }
    }
    let meta = await readMeta()
    while (!meta?.complete) {
      await waitOrEnd()
      meta = await readMeta()
    }
    if (meta.aggregation) {
      const aggregation = await results.readAggregation(jobId)
      if (!aggregation) throw new StreamEnd('JOB_RESULT_EXPIRED', 'the aggregation of this job expired')
      yield aggregation
    }
    if (meta.failed_domains.length > 0) {
      yield encodeLine({ type: 'warning', code: 'EVENTS_PARTIAL_FAILURE', failed_domains: [...meta.failed_domains] })
    }
    // The result is whole only once the job says so: the worker checks every chunk is stored after writing the
    // last meta, and a store that lost chunks fails the job (RESULT_LOST) instead.
    for (let status = await options.status(); status?.status !== 'finished'; status = await options.status()) {
      await waitOrEnd()
    }
    const counts: Partial<Record<Domain, number>> = {}
    let total = 0
    for (const d of meta.order) {
      const n = meta.domains[d]?.count ?? 0
      counts[d] = n
      total += n
    }
    yield encodeLine({ type: 'complete', total_records: total, counts })
  } catch (err) {
    if (err instanceof StreamEnd) yield encodeLine({ type: 'error', code: err.code, message: err.message })
    else throw err
  }
}

/** Re-encodes the plain bytes of a stored `records` line with `data` objects instead of `rows` (the old clients' shape). */
export function toObjectsLine(chunk: Buffer, columns: readonly string[]): string {
  const line = decodeRecordsLine(chunk)
  const data = rowsToObjects(columns, line.rows)
  return encodeLine({ type: 'records', domain: line.domain, batch: line.batch, count: line.count, data })
}
