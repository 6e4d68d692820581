/**
 * Writes the POST /api/trace/events response body while rows arrive: `{"stage":"events","results":{<domain>:
 * {"columns":[…],"data":[…],"count":N},…},"aggregation":…}` with `data` rows as objects keyed by column name
 * (the default) or as arrays in `columns` order (compact, see row-shape.ts), domains one after another, each batch
 * serialised and written (awaited) before the next is fetched, so the server never holds more than one batch.
 *
 * The status (200) is sent before the first row, so a domain that fails part-way cannot change it: its JSON is
 * closed validly with the rows written so far, and the body ends with `"code":"EVENTS_PARTIAL_FAILURE"` and
 * `failed_domains:[{domain, code, message}]`. A client that goes away aborts `signal`, which closes the cursor.
 */
import type { Direction, Domain, Profile } from '../../shared/domains.ts'
import { DOMAIN_COLUMNS } from '../../shared/domains.ts'
import type { EventsResponse } from '../../shared/responses.ts'
import { rowsToObjects, type RowShape } from '../../shared/row-shape.ts'
import type { Config } from '../config.ts'
import { DomainError } from '../errors/domain-error.ts'
import { log } from '../logger.ts'
import { streamDomain } from '../pipeline/events.ts'
import { createMsdAggregator } from '../pipeline/msd-aggregator.ts'
import type { MesSource } from '../source/mes-source.ts'

export interface EventsBodyInput {
  readonly source: MesSource
  readonly config: Config
  readonly profile: Profile
  readonly direction: Direction
  readonly domains: readonly Domain[]
  readonly cids: readonly string[]
  /** Rows as objects (the old clients') or compact arrays. */
  readonly shape: RowShape
  /** Aborted when the client disconnects: stops fetching and writing. */
  readonly signal: AbortSignal
}

/**
 * Rows serialised per write: a 5000-row fetch serialised at once is one long synchronous stretch, and other
 * requests on this event loop would wait for it.
 */
const ROWS_PER_WRITE = 1000

// A resolved write continues in a microtask; a macrotask turn lets other requests' I/O run between batches.
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

type FailedDomain = NonNullable<EventsResponse['failed_domains']>[number]

function failure(domain: Domain, err: unknown): FailedDomain {
  if (err instanceof DomainError) return { domain, code: err.code, message: err.message }
  log.warn('events domain failed', { domain, error: err instanceof Error ? err.message : String(err) })
  return { domain, code: 'EVENTS_FAILED', message: `${domain} failed; the server log has the details` }
}

/** Streams the events body through `write`; rejects with the abort reason when the client went away. */
export async function writeEventsBody(
  write: (chunk: string) => Promise<unknown>,
  input: EventsBodyInput,
): Promise<void> {
  const { signal } = input
  const emit = async (chunk: string): Promise<void> => {
    await write(chunk)
    signal.throwIfAborted()
  }
  const aggregator = input.profile === 'mid_section_defect' ? createMsdAggregator(input.direction) : undefined
  const failed: FailedDomain[] = []

  await emit('{"stage":"events","results":{')
  for (const [i, domain] of input.domains.entries()) {
    const columns = DOMAIN_COLUMNS[domain]
    await emit(`${i > 0 ? ',' : ''}${JSON.stringify(domain)}:{"columns":${JSON.stringify(columns)},"data":[`)
    let count = 0
    try {
      for await (const rows of streamDomain(input.source, domain, input.cids, { config: input.config, signal })) {
        if (rows.length === 0) continue
        aggregator?.add(domain, rows)
        for (let start = 0; start < rows.length; start += ROWS_PER_WRITE) {
          const slice = rows.slice(start, start + ROWS_PER_WRITE)
          // One stringify of the slice without its brackets: far less garbage than a string per row.
          const text = JSON.stringify(input.shape === 'compact' ? slice : rowsToObjects(columns, slice))
          await emit((count > 0 ? ',' : '') + text.slice(1, -1))
          count += slice.length
        }
        await yieldToEventLoop()
      }
    } catch (err) {
      if (signal.aborted) throw signal.reason
      const f = failure(domain, err)
      log.warn('events domain failed part-way', { domain, rows_sent: count, code: f.code, error: f.message })
      failed.push(f)
    }
    await emit(`],"count":${count}}`)
  }
  await emit(`},"aggregation":${JSON.stringify(aggregator ? aggregator.result() : null)}`)
  if (failed.length > 0) await emit(`,"code":"EVENTS_PARTIAL_FAILURE","failed_domains":${JSON.stringify(failed)}`)
  await emit('}')
}
