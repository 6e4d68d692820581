/**
 * The mes-trace job, the full async path: a fresh `npm start` (compiled, or through tsx as before the server
 * build) with its embedded worker, one POST /api/trace/jobs, one client reading the NDJSON stream to
 * `complete`, the RSS of web process and worker sampled from /proc throughout, and the job's status polled to
 * time its stages.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { JobAccepted, JobStatusResponse } from '../../src/shared/responses.ts'
import type { JobRequest } from '../../src/shared/schemas.ts'
import { readNdjsonStream, type StreamRead } from './ndjson-stream-client.ts'
import { childPids, cmdline, statusKb } from './proc.ts'
import { startProductServer, WORKER_CMDLINE, type ProductServer, type Runtime } from './product-server.ts'
import { startRssSampler } from './rss-sampler.ts'
import { failedRecord, mb, sampling, type RunRecord } from './run-record.ts'

export interface JobModeOptions {
  readonly size: string
  readonly repeat: number
  /** Environment of the run (MES_DB_PATH, limits); job and result directories are added per run. */
  readonly env: Readonly<Record<string, string>>
  readonly request: JobRequest
  /** Scratch space for the run's job and result files (removed afterwards). */
  readonly workRoot: string
  readonly sampleMs: number
  readonly timeoutMs: number
  /** The server compiled (what `npm start` runs) or through tsx. */
  readonly runtime: Runtime
}

const WORKER = WORKER_CMDLINE
const STATUS_POLL_MS = 100

/** Runs one job end to end. */
export async function runJob(options: JobModeOptions): Promise<RunRecord> {
  const work = mkdtempSync(join(options.workRoot, '.job-'))
  const resultDir = join(work, 'results')
  const base = { size: options.size, mode: 'job' as const, repeat: options.repeat }
  let server: ProductServer | undefined
  try {
    const env = { ...options.env, TRACE_JOB_DIR: join(work, 'jobs'), TRACE_RESULT_DIR: resultDir }
    server = await startProductServer(options.runtime, env)
    const sampler = startRssSampler({ pid: server.pid, children: WORKER, intervalMs: options.sampleMs })
    const timeout = AbortSignal.timeout(options.timeoutMs)
    try {
      const measured = await submitAndRead(server.url, options.request, timeout, (stage) => sampler.phase(stage))
      const peaks = await sampler.stop()
      const hwm = highWaterMarks(server.pid)
      const { status, read, submittedAt, stageAt } = measured
      if (status.status !== 'finished' || !read.complete) {
        const why = status.error
          ? `${status.error.code}: ${status.error.message}`
          : `job ${status.status}, stream complete ${read.complete}`
        return failedRecord(base, why, mb(peaks.mainKb + peaks.childKb), sampling(peaks))
      }
      const seconds = (read.endedAt - submittedAt) / 1000
      const firstChunkAt = chunkMtime(resultDir, status)
      const eventsAt = stageAt.events
      return {
        ...base,
        ok: true,
        error: null,
        cids: status.cid_count,
        rows: read.rows,
        seconds,
        rows_per_s: read.rows / seconds,
        cids_seconds: eventsAt === undefined ? null : (eventsAt - submittedAt) / 1000,
        events_seconds: eventsAt === undefined ? null : (read.endedAt - eventsAt) / 1000,
        first_records_ms: read.firstRecordsAt === undefined ? null : read.firstRecordsAt - submittedAt,
        first_records_after_chunk_ms:
          read.firstRecordsAt === undefined || firstChunkAt === undefined ? null : read.firstRecordsAt - firstChunkAt,
        bytes: read.bytes,
        peak_mb: mb(peaks.mainKb + peaks.childKb),
        peak_web_mb: mb(peaks.mainKb),
        peak_worker_mb: mb(peaks.childKb),
        vm_hwm_mb: hwm,
        sampling: sampling(peaks),
        detail: {
          runtime: server.runtime,
          // From the start command: the first answer of /api/health, and the worker ready.
          health_ms: Math.round(server.healthMs),
          ready_ms: Math.round(server.readyMs),
          resting_web_mb: Math.round(server.restingWebMb),
          resting_worker_mb: Math.round(server.restingWorkerMb),
          records_lines: read.recordsLines,
          // Stages as seen by status polls (every 100 ms), so a boundary may be off by that much.
          worker_peak_mb_by_stage: Object.fromEntries(Object.entries(peaks.childKbByPhase).map(([k, v]) => [k, mb(v)])),
          stage_seconds_from_submit: Object.fromEntries(
            Object.entries(stageAt).map(([k, v]) => [k, (v - submittedAt) / 1000]),
          ),
          worker_seconds: status.elapsed_seconds,
        },
      }
    } catch (err) {
      const peaks = await sampler.stop()
      return failedRecord(
        base,
        err instanceof Error ? err.message : String(err),
        mb(peaks.mainKb + peaks.childKb),
        sampling(peaks),
      )
    }
  } catch (err) {
    return failedRecord(base, `server: ${err instanceof Error ? err.message : String(err)}`, 0, {
      samples: 0,
      mean_gap_ms: 0,
      max_gap_ms: 0,
    })
  } finally {
    await server?.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

interface Measured {
  readonly status: JobStatusResponse
  readonly read: StreamRead
  /** Epoch ms of the submit. */
  readonly submittedAt: number
  /** Epoch ms when each stage was first seen in the status. */
  readonly stageAt: Record<string, number>
}

async function submitAndRead(
  url: string,
  request: JobRequest,
  signal: AbortSignal,
  onStage: (stage: string) => void,
): Promise<Measured> {
  const submittedAt = Date.now()
  const res = await fetch(`${url}/api/trace/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
    signal,
  })
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`)
  const accepted = (await res.json()) as JobAccepted
  const statusUrl = `${url}/api/trace/job/${accepted.job_id}`
  const stageAt: Record<string, number> = {}
  let polling = true
  const poll = (async () => {
    while (polling && !signal.aborted) {
      const st = (await (await fetch(statusUrl, { signal })).json()) as JobStatusResponse
      if (stageAt[st.progress.stage] === undefined) {
        stageAt[st.progress.stage] = Date.now()
        onStage(st.progress.stage)
      }
      await new Promise((r) => setTimeout(r, STATUS_POLL_MS))
    }
  })().catch(() => undefined)
  let read: StreamRead
  try {
    read = await readNdjsonStream(`${url}${accepted.stream_url}`, signal)
  } finally {
    polling = false
    await poll
  }
  const status = (await (await fetch(statusUrl)).json()) as JobStatusResponse
  return { status, read, submittedAt, stageAt }
}

/** When the worker stored the job's first chunk: the mtime of its first domain's chunk 0. */
function chunkMtime(resultDir: string, status: JobStatusResponse): number | undefined {
  for (const domain of status.domains) {
    try {
      return statSync(join(resultDir, status.job_id, `${domain}.0.ndjson`)).mtimeMs
    } catch {
      // That domain had no rows; the next one's first chunk was the first stored.
    }
  }
  return undefined
}

/** VmHWM of the web process and its worker, read while they still run. */
function highWaterMarks(webPid: number): Record<string, number> {
  const worker = childPids(webPid).find((pid) => WORKER.test(cmdline(pid)))
  return {
    web: mb(statusKb(webPid, 'VmHWM')),
    ...(worker === undefined ? {} : { worker: mb(statusKb(worker, 'VmHWM')) }),
  }
}
