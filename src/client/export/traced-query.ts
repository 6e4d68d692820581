/** What the shown results trace, for export file names and the about sheet of a view exported in the browser. */
import type { AboutLine } from '../../shared/export-about.ts'
import { queryLines } from '../../shared/export-about.ts'
import { traceSubject } from '../../shared/export-names.ts'
import type { JobRequest } from '../../shared/schemas.ts'

/** The profile, the first input or station, when the data was read, and the query as about-sheet lines. */
export interface TracedQuery {
  readonly profile: string
  readonly subject: string
  /** ISO 8601; the run's end, else its start, else now. */
  readonly readAt: string
  readonly lines: readonly AboutLine[]
}

/** Describes a run: its request when known (a run of this page), else only its profile (a job from a link). */
export function tracedQuery(
  request: JobRequest | null,
  profile: string | null,
  readAt: string | null,
  now = new Date(),
): TracedQuery {
  const when = readAt ?? now.toISOString()
  const lines: AboutLine[] = [{ label: 'profile', value: request?.profile ?? profile ?? 'unknown' }]
  if (request)
    lines.push(...queryLines(request.params), {
      label: 'domains',
      value: (request.domains ?? []).join(', ') || 'profile defaults',
    })
  lines.push({ label: 'data read until', value: `${when.slice(0, 19).replace('T', ' ')} UTC` })
  return {
    profile: request?.profile ?? profile ?? 'trace',
    subject: request ? traceSubject(request.params) : 'trace',
    readAt: when,
    lines,
  }
}
