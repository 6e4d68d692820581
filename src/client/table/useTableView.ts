/**
 * Sort and text filter of one table over the rows loaded so far, as an index permutation. Small tables
 * are recomputed on this thread as rows arrive; big ones in a worker, refreshed on request (`refresh`) or
 * when the caller says the stream is over, so a 2 M-row sort does not rerun every second.
 */
import { computed, onScopeDispose, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import type { RowTable } from '../rows/index.ts'
import { isIdentityView, type SortSpec, type ViewSpec } from './table-view.ts'
import { TableViewRunner } from './table-view-runner.ts'
import { isAbortError } from '../api/index.ts'

export interface UseTableViewOptions {
  /** Default: a runner with the standard main-thread budget. */
  readonly runner?: TableViewRunner
  /** Tables up to this many rows re-sort themselves as rows arrive. Default 200 000. */
  readonly autoRefreshRows?: number
  /** Least time between automatic refreshes. Default 1000 ms. */
  readonly throttleMs?: number
  /** Wait after the last filter keystroke. Default 200 ms. */
  readonly debounceMs?: number
}

export interface TableView {
  readonly sort: Ref<SortSpec | null>
  readonly filter: Ref<string>
  /** Row indices to show in order; null = every row in arrival order. */
  readonly order: Readonly<ShallowRef<Uint32Array | null>>
  readonly computing: Readonly<ShallowRef<boolean>>
  readonly error: Readonly<ShallowRef<string | null>>
  /** Rows the table shows now. */
  readonly shownRows: ComputedRef<number>
  /** Rows that arrived after the current sort/filter was computed (not in it yet). */
  readonly pendingRows: ComputedRef<number>
  /** Recomputes the view over every row loaded. */
  refresh(): void
}

/** A view of `table` that follows `version` (the row store's frame counter). */
export function useTableView(
  table: Readonly<Ref<RowTable | null>>,
  version: Readonly<Ref<number>>,
  options: UseTableViewOptions = {},
): TableView {
  const runner = options.runner ?? new TableViewRunner()
  const autoRefreshRows = options.autoRefreshRows ?? 200_000
  const throttleMs = options.throttleMs ?? 1000
  const debounceMs = options.debounceMs ?? 200

  const sort = shallowRef<SortSpec | null>(null)
  const filter = shallowRef('')
  const order = shallowRef<Uint32Array | null>(null)
  const computing = shallowRef(false)
  const error = shallowRef<string | null>(null)
  const viewedLength = shallowRef(0)
  let token = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  let lastRun = 0

  const spec = (): ViewSpec => ({ sort: sort.value, filter: filter.value })

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  function refresh(): void {
    clearTimer()
    const t = table.value
    const mine = ++token
    lastRun = Date.now()
    if (!t || isIdentityView(spec())) {
      order.value = null
      computing.value = false
      viewedLength.value = t?.length ?? 0
      return
    }
    computing.value = true
    const length = t.length
    runner.run(t, spec()).then(
      (result) => {
        if (mine !== token) return
        order.value = result
        viewedLength.value = length
        computing.value = false
        error.value = null
      },
      (err: unknown) => {
        if (mine !== token || isAbortError(err)) return
        computing.value = false
        error.value = err instanceof Error ? err.message : String(err)
      },
    )
  }

  function schedule(delay: number): void {
    clearTimer()
    timer = setTimeout(refresh, delay)
  }

  watch(sort, () => refresh())
  watch(filter, () => schedule(debounceMs))
  watch(table, () => {
    sort.value = null
    filter.value = ''
    refresh()
  })
  watch(version, () => {
    const t = table.value
    if (!t || order.value === null || timer !== null || computing.value) return
    if (t.length <= viewedLength.value || t.length > autoRefreshRows) return
    schedule(Math.max(0, throttleMs - (Date.now() - lastRun)))
  })

  onScopeDispose(() => {
    clearTimer()
    token++
    if (!options.runner) runner.dispose()
  })

  const shownRows = computed(() => {
    void version.value
    return order.value ? order.value.length : (table.value?.length ?? 0)
  })
  const pendingRows = computed(() => {
    void version.value
    return order.value && table.value ? Math.max(0, table.value.length - viewedLength.value) : 0
  })

  return { sort, filter, order, computing, error, shownRows, pendingRows, refresh }
}
