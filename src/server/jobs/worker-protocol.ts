/** IPC messages between the embedded supervisor (web process) and its worker processes. */
import type { JobStatus } from '../../shared/responses.ts'

export type ToWorker =
  | { readonly type: 'run'; readonly job_id: string }
  | { readonly type: 'cancel'; readonly job_id: string }
  | { readonly type: 'shutdown' }

export type FromWorker =
  { readonly type: 'ready' } | { readonly type: 'done'; readonly job_id: string; readonly status: JobStatus | null }

/** Narrows an IPC message from a worker. */
export function isFromWorker(msg: unknown): msg is FromWorker {
  const m = msg as { type?: unknown } | null
  return typeof m === 'object' && m !== null && (m.type === 'ready' || m.type === 'done')
}

/** Narrows an IPC message from the supervisor. */
export function isToWorker(msg: unknown): msg is ToWorker {
  const m = msg as { type?: unknown } | null
  return typeof m === 'object' && m !== null && (m.type === 'run' || m.type === 'cancel' || m.type === 'shutdown')
}

/**
 * Set in the environment of workers the supervisor forks. An IPC channel alone does not say who started the
 * process: some process managers give `npm run worker` one too.
 */
export const EMBEDDED_WORKER_ENV = 'MES_TRACE_EMBEDDED_WORKER'
