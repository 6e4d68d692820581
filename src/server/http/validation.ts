/** Maps zod issues to the API's 400 errors: INVALID_PROFILE for the profile, INVALID_PARAMS naming the field. */
import type { z } from 'zod'
import { ApiError } from './api-error.ts'

/** At most this many issues are spelled out in one message. */
const MAX_ISSUES_IN_MESSAGE = 3

function fieldName(path: readonly PropertyKey[], prefix: readonly string[]): string {
  const parts = [...prefix, ...path.map(String)]
  return parts.length > 0 ? parts.join('.') : 'body'
}

/** The ApiError for a failed parse; `prefix` names where the parsed value sits in the body (e.g. `params`). */
export function validationError(error: z.ZodError, prefix: readonly string[] = []): ApiError {
  const profileIssue = prefix.length === 0 ? error.issues.find((i) => i.path[0] === 'profile') : undefined
  if (profileIssue) return new ApiError(400, 'INVALID_PROFILE', profileIssue.message, { field: 'profile' })
  const first = error.issues[0]
  const parts = error.issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `${fieldName(i.path, prefix)}: ${i.message}`)
  const more = error.issues.length - parts.length
  const message = parts.join('; ') + (more > 0 ? ` (and ${more} more)` : '')
  return new ApiError(400, 'INVALID_PARAMS', message, { field: first ? fieldName(first.path, prefix) : 'body' })
}

/** Parses `value` with `schema` or throws the mapped 400. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: readonly string[] = [],
): z.output<S> {
  const r = schema.safeParse(value)
  if (!r.success) throw validationError(r.error, prefix)
  return r.data
}
