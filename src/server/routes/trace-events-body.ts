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
import { rowsToObjects, type RowShape } from '../../shared/row-shape.ts'
import type { Config } from '../config.ts'
import { log } from '../logger.ts'
import { runEvents } from '../pipeline/events.ts'
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
  let columns: readonly string[] = []
  let count = 0

  await emit('{"stage":"events","results":{')
  const run = await runEvents(input, {
    async openDomain(domain, index) {
      columns = DOMAIN_COLUMNS[domain]
      count = 0
      await emit(`${index > 0 ? ',' : ''}${JSON.stringify(domain)}:{"columns":${JSON.stringify(columns)},"data":[`)
    },
    async writeRows(rows) {
      for (let start = 0; start < rows.length; start += ROWS_PER_WRITE) {
        const slice = rows.slice(start, start + ROWS_PER_WRITE)
        // One stringify of the slice without its brackets: far less garbage than a string per row.
        const text = JSON.stringify(input.shape === 'compact' ? slice : rowsToObjects(columns, slice))
        await emit((count > 0 ? ',' : '') + text.slice(1, -1))
        count += slice.length
      }
      await yieldToEventLoop()
    },
    async closeDomain(domain, failure) {
      if (failure) log.warn('events domain failed part-way', { domain, rows_sent: count, code: failure.code })
      await emit(`],"count":${count}}`)
    },
  })
  await emit(`},"aggregation":${JSON.stringify(run.aggregation)}`)
  if (run.failed.length > 0) {
    await emit(`,"code":"EVENTS_PARTIAL_FAILURE","failed_domains":${JSON.stringify(run.failed)}`)
  }
  await emit('}')
}
