/** The days a detection station has data for (GET /api/trace/data-span), fetched while `enabled` is true. */
import { useQuery, type QueryClient } from '@tanstack/vue-query'
import { computed, type ComputedRef, type Ref } from 'vue'
import type { StationDataSpan } from '../../shared/responses.ts'
import { type ApiOptions, fetchDataSpan } from '../api/index.ts'

export interface UseStationDataSpanOptions {
  /** Default: the app's client (VueQueryPlugin). */
  readonly queryClient?: QueryClient
  readonly api?: Omit<ApiOptions, 'signal'>
}

/** The span of `station`, or null until it is known (and when the request failed: the form keeps its dates). */
export function useStationDataSpan(
  station: Ref<string>,
  enabled: Ref<boolean>,
  options: UseStationDataSpanOptions = {},
): ComputedRef<StationDataSpan | null> {
  const query = useQuery(
    {
      queryKey: computed(() => ['data-span', station.value] as const),
      queryFn: ({ signal }) => fetchDataSpan(station.value, { ...options.api, signal }),
      enabled,
      staleTime: 10 * 60_000,
      retry: false,
    },
    options.queryClient,
  )
  return computed(() => query.data.value ?? null)
}
