/** Who is asking: the key rate limits are counted under. */
import type { Context } from 'hono'

interface NodeBindings {
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } }
}

/** Key used when the runtime exposes no socket (in-process `app.request()` calls). */
export const LOCAL_CLIENT_KEY = 'local'

/** The address of the connection's other end (the client, or the reverse proxy); undefined in-process. */
export function socketAddress(c: Context): string | undefined {
  const env = c.env as NodeBindings | undefined
  return env?.incoming?.socket?.remoteAddress
}

/**
 * The client's address. With `trustProxy`, the last X-Forwarded-For entry wins: it is the one the (single,
 * trusted) reverse proxy appended, while earlier entries are whatever the client chose to send.
 */
export function clientKey(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')
    const last = forwarded
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1)
    if (last) return last
  }
  return socketAddress(c) ?? LOCAL_CLIENT_KEY
}
