/** How numbers look in the table: quantities grouped, identifiers and codes as digits only. */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 })
const IDENTIFIER = /(ID|IDS|NAME|ORDER|CODE|RUNCARD|BOP)$/i

/** Whether a column's numbers are identifiers (no thousands separators). */
export function isIdentifierColumn(name: string): boolean {
  return IDENTIFIER.test(name)
}

/** A number as the table shows it in column `name`. */
export function formatNumber(name: string, value: number): string {
  return isIdentifierColumn(name) ? String(value) : grouped.format(value)
}

/** Whole numbers with thousands separators, for counts in the UI. */
export function formatCount(n: number): string {
  return grouped.format(Math.round(n))
}

/** Seconds as `1h 02m`, `3m 05s` or `42s`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`
  return `${sec}s`
}
