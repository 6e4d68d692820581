/**
 * A trace's params parsed once, at the edge: shape and profile rules (the shared schemas), then the server's
 * bounds. What comes out is what the pipeline and the job input carry; nothing downstream parses them again.
 */
import type { Direction, Domain } from '../../shared/domains.ts'
import { traceDirection } from '../../shared/domains.ts'
import { parseSeedParams, type JobRequest, type SeedParams, type SeedResolveRequest } from '../../shared/schemas.ts'
import type { Config } from '../config.ts'
import { validationError } from '../http/validation.ts'
import { resolveDomains } from '../pipeline/events.ts'
import { checkSeedBounds } from '../pipeline/seed-bounds.ts'

type BoundsConfig = Pick<Config, 'SEED_MAX_PATTERN_TOKENS' | 'SEED_MAX_TOKEN_LENGTH'>

/** A whole-trace request, parsed: the seed params, the one direction and the domains of the trace. */
export interface ParsedTrace {
  readonly seed: SeedParams
  readonly direction: Direction
  readonly domains: Domain[]
}

/** The seed params of a request, or 400 INVALID_PARAMS naming the field (`params.…`) or the bound passed. */
export function parseSeedRequest(body: SeedResolveRequest, config: BoundsConfig): SeedParams {
  const parsed = parseSeedParams(body.profile, body.params)
  if (!parsed.success) throw validationError(parsed.error, ['params'])
  checkSeedBounds(parsed.data, config)
  return parsed.data
}

/** A whole-trace request parsed: its seed params, its direction (decided here once) and its domains. */
export function parseTraceRequest(body: JobRequest, config: BoundsConfig): ParsedTrace {
  const seed = parseSeedRequest(body, config)
  const direction = traceDirection(seed.profile, seed.params)
  return { seed, direction, domains: resolveDomains(seed.profile, direction, body.domains) }
}
