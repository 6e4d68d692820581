/**
 * Following a job to its end: its status polled through vue-query (useJobStatus), its NDJSON stream read into
 * the run's store (streamJob), each told to the run's state. Either may say first that the job is over; the
 * stream can finish before the poll saw the last state, so a finished job's status is read once more.
 */
import { shallowRef, watch } from 'vue'
import type { JobStatusWithSeeds } from '../../shared/job-seed-summary.ts'
import { fetchJobStatus, isAbortError, toStageError, type ApiOptions, type JobLinks } from '../api/index.ts'
import { describeMismatches, type IngestOutcome } from '../rows/index.ts'
import { streamJob } from '../stream/index.ts'
import type { Run, TraceRun } from './trace-run.ts'
import { progressOf, stageOfErrorCode, stageOfJob } from './trace-stages.ts'
import type { UseTraceProgressOptions } from './trace-progress-types.ts'
import { isTransientError, useJobStatus, type PollTarget } from './useJobStatus.ts'

export interface JobFollow {
  /** Follows the job at `links` for run `r`. */
  follow(r: Run, links: JobLinks): void
  /** Stops polling (the run stopped). */
  stopPolling(): void
  /** Reads a finished job's status once more, for its final counts, elapsed time and seed summary. */
  refreshFinalStatus(jobId: string): void
}

/** Call inside the composable's setup (it registers watchers and a vue-query observer). */
export function useJobFollow(
  trace: TraceRun,
  api: Omit<ApiOptions, 'signal'>,
  options: UseTraceProgressOptions,
): JobFollow {
  const { state } = trace
  const timeoutMs = options.timeoutMs ?? 40 * 60_000
  const pollTarget = shallowRef<PollTarget | null>(null)
  /** The job last followed, whose status URL the final read uses. */
  let followed: JobLinks | null = null
  const poll = useJobStatus(pollTarget, {
    queryClient: options.queryClient,
    api,
    pollIntervalMs: options.pollIntervalMs,
    pollMaxIntervalMs: options.pollMaxIntervalMs,
  })

  /** What a status answer tells beyond the run's state: progress, seeds, the query and when data was read. */
  function applyStatus(status: JobStatusWithSeeds): void {
    state.progress.value = progressOf(status, Date.now())
    if (status.seed_summary) state.seeds.value = { ...status.seed_summary, seeds: state.seeds.value?.seeds }
    if (status.request) state.jobRequest.value = status.request
    if (status.started_at) state.readAt.value = status.started_at
  }

  function refreshFinalStatus(jobId: string): void {
    const mine = trace.generation()
    if (followed?.jobId !== jobId) return
    // Every row is already here: a failure of this read only leaves the numbers as last polled.
    fetchJobStatus(followed.statusUrl, api).then(
      (status) => {
        if (mine !== trace.generation() || status.job_id !== jobId) return
        applyStatus(status)
        // The stream can complete before any poll carried the seed summary: only now is "nothing found" known.
        if (state.runStatus.value === 'finished' && state.seeds.value?.seed_count === 0) {
          state.runStatus.value = 'empty'
          state.completedStages.value = ['seed-resolve']
        }
      },
      () => undefined,
    )
  }

  function onOutcomes(r: Run, outcomes: readonly IngestOutcome[]): void {
    if (!trace.live(r)) return
    for (const o of outcomes) {
      switch (o.kind) {
        case 'rows':
        case 'domain_end':
          trace.advance('events')
          trace.showRows()
          break
        case 'aggregation':
          state.aggregation.value = o.data
          break
        case 'warning':
          state.warnings.value = [...state.warnings.value, ...o.failed_domains]
          break
        case 'error':
          if (o.code === 'JOB_CANCELLED') trace.endCancelled(r)
          else {
            const stage = stageOfErrorCode(o.code) ?? state.currentStage.value ?? 'events'
            trace.fail(r, { code: o.code, message: o.message }, stage)
          }
          return
        case 'complete':
          if (o.mismatches.length > 0)
            trace.fail(r, { code: 'COUNT_MISMATCH', message: describeMismatches(o.mismatches) }, 'streaming')
          else trace.succeed(r)
          return
        default:
          break
      }
    }
  }

  function follow(r: Run, links: JobLinks): void {
    r.jobId = links.jobId
    followed = links
    state.jobId.value = links.jobId
    state.path.value = state.path.value ?? 'job'
    pollTarget.value = { jobId: links.jobId, statusUrl: links.statusUrl, run: r.id }
    r.timer = setTimeout(() => {
      trace.fail(r, {
        code: 'POLL_TIMEOUT',
        message: `the job did not finish within ${Math.round(timeoutMs / 60_000)} min; it may still be running on the server`,
      })
    }, timeoutMs)
    streamJob({
      streamUrl: links.streamUrl,
      ingest: r.ingest,
      signal: r.controller.signal,
      api,
      maxResumes: options.maxResumes,
      resumeDelayMs: options.resumeDelayMs,
      resumeWindowMs: options.resumeWindowMs,
      onOutcomes: (outcomes) => onOutcomes(r, outcomes),
      onResume: () => {
        if (trace.live(r)) state.resumes.value++
      },
    }).then(
      () => {
        // Every ending line was handled in onOutcomes; reaching here otherwise means the stream said nothing final.
        if (trace.live(r) && !r.ingest.finished)
          trace.fail(
            r,
            { code: 'STREAM_DROPPED', message: 'the result stream ended without a complete line' },
            'streaming',
          )
      },
      (err: unknown) => {
        if (trace.live(r) && !isAbortError(err)) trace.fail(r, toStageError(err), 'events')
      },
    )
  }

  watch(poll.status, (status) => {
    const r = trace.current()
    if (!r || !status || status.job_id !== r.jobId || !trace.live(r)) return
    applyStatus(status)
    const stage = stageOfJob(status.status, status.progress.stage)
    if (stage) trace.advance(stage)
    if (status.status === 'failed') {
      const error = status.error ?? { code: 'JOB_FAILED', message: 'the job failed' }
      trace.fail(r, error, stageOfErrorCode(error.code) ?? stage ?? state.currentStage.value ?? 'events')
    } else if (status.status === 'cancelled') trace.endCancelled(r)
  })

  watch(poll.error, (err) => {
    const r = trace.current()
    if (!r || !err || !trace.live(r) || isTransientError(err)) return
    trace.fail(r, toStageError(err), 'events')
  })

  return {
    follow,
    stopPolling() {
      pollTarget.value = null
      void poll.cancel()
    },
    refreshFinalStatus,
  }
}
