/**
 * Runs a trace and follows it to the last row: the whole trace as one job (POST /api/trace/jobs, the default)
 * or, for a few exact ids, the staged calls (seed-resolve → lineage → events, which may itself answer with a
 * job). The run's state and verbs are in trace-run.ts, the staged path in staged-run.ts, following a job in
 * job-follow.ts; this composable starts, attaches, cancels and resets. Rows are read into a columnar RowStore
 * outside Vue, and the UI sees `version`, bumped at most once per animation frame. Every failure lands in
 * `stageErrors` under the stage it belongs to; nothing is swallowed, and nothing fires after cancel/reset.
 */
import { computed, onScopeDispose } from 'vue'
import type { JobRequest } from '../../shared/schemas.ts'
import {
  deleteJob,
  isAbortError,
  linksOfAccepted,
  linksOfJobId,
  submitJob,
  toStageError,
  type ApiOptions,
} from '../api/index.ts'
import { useJobFollow } from './job-follow.ts'
import { chooseRunPath, type RunMode } from './run-path.ts'
import { runStaged } from './staged-run.ts'
import type { TraceProgress, UseTraceProgressOptions } from './trace-progress-types.ts'
import { createTraceRun } from './trace-run.ts'
import { checkTraceRequest } from './validate-request.ts'

export type { TraceProgress, UseTraceProgressOptions } from './trace-progress-types.ts'

/** See the module comment. Call inside a component setup or an effect scope. */
export function useTraceProgress(options: UseTraceProgressOptions = {}): TraceProgress {
  const api: Omit<ApiOptions, 'signal'> = {
    fetch: options.fetch,
    baseUrl: options.baseUrl,
    timeoutMs: options.requestTimeoutMs,
  }
  // The hooks run only once a run stops or succeeds, after the follower below exists.
  const trace = createTraceRun({
    onStop: () => follower.stopPolling(),
    onJobSucceeded: (jobId) => follower.refreshFinalStatus(jobId),
    scheduleFrame: options.scheduleFrame,
    cancelFrame: options.cancelFrame,
  })
  const follower = useJobFollow(trace, api, options)
  const { state } = trace

  async function execute(request: JobRequest, opts: { mode?: RunMode } = {}): Promise<void> {
    const r = trace.begin()
    trace.advance('seed-resolve')
    const check = checkTraceRequest(request)
    if (!check.ok) {
      const message = check.issues.map((i) => `${i.path}: ${i.message}`).join('; ')
      trace.fail(r, { code: 'INVALID_PARAMS', message })
      return
    }
    state.path.value = chooseRunPath(check.request, opts.mode ?? 'auto', options.stagedMaxTokens)
    try {
      if (state.path.value === 'staged') await runStaged(trace, r, check.request, api, follower.follow)
      else {
        const accepted = await submitJob(check.request, { ...api, signal: r.controller.signal })
        if (trace.live(r)) follower.follow(r, linksOfAccepted(accepted))
      }
    } catch (err) {
      if (trace.live(r) && !isAbortError(err)) trace.fail(r, toStageError(err))
    }
  }

  function attach(jobId: string): void {
    const r = trace.begin()
    state.path.value = 'job'
    follower.follow(r, linksOfJobId(jobId))
  }

  async function cancel(): Promise<void> {
    const r = trace.current()
    if (!r) return
    trace.stop(r, 'cancelled')
    const p = state.progress.value
    if (p) {
      // Freezes the elapsed clock where the user stopped it (the server's count would stop at its last poll).
      const now = Date.now()
      state.progress.value = {
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
      const error = toStageError(err)
      state.stageErrors.value = {
        ...state.stageErrors.value,
        events: { ...error, message: `cancel request failed: ${error.message}` },
      }
    }
  }

  onScopeDispose(() => trace.dispose())

  return {
    ...state,
    isRunning: computed(() => state.runStatus.value === 'running'),
    store: trace.store,
    execute,
    attach,
    cancel,
    reset: trace.reset,
  }
}
