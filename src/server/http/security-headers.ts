/**
 * Response headers that keep other pages from framing, sniffing or scripting the app: Hono's secureHeaders
 * with a Content-Security-Policy limited to the app's own origin. The built app loads its scripts, styles and
 * Web Workers (`new Worker(new URL(…, import.meta.url))`) as files from 'self', and exports CSV through a
 * blob: download link, which CSP does not govern; no inline script, eval or third-party origin is needed.
 */
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

const SELF = ["'self'"]

/** The middleware; HSTS is left to the TLS-terminating proxy (a browser ignores it over plain http). */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: SELF,
      scriptSrc: SELF,
      styleSrc: SELF,
      imgSrc: [...SELF, 'data:'],
      fontSrc: SELF,
      connectSrc: SELF,
      workerSrc: SELF,
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  })
}

/** Middleware giving every /api response `Cache-Control: no-store` unless its route chose otherwise. */
export function noStoreByDefault(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    if (!c.res.headers.has('cache-control')) c.res.headers.set('Cache-Control', 'no-store')
  }
}
