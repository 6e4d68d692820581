/** Decorators around the real SQLite source that make it slow or fail at a chosen point, and count batches. */
import type { Batch, MesSource, StreamOptions } from '../../../src/server/source/mes-source.ts'
import type { SqlQuery } from '../../../src/server/source/sql.ts'

const textOf = (q: SqlQuery): string => q.strings.join('?')

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

function wrap(source: MesSource, stream: MesSource['stream']): MesSource {
  return {
    dialect: source.dialect,
    stream,
    async all(query, options) {
      const rows: unknown[][] = []
      let columns: readonly string[] = []
      for await (const b of stream(query, options)) {
        columns = b.columns
        rows.push(...b.rows)
      }
      return { columns, rows }
    },
    ping: () => source.ping(),
    close: () => source.close(),
  }
}

/** Every statement waits `ms` (abortably) before its first batch. */
export function slowSource(source: MesSource, ms: number): MesSource {
  return wrap(source, async function* (query: SqlQuery, options: StreamOptions = {}) {
    await abortableSleep(ms, options.signal)
    yield* source.stream(query, options)
  })
}

/** Statements on `table` throw a driver-like error once `afterBatches` of their batches were delivered in total. */
export function failingSource(source: MesSource, table: string, afterBatches: number): MesSource {
  let delivered = 0
  return wrap(source, async function* (query: SqlQuery, options: StreamOptions = {}) {
    const target = textOf(query).includes(table)
    for await (const batch of source.stream(query, options)) {
      if (target && delivered >= afterBatches) throw new Error(`SQLITE_IOERR: disk I/O error reading ${table}`)
      if (target) delivered += 1
      yield batch
    }
  })
}

/** Counts the batches delivered to the pipeline (to show a disconnect stops the reading). */
export function countingSource(source: MesSource): { source: MesSource; batches: () => number } {
  let n = 0
  return {
    batches: () => n,
    source: wrap(source, async function* (query: SqlQuery, options: StreamOptions = {}) {
      for await (const batch of source.stream(query, options)) {
        n += 1
        yield batch as Batch
      }
    }),
  }
}
