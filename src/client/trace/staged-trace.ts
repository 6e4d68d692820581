/**
 * The staged path of a small trace: seed-resolve → lineage → events, each its own call. The events call
 * answers with the rows, or with a job when the family turned out too big to answer inline.
 */
import type { EventsResponse, LineageResponse, SeedResolveResponse } from '../../shared/responses.ts'
import type { JobRequest } from '../../shared/schemas.ts'
import {
  fetchLineage,
  linksOfAccepted,
  requestEvents,
  resolveSeeds,
  type ApiOptions,
  type JobLinks,
} from '../api/index.ts'
import { requestDirection } from './run-path.ts'

/** Told as each stage finishes, so the page shows seeds and lineage before the rows. */
export interface StagedHooks {
  onSeeds(resolved: SeedResolveResponse): void
  onLineage(lineage: LineageResponse): void
}

export type StagedOutcome =
  | { readonly kind: 'no_seeds' }
  | { readonly kind: 'job'; readonly links: JobLinks }
  | { readonly kind: 'rows'; readonly body: EventsResponse }

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason
}

/** Runs the three calls; rejects with the failing call's ApiRequestError (or the abort reason). */
export async function runStagedTrace(request: JobRequest, api: ApiOptions, hooks: StagedHooks): Promise<StagedOutcome> {
  const direction = requestDirection(request)
  const resolved = await resolveSeeds({ profile: request.profile, params: request.params }, api)
  checkAborted(api.signal)
  hooks.onSeeds(resolved)
  if (resolved.seeds.length === 0) return { kind: 'no_seeds' }
  const seedIds = resolved.seeds.map((s) => s.container_id)
  const family = await fetchLineage({ profile: request.profile, container_ids: seedIds, params: { direction } }, api)
  checkAborted(api.signal)
  hooks.onLineage(family)
  const events = await requestEvents(
    {
      profile: request.profile,
      lineage_query_id: family.lineage_query_id,
      seed_container_ids: seedIds,
      domains: request.domains,
      params: { direction },
    },
    api,
  )
  checkAborted(api.signal)
  return events.kind === 'job'
    ? { kind: 'job', links: linksOfAccepted(events.accepted) }
    : { kind: 'rows', body: events.body }
}
