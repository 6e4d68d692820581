/** How stages turn a failure into the error they throw: ApiErrors and aborts pass through unchanged. */
import type { ErrorCode } from '../../shared/errors.ts'
import { ApiError, type HttpStatus } from '../http/api-error.ts'

/** The message of anything thrown, never its stack. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * The error a stage rethrows: an ApiError as is; the caller's abort reason when its signal aborted (a
 * cancel is not a failure); anything else wrapped as `status code` with the cause's message only.
 */
export function stageError(err: unknown, signal: AbortSignal | undefined, status: HttpStatus, code: ErrorCode, what: string): unknown {
  if (err instanceof ApiError) return err
  if (signal?.aborted) return signal.reason
  return new ApiError(status, code, `${what}: ${errorMessage(err)}`)
}
