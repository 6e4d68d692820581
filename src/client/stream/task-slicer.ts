/**
 * Keeps long loops from freezing the page. Reading a stream whose bytes are already buffered never leaves
 * the current task (every read resolves as a microtask), so without a break the browser neither paints nor
 * answers input until the buffer is drained. A slicer hands the browser a turn once `budgetMs` have passed.
 */

type Scheduler = { yield?: () => Promise<void> }

/** Resolves in a new task: `scheduler.yield()` where the browser has it, else a MessageChannel message. */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler
  if (typeof scheduler?.yield === 'function') return scheduler.yield()
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}

/** A function returning a promise to await when the current slice has used its budget, else null. */
export function createTaskSlicer(budgetMs = 12): () => Promise<void> | null {
  let sliceStart = performance.now()
  return () => {
    if (performance.now() - sliceStart < budgetMs) return null
    return yieldToBrowser().then(() => {
      sliceStart = performance.now()
    })
  }
}
