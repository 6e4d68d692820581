/** The one error type routes throw; `app.onError` maps it to the shared envelope. */
import type { ErrorCode } from '../../shared/errors.ts'

export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 500 | 503 | 504

export class ApiError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    /** Extra fields merged into `error` (e.g. cid_count, limit). */
    readonly details: Record<string, unknown> = {},
    /** Extra response headers (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Builds the envelope body for a code and message. */
export function errorBody(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return {
    success: false as const,
    error: { code, message, ...details },
    meta: { timestamp: new Date().toISOString() },
  }
}
