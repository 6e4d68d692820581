/**
 * Every URL of a job resource, in one place. The status and stream URLs are the ones the server named when it
 * accepted the job (`status_url`, `stream_url`); a job reopened from a link or the recent list has only its id,
 * and then they are built from it here, as are the sub-resources the server does not name (exports, analysis,
 * lineage).
 */
import type { CsvFlavour } from '../../shared/csv.ts'
import type { JobAccepted } from '../../shared/responses.ts'

/** Where a job is polled and streamed. */
export interface JobLinks {
  readonly jobId: string
  readonly statusUrl: string
  readonly streamUrl: string
}

/** The job's URL path, built from its id. */
export function jobPath(jobId: string): string {
  return `/api/trace/job/${encodeURIComponent(jobId)}`
}

/** The links the server sent with a submitted job. */
export function linksOfAccepted(accepted: JobAccepted): JobLinks {
  return { jobId: accepted.job_id, statusUrl: accepted.status_url, streamUrl: accepted.stream_url }
}

/** The links of a job known only by its id (a reopened job). */
export function linksOfJobId(jobId: string): JobLinks {
  return { jobId, statusUrl: jobPath(jobId), streamUrl: `${jobPath(jobId)}/stream` }
}

/** The stream URL, resuming after `from` (`<domain>:<batch>`) when given. */
export function resumeUrl(streamUrl: string, from: string | null): string {
  if (!from) return streamUrl
  return `${streamUrl}${streamUrl.includes('?') ? '&' : '?'}from=${encodeURIComponent(from)}`
}

/** The full CSV of one domain of a job (a plain download link); `spreadsheet` keeps ids as text in Excel. */
export function exportCsvPath(jobId: string, domain: string, flavour: CsvFlavour = 'scripts'): string {
  const query = `domain=${encodeURIComponent(domain)}${flavour === 'scripts' ? '' : `&flavour=${flavour}`}`
  return `${jobPath(jobId)}/export.csv?${query}`
}

/** The full XLSX of one domain of a job, or (no domain) of every domain, a sheet each. */
export function exportXlsxPath(jobId: string, domain?: string): string {
  return `${jobPath(jobId)}/export.xlsx${domain ? `?domain=${encodeURIComponent(domain)}` : ''}`
}

/** The defect analysis of a job, or one of its parts (`suspect`, `lots`, `lots.csv`), with its query. */
export function analysisPath(jobId: string, part: '' | 'suspect' | 'lots' | 'lots.csv', query: string): string {
  return `${jobPath(jobId)}/analysis${part ? `/${part}` : ''}?${query}`
}

/** The genealogy a whole-trace job kept (GET, 404 LINEAGE_NOT_AVAILABLE until stored). */
export function jobLineagePath(jobId: string): string {
  return `${jobPath(jobId)}/lineage`
}
