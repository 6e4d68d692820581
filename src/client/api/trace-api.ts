/** The trace routes the browser calls (staged API and job API), with their shared request/response types. */
import type { JobStatusWithSeeds } from '../../shared/job-seed-summary.ts'
import type {
  EventsResponse,
  JobAccepted,
  JobLineage,
  LineageResponse,
  MsdOptions,
  SeedResolveResponse,
  StationDataSpan,
} from '../../shared/responses.ts'
import type { EventsRequest, JobRequest, LineageRequest, SeedResolveRequest } from '../../shared/schemas.ts'
import { requestJson, type ApiOptions } from './api-client.ts'
import { jobLineagePath, jobPath } from './job-urls.ts'
import { ApiRequestError } from './trace-errors.ts'

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function expect<T>(body: unknown, ok: (b: Record<string, unknown>) => boolean, what: string): T {
  if (isRecord(body) && ok(body)) return body as T
  throw new ApiRequestError(200, 'BAD_RESPONSE', `unexpected ${what} response`)
}

function isAccepted(b: Record<string, unknown>): boolean {
  return b.async === true && typeof b.job_id === 'string'
}

/** POST /api/trace/jobs: the whole trace as one job (202). */
export async function submitJob(request: JobRequest, api: ApiOptions): Promise<JobAccepted> {
  const { body } = await requestJson<unknown>('POST', '/api/trace/jobs', request, api)
  return expect<JobAccepted>(body, isAccepted, 'job submit')
}

/** GET the job's status URL (see job-urls.ts). */
export async function fetchJobStatus(statusUrl: string, api: ApiOptions): Promise<JobStatusWithSeeds> {
  const { body } = await requestJson<unknown>('GET', statusUrl, undefined, api)
  return expect<JobStatusWithSeeds>(body, (b) => typeof b.status === 'string' && isRecord(b.progress), 'job status')
}

/** DELETE /api/trace/job/<id>: cancels the job; an already-gone job counts as cancelled. */
export async function deleteJob(jobId: string, api: ApiOptions): Promise<void> {
  try {
    await requestJson<unknown>('DELETE', jobPath(jobId), undefined, api)
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 404) return
    throw err
  }
}

/** POST /api/trace/seed-resolve. */
export async function resolveSeeds(request: SeedResolveRequest, api: ApiOptions): Promise<SeedResolveResponse> {
  const { body } = await requestJson<unknown>('POST', '/api/trace/seed-resolve', request, api)
  return expect<SeedResolveResponse>(body, (b) => Array.isArray(b.seeds) && Array.isArray(b.not_found), 'seed-resolve')
}

/** GET /api/trace/data-span: the days a detection station has data for. */
/** The stations with history and the loss reasons of the database, for the defect-investigation form. */
export async function fetchMsdOptions(api: ApiOptions): Promise<MsdOptions> {
  const { body } = await requestJson<unknown>('GET', '/api/trace/msd-options', undefined, api)
  return expect<MsdOptions>(body, (b) => Array.isArray(b.stations) && Array.isArray(b.loss_reasons), 'msd-options')
}

export async function fetchDataSpan(station: string, api: ApiOptions): Promise<StationDataSpan> {
  const { body } = await requestJson<unknown>(
    'GET',
    `/api/trace/data-span?station=${encodeURIComponent(station)}`,
    undefined,
    api,
  )
  return expect<StationDataSpan>(body, (b) => typeof b.station === 'string' && 'last_day' in b, 'data-span')
}

/** GET /api/trace/job/<id>/lineage: the genealogy a whole-trace job kept (404 LINEAGE_NOT_AVAILABLE until then). */
export async function fetchJobLineage(jobId: string, api: ApiOptions): Promise<JobLineage> {
  const { body } = await requestJson<unknown>('GET', jobLineagePath(jobId), undefined, api)
  return expect<JobLineage>(body, (b) => Array.isArray(b.seed_ids) && typeof b.total_nodes === 'number', 'job lineage')
}

/** POST /api/trace/lineage. */
export async function fetchLineage(request: LineageRequest, api: ApiOptions): Promise<LineageResponse> {
  const { body } = await requestJson<unknown>('POST', '/api/trace/lineage', request, api)
  return expect<LineageResponse>(body, (b) => b.stage === 'lineage' && Array.isArray(b.nodes), 'lineage')
}

/** POST /api/trace/events: the rows (200), or a job when the trace is too big to answer inline (202). */
export async function requestEvents(
  request: EventsRequest,
  api: ApiOptions,
): Promise<{ kind: 'rows'; body: EventsResponse } | { kind: 'job'; accepted: JobAccepted }> {
  const { status, body } = await requestJson<unknown>('POST', '/api/trace/events', request, api)
  if (status === 202) return { kind: 'job', accepted: expect<JobAccepted>(body, isAccepted, 'events') }
  return {
    kind: 'rows',
    body: expect<EventsResponse>(body, (b) => b.stage === 'events' && isRecord(b.results), 'events'),
  }
}
