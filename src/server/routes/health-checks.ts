/**
 * The probes behind GET /api/health. Each is bounded by a short deadline, so a hung database or Redis makes
 * the health answer `degraded` quickly instead of hanging the monitor that asked.
 */
import type { MesSource } from '../source/mes-source.ts'

/** What one probe found. */
export interface ProbeResult {
  readonly reachable: boolean
  /** Milliseconds the probe took; null when it failed or timed out. */
  readonly latency_ms: number | null
  readonly error: string | null
}

/** Deadline of every probe. Below the usual 5 s of load-balancer and systemd health checks. */
export const PROBE_TIMEOUT_MS = 2_000

/** Settles like `work`, or rejects once `timeoutMs` passed (the late work is left to finish on its own). */
export async function withDeadline<T>(work: Promise<T>, timeoutMs: number = PROBE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Runs `probe` with a deadline; its failure or lateness becomes an unreachable result, never a throw. */
export async function timedProbe(
  probe: () => Promise<unknown>,
  timeoutMs: number = PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  const t0 = performance.now()
  try {
    await withDeadline(probe(), timeoutMs)
    return { reachable: true, latency_ms: Math.round((performance.now() - t0) * 10) / 10, error: null }
  } catch (err) {
    return { reachable: false, latency_ms: null, error: err instanceof Error ? err.message : String(err) }
  }
}

/** Pings the MES database (the source's own cheap check, e.g. `SELECT 1` on a connection outside the pool). */
export function probeDatabase(source: MesSource, timeoutMs?: number): Promise<ProbeResult> {
  return timedProbe(() => source.ping(), timeoutMs)
}

/**
 * PINGs Redis on a connection of its own, like the PostgreSQL ping: the job system's connections may be busy
 * with blocking commands, and the check must work even when the job system failed to start. ioredis is
 * imported on first use so a web process without REDIS_URL never loads it.
 */
export async function probeRedis(url: string, timeoutMs: number = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const { Redis } = await import('ioredis')
  return timedProbe(async () => {
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    // Failures surface through connect() and ping(); the event would otherwise be logged as unhandled.
    redis.on('error', () => {})
    try {
      await redis.connect()
      await redis.ping()
    } finally {
      redis.disconnect()
    }
  }, timeoutMs)
}
