/**
 * Export file names that say what was traced: profile, first input (or the MSD station), the day the data was
 * read, then the domain, e.g. `query_tool-W2601-0001-2026-01-15-history.xlsx`. Server downloads and browser
 * exports name files the same way.
 */

/** What a name is built from. */
export interface ExportNameParts {
  readonly profile: string
  /** The first input, or the station; see traceSubject. */
  readonly subject: string
  /** When the data was read (ISO 8601 or Date); its day goes into the name. */
  readonly readAt: string | Date
  /** A domain, `all` for a workbook of every domain, or a suffix such as `history-filtered`. */
  readonly part: string
  readonly ext: 'csv' | 'xlsx'
}

const MAX_SUBJECT = 40

/**
 * The subject of a trace from its params: the first of `values` (with `+N` when there are more), the MSD
 * `station`, or the first container id; `trace` when none is known.
 */
export function traceSubject(params: unknown, containerIds: readonly string[] = []): string {
  const p = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {}
  const values = Array.isArray(p.values)
    ? p.values.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : []
  if (values.length > 0) return values.length > 1 ? `${values[0].trim()}+${values.length - 1}` : values[0].trim()
  if (typeof p.station === 'string' && p.station) return p.station
  const ids = Array.isArray(p.container_ids)
    ? p.container_ids.filter((v): v is string => typeof v === 'string')
    : containerIds
  if (ids.length > 0) return ids.length > 1 ? `${ids[0]}+${ids.length - 1}` : ids[0]
  return 'trace'
}

/** A file name safe on Windows, macOS and Linux; non-ASCII text (a Chinese station name) is kept. */
export function exportFileName(parts: ExportNameParts): string {
  const day = (typeof parts.readAt === 'string' ? parts.readAt : parts.readAt.toISOString()).slice(0, 10)
  const subject = safe(parts.subject).slice(0, MAX_SUBJECT)
  return `${safe(parts.profile)}-${subject}-${day}-${safe(parts.part)}.${parts.ext}`
}

/** The same name with every non-ASCII character replaced, for clients that read only `filename=`. */
export function asciiFileName(name: string): string {
  return name.replace(/[^\x20-\x7E]/g, '_')
}

function safe(text: string): string {
  // Reserved on Windows (<>:"/\|?*), control characters, and `%` (read as an escape by some browsers).
  return text.replace(/[<>:"/\\|?*%\x00-\x1F\x7F]/g, '_').replace(/\s+/g, '_') || '_'
}
