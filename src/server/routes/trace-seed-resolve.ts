/** POST /api/trace/seed-resolve: what the engineer typed (or an MSD station and dates) → seed CIDs. */
import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import { seedResolveRequestSchema, type SeedParams } from '../../shared/schemas.ts'
import type { SeedResolveResponse } from '../../shared/responses.ts'
import type { AppDeps } from '../app-deps.ts'
import { ApiError } from '../http/api-error.ts'
import { readJsonBody } from '../http/json-body.ts'
import { resolveSeeds } from '../pipeline/seed-resolve.ts'
import { withStageDeadline } from '../pipeline/stage-deadline.ts'
import { parseSeedRequest } from './trace-request.ts'

/**
 * `trace:seed:<profile>:<digest of the parsed params>`, the form of the old system's key. The old pages send it
 * back with lineage and events; nothing is cached under it here, so those routes ignore it.
 */
export function seedCacheKey(seed: SeedParams): string {
  const digest = createHash('sha256').update(JSON.stringify(seed.params)).digest('hex').slice(0, 32)
  return `trace:seed:${seed.profile}:${digest}`
}

/** The seed-resolve router, mounted at /api/trace/seed-resolve. */
export function seedResolveRoutes(deps: Pick<AppDeps, 'config' | 'source'>): Hono {
  return new Hono().post('/', async (c) => {
    const body = await readJsonBody(c, seedResolveRequestSchema)
    const seed = parseSeedRequest(body, deps.config)
    const seconds = deps.config.SEED_RESOLVE_TIMEOUT_SECONDS
    const timedOut = (): ApiError =>
      new ApiError(504, 'SEED_RESOLVE_TIMEOUT', `seed resolution did not finish within ${seconds} s`, {
        limit: seconds,
      })
    const opts = { config: deps.config, signal: c.req.raw.signal }
    const resolved = await withStageDeadline(opts, seconds, timedOut, (o) => resolveSeeds(deps.source, seed, o))
    const response: SeedResolveResponse = { ...resolved, cache_key: seedCacheKey(seed) }
    return c.json(response)
  })
}
