/**
 * Type parsers for this adapter's own pool (never installed globally): values come out the way the SQLite
 * demo stores them, so both sources yield identical rows. Timestamps become ISO 8601 `YYYY-MM-DDTHH:mm:ss`
 * strings at second resolution (the MES records seconds), dates stay `YYYY-MM-DD`, and BIGINT / NUMERIC
 * become numbers (CIDs are text; every integer column and aggregate fits a double).
 */
import pg from 'pg'
import type { CustomTypesConfig } from 'pg'

const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 } as const

/** `2024-03-01 07:15:00[.fff]` → `2024-03-01T07:15:00`; `infinity` and BC values pass through as text. */
export function parseTimestamp(text: string): string {
  return text.length >= 19 && text[10] === ' ' && !text.endsWith('BC')
    ? `${text.slice(0, 10)}T${text.slice(11, 19)}`
    : text
}

const parseTimestamptzDefault = pg.types.getTypeParser(OID.timestamptz, 'text') as (text: string) => unknown

/** An instant, rendered in UTC so the session's TimeZone setting cannot change the output. */
export function parseTimestamptz(text: string): string {
  const value = parseTimestamptzDefault(text)
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 19) : text
}

const identity = (text: string): string => text

/** The `types` option of this adapter's pool. */
export const postgresTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    switch (oid) {
      case OID.timestamp:
        return parseTimestamp
      case OID.timestamptz:
        return parseTimestamptz
      case OID.date:
        return identity
      case OID.int8:
      case OID.numeric:
        return Number
      default:
        return pg.types.getTypeParser(oid, format ?? 'text')
    }
  }) as CustomTypesConfig['getTypeParser'],
}
