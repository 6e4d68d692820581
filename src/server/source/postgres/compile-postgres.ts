/** Compiles a dialect-neutral SqlQuery into PostgreSQL text with numbered `$n` binds. */
import type { SqlQuery, SqlValue } from '../sql.ts'

/** SQL text plus its parameters in `$n` order, ready for node-postgres. */
export interface CompiledPostgres {
  readonly text: string
  readonly values: (SqlValue | readonly string[])[]
}

/**
 * `value` → `$n`; `raw` → its text; `ids_in` → `= ANY($n::text[])` and `ids_table` → a one-column derived
 * table `cid` over `unnest($n::text[])`: a whole CID batch is one array bind, so the statement text (and the
 * server's plan cache entry) does not depend on how many ids a batch holds. Nothing but `raw` text reaches
 * the SQL string.
 */
export function compilePostgres(query: SqlQuery): CompiledPostgres {
  const values: (SqlValue | readonly string[])[] = []
  const bind = (value: SqlValue | readonly string[]): string => {
    values.push(value)
    return `$${values.length}`
  }
  let text = query.strings[0]
  query.parts.forEach((part, i) => {
    switch (part.kind) {
      case 'value':
        text += bind(part.value)
        break
      case 'raw':
        text += part.text
        break
      case 'ids_in':
        text += `= ANY(${bind(part.ids)}::text[])`
        break
      case 'ids_table':
        text += `(SELECT unnest(${bind(part.ids)}::text[]) AS cid)`
        break
    }
    text += query.strings[i + 1]
  })
  return { text, values }
}
