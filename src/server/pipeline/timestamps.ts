/**
 * Timestamps leave the pipeline as ISO 8601 local date-times (`YYYY-MM-DDTHH:mm:ss`), whichever driver read
 * them: plant data is naive local time, so no zone is added or converted.
 */

const SQL_STYLE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** A driver timestamp (ISO or `YYYY-MM-DD HH:mm:ss` string, or Date) as ISO 8601; null for NULL. */
export function isoTimestamp(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) {
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}T${pad(value.getHours())}:${pad(value.getMinutes())}:${pad(value.getSeconds())}`
  }
  const s = String(value)
  return SQL_STYLE.test(s) ? `${s.slice(0, 10)}T${s.slice(11)}` : s
}

/** Milliseconds since the epoch of an ISO local timestamp, or NaN when it does not parse. */
export function timestampMs(iso: string): number {
  // ECMAScript parses a date-time without an offset as local time, the same clock as Date.now().
  return Date.parse(iso)
}

/** `YYYY-MM-DD` plus `days` calendar days (UTC arithmetic, so no DST surprises). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
