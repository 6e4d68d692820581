/**
 * Who is asking. Three modes, from configuration:
 * - proxy: a reverse proxy doing the plant's single sign-on puts the user name in AUTH_PROXY_USER_HEADER; the
 *   header is believed only on connections from AUTH_TRUSTED_PROXIES (anyone else could send it);
 * - token: scripts send `Authorization: Bearer <token>`, each token of AUTH_TOKENS naming its user;
 * - none (neither configured): everyone is anonymous, as before; a loopback client counts as admin, since on
 *   127.0.0.1 only this machine's own user can reach the server.
 * Proxy and token modes combine. When either is configured, /api answers 401 to a request with no user.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { BlockList, isIPv6 } from 'node:net'
import type { Context, MiddlewareHandler } from 'hono'
import { ApiError } from './api-error.ts'
import { socketAddress } from './client-key.ts'

/** The signed-in user of a request (`user: null` when anonymous, which only the `none` mode allows). */
export interface Identity {
  readonly user: string | null
  readonly admin: boolean
  readonly via: 'proxy' | 'token' | 'none'
}

declare module 'hono' {
  interface ContextVariableMap {
    identity: Identity
  }
}

export interface AuthConfig {
  readonly AUTH_PROXY_USER_HEADER?: string
  readonly AUTH_TRUSTED_PROXIES: readonly string[]
  readonly AUTH_TOKENS: readonly string[]
  readonly AUTH_ADMIN_USERS: readonly string[]
}

/** Longest user name taken from the proxy header. */
const MAX_USER_LENGTH = 256
/** Shortest token accepted in AUTH_TOKENS: guessing one must be hopeless. */
export const MIN_TOKEN_LENGTH = 24

const ANONYMOUS: Identity = { user: null, admin: false, via: 'none' }

/** Whether proxy or token authentication is configured. */
export function authEnabled(config: AuthConfig): boolean {
  return config.AUTH_PROXY_USER_HEADER !== undefined || config.AUTH_TOKENS.length > 0
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return v4.startsWith('127.') || address === '::1' || v4 === 'localhost'
}

function proxyList(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address, prefix] = entry.split('/')
    const family = isIPv6(address) ? 'ipv6' : 'ipv4'
    if (prefix === undefined) list.addAddress(address, family)
    else list.addSubnet(address, Number(prefix), family)
  }
  return list
}

function inList(list: BlockList, address: string | undefined): boolean {
  if (address === undefined) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  try {
    return isIPv6(v4) ? list.check(v4, 'ipv6') : list.check(v4, 'ipv4')
  } catch {
    return false
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

function tokenTable(entries: readonly string[]): { user: string; digest: Buffer }[] {
  return entries.map((entry) => {
    const i = entry.indexOf(':')
    const user = entry.slice(0, i).trim()
    const token = entry.slice(i + 1).trim()
    if (i <= 0 || !user || token.length < MIN_TOKEN_LENGTH) {
      throw new Error(
        `invalid configuration: AUTH_TOKENS entries are <user>:<token> with tokens of ${MIN_TOKEN_LENGTH}+ characters`,
      )
    }
    return { user, digest: digest(token) }
  })
}

/** Throws at start when the auth settings cannot work as written. */
function checkAuthConfig(config: AuthConfig): void {
  if (config.AUTH_PROXY_USER_HEADER !== undefined && config.AUTH_TRUSTED_PROXIES.length === 0) {
    throw new Error(
      'invalid configuration: AUTH_PROXY_USER_HEADER needs AUTH_TRUSTED_PROXIES ' +
        '(the proxy addresses it is believed from)',
    )
  }
}

/** Middleware setting `c.get('identity')`; with authentication on, /api requests without a user get 401. */
export function identify(config: AuthConfig, isOpenPath: (path: string) => boolean): MiddlewareHandler {
  checkAuthConfig(config)
  const enabled = authEnabled(config)
  const header = config.AUTH_PROXY_USER_HEADER
  const proxies = proxyList(config.AUTH_TRUSTED_PROXIES)
  const tokens = tokenTable(config.AUTH_TOKENS)
  const admins = new Set(config.AUTH_ADMIN_USERS)
  const signedIn = (user: string, via: Identity['via']): Identity => ({ user, admin: admins.has(user), via })

  const resolve = (c: Context): Identity | undefined => {
    const auth = c.req.header('authorization')
    if (tokens.length > 0 && auth !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(auth)
      const sent = match ? digest(match[1]) : undefined
      // Every entry is compared (in constant time each) so the time taken says nothing about which one matched.
      let user: string | undefined
      for (const t of tokens) if (sent && timingSafeEqual(sent, t.digest)) user = t.user
      if (user === undefined)
        throw new ApiError(401, 'UNAUTHORIZED', 'the bearer token is not valid', {}, { 'WWW-Authenticate': 'Bearer' })
      return signedIn(user, 'token')
    }
    if (header !== undefined && inList(proxies, socketAddress(c))) {
      const name = c.req.header(header)?.trim()
      if (name && name.length <= MAX_USER_LENGTH) return signedIn(name, 'proxy')
    }
    return undefined
  }

  return async (c, next) => {
    if (!enabled) {
      c.set('identity', { ...ANONYMOUS, admin: isLoopback(socketAddress(c)) })
      return next()
    }
    const identity = resolve(c)
    if (identity === undefined && !isOpenPath(c.req.path)) {
      throw new ApiError(
        401,
        'UNAUTHORIZED',
        'sign in first: this server needs a signed-in user or a bearer token',
        {},
        {
          'WWW-Authenticate': 'Bearer',
        },
      )
    }
    c.set('identity', identity ?? ANONYMOUS)
    await next()
  }
}

/** The request's identity (anonymous when the identify middleware did not run, e.g. for static files). */
export function identityOf(c: Context): Identity {
  return c.get('identity') ?? ANONYMOUS
}
