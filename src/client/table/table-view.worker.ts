/// <reference lib="webworker" />
/** Sorts and filters big tables off the main thread; answers with the permutation (transferred, not copied). */
import type { ColumnSnapshot } from '../rows/row-column.ts'
import { computeView, type ViewSpec } from './table-view.ts'

/** What the page posts. */
export interface ViewRequest {
  readonly id: number
  readonly columns: readonly ColumnSnapshot[]
  readonly length: number
  readonly spec: ViewSpec
}

/** What the worker answers. */
export interface ViewAnswer {
  readonly id: number
  readonly order: Uint32Array | null
  readonly error?: string
}

const scope = self as unknown as DedicatedWorkerGlobalScope

scope.onmessage = (event: MessageEvent<ViewRequest>) => {
  const { id, columns, length, spec } = event.data
  try {
    const order = computeView(columns, length, spec)
    const answer: ViewAnswer = { id, order }
    scope.postMessage(answer, order ? [order.buffer] : [])
  } catch (err) {
    const answer: ViewAnswer = { id, order: null, error: err instanceof Error ? err.message : String(err) }
    scope.postMessage(answer)
  }
}
