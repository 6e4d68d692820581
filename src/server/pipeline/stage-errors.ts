/** How stages turn a failure into the error they throw: domain errors and aborts pass through unchanged. */
import { DomainError, type DomainErrorCode } from '../errors/domain-error.ts'
import { log } from '../logger.ts'

/** What a client is told in place of a database's own message, which stays in the server log. */
export const SEE_SERVER_LOG = 'the database reported an error; the server log has the details'

/** The message of anything thrown, never its stack. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * The error a stage rethrows: a DomainError as is; the caller's abort reason when its signal aborted (a
 * cancel is not a failure); anything else wrapped as a DomainError of `code`. The cause's message is logged, never put
 * in the error: a driver's text (SQL fragments, table names, limits) is not for clients.
 */
export function stageError(
  err: unknown,
  signal: AbortSignal | undefined,
  code: DomainErrorCode,
  what: string,
): unknown {
  if (err instanceof DomainError) return err
  if (signal?.aborted) return signal.reason
  log.warn(what, { code, error: errorMessage(err) })
  return new DomainError(code, `${what}: ${SEE_SERVER_LOG}`)
}
