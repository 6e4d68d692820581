/**
 * The types both stream readers share (the one-parser reader in job-stream-reader.ts and the pool in
 * parser-pool-reader.ts), kept apart so neither reader imports the other for them.
 */
import type { ApiOptions } from '../api/index.ts'
import type { ParserMessage, ParserRequest } from './stream-parser.ts'

/** The page's end of a parser: a Worker, or a MessagePort with `terminate` in tests. */
export interface ParserHandle {
  onmessage: ((event: MessageEvent<ParserMessage>) => void) | null
  onerror?: ((event: ErrorEvent) => void) | null
  addEventListener?(type: 'message' | 'error', listener: () => void, options?: { once?: boolean }): void
  removeEventListener?(type: 'message' | 'error', listener: () => void): void
  postMessage(message: ParserRequest, transfer: Transferable[]): void
  terminate(): void
}

/** The stream to read. */
export interface StreamRequest {
  readonly path: string
  readonly api?: Omit<ApiOptions, 'signal'>
  /** Aborts the read; the rejection is then the abort reason. Abort it after reading to release the connection. */
  readonly signal: AbortSignal
}
