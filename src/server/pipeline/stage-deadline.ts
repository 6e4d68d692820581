/** A time limit on a synchronous stage: the stage's queries are cancelled when it runs out. */
import type { StageOptions } from './stage-options.ts'

/**
 * Runs `work` with a signal that also aborts after `seconds`; when that is what stopped it, rejects with
 * `timedOut()` instead of the abort reason. The caller's own abort still rejects with the caller's reason.
 */
export async function withStageDeadline<T>(
  opts: StageOptions,
  seconds: number,
  timedOut: () => Error,
  work: (opts: StageOptions) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(seconds * 1000)
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout
  try {
    return await work({ ...opts, signal })
  } catch (err) {
    if (timeout.aborted && !opts.signal?.aborted) throw timedOut()
    throw err
  }
}
