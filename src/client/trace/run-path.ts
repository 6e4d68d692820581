/** Which way a trace runs: one job for the whole trace (default), or the staged calls for a small lookup. */
import { traceDirection, type Direction } from '../../shared/domains.ts'
import type { JobRequest } from '../../shared/schemas.ts'
import { isPatternToken, splitTokens } from '../../shared/tokens.ts'

/** `auto` picks staged for a few exact ids and a job otherwise. */
export type RunMode = 'auto' | 'job' | 'staged'
export type RunPath = 'job' | 'staged'

/** Most exact ids `auto` sends through the staged calls. */
export const STAGED_MAX_TOKENS = 20

function valuesOf(params: Record<string, unknown>): string[] | null {
  const v = params.values
  if (typeof v === 'string') return splitTokens(v)
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return splitTokens(v)
  return null
}

/** The path a request takes under `mode`. An MSD date range always runs as a job (it can reach 100 K CIDs). */
export function chooseRunPath(request: JobRequest, mode: RunMode, maxTokens = STAGED_MAX_TOKENS): RunPath {
  if (mode !== 'auto') return mode
  const tokens = valuesOf(request.params)
  if (!tokens || tokens.length > maxTokens || tokens.some(isPatternToken)) return 'job'
  return 'staged'
}

/** The lineage direction of a request (MSD reads it from its params). */
export function requestDirection(request: JobRequest): Direction {
  return traceDirection(request.profile, request.params)
}
