/** The defect-investigation form's options from the database (GET /api/trace/msd-options), while `enabled`. */
import { useQuery, type QueryClient } from '@tanstack/vue-query'
import { computed, type ComputedRef, type Ref } from 'vue'
import type { MsdOptions } from '../../shared/responses.ts'
import { fetchMsdOptions, type ApiOptions } from '../api/index.ts'

export interface UseMsdOptionsOptions {
  /** Default: the app's client (VueQueryPlugin). */
  readonly queryClient?: QueryClient
  readonly api?: Omit<ApiOptions, 'signal'>
}

/** The options, or null until they are known (and when the request failed: the form offers every group). */
export function useMsdOptions(
  enabled: Ref<boolean>,
  options: UseMsdOptionsOptions = {},
): ComputedRef<MsdOptions | null> {
  const query = useQuery(
    {
      queryKey: ['msd-options'] as const,
      queryFn: ({ signal }) => fetchMsdOptions({ ...options.api, signal }),
      enabled,
      staleTime: 5 * 60_000,
      retry: false,
    },
    options.queryClient,
  )
  return computed(() => query.data.value ?? null)
}
