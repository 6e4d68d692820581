/** The lines of a job's NDJSON stream, in the order the server sends them. */
import type { Domain, Profile } from './domains.ts'
import type { ErrorCode } from './errors.ts'

export interface MetaLine {
  type: 'meta'
  job_id: string
  profile: Profile
  domains: Domain[]
}
export interface DomainStartLine {
  type: 'domain_start'
  domain: Domain
  columns: string[]
}
/**
 * `data` (objects keyed by column, the compatible default) or `rows` (arrays in `columns` order, when the caller
 * asks for `shape=compact`: see row-shape.ts). `batch` counts from 0 within its domain; `?from=<domain>:<batch>`
 * resumes with the line after that batch.
 */
export interface RecordsLine {
  type: 'records'
  domain: Domain
  batch: number
  count: number
  rows?: unknown[][]
  data?: Record<string, unknown>[]
}
export interface DomainEndLine {
  type: 'domain_end'
  domain: Domain
  count: number
}
export interface AggregationLine {
  type: 'aggregation'
  data: unknown
}
export interface WarningLine {
  type: 'warning'
  code: 'EVENTS_PARTIAL_FAILURE'
  failed_domains: { domain: Domain; code: ErrorCode; message: string }[]
}
export interface CompleteLine {
  type: 'complete'
  total_records: number
  counts: Partial<Record<Domain, number>>
}
export interface ErrorLine {
  type: 'error'
  code: ErrorCode
  message: string
}
/** A job stored by the old system as one key: the whole result in one line. */
export interface FullResultLine {
  type: 'full_result'
  data: unknown
}

export type StreamLine =
  | MetaLine
  | DomainStartLine
  | RecordsLine
  | DomainEndLine
  | AggregationLine
  | WarningLine
  | CompleteLine
  | ErrorLine
  | FullResultLine
