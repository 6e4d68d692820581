/**
 * One job's life inside a worker process: take it over (status `started`), compute its CIDs, stream every
 * domain into chunks, and record how it ended. The caller owns the AbortSignal (cancel, timeout, shutdown);
 * whatever ends the job, its record is written last and, unless it finished, its chunks are deleted.
 */
import type { JobStage } from '../../shared/responses.ts'
import type { Config } from '../config.ts'
import { DomainError } from '../errors/domain-error.ts'
import { log } from '../logger.ts'
import type { MesSource } from '../source/mes-source.ts'
import type { ResultStore } from '../storage/result-store.ts'
import { isStoreFull } from '../storage/store-full.ts'
import { JobAbort, abortOutcome } from './job-abort.ts'
import { jobCids } from './job-cids.ts'
import { endRecord, isTerminal, type JobRecord } from './job-record.ts'
import { requeuedRecord } from './job-retry.ts'
import type { JobInput } from './job-service.ts'
import type { JobStore } from './job-store.ts'
import { createRecordWriter } from './record-writer.ts'
import { assertResultWhole } from './result-check.ts'
import { writeEvents } from './write-events.ts'

/** What a worker process brings to every job it runs. */
export interface JobContext {
  readonly config: Config
  readonly source: MesSource
  readonly jobs: JobStore
  readonly results: ResultStore
  /** This process, as `<host>:<pid>`. */
  readonly worker: string
}

/** Share of pct reached when each stage starts; events fill the rest up to 99, `done` is 100. */
const STAGE_PCT: Record<JobStage, number> = { queued: 0, 'seed-resolve': 0, lineage: 5, events: 10, done: 100 }

/**
 * Runs a job to its end; returns the terminal record, the `queued` one of a job handed back (abort kind
 * `requeue`), or undefined when the job no longer exists or was taken over by another worker (kind `lost`).
 */
export async function runJob(ctx: JobContext, jobId: string, signal: AbortSignal): Promise<JobRecord | undefined> {
  const { config, jobs, results } = ctx
  const stored = await jobs.get(jobId)
  if (!stored) return undefined
  if (isTerminal(stored.status)) return stored

  // A record still `started` means an earlier attempt died with its worker: this run is the retry.
  const attempt = stored.status === 'started' ? stored.attempt + 1 : stored.attempt
  const writer = createRecordWriter(
    jobs,
    {
      ...stored,
      status: 'started',
      started_at: new Date().toISOString(),
      finished_at: null,
      error: null,
      attempt,
      worker: ctx.worker,
      progress: { stage: 'queued', pct: 0, cids_done: 0, cids_total: stored.cid_count, rows: 0, chunks: 0 },
    },
    config.TRACE_JOB_PROGRESS_INTERVAL_MS,
  )
  const stage = (s: JobStage): void => writer.progress({ stage: s, pct: STAGE_PCT[s] })
  let final: JobRecord
  try {
    await writer.put(writer.current)
    await results.delete(jobId)
    // The input (up to 100 K+ ids) is passed on, not kept: it is garbage once the CIDs are known.
    const { cids, direction, analysis, analysisSkipped, lineage } = await jobCids(
      stored.profile,
      await readJobInput(jobs, jobId),
      {
        source: ctx.source,
        config,
        signal,
        onStage: stage,
        onSeeds: (seed_summary) => writer.put({ ...writer.current, seed_summary }),
      },
    )
    // Stored before the CID count is published: a reader that sees the count finds the lineage.
    if (lineage) await results.writeLineage(jobId, Buffer.from(JSON.stringify(lineage), 'utf8'))
    await writer.put({
      ...writer.current,
      cid_count: cids.length,
      progress: { ...writer.current.progress, cids_total: cids.length },
    })
    stage('events')
    const domains = writer.current.domains
    const meta = await writeEvents({
      source: ctx.source,
      config,
      results,
      jobId,
      attempt,
      profile: stored.profile,
      direction,
      domains,
      cids,
      analysis,
      analysisSkipped,
      signal,
      onProgress: (p) => {
        const share = cids.length > 0 ? p.cidsDone / cids.length : 1
        const pct =
          STAGE_PCT.events +
          ((STAGE_PCT.done - 1 - STAGE_PCT.events) * (p.domainIndex + Math.min(1, share))) / domains.length
        writer.progress({
          pct: Math.round(pct * 10) / 10,
          domain: domains[p.domainIndex],
          cids_done: p.cidsDone,
          rows: p.rows,
          chunks: p.chunks,
        })
      },
    })
    await assertResultWhole(results, meta)
    const totalRows = meta.order.reduce((n, d) => n + (meta.domains[d]?.count ?? 0), 0)
    writer.progress({ stage: 'done', pct: 100, domain: undefined, cids_done: cids.length, rows: totalRows })
    final = endRecord(writer.current, 'finished')
  } catch (err) {
    if (signal.reason instanceof JobAbort && signal.reason.kind === 'lost') {
      writer.stop()
      log.warn('job taken over by another worker; this run stops without recording', { job_id: jobId, attempt })
      return undefined
    }
    if (signal.reason instanceof JobAbort && signal.reason.kind === 'requeue') {
      // Its chunks stay: the next run deletes them before writing its own, and readers wait for that run.
      writer.stop()
      const queued = requeuedRecord(writer.current, false)
      await writer.put(queued)
      log.info('job handed back to the queue', { job_id: jobId, attempt, why: signal.reason.message })
      return queued
    }
    final = failedRecord(writer.current, err, signal)
    try {
      await results.delete(jobId)
    } catch (deleteErr) {
      log.warn('chunks of an unfinished job not deleted', { job_id: jobId, error: String(deleteErr) })
    }
  }
  writer.stop()
  await writer.put(final)
  if (final.status === 'finished') await results.expire(jobId, config.TRACE_JOB_TTL_SECONDS)
  log.info('job ended', { job_id: jobId, status: final.status, rows: final.progress.rows, error: final.error?.message })
  return final
}

async function readJobInput(jobs: JobStore, jobId: string): Promise<JobInput> {
  const input = await jobs.readInput(jobId)
  if (!input) throw new DomainError('JOB_FAILED', 'the job input is missing (expired or deleted)')
  return input
}

function failedRecord(record: JobRecord, err: unknown, signal: AbortSignal): JobRecord {
  if (signal.aborted && signal.reason instanceof JobAbort) {
    const { status, error } = abortOutcome(signal.reason)
    return endRecord(record, status, error)
  }
  if (err instanceof DomainError) return endRecord(record, 'failed', { code: err.code, message: err.message })
  if (isStoreFull(err)) {
    log.error('job failed: result store full', {
      job_id: record.job_id,
      error: err instanceof Error ? err.message : String(err),
    })
    return endRecord(record, 'failed', {
      code: 'RESULT_STORE_FULL',
      message:
        'the result store is full (the disk of TRACE_RESULT_DIR, or Redis maxmemory); the partial result was deleted, submit the job again once there is room',
    })
  }
  log.error('job failed', {
    job_id: record.job_id,
    error: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  })
  return endRecord(record, 'failed', { code: 'JOB_FAILED', message: err instanceof Error ? err.message : String(err) })
}
