/** Errors as the browser shows them: the server's codes plus the failures only a client can see. */
import type { ErrorCode } from '../../shared/errors.ts'

/** Failures detected in the browser. */
export type ClientErrorCode =
  | 'NETWORK_ERROR'
  | 'REQUEST_TIMEOUT'
  | 'POLL_TIMEOUT'
  | 'STREAM_DROPPED'
  | 'MALFORMED_LINE'
  | 'COUNT_MISMATCH'
  | 'BAD_RESPONSE'

export type TraceErrorCode = ErrorCode | ClientErrorCode

/** What a stage shows when it failed. */
export interface StageError {
  readonly code: TraceErrorCode
  readonly message: string
}

/** A failed HTTP call: the server's envelope code, or a client code for network failures and timeouts. */
export class ApiRequestError extends Error {
  constructor(
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    readonly code: TraceErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
    this.name = 'ApiRequestError'
  }
}

/** A stream line that is not a JSON object of a known type. */
export class MalformedLineError extends Error {
  constructor(
    /** 1-based number among the stream's non-blank lines. */
    readonly lineNumber: number,
    readonly excerpt: string,
    /** What is wrong with it, e.g. "not valid JSON". */
    readonly reason: string,
  ) {
    super(`malformed stream line ${lineNumber}: ${reason}${excerpt ? ` (${excerpt})` : ''}`)
    this.name = 'MalformedLineError'
  }
}

/** True for an abort we caused (cancel, reset, a newer run). */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'CanceledError')
}

/** Any thrown value as a StageError. */
export function toStageError(err: unknown): StageError {
  if (err instanceof ApiRequestError) return { code: err.code, message: err.message }
  if (err instanceof MalformedLineError) return { code: 'MALFORMED_LINE', message: err.message }
  return { code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err) }
}
