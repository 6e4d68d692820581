/**
 * Values and column names in the shapes the other adapters return, set per statement (never on the driver's
 * global settings): DATE and TIMESTAMP as ISO 8601 `YYYY-MM-DDTHH:mm:ss` text at second resolution, instants
 * (TIMESTAMP WITH [LOCAL] TIME ZONE) in UTC, CLOBs as strings (no LOB locators to close), NUMBER as numbers
 * (Thin mode's default). Oracle stores an empty string as NULL, so `''` never comes back: the stages already
 * read blank and NULL alike.
 */
import type { OracleColumn, OracleDriver, OracleFetchType } from './oracle-driver.ts'

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/**
 * Thin mode builds a DATE or TIMESTAMP as a Date at that wall-clock time in the process's zone, so the local
 * getters give the stored wall clock back. (A wall-clock time skipped by a daylight-saving jump in the process's
 * zone would move by an hour: run the processes in a zone without DST, such as the plant's or UTC.)
 */
export function localIso(value: unknown): unknown {
  if (!(value instanceof Date)) return value
  return (
    `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}` +
    `T${pad(value.getHours())}:${pad(value.getMinutes())}:${pad(value.getSeconds())}`
  )
}

/** An instant as UTC ISO text, as the PostgreSQL adapter renders timestamptz. */
export function utcIso(value: unknown): unknown {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 19) : value
}

/** The `fetchTypeHandler` of every statement this adapter runs. */
export function fetchTypeHandler(driver: OracleDriver): (column: OracleColumn) => OracleFetchType | undefined {
  return (column) => {
    switch (column.dbType) {
      case driver.DB_TYPE_CLOB:
      case driver.DB_TYPE_NCLOB:
        return { type: driver.DB_TYPE_VARCHAR }
      case driver.DB_TYPE_DATE:
      case driver.DB_TYPE_TIMESTAMP:
        return { converter: localIso }
      case driver.DB_TYPE_TIMESTAMP_TZ:
      case driver.DB_TYPE_TIMESTAMP_LTZ:
        return { converter: utcIso }
      default:
        return undefined
    }
  }
}

const PLAIN_NAME = /^[A-Z][A-Z0-9_]*$/

/**
 * Oracle upper-cases unquoted names (`AS cid` comes back `CID`); each plain name is respelled as the statement
 * writes it, its `AS` alias first, else its first occurrence, so batches carry the same column names as on
 * SQLite. Expressions without an alias and names the text does not contain keep Oracle's spelling.
 */
export function columnsAsWritten(sqlText: string, columns: readonly OracleColumn[]): string[] {
  return columns.map(({ name }) => {
    if (!PLAIN_NAME.test(name)) return name
    const alias = new RegExp(`\\bAS\\s+(${name})(?![\\w$#])`, 'i').exec(sqlText)
    if (alias !== null) return alias[1]
    const match = new RegExp(`(?<![\\w$#"])${name}(?![\\w$#])`, 'i').exec(sqlText)
    return match === null ? name : match[0]
  })
}
