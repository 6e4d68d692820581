/**
 * Cross-site request refusal for state-changing routes. A page on another site can make a browser send a
 * POST with a "simple" content type (text/plain, form encodings) without a CORS preflight, so such bodies are
 * refused outright (415), and a request a browser marks as coming from another site (Sec-Fetch-Site, or an
 * Origin naming another host) is refused with 403. Scripts and curl send neither header and pass.
 * Hono's `csrf` middleware only looks at form content types, so it would not cover a JSON route reached by
 * text/plain or a DELETE; this one checks every POST and DELETE.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiError } from './api-error.ts'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Sec-Fetch-Site values of a request the app itself (or the user typing a URL) made. */
const OWN_SITE = new Set(['same-origin', 'none'])

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

/**
 * Middleware refusing a cross-site state-changing request with 403 FORBIDDEN. `ownHosts` are the names the
 * server answers to: an Origin naming one of them (on any port, e.g. the Vite dev server) is the app's own.
 */
export function sameOriginOnly(ownHosts: readonly string[]): MiddlewareHandler {
  const own = new Set(ownHosts)
  return async (c, next) => {
    if (!STATE_CHANGING.has(c.req.method)) return next()
    const site = c.req.header('sec-fetch-site')
    if (site !== undefined && !OWN_SITE.has(site.toLowerCase())) {
      throw new ApiError(403, 'FORBIDDEN', `cross-site ${c.req.method} refused (Sec-Fetch-Site: ${site})`)
    }
    const origin = c.req.header('origin')
    if (origin !== undefined) {
      const host = originHost(origin)
      const requestHost = new URL(c.req.url).hostname.toLowerCase()
      if (host === undefined || (host !== requestHost && !own.has(host) && !own.has('*'))) {
        throw new ApiError(403, 'FORBIDDEN', `cross-site ${c.req.method} refused (Origin: ${origin.slice(0, 200)})`)
      }
    }
    await next()
  }
}

/** Middleware refusing a POST whose body is not declared `application/json` with 415 UNSUPPORTED_MEDIA_TYPE. */
export function jsonContentType(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next()
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()
    if (type !== 'application/json') {
      throw new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'request bodies must be sent as Content-Type: application/json',
        {
          field: 'content-type',
        },
      )
    }
    await next()
  }
}
