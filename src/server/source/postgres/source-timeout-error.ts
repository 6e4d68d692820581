/** A single fetch round trip outlived DB_SLOW_CALL_TIMEOUT_MS; the statement was cancelled on the server. */
export class SourceTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`database call exceeded DB_SLOW_CALL_TIMEOUT_MS (${timeoutMs} ms); the query was cancelled`)
    this.name = 'SourceTimeoutError'
  }
}
