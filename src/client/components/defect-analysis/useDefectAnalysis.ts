/**
 * The defect analysis the page shows: starts from what the stream carried (the unfiltered analysis) and asks
 * the job again whenever the filter changes. Stale answers are dropped (one AbortController per call).
 */
import { onScopeDispose, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import type { AttributionFilter, AttributionResult } from '../../../shared/defect-analysis.ts'
import type { ApiOptions } from '../../api/index.ts'
import { fetchAnalysis } from './defect-analysis-api.ts'

export interface DefectAnalysisState {
  readonly result: Readonly<ShallowRef<AttributionResult>>
  readonly filter: ShallowRef<AttributionFilter>
  readonly loading: Readonly<ShallowRef<boolean>>
  readonly error: Readonly<ShallowRef<string | null>>
}

function isEmpty(f: AttributionFilter): boolean {
  return [f.lossReasons, f.productTypes, f.productLines, f.workcenterGroups].every((l) => !l || l.length === 0)
}

/** `initial` is the streamed analysis; `jobId` null means filters cannot be re-asked (no job). */
export function useDefectAnalysis(
  initial: Ref<AttributionResult>,
  jobId: Ref<string | null>,
  api: ApiOptions = {},
): DefectAnalysisState {
  const result = shallowRef(initial.value)
  const filter = shallowRef<AttributionFilter>({})
  const loading = shallowRef(false)
  const error = shallowRef<string | null>(null)
  let inflight: AbortController | null = null

  watch(initial, (value) => {
    if (isEmpty(filter.value)) result.value = value
  })

  watch(filter, async (f) => {
    inflight?.abort()
    error.value = null
    if (isEmpty(f)) {
      result.value = initial.value
      return
    }
    const id = jobId.value
    if (!id) return
    const ac = new AbortController()
    inflight = ac
    loading.value = true
    try {
      const answer = await fetchAnalysis(id, f, { ...api, signal: ac.signal })
      if (!ac.signal.aborted) result.value = answer
    } catch (err) {
      if (!ac.signal.aborted) error.value = err instanceof Error ? err.message : String(err)
    } finally {
      if (inflight === ac) {
        loading.value = false
        inflight = null
      }
    }
  })

  onScopeDispose(() => inflight?.abort())
  return { result, filter, loading, error }
}
