/**
 * Applies job stream lines to the row store, in order, and says what each line means for the run. Pure (no
 * Vue, no fetch), so every line type and edge case is testable directly. Safe across resumes: a repeated
 * `domain_start` keeps the table, a `records` batch already applied is skipped.
 */
import { DOMAIN_COLUMNS, type Domain } from '../../shared/domains.ts'
import type { WarningLine } from '../../shared/ndjson-lines.ts'
import type { ColumnarRecords } from './columnar-records.ts'
import { isCount, isDomain } from './line-guards.ts'
import type { TraceErrorCode } from '../api/index.ts'
import { parseLegacyResult } from './legacy-result.ts'
import type { RowStore, RowTable } from './row-store.ts'

/** A domain the server could not (fully) fetch. */
export type FailedDomain = WarningLine['failed_domains'][number]

/** Rows received for a domain differ from what the server counted. */
export interface CountMismatch {
  readonly domain: Domain | 'total'
  readonly expected: number
  readonly received: number
}

/** What a line means for the run. */
export type IngestOutcome =
  | { readonly kind: 'meta'; readonly job_id: string; readonly domains: readonly Domain[] }
  | { readonly kind: 'rows'; readonly domain: Domain }
  | { readonly kind: 'domain_end'; readonly domain: Domain }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'aggregation'; readonly data: unknown }
  | { readonly kind: 'warning'; readonly failed_domains: readonly FailedDomain[] }
  | { readonly kind: 'complete'; readonly mismatches: readonly CountMismatch[] }
  | { readonly kind: 'error'; readonly code: TraceErrorCode; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export class StreamIngest {
  private readonly lastBatch = new Map<Domain, number>()
  private readonly ended = new Map<Domain, number>()
  private last: { domain: Domain; batch: number } | null = null
  /** Set by `complete`, `error` or `full_result`: the stream has said all it will say. */
  finished = false

  constructor(private readonly store: RowStore) {}

  /** `<domain>:<batch>` of the last batch applied (for `?from=`), or null before the first. */
  resumeFrom(): string | null {
    return this.last ? `${this.last.domain}:${this.last.batch}` : null
  }

  /** Whether the stream ended this domain. */
  isEnded(domain: Domain): boolean {
    return this.ended.has(domain)
  }

  /** Applies one parsed line. */
  apply(line: unknown): IngestOutcome[] {
    if (!isRecord(line) || typeof line.type !== 'string') return [invalid('a line without a type')]
    switch (line.type) {
      case 'meta':
        if (typeof line.job_id !== 'string' || !Array.isArray(line.domains))
          return [invalid('meta without job_id/domains')]
        return [{ kind: 'meta', job_id: line.job_id, domains: line.domains.filter(isDomain) }]
      case 'domain_start':
        if (!isDomain(line.domain) || !Array.isArray(line.columns))
          return [invalid('domain_start without domain/columns')]
        this.store.start(line.domain, line.columns.map(String))
        return [{ kind: 'skipped' }]
      case 'records':
        return [this.records(line)]
      case 'domain_end':
        if (!isDomain(line.domain) || !isCount(line.count)) return [invalid('domain_end without domain/count')]
        this.ended.set(line.domain, line.count)
        return [{ kind: 'domain_end', domain: line.domain }]
      case 'aggregation':
        return [{ kind: 'aggregation', data: line.data ?? null }]
      case 'warning':
        if (!Array.isArray(line.failed_domains)) return [invalid('warning without failed_domains')]
        return [{ kind: 'warning', failed_domains: line.failed_domains as FailedDomain[] }]
      case 'complete':
        if (!isCount(line.total_records) || !isRecord(line.counts))
          return [invalid('complete without total_records/counts')]
        this.finished = true
        return [{ kind: 'complete', mismatches: this.mismatches(line.counts, line.total_records) }]
      case 'error':
        this.finished = true
        return [
          {
            kind: 'error',
            code: (typeof line.code === 'string' ? line.code : 'STREAM_FAILED') as TraceErrorCode,
            message: typeof line.message === 'string' ? line.message : 'the job failed',
          },
        ]
      case 'full_result':
        return this.fullResult(line.data)
      default:
        return [invalid(`unknown line type "${line.type}"`)]
    }
  }

  /** Applies a `records` line that arrived encoded by column (already checked where it was encoded). */
  applyRecords(records: ColumnarRecords): IngestOutcome[] {
    return [this.append(records.domain, records.batch, (table) => table.appendColumns(records.columns, records.count))]
  }

  private records(line: Record<string, unknown>): IngestOutcome {
    const { domain, batch, count } = line
    if (!isDomain(domain) || !isCount(batch) || !isCount(count)) return invalid('records without domain/batch/count')
    return this.append(domain, batch, (table) => {
      if (Array.isArray(line.rows)) {
        if (line.rows.length !== count)
          return invalid(`records ${domain}:${batch} says ${count} rows but has ${line.rows.length}`)
        if (!line.rows.every(Array.isArray)) return invalid(`records ${domain}:${batch} has a row that is not an array`)
        table.appendRows(line.rows as unknown[][])
      } else if (Array.isArray(line.data)) {
        if (line.data.length !== count)
          return invalid(`records ${domain}:${batch} says ${count} rows but has ${line.data.length}`)
        if (!line.data.every(isRecord)) return invalid(`records ${domain}:${batch} has a row that is not an object`)
        table.appendObjects(line.data as Record<string, unknown>[])
      } else return invalid(`records ${domain}:${batch} has neither rows nor data`)
    })
  }

  /** Appends a batch unless already applied (a resume repeats batches), and moves the resume point past it. */
  private append(domain: Domain, batch: number, write: (table: RowTable) => IngestOutcome | void): IngestOutcome {
    if (batch <= (this.lastBatch.get(domain) ?? -1)) return { kind: 'skipped' }
    const table = this.store.get(domain) ?? this.store.start(domain, DOMAIN_COLUMNS[domain])
    const bad = write(table)
    if (bad) return bad
    this.lastBatch.set(domain, batch)
    this.last = { domain, batch }
    return { kind: 'rows', domain }
  }

  private mismatches(counts: Record<string, unknown>, total: number): CountMismatch[] {
    const out: CountMismatch[] = []
    const domains = new Set<Domain>([
      ...this.store.domains(),
      ...Object.keys(counts).filter(isDomain),
      ...this.ended.keys(),
    ])
    let received = 0
    for (const domain of domains) {
      const have = this.store.get(domain)?.length ?? 0
      received += have
      // The complete line and the domain_end line each state a count; both must match what arrived.
      const claimed = new Set([counts[domain], this.ended.get(domain)].filter(isCount))
      if (claimed.size === 0 && have > 0) out.push({ domain, expected: 0, received: have })
      for (const expected of claimed) if (expected !== have) out.push({ domain, expected, received: have })
    }
    if (received !== total) out.push({ domain: 'total', expected: total, received })
    return out
  }

  private fullResult(data: unknown): IngestOutcome[] {
    const legacy = parseLegacyResult(data)
    if (typeof legacy === 'string') return [invalid(legacy)]
    const out: IngestOutcome[] = []
    const mismatches: CountMismatch[] = []
    for (const t of legacy.tables) {
      const table = this.store.start(t.domain, t.columns)
      table.appendRows(t.rows)
      this.ended.set(t.domain, table.length)
      out.push({ kind: 'rows', domain: t.domain })
      if (t.count !== null && t.count !== table.length)
        mismatches.push({ domain: t.domain, expected: t.count, received: table.length })
    }
    if (legacy.aggregation !== null) out.push({ kind: 'aggregation', data: legacy.aggregation })
    if (legacy.failed_domains.length > 0) out.push({ kind: 'warning', failed_domains: legacy.failed_domains })
    this.finished = true
    out.push({ kind: 'complete', mismatches })
    return out
  }
}

function invalid(message: string): IngestOutcome {
  return { kind: 'invalid', message }
}

/** One sentence for the user, e.g. "history: 10 rows received, server counted 12". */
export function describeMismatches(list: readonly CountMismatch[]): string {
  return list.map((m) => `${m.domain}: ${m.received} rows received, server counted ${m.expected}`).join('; ')
}
