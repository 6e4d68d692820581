/**
 * How event rows travel: `objects` (keyed by warehouse column name, under `data`: what the old system's pages
 * read, so the default) or `compact` (arrays in `columns` order: what this app asks for, a third of the bytes
 * and no key per cell). A caller asks with `?shape=compact` or with an `Accept` parameter
 * (`Accept: application/json; shape=compact`); the query wins when both are given.
 */
import { z } from 'zod'

export const ROW_SHAPES = ['objects', 'compact'] as const
export type RowShape = (typeof ROW_SHAPES)[number]

/** `?shape=`: `rows` is the earlier name of `compact`, still read. */
export const rowShapeQuerySchema = z
  .enum(['objects', 'compact', 'rows'], { error: 'shape is objects or compact' })
  .transform((s): RowShape => (s === 'rows' ? 'compact' : s))

/** What a caller gets without asking. */
export const DEFAULT_ROW_SHAPE: RowShape = 'objects'

/** The Accept headers this app sends: JSON answers and the NDJSON job stream, both compact. */
export const COMPACT_ACCEPT_JSON = 'application/json; shape=compact'
export const COMPACT_ACCEPT_NDJSON = 'application/x-ndjson; shape=compact'

/** The `shape` parameter of an Accept header, when one of its media ranges carries a known one. */
export function acceptedRowShape(accept: string | null | undefined): RowShape | undefined {
  const m = /;\s*shape\s*=\s*"?(objects|compact|rows)"?/i.exec(accept ?? '')
  if (!m) return undefined
  const shape = m[1].toLowerCase()
  return shape === 'objects' ? 'objects' : 'compact'
}

/** The shape to answer in: the query's, else the Accept parameter's, else the default. */
export function negotiateRowShape(query: RowShape | undefined, accept: string | null | undefined): RowShape {
  return query ?? acceptedRowShape(accept) ?? DEFAULT_ROW_SHAPE
}

/** Rows as objects keyed by `columns` (the old shape); one object per row, built per batch only. */
export function rowsToObjects(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Record<string, unknown>[] {
  const out = new Array<Record<string, unknown>>(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    const obj: Record<string, unknown> = {}
    for (let i = 0; i < columns.length; i++) obj[columns[i]] = row[i]
    out[r] = obj
  }
  return out
}
