/** Compiles a dialect-neutral SqlQuery into SQLite text with positional `?` binds. */
import type { SqlQuery, SqlValue } from '../sql.ts'

/** SQL text plus its positional parameters, ready for better-sqlite3. */
export interface CompiledSqlite {
  readonly text: string
  readonly params: SqlValue[]
}

/**
 * `value` → `?`; `raw` → its text; `ids_in` → `IN (?, ?, …)` with one bind per id (callers keep lists at
 * TRACE_IN_BATCH_SIZE); `ids_table` → a `json_each` derived table over one JSON-array bind, so any number of
 * ids costs a single parameter. Nothing but `raw` text ever reaches the SQL string.
 */
export function compileSqlite(query: SqlQuery): CompiledSqlite {
  const params: SqlValue[] = []
  let text = query.strings[0]
  query.parts.forEach((part, i) => {
    switch (part.kind) {
      case 'value':
        params.push(part.value)
        text += '?'
        break
      case 'raw':
        text += part.text
        break
      case 'ids_in':
        params.push(...part.ids)
        text += `IN (${part.ids.map(() => '?').join(', ')})`
        break
      case 'ids_table':
        params.push(JSON.stringify(part.ids))
        text += '(SELECT value AS cid FROM json_each(?))'
        break
    }
    text += query.strings[i + 1]
  })
  return { text, params }
}
