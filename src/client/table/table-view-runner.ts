/**
 * Runs sort/filter where it fits: on the main thread while the work is small (well under 50 ms), in a Web
 * Worker above that. A newer request supersedes an older one; a worker still busy with it is replaced.
 */
import type { ColumnSnapshot, RowTable } from '../rows/index.ts'
import { computeView, isIdentityView, type ViewSpec } from './table-view.ts'
import type { ViewAnswer, ViewRequest } from './table-view.worker.ts'

/** Cell visits the main thread may do at once (a sort counts as several per row). */
export const MAIN_THREAD_BUDGET = 400_000

/** Estimated cell visits of a view. */
export function viewCost(rows: number, columns: number, spec: ViewSpec): number {
  return (spec.filter.trim() ? rows * columns : 0) + (spec.sort ? rows * 8 : 0)
}

function transferables(columns: readonly ColumnSnapshot[]): Transferable[] {
  const out: Transferable[] = []
  for (const c of columns) {
    if (c.kind === 'number' || c.kind === 'datetime') out.push(c.values.buffer)
    else if (c.kind === 'text') out.push(c.ids.buffer)
  }
  return out
}

export class TableViewRunner {
  private worker: Worker | null = null
  private busy: { id: number; resolve: (order: Uint32Array | null) => void; reject: (err: Error) => void } | null = null
  private nextId = 0

  /** @param budget main-thread budget in cell visits (default MAIN_THREAD_BUDGET) */
  constructor(private readonly budget = MAIN_THREAD_BUDGET) {}

  /** The permutation for `spec` over the table's current rows (null = arrival order). */
  run(table: RowTable, spec: ViewSpec): Promise<Uint32Array | null> {
    this.supersede()
    if (isIdentityView(spec)) return Promise.resolve(null)
    const length = table.length
    // A sort alone needs one column: copying (and posting) the others would only cost main-thread time.
    const filtering = spec.filter.trim() !== ''
    const columns: ColumnSnapshot[] = table.columns.map((c, i) =>
      filtering || spec.sort?.column === i ? c.snapshot(length) : { kind: 'empty', name: c.name },
    )
    if (typeof Worker === 'undefined' || viewCost(length, table.columns.length, spec) <= this.budget) {
      return Promise.resolve(computeView(columns, length, spec))
    }
    const id = ++this.nextId
    const worker = this.ensureWorker()
    return new Promise((resolve, reject) => {
      this.busy = { id, resolve, reject }
      const request: ViewRequest = { id, columns, length, spec }
      worker.postMessage(request, transferables(columns))
    })
  }

  /** Stops the worker; safe to call twice. */
  dispose(): void {
    this.supersede()
    this.worker?.terminate()
    this.worker = null
  }

  private supersede(): void {
    if (!this.busy) return
    // Abandoning a long sort is fastest by replacing the worker.
    this.worker?.terminate()
    this.worker = null
    this.busy.reject(new DOMException('superseded', 'AbortError'))
    this.busy = null
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(new URL('./table-view.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (event: MessageEvent<ViewAnswer>) => {
      const busy = this.busy
      if (!busy || busy.id !== event.data.id) return
      this.busy = null
      if (event.data.error) busy.reject(new Error(event.data.error))
      else busy.resolve(event.data.order)
    }
    worker.onerror = (event) => {
      const busy = this.busy
      this.busy = null
      this.worker = null
      busy?.reject(new Error(`sort worker failed: ${event.message}`))
    }
    this.worker = worker
    return worker
  }
}
