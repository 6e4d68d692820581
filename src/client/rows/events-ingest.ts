/** Stores the rows of a synchronous POST /api/trace/events answer (the staged path of a small trace). */
import { DOMAIN_COLUMNS, DOMAINS, type Domain } from '../../shared/domains.ts'
import type { EventsResponse } from '../../shared/responses.ts'
import type { RowStore } from './row-store.ts'
import type { CountMismatch, FailedDomain } from './stream-ingest.ts'

export interface EventsIngestResult {
  readonly mismatches: readonly CountMismatch[]
  readonly aggregation: unknown
  readonly failed_domains: readonly FailedDomain[]
}

/** Appends every domain's rows to `store` and checks each against its count. */
export function ingestEventsResponse(store: RowStore, body: EventsResponse): EventsIngestResult {
  const mismatches: CountMismatch[] = []
  for (const [name, result] of Object.entries(body.results)) {
    if (!(DOMAINS as readonly string[]).includes(name) || !result) continue
    const domain = name as Domain
    const table = store.start(domain, result.columns ?? DOMAIN_COLUMNS[domain])
    const rows = Array.isArray(result.data) ? result.data : []
    table.appendRows(
      rows.map((r) => (Array.isArray(r) ? r : DOMAIN_COLUMNS[domain].map((c) => (r as Record<string, unknown>)[c]))),
    )
    if (typeof result.count === 'number' && result.count !== table.length) {
      mismatches.push({ domain, expected: result.count, received: table.length })
    }
  }
  return { mismatches, aggregation: body.aggregation ?? null, failed_domains: body.failed_domains ?? [] }
}
