/**
 * Compiles a dialect-neutral SqlQuery into Oracle SQL with numbered `:n` binds. What Oracle does differently
 * from SQLite and PostgreSQL is handled here, never in the stages:
 * - an IN list holds at most 1000 expressions (ORA-01795), so a longer CID list becomes a subquery;
 * - `IN ()` is a syntax error, so an empty list becomes `IN (NULL)`, which matches nothing;
 * - there is no `LIMIT`: a trailing `LIMIT n` becomes `FETCH FIRST n ROWS ONLY`;
 * - DISTINCT and UNION cannot compare CLOBs (ORA-00932), so a statement that would is refused here, before
 *   it reaches the warehouse;
 * - ISO 8601 text bound against a DATE column converts through the session's NLS_DATE_FORMAT, which the
 *   adapter sets (oracle-session.ts), so stages bind dates as text exactly as on SQLite.
 */
import { LIST_COLUMNS } from '../mes-schema.ts'
import type { SqlQuery, SqlValue } from '../sql.ts'

/** Oracle's limit on the expressions of one IN list, and on the ids of one collection constructor here. */
export const ORACLE_LIST_MAX = 1000

/** Columns of the warehouse that are (or may be) CLOBs. */
export const ORACLE_LOB_COLUMNS: readonly string[] = LIST_COLUMNS

/** SQL text plus its parameters in `:n` order, ready for node-oracledb's positional binds. */
export interface CompiledOracle {
  readonly text: string
  readonly binds: SqlValue[]
}

/** A statement Oracle would refuse, caught before it is sent. */
export class OracleDialectError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OracleDialectError'
  }
}

const TRAILING_LIMIT = /\s+LIMIT\s+(:\d+|\d+)\s*$/i
const SET_OPERATION = /\bDISTINCT\b|\bUNION\b(?!\s+ALL\b)|\bINTERSECT\b|\bMINUS\b/i

/**
 * `value` → `:n`; `raw` → its text; `ids_in` → `IN (:n, …)` of at most 1000 binds (a longer list becomes
 * `IN (<ids_table rows>)`); `ids_table` → a one-column derived table `cid` over `sys.odcivarchar2list`
 * constructors of at most 1000 binds each, joined with UNION ALL. Nothing but `raw` text reaches the SQL string.
 */
export function compileOracle(query: SqlQuery): CompiledOracle {
  const binds: SqlValue[] = []
  const bind = (value: SqlValue): string => {
    binds.push(value)
    return `:${binds.length}`
  }
  const idRows = (ids: readonly string[]): string => {
    // An empty list still needs one (empty) collection, so the derived table exists and has no rows.
    const groups = ids.length === 0 ? [[]] : chunks(ids, ORACLE_LIST_MAX)
    return groups
      .map((group) => `SELECT COLUMN_VALUE AS cid FROM TABLE(sys.odcivarchar2list(${group.map(bind).join(', ')}))`)
      .join(' UNION ALL ')
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
        if (part.ids.length === 0) text += 'IN (NULL)'
        else if (part.ids.length <= ORACLE_LIST_MAX) text += `IN (${part.ids.map(bind).join(', ')})`
        else text += `IN (${idRows(part.ids)})`
        break
      case 'ids_table':
        text += `(${idRows(part.ids)})`
        break
    }
    text += query.strings[i + 1]
  })
  text = text.replace(TRAILING_LIMIT, ' FETCH FIRST $1 ROWS ONLY')
  assertNoLobComparison(text)
  return { text, binds }
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

function assertNoLobComparison(text: string): void {
  const operation = SET_OPERATION.exec(text)
  if (operation === null) return
  const lob = ORACLE_LOB_COLUMNS.find((column) => new RegExp(`\\b${column}\\b`, 'i').test(text))
  if (lob !== undefined) {
    throw new OracleDialectError(
      `Oracle cannot apply ${operation[0].toUpperCase()} to the CLOB column ${lob} (ORA-00932); select it without it`,
    )
  }
}
