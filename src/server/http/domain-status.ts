/**
 * How the domain's errors answer over HTTP: the one table from domain code to status. The error handler and
 * every route that writes an error itself go through `apiErrorOf`.
 */
import { DomainError, type DomainErrorCode } from '../errors/domain-error.ts'
import { ApiError, type HttpStatus } from './api-error.ts'

/** The status of each domain error code. */
export const DOMAIN_STATUS: Readonly<Record<DomainErrorCode, HttpStatus>> = {
  INVALID_PARAMS: 400,
  SEED_RESOLVE_TIMEOUT: 504,
  SEED_RESOLVE_FAILED: 500,
  LINEAGE_TIMEOUT: 504,
  LINEAGE_FAILED: 500,
  EVENTS_FAILED: 500,
  SERVICE_UNAVAILABLE: 503,
  JOB_FAILED: 500,
  RESULT_LOST: 500,
}

/** The HTTP form of a domain error: its status from the table, Retry-After when it says when to retry. */
export function domainApiError(err: DomainError): ApiError {
  const headers: Record<string, string> =
    err.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(err.retryAfterSeconds) }
  return new ApiError(DOMAIN_STATUS[err.code], err.code, err.message, err.details, headers)
}

/** An ApiError as is, a domain error mapped; undefined for anything else (an unexpected failure). */
export function apiErrorOf(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err
  if (err instanceof DomainError) return domainApiError(err)
  return undefined
}
