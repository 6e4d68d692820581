/**
 * Runs a trace and follows it to the last row: the whole trace as one job (POST /api/trace/jobs, the default)
 * or, for a few exact ids, the staged calls (seed-resolve → lineage → events, which may itself answer with a
 * job). Job status is polled through vue-query; rows are read from the NDJSON stream into a columnar RowStore
 * outside Vue, and the UI sees `version`, bumped at most once per animation frame. Every failure lands in
 * `stage_errors` under the stage it belongs to; nothing is swallowed, and nothing fires after cancel/reset.
 */
import { computed, onScopeDispose, shallowRef, watch } from 'vue'
import type { JobStatusWithSeeds } from '../../shared/job-seed-summary.ts'
import type { LineageResponse } from '../../shared/responses.ts'
import type { JobRequest } from '../../shared/schemas.ts'
import {
  type ApiOptions,
  deleteJob,
  fetchJobStatus,
  submitJob,
  isAbortError,
  toStageError,
  type StageError,
} from '../api/index.ts'
import {
  ingestEventsResponse,
  RowStore,
  describeMismatches,
  StreamIngest,
  type FailedDomain,
  type IngestOutcome,
} from '../rows/index.ts'
import { createFrameBatcher } from './frame-batcher.ts'
import { streamJob } from '../stream/index.ts'
import { chooseRunPath, type RunMode, type RunPath } from './run-path.ts'
import { runStagedTrace } from './staged-trace.ts'
import {
  NO_STAGE_ERRORS,
  TRACE_STAGES,
  progressOf,
  stageErrorKey,
  stageOfErrorCode,
  stageOfJob,
  stagesBefore,
  type JobProgressView,
  type RunStatus,
  type SeedOutcome,
  type StageErrors,
  type TraceStage,
} from './trace-stages.ts'
import { checkTraceRequest } from './validate-request.ts'
import type { TraceProgress, UseTraceProgressOptions } from './trace-progress-types.ts'
import { isTransientError, useJobStatus, type PollTarget } from './useJobStatus.ts'

export type { TraceProgress, UseTraceProgressOptions } from './trace-progress-types.ts'

interface Run {
  readonly id: number
  readonly controller: AbortController
  readonly ingest: StreamIngest
  jobId: string | null
  timer: ReturnType<typeof setTimeout> | null
}

/** See the module comment. Call inside a component setup or an effect scope. */
export function useTraceProgress(options: UseTraceProgressOptions = {}): TraceProgress {
  const api: Omit<ApiOptions, 'signal'> = {
    fetch: options.fetch,
    baseUrl: options.baseUrl,
    timeoutMs: options.requestTimeoutMs,
  }
  const timeoutMs = options.timeoutMs ?? 40 * 60_000
  const store = new RowStore()

  const current_stage = shallowRef<TraceStage | null>(null)
  const completed_stages = shallowRef<readonly TraceStage[]>([])
  const run_status = shallowRef<RunStatus>('idle')
  const stage_errors = shallowRef<StageErrors>(NO_STAGE_ERRORS)
  const progress = shallowRef<JobProgressView | null>(null)
  const job_id = shallowRef<string | null>(null)
  const path = shallowRef<RunPath | null>(null)
  const seeds = shallowRef<SeedOutcome | null>(null)
  const lineage = shallowRef<LineageResponse | null>(null)
  const aggregation = shallowRef<unknown>(null)
  const warnings = shallowRef<readonly FailedDomain[]>([])
  const rows_received = shallowRef(0)
  const version = shallowRef(0)
  const resumes = shallowRef(0)
  const started_at = shallowRef<number | null>(null)
  const finished_at = shallowRef<number | null>(null)
  const pollTarget = shallowRef<PollTarget | null>(null)
  const job_request = shallowRef<JobRequest | null>(null)
  const read_at = shallowRef<string | null>(null)

  const batcher = createFrameBatcher(
    () => {
      rows_received.value = store.totalRows()
      version.value++
    },
    options.scheduleFrame,
    options.cancelFrame,
  )
  const poll = useJobStatus(pollTarget, {
    queryClient: options.queryClient,
    api,
    pollIntervalMs: options.pollIntervalMs,
    pollMaxIntervalMs: options.pollMaxIntervalMs,
  })

  let run: Run | null = null
  let runs = 0
  /** Changes on every begin/reset: a late answer for an older epoch is dropped. */
  let epoch = 0

  const live = (r: Run): boolean => run === r && !r.controller.signal.aborted

  function advance(stage: TraceStage): void {
    const at = TRACE_STAGES.indexOf(stage)
    if (current_stage.value !== null && at < TRACE_STAGES.indexOf(current_stage.value)) return
    if (current_stage.value === null && completed_stages.value.length > at) return
    completed_stages.value = stagesBefore(stage)
    current_stage.value = stage
  }

  /** Ends the run: stops the stream, the poll and the timers, and shows every row received. */
  function stop(r: Run, status: RunStatus): void {
    run = null
    r.controller.abort()
    if (r.timer !== null) clearTimeout(r.timer)
    pollTarget.value = null
    void poll.cancel()
    batcher.flushNow()
    run_status.value = status
    finished_at.value = Date.now()
  }

  function fail(r: Run, error: StageError, stage: TraceStage = current_stage.value ?? 'seed-resolve'): void {
    if (!live(r)) return
    stage_errors.value = { ...stage_errors.value, [stageErrorKey(stage)]: error }
    stop(r, 'failed')
  }

  const foundNothing = (): boolean => seeds.value?.seed_count === 0

  function succeed(r: Run): void {
    if (!live(r)) return
    // With no seed, only seed resolution ran, whichever path: the stepper reads the same for both.
    completed_stages.value = foundNothing() ? ['seed-resolve'] : [...TRACE_STAGES]
    current_stage.value = null
    if (progress.value) progress.value = { ...progress.value, status: 'finished', stage: 'done', pct: 100 }
    stop(r, foundNothing() ? 'empty' : 'finished')
    if (r.jobId !== null) refreshFinalStatus(r.jobId)
  }

  /**
   * A job cancelled (here, elsewhere, or before it was reopened) ends `cancelled` whatever told us first,
   * the poll or the stream, keeping the rows received: one state, live and reopened.
   */
  function endCancelled(r: Run): void {
    if (!live(r)) return
    stop(r, 'cancelled')
  }

  /** No seed: the run ends after seed resolution, neither failed nor a finished trace with empty tables. */
  function endEmpty(r: Run): void {
    if (!live(r)) return
    completed_stages.value = ['seed-resolve']
    current_stage.value = null
    stop(r, 'empty')
  }

  /**
   * The stream can finish before the poll saw the job's last state: one more status read fills in the final
   * counts, elapsed time and seed summary. Every row is already here, so a failure of this read only leaves
   * those numbers as last polled.
   */
  function refreshFinalStatus(jobId: string): void {
    const mine = epoch
    fetchJobStatus(jobId, api).then(
      (status) => {
        if (mine !== epoch || status.job_id !== jobId) return
        applyStatus(status)
        // The stream can complete before any poll carried the seed summary: only now is "nothing found" known.
        if (run_status.value === 'finished' && foundNothing()) {
          run_status.value = 'empty'
          completed_stages.value = ['seed-resolve']
        }
      },
      () => undefined,
    )
  }

  /** What a status answer tells beyond the run's state: progress, seeds, the query and when data was read. */
  function applyStatus(status: JobStatusWithSeeds): void {
    progress.value = progressOf(status, Date.now())
    if (status.seed_summary) seeds.value = { ...status.seed_summary, seeds: seeds.value?.seeds }
    if (status.request) job_request.value = status.request
    if (status.started_at) read_at.value = status.started_at
  }

  function onOutcomes(r: Run, outcomes: readonly IngestOutcome[]): void {
    if (!live(r)) return
    for (const o of outcomes) {
      switch (o.kind) {
        case 'rows':
        case 'domain_end':
          advance('events')
          batcher.request()
          break
        case 'aggregation':
          aggregation.value = o.data
          break
        case 'warning':
          warnings.value = [...warnings.value, ...o.failed_domains]
          break
        case 'error':
          if (o.code === 'JOB_CANCELLED') endCancelled(r)
          else
            fail(r, { code: o.code, message: o.message }, stageOfErrorCode(o.code) ?? current_stage.value ?? 'events')
          return
        case 'complete':
          if (o.mismatches.length > 0)
            fail(r, { code: 'COUNT_MISMATCH', message: describeMismatches(o.mismatches) }, 'streaming')
          else succeed(r)
          return
        default:
          break
      }
    }
  }

  /** Follows a job: polls its status and reads its stream until both say it is over. */
  function follow(r: Run, jobId: string): void {
    r.jobId = jobId
    job_id.value = jobId
    path.value = path.value ?? 'job'
    pollTarget.value = { jobId, run: r.id }
    r.timer = setTimeout(() => {
      fail(r, {
        code: 'POLL_TIMEOUT',
        message: `the job did not finish within ${Math.round(timeoutMs / 60_000)} min; it may still be running on the server`,
      })
    }, timeoutMs)
    streamJob({
      jobId,
      ingest: r.ingest,
      signal: r.controller.signal,
      api,
      maxResumes: options.maxResumes,
      resumeDelayMs: options.resumeDelayMs,
      resumeWindowMs: options.resumeWindowMs,
      onOutcomes: (outcomes) => onOutcomes(r, outcomes),
      onResume: () => {
        if (live(r)) resumes.value++
      },
    }).then(
      () => {
        // Every ending line was handled in onOutcomes; reaching here otherwise means the stream said nothing final.
        if (live(r) && !r.ingest.finished)
          fail(r, { code: 'STREAM_DROPPED', message: 'the result stream ended without a complete line' }, 'streaming')
      },
      (err: unknown) => {
        if (live(r) && !isAbortError(err)) fail(r, toStageError(err), 'events')
      },
    )
  }

  watch(poll.status, (status) => {
    const r = run
    if (!r || !status || status.job_id !== r.jobId || !live(r)) return
    applyStatus(status)
    const stage = stageOfJob(status.status, status.progress.stage)
    if (stage) advance(stage)
    if (status.status === 'failed') {
      const error = status.error ?? { code: 'JOB_FAILED', message: 'the job failed' }
      fail(r, error, stageOfErrorCode(error.code) ?? stage ?? current_stage.value ?? 'events')
    } else if (status.status === 'cancelled') endCancelled(r)
  })

  watch(poll.error, (err) => {
    const r = run
    if (!r || !err || !live(r) || isTransientError(err)) return
    fail(r, toStageError(err), 'events')
  })

  async function runStaged(r: Run, request: JobRequest): Promise<void> {
    const outcome = await runStagedTrace(
      request,
      { ...api, signal: r.controller.signal },
      {
        onSeeds: (resolved) => {
          if (!live(r)) return
          seeds.value = resolved
          if (resolved.seeds.length > 0) advance('lineage')
        },
        onLineage: (family) => {
          if (!live(r)) return
          lineage.value = family
          advance('events')
        },
      },
    )
    if (!live(r)) return
    if (outcome.kind === 'no_seeds') {
      endEmpty(r)
      return
    }
    if (outcome.kind === 'job') {
      follow(r, outcome.jobId)
      return
    }
    advance('streaming')
    const result = ingestEventsResponse(store, outcome.body)
    aggregation.value = result.aggregation
    warnings.value = result.failed_domains
    batcher.request()
    if (result.mismatches.length > 0)
      fail(r, { code: 'COUNT_MISMATCH', message: describeMismatches(result.mismatches) }, 'streaming')
    else succeed(r)
  }

  function begin(): Run {
    reset()
    const r: Run = {
      id: ++runs,
      controller: new AbortController(),
      ingest: new StreamIngest(store),
      jobId: null,
      timer: null,
    }
    run = r
    run_status.value = 'running'
    started_at.value = Date.now()
    read_at.value = new Date(started_at.value).toISOString()
    return r
  }

  async function execute(request: JobRequest, opts: { mode?: RunMode } = {}): Promise<void> {
    const r = begin()
    advance('seed-resolve')
    const check = checkTraceRequest(request)
    if (!check.ok) {
      fail(r, { code: 'INVALID_PARAMS', message: check.issues.map((i) => `${i.path}: ${i.message}`).join('; ') })
      return
    }
    path.value = chooseRunPath(check.request, opts.mode ?? 'auto', options.stagedMaxTokens)
    try {
      if (path.value === 'staged') await runStaged(r, check.request)
      else {
        const accepted = await submitJob(check.request, { ...api, signal: r.controller.signal })
        if (live(r)) follow(r, accepted.job_id)
      }
    } catch (err) {
      if (live(r) && !isAbortError(err)) fail(r, toStageError(err))
    }
  }

  function attach(jobId: string): void {
    const r = begin()
    path.value = 'job'
    follow(r, jobId)
  }

  async function cancel(): Promise<void> {
    const r = run
    if (!r) return
    stop(r, 'cancelled')
    const p = progress.value
    if (p) {
      // Freezes the elapsed clock where the user stopped it (the server's count would stop at its last poll).
      const now = Date.now()
      progress.value = {
        ...p,
        status: 'cancelled',
        elapsed_seconds: p.elapsed_seconds + Math.max(0, (now - p.received_at) / 1000),
        received_at: now,
      }
    }
    if (r.jobId === null) return
    try {
      await deleteJob(r.jobId, api)
    } catch (err) {
      stage_errors.value = {
        ...stage_errors.value,
        events: { ...toStageError(err), message: `cancel request failed: ${toStageError(err).message}` },
      }
    }
  }

  function reset(): void {
    epoch++
    if (run) stop(run, 'idle')
    store.clear()
    current_stage.value = null
    completed_stages.value = []
    run_status.value = 'idle'
    stage_errors.value = NO_STAGE_ERRORS
    progress.value = null
    job_id.value = null
    path.value = null
    seeds.value = null
    lineage.value = null
    aggregation.value = null
    warnings.value = []
    resumes.value = 0
    started_at.value = null
    finished_at.value = null
    job_request.value = null
    read_at.value = null
    rows_received.value = 0
    version.value++
  }

  onScopeDispose(() => {
    if (run) stop(run, 'idle')
    batcher.dispose()
  })

  return {
    current_stage,
    completed_stages,
    is_running: computed(() => run_status.value === 'running'),
    run_status,
    stage_errors,
    progress,
    job_id,
    path,
    seeds,
    lineage,
    aggregation,
    warnings,
    rows_received,
    version,
    resumes,
    started_at,
    finished_at,
    job_request,
    read_at,
    store,
    execute,
    attach,
    cancel,
    reset,
  }
}
