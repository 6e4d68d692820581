/**
 * fetch with the app's rules: a timeout that is reported as an error (never a silent abort), the server's
 * error envelope turned into ApiRequestError, and the caller's AbortSignal honoured throughout.
 */
import { isErrorEnvelope } from '../../shared/errors.ts'
import { COMPACT_ACCEPT_JSON, COMPACT_ACCEPT_NDJSON } from '../../shared/row-shape.ts'
import { ApiRequestError } from './trace-errors.ts'

export interface ApiOptions {
  /** Default: globalThis.fetch. */
  readonly fetch?: typeof fetch
  /** Base for relative paths. Default: the page's location. */
  readonly baseUrl?: string
  /** Aborts the request (cancel); the rejection is the abort error, not an ApiRequestError. */
  readonly signal?: AbortSignal
  /** Milliseconds before the request fails with REQUEST_TIMEOUT. Default 30 000. */
  readonly timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 30_000

/** An absolute URL for an API path. */
export function apiUrl(path: string, baseUrl?: string): string {
  const base = baseUrl ?? (typeof location !== 'undefined' ? location.href : 'http://localhost/')
  return new URL(path, base).toString()
}

interface Pending {
  readonly signal: AbortSignal
  readonly timedOut: () => boolean
  /** Stops the timer; the caller's signal still aborts the request. */
  readonly clearTimer: () => void
  /** Stops the timer and unlinks the caller's signal. */
  readonly done: () => void
}

/** A signal that aborts on the caller's signal or after `timeoutMs`. */
function withTimeout(outer: AbortSignal | undefined, timeoutMs: number): Pending {
  const controller = new AbortController()
  let timedOut = false
  const onAbort = (): void => controller.abort(outer?.reason)
  if (outer?.aborted) controller.abort(outer.reason)
  else outer?.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new DOMException('timeout', 'TimeoutError'))
  }, timeoutMs)
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clearTimer: () => clearTimeout(timer),
    done: () => {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onAbort)
    },
  }
}

async function errorFromResponse(res: Response, path: string): Promise<ApiRequestError> {
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = undefined
  }
  if (isErrorEnvelope(body)) {
    const { code, message, ...details } = body.error
    return new ApiRequestError(res.status, code, message, details)
  }
  return new ApiRequestError(res.status, 'BAD_RESPONSE', `HTTP ${res.status} from ${path}`)
}

function rethrow(err: unknown, pending: Pending, path: string, timeoutMs: number, outer?: AbortSignal): never {
  if (pending.timedOut())
    throw new ApiRequestError(0, 'REQUEST_TIMEOUT', `no answer from ${path} within ${Math.round(timeoutMs / 1000)} s`)
  if (outer?.aborted) throw err
  if (err instanceof ApiRequestError) throw err
  throw new ApiRequestError(0, 'NETWORK_ERROR', `${path}: ${err instanceof Error ? err.message : String(err)}`)
}

/** A JSON request; resolves with the status and parsed body of a 2xx answer, rejects with ApiRequestError. */
export async function requestJson<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  options: ApiOptions = {},
): Promise<{ status: number; body: T }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const pending = withTimeout(options.signal, timeoutMs)
  try {
    const res = await (options.fetch ?? globalThis.fetch)(apiUrl(path, options.baseUrl), {
      method,
      // Event rows come compact (arrays), not as the old clients' objects; other answers ignore the parameter.
      headers:
        body === undefined
          ? { accept: COMPACT_ACCEPT_JSON }
          : { accept: COMPACT_ACCEPT_JSON, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: pending.signal,
    })
    if (!res.ok) throw await errorFromResponse(res, path)
    if (res.status === 204) return { status: res.status, body: undefined as T }
    let parsed: T
    try {
      parsed = (await res.json()) as T
    } catch (err) {
      if (pending.signal.aborted) throw err
      throw new ApiRequestError(res.status, 'BAD_RESPONSE', `${path} answered with invalid JSON`)
    }
    return { status: res.status, body: parsed }
  } catch (err) {
    rethrow(err, pending, path, timeoutMs, options.signal)
  } finally {
    pending.done()
  }
}

/**
 * Opens a long response (the NDJSON stream): the timeout covers only the wait for the status line; the
 * body is then read for as long as the job runs, until `signal` aborts.
 */
export async function openStream(path: string, options: ApiOptions = {}): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const pending = withTimeout(options.signal, timeoutMs)
  try {
    const res = await (options.fetch ?? globalThis.fetch)(apiUrl(path, options.baseUrl), {
      headers: { accept: COMPACT_ACCEPT_NDJSON },
      signal: pending.signal,
    })
    if (!res.ok) throw await errorFromResponse(res, path)
    if (!res.body) throw new ApiRequestError(res.status, 'BAD_RESPONSE', `${path} answered without a body`)
    pending.clearTimer()
    return res
  } catch (err) {
    pending.done()
    rethrow(err, pending, path, timeoutMs, options.signal)
  }
}
