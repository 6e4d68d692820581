/** Words for how a worker process ended, for the error a job it was running gets. */

/** Explains an exit (`code`/`signal` from the `exit` event), naming the likely cause of the usual ones. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, heapMb: number): string {
  if (signal === 'SIGKILL') return 'was killed by SIGKILL (the out-of-memory killer or kill -9)'
  if (signal === 'SIGABRT' || code === 134) {
    return `aborted (SIGABRT), most likely out of heap memory (TRACE_WORKER_MAX_HEAP_MB=${heapMb})`
  }
  if (signal) return `was killed by ${signal}`
  return `exited with code ${code ?? 'unknown'}`
}
