/**
 * The deterministic demo MES data producer. It generates family after family and hands rows to a sink in
 * batches of about FLUSH_ROWS per table, so any loader (SQLite, PostgreSQL) reuses it and memory stays
 * bounded by one family plus one batch per table, whatever the size of the data.
 */
import { MES_TABLES } from '../source/mes-schema.ts'
import { demoOptionsSchema, spanSeconds, type DemoOptions } from './demo-options.ts'
import { generateFamily } from './family.ts'
import { Counters, yymmdd } from './names.ts'
import { createRng } from './rng.ts'
import type { DemoTable, PlantContext } from './station-events.ts'

export type { DemoOptions } from './demo-options.ts'

/** Where generated rows go; rows are arrays in MES_TABLES column order. Awaited before generating more. */
export interface DemoSink {
  write(table: string, rows: unknown[][]): void | Promise<void>
}

/** Progress of a long phase (`generate`, and the loaders' own phases such as `index`). */
export interface DemoProgress {
  readonly phase: string
  readonly done: number
  readonly total: number
}

/** Rows per sink write (a table's buffer is flushed once it reaches this size). */
export const FLUSH_ROWS = 5000

/** Days at the end of the span without new wafer lots; lots released shortly before are still WIP at the end. */
const RELEASE_TAIL_DAYS = 4

/** Family sizes: wafer lots of one product released together. */
const FAMILY_WAFERS: readonly [number, number] = [2, 6]

/** The mold-compound lot that causes voids and leakage: line B of the day at 30 % of the span. */
function badMaterialLot(start: number, end: number): string {
  const day = Math.floor(((end - start) * 0.3) / 86_400)
  return `EMC${yymmdd(start + day * 86_400)}-B`
}

/**
 * Generates the demo data for `options` into `sink` and returns the number of rows written per table.
 * Same options, same rows in the same order. Throws (before writing anything) on invalid options.
 */
export async function generateDemo(
  options: DemoOptions,
  sink: DemoSink,
  onProgress?: (p: DemoProgress) => void,
): Promise<Record<string, number>> {
  const opts = demoOptionsSchema.parse(options)
  const { start, end } = spanSeconds(opts)
  const buffers = new Map<string, unknown[][]>(MES_TABLES.map((t) => [t.name, []]))
  const counts: Record<string, number> = Object.fromEntries(MES_TABLES.map((t) => [t.name, 0]))
  const ctx: PlantContext = {
    seed: opts.seed,
    spanStart: start,
    spanEnd: end,
    counters: new Counters(),
    badMaterialLot: badMaterialLot(start, end),
    emit: (table: DemoTable, row: unknown[]) => {
      buffers.get(table)!.push(row)
    },
  }
  const flush = async (minRows: number): Promise<void> => {
    for (const [table, rows] of buffers) {
      if (rows.length === 0 || rows.length < minRows) continue
      buffers.set(table, [])
      counts[table] += rows.length
      await sink.write(table, rows)
    }
  }

  const window = Math.max(86_400, end - start - RELEASE_TAIL_DAYS * 86_400)
  const sizes = createRng(opts.seed, 0)
  onProgress?.({ phase: 'generate', done: 0, total: opts.lots })
  for (let index = 0, wafer = 0; wafer < opts.lots; index++) {
    const waferCount = Math.min(opts.lots - wafer, sizes.int(FAMILY_WAFERS[0], FAMILY_WAFERS[1]))
    const release = start + Math.floor(((wafer + sizes.next()) / opts.lots) * window)
    generateFamily(ctx, { index, waferCount, release, showcase: index === 0 })
    wafer += waferCount
    await flush(FLUSH_ROWS)
    onProgress?.({ phase: 'generate', done: wafer, total: opts.lots })
  }
  await flush(1)
  return counts
}
