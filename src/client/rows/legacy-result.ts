/**
 * The old system stored a job's whole result as one value; the stream sends it as one `full_result` line.
 * Its `data` is the events response of that system: `{results:{<domain>:{data, count, columns?}}, aggregation,
 * failed_domains?}` with rows as objects (or arrays when `columns` is given). This reads it into tables.
 */
import { DOMAIN_COLUMNS, DOMAINS, type Domain } from '../../shared/domains.ts'
import type { WarningLine } from '../../shared/ndjson-lines.ts'

type FailedDomain = WarningLine['failed_domains'][number]

/** One domain of a legacy result. */
export interface LegacyTable {
  readonly domain: Domain
  readonly columns: readonly string[]
  readonly rows: readonly (readonly unknown[])[]
  /** The count the old system recorded, when it did. */
  readonly count: number | null
}

export interface LegacyResult {
  readonly tables: readonly LegacyTable[]
  readonly aggregation: unknown
  readonly failed_domains: readonly FailedDomain[]
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function readTable(domain: Domain, value: unknown): LegacyTable | string {
  const entry = Array.isArray(value) ? { data: value } : value
  if (!isRecord(entry) || !Array.isArray(entry.data)) return `${domain}: no data list`
  const data: unknown[] = entry.data
  const count = typeof entry.count === 'number' ? entry.count : null
  if (data.every((r) => Array.isArray(r))) {
    const columns = Array.isArray(entry.columns) ? entry.columns.map(String) : [...DOMAIN_COLUMNS[domain]]
    return { domain, columns, rows: data as unknown[][], count }
  }
  if (!data.every(isRecord)) return `${domain}: rows are neither all arrays nor all objects`
  const objects = data as Record<string, unknown>[]
  const columns = [...DOMAIN_COLUMNS[domain]]
  for (const key of Object.keys(objects[0] ?? {})) if (!columns.includes(key)) columns.push(key)
  return { domain, columns, rows: objects.map((o) => columns.map((c) => o[c])), count }
}

/** The tables of a legacy result, or a message saying why it cannot be read. */
export function parseLegacyResult(data: unknown): LegacyResult | string {
  if (!isRecord(data)) return 'full_result data is not an object'
  const results = isRecord(data.results) ? data.results : data
  const tables: LegacyTable[] = []
  for (const domain of DOMAINS) {
    if (!(domain in results)) continue
    const table = readTable(domain, results[domain])
    if (typeof table === 'string') return table
    tables.push(table)
  }
  const failed = Array.isArray(data.failed_domains) ? (data.failed_domains as FailedDomain[]) : []
  return { tables, aggregation: data.aggregation ?? null, failed_domains: failed }
}
