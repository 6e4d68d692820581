/** The job id in the page URL (`?job=<id>`), so a reload or a shared link reopens the results. */
import { jobIdSchema } from '../../../shared/schemas.ts'

const PARAM = 'job'

/** The valid job id in the current URL, or null. */
export function readJobFromUrl(href: string = location.href): string | null {
  const value = new URL(href).searchParams.get(PARAM)
  return value !== null && jobIdSchema.safeParse(value).success ? value : null
}

/** Puts `jobId` (or nothing) in the URL: `push` adds a history entry, `replace` does not. */
export function writeJobToUrl(jobId: string | null, mode: 'push' | 'replace' = 'push'): void {
  const url = new URL(location.href)
  if (jobId === null) url.searchParams.delete(PARAM)
  else url.searchParams.set(PARAM, jobId)
  if (url.href === location.href) return
  if (mode === 'push') history.pushState(null, '', url)
  else history.replaceState(null, '', url)
}
