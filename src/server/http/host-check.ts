/**
 * Answers only requests addressed to this server's own names. A page on another site can resolve its own name
 * to 127.0.0.1 (DNS rebinding) and then read this server as "same origin"; the Host header it sends still
 * names that other site, so refusing unknown hosts closes the hole.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiError } from './api-error.ts'

/** Names a server on loopback always answers to. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']

/** `host` as the URL parser spells a hostname (IPv6 in brackets, lower case). */
function hostnameOf(host: string): string {
  const bare = host.toLowerCase()
  return bare.includes(':') && !bare.startsWith('[') ? `[${bare}]` : bare
}

/**
 * The host names to answer: ALLOWED_HOSTS when set, else the loopback names plus HOST (unless HOST is a
 * wildcard address such as 0.0.0.0, which is no name a client would use).
 */
export function allowedHostNames(config: {
  readonly ALLOWED_HOSTS: readonly string[]
  readonly HOST: string
}): string[] {
  if (config.ALLOWED_HOSTS.length > 0) return config.ALLOWED_HOSTS.map(hostnameOf)
  const wildcard = config.HOST === '0.0.0.0' || config.HOST === '::'
  return [...new Set([...LOOPBACK_NAMES, ...(wildcard ? [] : [hostnameOf(config.HOST)])])]
}

/** Middleware refusing any other Host with 403 HOST_NOT_ALLOWED; `*` in the list turns the check off. */
export function hostCheck(names: readonly string[]): MiddlewareHandler {
  const allowed = new Set(names)
  return async (c, next) => {
    if (allowed.has('*')) return next()
    // The node adapter builds the URL from the Host header, so its hostname is what the client asked for.
    const hostname = new URL(c.req.url).hostname.toLowerCase()
    if (!allowed.has(hostname)) {
      throw new ApiError(403, 'HOST_NOT_ALLOWED', `this server does not answer to host ${hostname}`, { host: hostname })
    }
    await next()
  }
}
