/**
 * The "about" sheet every XLSX export starts with: what was traced (the query), when the data was read, and
 * what each sheet holds, as label/value lines. Built by the server for job exports and by the browser for the
 * shown view.
 */

/** One line of the about sheet. */
export interface AboutLine {
  readonly label: string
  readonly value: string | number
}

/** Values listed per parameter before the rest is counted (an incident input holds 70 K ids). */
const MAX_LISTED = 200

/** One line per query parameter, lists joined (`values: W2601-0001, W2601-0002`), in the params' key order. */
export function queryLines(params: unknown): AboutLine[] {
  if (typeof params !== 'object' || params === null) return []
  const lines: AboutLine[] = []
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === null || value === undefined) continue
    lines.push({ label: key, value: describe(value) })
  }
  return lines
}

function describe(value: unknown): string {
  if (Array.isArray(value)) {
    const shown = value
      .slice(0, MAX_LISTED)
      .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
      .join(', ')
    return value.length > MAX_LISTED
      ? `${shown}, … and ${value.length - MAX_LISTED} more (${value.length} in all)`
      : shown
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}
