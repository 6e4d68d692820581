/**
 * Without authentication anyone who reaches the server can read and cancel every job, which is acceptable on
 * 127.0.0.1 (only this machine) and nowhere else: listening on another address then needs either proxy/token
 * authentication or an explicit ALLOW_UNAUTHENTICATED_REMOTE=true.
 */
import { authEnabled, isLoopback, type AuthConfig } from './identity.ts'

/** True for names and addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopback(host)
}

/** Throws (naming the variables to set) when `host` may not be listened on with this configuration. */
export function assertBindAllowed(
  config: AuthConfig & { readonly ALLOW_UNAUTHENTICATED_REMOTE: boolean },
  host: string,
): void {
  if (isLoopbackHost(host) || authEnabled(config) || config.ALLOW_UNAUTHENTICATED_REMOTE) return
  throw new Error(
    `refusing to listen on ${host} without authentication: set AUTH_PROXY_USER_HEADER with AUTH_TRUSTED_PROXIES, or ` +
      'AUTH_TOKENS, or ALLOW_UNAUTHENTICATED_REMOTE=true to serve every client anonymously',
  )
}
