/** The CIDs an events request covers: its `container_ids`, or the lineage recomputed from its seed ids. */
import type { Direction, Profile } from '../../shared/domains.ts'
import type { Config } from '../config.ts'
import { ApiError } from '../http/api-error.ts'
import { lineageQueryId, traceLineageIds } from '../pipeline/lineage.ts'
import type { MesSource } from '../source/mes-source.ts'

/** Unique ids in first-seen order. */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)]
}

/**
 * Throws 409 LINEAGE_MISMATCH unless `lineageQueryId` is the id of (profile, direction, seeds): the reference
 * the browser sends must be the lineage it was shown, not one for other seeds or another direction.
 */
export function checkLineageRef(
  profile: Profile,
  direction: Direction,
  lineageQueryIdSent: string,
  seeds: readonly string[],
): void {
  const expected = lineageQueryId(profile, direction, seeds)
  if (expected !== lineageQueryIdSent) {
    throw new ApiError(
      409,
      'LINEAGE_MISMATCH',
      `lineage_query_id ${lineageQueryIdSent} does not belong to these ${seeds.length} seed ids (${profile}, ${direction}); run lineage again`,
      { expected_lineage_query_id: expected },
    )
  }
}

/** Recomputes the lineage of `seeds` and returns every CID in it (the compact walk: no nodes, edges or names). */
export async function lineageCids(
  source: MesSource,
  request: { readonly profile: Profile; readonly direction: Direction; readonly seeds: readonly string[] },
  options: { readonly config: Config; readonly signal?: AbortSignal },
): Promise<string[]> {
  return traceLineageIds(
    source,
    { profile: request.profile, seeds: request.seeds, direction: request.direction },
    options,
  )
}
