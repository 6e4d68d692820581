/** Every event domain's query module, by domain name. */
import type { Domain } from '../../../shared/domains.ts'
import type { DomainQuery } from './domain-query.ts'
import { downstreamRejectsQuery } from './downstream-rejects.ts'
import { historyQuery } from './history.ts'
import { holdsQuery } from './holds.ts'
import { jobsQuery } from './jobs.ts'
import { materialsQuery } from './materials.ts'
import { rejectsQuery } from './rejects.ts'
import { upstreamHistoryQuery } from './upstream-history.ts'

export const DOMAIN_QUERIES: Readonly<Record<Domain, DomainQuery>> = {
  history: historyQuery,
  materials: materialsQuery,
  rejects: rejectsQuery,
  holds: holdsQuery,
  jobs: jobsQuery,
  upstream_history: upstreamHistoryQuery,
  downstream_rejects: downstreamRejectsQuery,
}
