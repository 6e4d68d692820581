/** Who is asking: the key rate limits are counted under. */
import type { Context } from 'hono'

interface NodeBindings {
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } }
}

/** Key used when the runtime exposes no socket (in-process `app.request()` calls). */
export const LOCAL_CLIENT_KEY = 'local'

/**
 * The client's address. With `trustProxy`, the last X-Forwarded-For entry wins: it is the one the (single,
 * trusted) reverse proxy appended, while earlier entries are whatever the client chose to send.
 */
export function clientKey(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1)
    if (last) return last
  }
  const env = c.env as NodeBindings | undefined
  return env?.incoming?.socket?.remoteAddress ?? LOCAL_CLIENT_KEY
}
