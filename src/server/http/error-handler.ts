/** Maps every thrown error to the shared envelope; never sends a stack trace. */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { log } from '../logger.ts'
import { errorBody } from './api-error.ts'
import { apiErrorOf } from './domain-status.ts'

/** The request body stream failed because the client closed the connection (Node: `aborted`, ECONNRESET). */
function clientWentAway(err: Error, c: Context): boolean {
  return c.req.raw.signal.aborted || (err as NodeJS.ErrnoException).code === 'ECONNRESET'
}

/**
 * `app.onError`: an ApiError keeps its status, code, details and headers, a domain error gets its status from
 * domain-status.ts; anything unknown is 500 INTERNAL_ERROR.
 */
export function handleError(err: Error, c: Context): Response {
  const api = apiErrorOf(err)
  if (api) {
    if (api.status >= 500) log.warn('request failed', { path: c.req.path, code: api.code, error: api.message })
    for (const [k, v] of Object.entries(api.headers)) c.header(k, v)
    return c.json(errorBody(api.code, api.message, api.details), api.status)
  }
  if (err instanceof HTTPException && err.status === 413) {
    return c.json(errorBody('PAYLOAD_TOO_LARGE', 'request body is too large'), 413)
  }
  if (clientWentAway(err, c)) {
    // Nobody is left to read a response: a dropped upload is the client's business, one line is enough.
    log.info('client went away before its request was read', { path: c.req.path, error: err.message })
    return c.json(errorBody('INVALID_PARAMS', 'the request was aborted by the client'), 400)
  }
  log.error('unhandled error', { path: c.req.path, error: err.message, stack: err.stack })
  return c.json(errorBody('INTERNAL_ERROR', 'internal error'), 500)
}
