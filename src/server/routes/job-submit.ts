/**
 * POST /api/trace/jobs `{profile, params, domains?}`: the whole trace (seed-resolve → lineage → events) as one
 * job, from what the engineer typed. The params are validated here so a typo is a 400 now, not a failed job.
 */
import { Hono } from 'hono'
import { profileDirection } from '../../shared/domains.ts'
import { jobRequestSchema, parseSeedParams } from '../../shared/schemas.ts'
import type { Config } from '../config.ts'
import { ApiError } from '../http/api-error.ts'
import { identityOf } from '../http/identity.ts'
import { readJsonBody } from '../http/json-body.ts'
import { validationError } from '../http/validation.ts'
import type { JobService } from '../jobs/job-service.ts'
import { resolveDomains } from '../pipeline/events.ts'
import { checkSeedBounds } from '../pipeline/seed-bounds.ts'

/** Retry-After when the server runs without a job system (it failed to start). */
const NO_JOB_SYSTEM_RETRY_AFTER_SECONDS = 60

/** The router mounted at /api/trace/jobs; without a job system it answers 503 SERVICE_UNAVAILABLE. */
export function jobSubmitRoutes(deps: { readonly jobs?: JobService; readonly config: Config }): Hono {
  return new Hono().post('/', async (c) => {
    if (!deps.jobs) {
      throw new ApiError(
        503,
        'SERVICE_UNAVAILABLE',
        'the job system is not running on this server',
        {},
        {
          'Retry-After': String(NO_JOB_SYSTEM_RETRY_AFTER_SECONDS),
        },
      )
    }
    const body = await readJsonBody(c, jobRequestSchema)
    const parsed = parseSeedParams(body.profile, body.params)
    if (!parsed.success) throw validationError(parsed.error, ['params'])
    const seed = parsed.data
    checkSeedBounds(seed, deps.config)
    const direction =
      seed.profile === 'mid_section_defect'
        ? profileDirection(seed.profile, seed.params.direction)
        : profileDirection(body.profile)
    const domains = resolveDomains(body.profile, direction, body.domains)
    // The parsed params, never the raw ones: unknown keys (of any size or depth) are not the job's business.
    const params: Record<string, unknown> = { ...seed.params }
    const owner = identityOf(c).user
    const accepted = await deps.jobs.submit({
      profile: body.profile,
      domains,
      input: { kind: 'trace', params },
      cid_count: 0,
      owner,
    })
    return c.json(accepted, 202)
  })
}
