/**
 * The genealogy to show for a trace. The staged path already has it. The job stream does not carry it, so
 * for a job whose family is small enough the seeds are resolved again and POST /api/trace/lineage is
 * called (only when the lineage view is open); a bigger family shows counts only.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/vue-query'
import { computed, type ComputedRef, type Ref } from 'vue'
import type { LineageResponse } from '../../../shared/responses.ts'
import type { JobRequest } from '../../../shared/schemas.ts'
import { type ApiOptions, fetchLineage, resolveSeeds, toStageError, type StageError } from '../../api/index.ts'
import { requestDirection, type TraceProgress } from '../../trace/index.ts'

/** Largest family fetched for a job (beyond it the view shows counts). */
export const LINEAGE_FETCH_LIMIT = 10_000

export type LineageAvailability = 'ready' | 'loading' | 'too_big' | 'no_request' | 'waiting' | 'failed'

export interface LineageData {
  readonly lineage: ComputedRef<LineageResponse | null>
  readonly seedIds: ComputedRef<readonly string[]>
  readonly availability: ComputedRef<LineageAvailability>
  readonly error: ComputedRef<StageError | null>
  /** Containers in the family as the job counted them (0 = not known yet). */
  readonly familySize: ComputedRef<number>
}

export interface UseLineageDataOptions {
  readonly queryClient?: QueryClient
  readonly api?: Omit<ApiOptions, 'signal'>
}

export function useLineageData(
  trace: TraceProgress,
  request: Ref<JobRequest | null>,
  active: Ref<boolean>,
  options: UseLineageDataOptions = {},
): LineageData {
  const queryClient = options.queryClient ?? useQueryClient()
  const familySize = computed(() => trace.lineage.value?.total_nodes ?? trace.progress.value?.cids_total ?? 0)
  const eligible = computed(
    () =>
      trace.lineage.value === null &&
      trace.job_id.value !== null &&
      request.value !== null &&
      familySize.value > 0 &&
      familySize.value <= LINEAGE_FETCH_LIMIT,
  )
  const query = useQuery(
    {
      queryKey: computed(() => ['lineage', trace.job_id.value] as const),
      queryFn: async ({ signal }) => {
        const req = request.value!
        const seeds = await resolveSeeds({ profile: req.profile, params: req.params }, { ...options.api, signal })
        const ids = seeds.seeds.map((s) => s.container_id)
        if (ids.length === 0) return { lineage: null, seedIds: [] as string[] }
        const lineage = await fetchLineage(
          { profile: req.profile, container_ids: ids, params: { direction: requestDirection(req) } },
          { ...options.api, signal },
        )
        return { lineage, seedIds: ids }
      },
      enabled: computed(() => active.value && eligible.value),
      staleTime: Number.POSITIVE_INFINITY,
      gcTime: 5 * 60_000,
      retry: false,
    },
    queryClient,
  )

  const lineage = computed(() => trace.lineage.value ?? query.data.value?.lineage ?? null)
  const seedIds = computed(
    () => trace.seeds.value?.seeds?.map((s) => s.container_id) ?? query.data.value?.seedIds ?? [],
  )
  const error = computed(() => (query.error.value ? toStageError(query.error.value) : null))
  const availability = computed<LineageAvailability>(() => {
    if (lineage.value) return 'ready'
    if (error.value) return 'failed'
    if (trace.job_id.value === null) return 'waiting'
    if (familySize.value === 0) return 'waiting'
    if (familySize.value > LINEAGE_FETCH_LIMIT) return 'too_big'
    if (request.value === null) return 'no_request'
    return 'loading'
  })
  return { lineage, seedIds, availability, error, familySize }
}
