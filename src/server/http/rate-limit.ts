/**
 * Per-client request limits, one bucket per route. A small fixed window rather than a library such as
 * hono-rate-limiter: the limits are per route and per window straight from env, the state is this one web
 * process's memory, the refusal must be the shared error envelope, and with a fixed window `Retry-After` is
 * exactly the time until the client's window ends.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { ApiError } from './api-error.ts'

export interface RateLimitOptions {
  /** Bucket name, used in the refusal message (e.g. `events`). */
  readonly name: string
  /** Requests allowed per client per window. */
  readonly limit: number
  /** Window length in seconds. */
  readonly windowSeconds: number
  /** The client a request is counted under. */
  readonly keyOf: (c: Context) => string
  /** Clock in milliseconds; default Date.now (tests move it). */
  readonly now?: () => number
}

interface Window {
  readonly endsAt: number
  count: number
}

/** Middleware that refuses a client's request past `limit` in its window with 429 TOO_MANY_REQUESTS. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { name, limit, keyOf } = options
  const windowMs = options.windowSeconds * 1000
  const now = options.now ?? Date.now
  const windows = new Map<string, Window>()
  let nextSweep = 0

  // Ended windows are dropped once per window length so the map holds only clients seen recently.
  const sweep = (t: number): void => {
    if (t < nextSweep) return
    nextSweep = t + windowMs
    for (const [key, w] of windows) if (w.endsAt <= t) windows.delete(key)
  }

  return async (c, next) => {
    const t = now()
    sweep(t)
    const key = keyOf(c)
    let w = windows.get(key)
    if (!w || w.endsAt <= t) {
      w = { endsAt: t + windowMs, count: 0 }
      windows.set(key, w)
    }
    if (w.count >= limit) {
      const retryAfter = Math.max(1, Math.ceil((w.endsAt - t) / 1000))
      throw new ApiError(
        429,
        'TOO_MANY_REQUESTS',
        `too many ${name} requests: at most ${limit} per ${options.windowSeconds} s; retry in ${retryAfter} s`,
        { retry_after: retryAfter },
        { 'Retry-After': String(retryAfter) },
      )
    }
    w.count += 1
    await next()
  }
}
