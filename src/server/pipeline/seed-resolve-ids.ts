/**
 * Seed resolution for jobs: the seed CIDs and what the job's seed summary reports, without a seed object
 * per lot where the input allows it (MSD date ranges, 300 K+ lots in a wide range).
 */
import type { ExpansionInfo } from '../../shared/responses.ts'
import type { SeedParams } from '../../shared/schemas.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sortedUnique } from './batching.ts'
import { msdEmptyReason } from './seed-empty-reason.ts'
import { resolveMsdSeedIds } from './seed-msd-ids.ts'
import { resolveSeeds } from './seed-resolve.ts'
import { stageError } from './stage-errors.ts'
import type { StageOptions } from './stage-options.ts'

/** Seed CIDs (sorted, unique) with the counts and notes of `resolveSeeds`. */
export interface SeedIds {
  readonly ids: string[]
  readonly seed_count: number
  readonly not_found: string[]
  readonly expansion_info: ExpansionInfo[]
  /** Why no seed was found; present exactly when there is none. */
  readonly no_seeds_reason?: string
}

/** The seeds `resolveSeeds` finds, as ids; fails like it (400 INVALID_PARAMS, 500 SEED_RESOLVE_FAILED). */
export async function resolveSeedIds(source: MesSource, input: SeedParams, opts: StageOptions): Promise<SeedIds> {
  const { params } = input
  if ('mode' in params && params.mode === 'date_range') {
    try {
      const ids = await resolveMsdSeedIds(source, params, opts)
      const seeds: SeedIds = { ids, seed_count: ids.length, not_found: [], expansion_info: [] }
      return ids.length > 0 ? seeds : { ...seeds, no_seeds_reason: await msdEmptyReason(source, params, opts) }
    } catch (err) {
      throw stageError(err, opts.signal, 'SEED_RESOLVE_FAILED', 'seed resolution failed')
    }
  }
  const resolved = await resolveSeeds(source, input, opts)
  return {
    ids: sortedUnique(resolved.seeds.map((s) => s.container_id)),
    seed_count: resolved.seed_count,
    not_found: resolved.not_found,
    expansion_info: resolved.expansion_info,
    ...(resolved.no_seeds_reason ? { no_seeds_reason: resolved.no_seeds_reason } : {}),
  }
}
