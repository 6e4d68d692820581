/**
 * The errors of the trace domain (pipeline, jobs, storage, analysis): a machine-readable code and a message a
 * client may read, never an HTTP status. How each code answers over HTTP is decided in one table in
 * `http/domain-status.ts`; the worker records the same code and message in a failed job.
 */
import type { Domain } from '../../shared/domains.ts'
import type { ErrorCode } from '../../shared/errors.ts'

/** The codes domain code throws; every one has its status in `http/domain-status.ts`. */
export type DomainErrorCode = Extract<
  ErrorCode,
  | 'INVALID_PARAMS'
  | 'SEED_RESOLVE_TIMEOUT'
  | 'SEED_RESOLVE_FAILED'
  | 'LINEAGE_TIMEOUT'
  | 'LINEAGE_FAILED'
  | 'EVENTS_FAILED'
  | 'SERVICE_UNAVAILABLE'
  | 'JOB_FAILED'
  | 'RESULT_LOST'
>

export interface DomainErrorOptions {
  /** Extra fields a client reads beside code and message (e.g. `tokens`, `limit`). Default none. */
  readonly details?: Record<string, unknown>
  /** When the same request may succeed again (a busy or absent worker). Default: not said. */
  readonly retryAfterSeconds?: number
}

/** A refusal or failure of the domain: what went wrong, in words a client may read. */
export class DomainError extends Error {
  readonly details: Record<string, unknown>
  readonly retryAfterSeconds: number | undefined

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message)
    this.name = 'DomainError'
    this.details = options.details ?? {}
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}

/** The error a failed domain throws: the events stage lists it in `failed_domains` and carries on. */
export class DomainEventsError extends DomainError {
  constructor(
    /** The domain whose query failed. */
    readonly domain: Domain,
    message: string,
  ) {
    super('EVENTS_FAILED', message, { details: { domain } })
    this.name = 'DomainEventsError'
  }
}
