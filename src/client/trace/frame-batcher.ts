/** Coalesces many "data changed" signals into one callback per animation frame. */

/** Schedules a callback for the next frame; returns a handle for `cancel`. */
export type FrameScheduler = (callback: () => void) => unknown
export type FrameCanceller = (handle: unknown) => void

const defaultSchedule: FrameScheduler = (cb) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(cb) : setTimeout(cb, 16)
const defaultCancel: FrameCanceller = (handle) => {
  if (typeof cancelAnimationFrame === 'function') cancelAnimationFrame(handle as number)
  else clearTimeout(handle as ReturnType<typeof setTimeout>)
}

export interface FrameBatcher {
  /** Asks for `flush` on the next frame (at most once per frame however often it is called). */
  request(): void
  /** Runs `flush` now if a request is pending (e.g. when the stream ends). */
  flushNow(): void
  /** Drops a pending request; safe to call twice. */
  dispose(): void
}

/** A batcher around `flush`; `schedule`/`cancel` default to requestAnimationFrame. */
export function createFrameBatcher(
  flush: () => void,
  schedule: FrameScheduler = defaultSchedule,
  cancel: FrameCanceller = defaultCancel,
): FrameBatcher {
  let handle: unknown = null
  let pending = false
  const run = (): void => {
    handle = null
    if (!pending) return
    pending = false
    flush()
  }
  return {
    request() {
      pending = true
      if (handle === null) handle = schedule(run)
    },
    flushNow() {
      if (handle !== null) cancel(handle)
      handle = null
      if (pending) {
        pending = false
        flush()
      }
    },
    dispose() {
      if (handle !== null) cancel(handle)
      handle = null
      pending = false
    },
  }
}
