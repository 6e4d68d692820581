/**
 * POST /api/trace/jobs `{profile, params, domains?}`: the whole trace (seed-resolve → lineage → events) as one
 * job, from what the engineer typed. The params are parsed here, once, so a typo is a 400 now, not a failed job.
 */
import { Hono } from 'hono'
import { jobRequestSchema } from '../../shared/schemas.ts'
import type { AppDeps } from '../app-deps.ts'
import { ApiError } from '../http/api-error.ts'
import { identityOf } from '../http/identity.ts'
import { readJsonBody } from '../http/json-body.ts'
import { parseTraceRequest } from './trace-request.ts'

/** Retry-After when the server runs without a job system (it failed to start). */
const NO_JOB_SYSTEM_RETRY_AFTER_SECONDS = 60

/** The router mounted at /api/trace/jobs; without a job system it answers 503 SERVICE_UNAVAILABLE. */
export function jobSubmitRoutes(deps: Pick<AppDeps, 'config' | 'jobs'>): Hono {
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
    // The parsed params travel to the worker, never the raw ones: unknown keys (of any size or depth) are not
    // the job's business, and the worker does not parse them again.
    const { seed, direction, domains } = parseTraceRequest(body, deps.config)
    const owner = identityOf(c).user
    const accepted = await deps.jobs.submit({
      profile: body.profile,
      domains,
      input: { kind: 'trace', seed, direction },
      cid_count: 0,
      owner,
    })
    return c.json(accepted, 202)
  })
}
