/**
 * The genealogy to show for a trace. The staged path already has it. A whole-trace job keeps the one its worker
 * traced (GET /api/trace/job/<id>/lineage, read once the job has counted its family and only while the lineage
 * view is open): the full genealogy for a family small enough to draw, counts for a bigger one.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/vue-query'
import { computed, type ComputedRef, type Ref } from 'vue'
import type { JobLineage, LineageResponse } from '../../../shared/responses.ts'
import { ApiRequestError, fetchJobLineage, toStageError, type ApiOptions, type StageError } from '../../api/index.ts'
import type { TraceProgress } from '../../trace/index.ts'

/**
 * `ready`: drawn; `too_big`: the job kept counts only; `not_kept`: the job kept no lineage (it was given
 * container ids, or ran before jobs kept one); `waiting`: not traced yet.
 */
export type LineageAvailability = 'ready' | 'loading' | 'too_big' | 'not_kept' | 'waiting' | 'failed'

export interface LineageData {
  readonly lineage: ComputedRef<LineageResponse | null>
  readonly seedIds: ComputedRef<readonly string[]>
  readonly availability: ComputedRef<LineageAvailability>
  readonly error: ComputedRef<StageError | null>
  /** Containers in the family (0 = not known yet). */
  readonly familySize: ComputedRef<number>
}

export interface UseLineageDataOptions {
  readonly queryClient?: QueryClient
  readonly api?: Omit<ApiOptions, 'signal'>
}

/** The job's kept lineage, or null when it kept none. */
async function keptLineage(jobId: string, api: ApiOptions): Promise<JobLineage | null> {
  try {
    return await fetchJobLineage(jobId, api)
  } catch (err) {
    if (err instanceof ApiRequestError && err.code === 'LINEAGE_NOT_AVAILABLE') return null
    throw err
  }
}

export function useLineageData(
  trace: TraceProgress,
  active: Ref<boolean>,
  options: UseLineageDataOptions = {},
): LineageData {
  const queryClient = options.queryClient ?? useQueryClient()
  const counted = computed(() => trace.progress.value?.cids_total ?? 0)
  const query = useQuery(
    {
      queryKey: computed(() => ['job-lineage', trace.jobId.value] as const),
      queryFn: ({ signal }) => keptLineage(trace.jobId.value!, { ...options.api, signal }),
      // The job stores its lineage before it publishes the family's count.
      enabled: computed(
        () => active.value && trace.lineage.value === null && trace.jobId.value !== null && counted.value > 0,
      ),
      staleTime: Number.POSITIVE_INFINITY,
      gcTime: 5 * 60_000,
      retry: false,
    },
    queryClient,
  )

  const kept = computed(() => query.data.value)
  const lineage = computed(() => trace.lineage.value ?? kept.value?.lineage ?? null)
  const seedIds = computed(() => trace.seeds.value?.seeds?.map((s) => s.container_id) ?? kept.value?.seed_ids ?? [])
  const familySize = computed(() => trace.lineage.value?.total_nodes ?? kept.value?.total_nodes ?? counted.value)
  const error = computed(() => (query.error.value ? toStageError(query.error.value) : null))
  const availability = computed<LineageAvailability>(() => {
    if (lineage.value) return 'ready'
    if (error.value) return 'failed'
    if (kept.value === null) return 'not_kept'
    if (kept.value) return 'too_big'
    if (trace.jobId.value === null || familySize.value === 0) return 'waiting'
    return 'loading'
  })
  return { lineage, seedIds, availability, error, familySize }
}
