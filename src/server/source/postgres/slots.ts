/** A FIFO counting semaphore whose waits can be aborted: the per-process limit on slow trace queries. */

/** Gives the slot back; calling it more than once has no further effect. */
export type ReleaseSlot = () => void

interface Waiter {
  readonly grant: () => void
}

export class Slots {
  #inUse = 0
  readonly #waiters: Waiter[] = []

  /** @param limit slots available at once (DB_SLOW_MAX_CONCURRENT). */
  constructor(readonly limit: number) {}

  /** Slots currently held. */
  get inUse(): number {
    return this.#inUse
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length
  }

  /** Waits for a slot; rejects with the signal's reason if it aborts first (the wait then leaves the queue). */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    signal?.throwIfAborted()
    if (this.#inUse < this.limit) {
      this.#inUse += 1
      return Promise.resolve(this.#releaser())
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(waiter)
        if (i >= 0) this.#waiters.splice(i, 1)
        reject(signal?.reason)
      }
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve(this.#releaser())
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(waiter)
    })
  }

  #releaser(): ReleaseSlot {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#waiters.shift()
      // The slot passes straight to the next waiter, so a newcomer can never overtake the queue.
      if (next !== undefined) next.grant()
      else this.#inUse -= 1
    }
  }
}
