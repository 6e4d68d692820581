/** What a finished job traced, for its export's about sheet and file name. */
import type { AboutLine } from '../../shared/export-about.ts'
import { queryLines } from '../../shared/export-about.ts'
import { traceSubject } from '../../shared/export-names.ts'
import type { JobStatusResponse } from '../../shared/responses.ts'
import type { JobInput } from '../jobs/job-service.ts'
import type { ResultMeta } from '../storage/result-store.ts'

/** The about sheet's lines, the subject for the file name, and when the data was read. */
export interface JobAbout {
  readonly subject: string
  /** When the worker finished reading the warehouse (ISO 8601, UTC). */
  readonly readAt: string
  readonly lines: readonly AboutLine[]
}

/** Describes `status`'s job from its stored input and result meta. */
export function jobAbout(
  status: JobStatusResponse,
  input: JobInput | undefined,
  meta: ResultMeta,
  now = new Date(),
): JobAbout {
  const readAt = status.finished_at ?? status.created_at
  const lines: AboutLine[] = [
    { label: 'profile', value: status.profile },
    ...inputLines(input),
    { label: 'containers traced (CIDs)', value: status.cid_count },
    ...meta.order.map((d) => ({ label: `rows: ${d}`, value: meta.domains[d]?.count ?? 0 })),
    { label: 'data read from', value: utc(status.started_at ?? status.created_at) },
    { label: 'data read until', value: utc(readAt) },
    { label: 'exported at', value: utc(now.toISOString()) },
    { label: 'job', value: status.job_id },
    {
      label: 'cells',
      value:
        "ids and names are text, quantities numbers, timestamps the plant's wall-clock time as recorded by the MES; " +
        'a domain longer than a sheet continues on "<domain> (2)"',
    },
  ]
  return { subject: subjectOf(input), readAt, lines }
}

function inputLines(input: JobInput | undefined): AboutLine[] {
  if (!input) return [{ label: 'query', value: 'no longer stored' }]
  if (input.kind === 'trace') return queryLines(input.seed.params)
  if (input.kind === 'container_ids') return queryLines({ container_ids: input.container_ids })
  return queryLines({
    direction: input.direction,
    seed_container_ids: input.seed_container_ids,
    lineage_query_id: input.lineage_query_id,
  })
}

function subjectOf(input: JobInput | undefined): string {
  if (!input) return 'trace'
  if (input.kind === 'trace') return traceSubject(input.seed.params)
  return traceSubject({}, input.kind === 'container_ids' ? input.container_ids : input.seed_container_ids)
}

function utc(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`
}
