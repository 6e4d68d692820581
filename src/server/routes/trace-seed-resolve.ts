/** POST /api/trace/seed-resolve: what the engineer typed (or an MSD station and dates) → seed CIDs. */
import { Hono } from 'hono'
import { parseSeedParams, seedResolveRequestSchema } from '../../shared/schemas.ts'
import type { SeedResolveResponse } from '../../shared/responses.ts'
import type { AppDeps } from '../app.ts'
import { readJsonBody } from '../http/json-body.ts'
import { validationError } from '../http/validation.ts'
import { resolveSeeds } from '../pipeline/seed-resolve.ts'

/** The seed-resolve router, mounted at /api/trace/seed-resolve. */
export function seedResolveRoutes(deps: AppDeps): Hono {
  return new Hono().post('/', async (c) => {
    const body = await readJsonBody(c, seedResolveRequestSchema)
    const parsed = parseSeedParams(body.profile, body.params)
    if (!parsed.success) throw validationError(parsed.error, ['params'])
    const response: SeedResolveResponse = await resolveSeeds(deps.source, parsed.data, {
      config: deps.config,
      signal: c.req.raw.signal,
    })
    return c.json(response)
  })
}
