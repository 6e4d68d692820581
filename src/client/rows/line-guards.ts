/** Checks of values read from stream lines, shared by the page's ingest and the worker's encoder. */
import { DOMAINS, type Domain } from '../../shared/domains.ts'

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined
}

export function isDomain(v: unknown): v is Domain {
  return typeof v === 'string' && (DOMAINS as readonly string[]).includes(v)
}

/** A whole number ≥ 0 (batch numbers, row counts). */
export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0
}
