/**
 * GET /api/trace/job/<id>/stream: the job's NDJSON lines while the worker writes them. Headers keep proxies
 * and compression from buffering it (it goes out in gzip, spliced from the stored chunks, when the client accepts
 * it); every write is awaited; a client that goes away stops the reading at
 * once; a failure after the 200 ends the body with an `error` line, never silently.
 */
import type { Context } from 'hono'
import type { Domain } from '../../shared/domains.ts'
import { streamQuerySchema } from '../../shared/query-schemas.ts'
import { negotiateRowShape } from '../../shared/row-shape.ts'
import { jobIdSchema } from '../../shared/schemas.ts'
import type { JobStatusResponse } from '../../shared/responses.ts'
import { ApiError } from '../http/api-error.ts'
import { negotiateGzip } from '../http/gzip-body.ts'
import { streamBody } from '../http/stream-body.ts'
import { parseOrThrow } from '../http/validation.ts'
import type { JobService } from '../jobs/job-service.ts'
import { encodeLine, jobStreamLines } from '../jobs/job-stream-lines.ts'
import { jobNotFound } from './job-errors.ts'

/**
 * Headers of the NDJSON stream; `no-transform` keeps proxies (and Hono's compress middleware) from re-encoding
 * it: the body is already gzip when the client accepts it (gzip-body.ts).
 */
export const NDJSON_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/x-ndjson',
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
}

/** Handles the stream request of job `c.req.param('id')`. */
export async function streamJob(c: Context, jobs: JobService): Promise<Response> {
  const jobId = c.req.param('id') ?? ''
  const query = parseOrThrow(streamQuerySchema, c.req.query())
  const shape = negotiateRowShape(query.shape, c.req.header('accept'))
  const status = await jobs.status(jobId)
  const legacy = await legacyLine(jobs, jobId, status)
  if (!status && !legacy) throw jobNotFound(jobId)
  const from = query.from ? await checkFrom(jobs, jobId, query.from, status) : undefined

  for (const [k, v] of Object.entries(NDJSON_HEADERS)) c.header(k, v)
  c.header('Vary', 'Accept')
  const failureLine = (err: unknown): string =>
    encodeLine({
      type: 'error',
      code: 'STREAM_FAILED',
      message: `reading the job's results failed: ${err instanceof Error ? err.message : String(err)}`,
    })
  return streamBody(
    c,
    { what: 'job stream', context: { job_id: jobId }, failureLine, gzip: negotiateGzip(c) },
    async (out) => {
      if (legacy || !status) {
        if (legacy) await out.write(legacy)
        return
      }
      const { signal } = out
      const lines = jobStreamLines(
        { results: jobs.results, status: () => jobs.status(jobId), jobId, from, shape, signal },
        status,
      )
      for await (const line of lines) {
        await out.write(line)
        if (signal.aborted) break
      }
    },
  )
}

/**
 * `from=<domain>:<batch>` checked against the job: the domain must be one of its domains, and once the domain
 * is fully written the batch must be one of its batches (a batch past the end would skip the domain silently).
 */
async function checkFrom(
  jobs: JobService,
  jobId: string,
  from: { domain: string; batch: number },
  status: JobStatusResponse | undefined,
): Promise<{ domain: Domain; batch: number }> {
  const { domain, batch } = from
  if (!status?.domains.includes(domain as Domain)) {
    throw new ApiError(
      400,
      'INVALID_PARAMS',
      `from: ${domain} is not a domain of this job (${status?.domains.join(', ') ?? 'none'})`,
      { field: 'from' },
    )
  }
  const written = (await jobs.results.readMeta(jobId))?.domains[domain as Domain]
  if (written?.done && batch >= written.chunks) {
    throw new ApiError(
      400,
      'INVALID_PARAMS',
      `from: ${domain} has batches 0 to ${written.chunks - 1}; there is no batch ${batch}`,
      {
        field: 'from',
        batches: written.chunks,
      },
    )
  }
  return { domain: domain as Domain, batch }
}

/**
 * The one `full_result` line of a job the old system stored as a single value; only when no chunked result
 * exists for the id (chunks win when both do).
 */
async function legacyLine(
  jobs: JobService,
  jobId: string,
  status: JobStatusResponse | undefined,
): Promise<Buffer | undefined> {
  if (status && status.status !== 'finished') return undefined
  if (!jobIdSchema.safeParse(jobId).success) return undefined
  if (status && (await jobs.results.readMeta(jobId))) return undefined
  const raw = await jobs.results.readLegacy(jobId)
  if (!raw) return undefined
  // Parsed once to make sure the line is valid JSON; the stored bytes are then sent as they are.
  JSON.parse(raw.toString('utf8'))
  return Buffer.concat([Buffer.from('{"type":"full_result","data":'), raw, Buffer.from('}\n')])
}
