/**
 * Streams one event domain for a CID list: TRACE_IN_BATCH_SIZE CIDs per statement (one table scan for the
 * jobs domain), DB_SLOW_FETCHMANY_SIZE rows per fetch, each fetched batch mapped and yielded at once, so
 * memory holds one batch, never a domain.
 */
import type { Domain } from '../../../shared/domains.ts'
import type { Batch, MesSource } from '../../source/mes-source.ts'
import type { SqlQuery } from '../../source/sql.ts'
import { log } from '../../logger.ts'
import { errorMessage, SEE_SERVER_LOG } from '../stage-errors.ts'
import type { StageOptions } from '../stage-options.ts'
import { DOMAIN_QUERIES } from './domain-queries.ts'
import { DomainEventsError } from '../../errors/domain-error.ts'

export interface StreamDomainOptions extends StageOptions {
  /** Called after each CID batch (after the scan, for jobs) with the number of CIDs done so far. */
  onProgress?(cidsDone: number): void
}

function failure(domain: Domain, err: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason
  if (err instanceof DomainEventsError) return err
  log.warn('events query failed', { domain, error: errorMessage(err) })
  return new DomainEventsError(domain, `${domain} query failed: ${SEE_SERVER_LOG}`)
}

/** One statement's rows, mapped batch by batch; empty batches are skipped. */
async function* statementRows(
  source: MesSource,
  domain: Domain,
  query: SqlQuery,
  opts: StageOptions,
  map: (rows: unknown[][]) => unknown[][],
): AsyncGenerator<unknown[][], void, undefined> {
  const it = source.stream(query, { fetchSize: opts.config.DB_SLOW_FETCHMANY_SIZE, signal: opts.signal })
  try {
    for (;;) {
      let step: IteratorResult<Batch, void>
      // Only the source's own failures are the domain's; a consumer's error thrown at `yield` passes as is.
      try {
        step = await it.next()
      } catch (err) {
        throw failure(domain, err, opts.signal)
      }
      if (step.done) return
      const rows = map(step.value.rows)
      if (rows.length > 0) yield rows
    }
  } finally {
    await it.return(undefined)
  }
}

/**
 * Yields row batches (arrays in DOMAIN_COLUMNS[domain] order) as the source delivers them. A failed
 * statement throws DomainEventsError {domain, code:'EVENTS_FAILED', message}; an abort throws the signal's
 * reason. The source cursor is closed on every path, including the consumer breaking out early.
 */
export async function* streamDomain(
  source: MesSource,
  domain: Domain,
  cids: readonly string[],
  opts: StreamDomainOptions,
): AsyncGenerator<unknown[][], void, undefined> {
  if (cids.length === 0) return
  const spec = DOMAIN_QUERIES[domain]
  const ctx = { nowMs: Date.now() }
  if (spec.kind === 'scan') {
    const wanted = new Set(cids)
    yield* statementRows(source, domain, spec.query(), opts, (rows) =>
      rows.flatMap((r) => spec.mapRows(r, wanted, ctx)),
    )
    opts.onProgress?.(cids.length)
    return
  }
  const size = opts.config.TRACE_IN_BATCH_SIZE
  for (let start = 0; start < cids.length; start += size) {
    const batch = cids.slice(start, start + size)
    yield* statementRows(source, domain, spec.query(batch), opts, (rows) => rows.map((r) => spec.mapRow(r, ctx)))
    opts.onProgress?.(start + batch.length)
  }
}
