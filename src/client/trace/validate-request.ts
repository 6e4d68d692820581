/** Validates a trace request with the shared zod schemas before it is sent, as the server will. */
import { jobRequestSchema, parseSeedParams, partitionDomains, type JobRequest } from '../../shared/schemas.ts'

/** One problem, with the dotted path of the field it belongs to (`params.values`, `domains`). */
export interface RequestIssue {
  readonly path: string
  readonly message: string
}

export type RequestCheck =
  { readonly ok: true; readonly request: JobRequest } | { readonly ok: false; readonly issues: readonly RequestIssue[] }

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.')
}

/** Checks profile, params (per profile) and domains. */
export function checkTraceRequest(request: unknown): RequestCheck {
  const parsed = jobRequestSchema.safeParse(request)
  if (!parsed.success)
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: pathOf('', i.path), message: i.message })) }
  const issues: RequestIssue[] = []
  const params = parseSeedParams(parsed.data.profile, parsed.data.params)
  if (!params.success)
    issues.push(...params.error.issues.map((i) => ({ path: pathOf('params', i.path), message: i.message })))
  if (parsed.data.domains) {
    const { unknown } = partitionDomains(parsed.data.domains)
    if (unknown.length > 0) issues.push({ path: 'domains', message: `unsupported domains: ${unknown.join(',')}` })
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, request: parsed.data }
}
