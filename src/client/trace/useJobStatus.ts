/**
 * Polls a job's status URL (GET /api/trace/job/<id>) through vue-query: the interval grows while the job runs, stops on a
 * terminal status, and pauses while the tab is hidden. Only the small status object is cached, never rows.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/vue-query'
import { computed, type Ref } from 'vue'
import type { JobStatusWithSeeds } from '../../shared/job-seed-summary.ts'
import { TERMINAL_JOB_STATUSES } from '../../shared/responses.ts'
import { type ApiOptions, fetchJobStatus, ApiRequestError } from '../api/index.ts'

export interface UseJobStatusOptions {
  /** Default: the app's client (VueQueryPlugin). */
  readonly queryClient?: QueryClient
  readonly api?: Omit<ApiOptions, 'signal'>
  /** First interval between polls. Default 500 ms. */
  readonly pollIntervalMs?: number
  /** Longest interval between polls. Default 5000 ms. */
  readonly pollMaxIntervalMs?: number
  /** Interval growth per answered poll. Default 1.5. */
  readonly pollBackoff?: number
}

export interface JobStatusPoll {
  /** The latest status (undefined until the first answer). */
  readonly status: Readonly<Ref<JobStatusWithSeeds | undefined>>
  /** The last failure once retries are spent (cleared by the next success). */
  readonly error: Readonly<Ref<unknown>>
  /** Cancels a poll in flight (its answer is dropped). */
  readonly cancel: () => Promise<void>
}

/** Which job to poll, for which run: each run gets its own cache entry, so it never sees an older run's answer. */
export interface PollTarget {
  readonly jobId: string
  /** Where the status is read (see job-urls.ts). */
  readonly statusUrl: string
  readonly run: number
}

/** The vue-query key of a job's status for one run. */
export function jobStatusKey(target: PollTarget | null): readonly unknown[] {
  return target ? ['trace-job', target.jobId, target.run, target.statusUrl] : ['trace-job', null]
}

function isTerminal(status: JobStatusWithSeeds | undefined): boolean {
  return status !== undefined && TERMINAL_JOB_STATUSES.includes(status.status)
}

/** A network failure, timeout or 5xx: worth retrying. A 4xx (404 JOB_NOT_FOUND) is final. */
export function isTransientError(err: unknown): boolean {
  return !(err instanceof ApiRequestError) || err.status === 0 || err.status >= 500
}

/** Polls while `target` is set. */
export function useJobStatus(target: Ref<PollTarget | null>, options: UseJobStatusOptions = {}): JobStatusPoll {
  const queryClient = options.queryClient ?? useQueryClient()
  const first = options.pollIntervalMs ?? 500
  const max = options.pollMaxIntervalMs ?? 5000
  const backoff = options.pollBackoff ?? 1.5
  const query = useQuery(
    {
      queryKey: computed(() => jobStatusKey(target.value)),
      queryFn: ({ signal, queryKey }) => fetchJobStatus(String(queryKey[3]), { ...options.api, signal }),
      enabled: computed(() => target.value !== null),
      refetchInterval: (q) =>
        isTerminal(q.state.data) ? false : Math.min(max, first * backoff ** q.state.dataUpdateCount),
      refetchIntervalInBackground: false,
      retry: (failures, err) => isTransientError(err) && failures < 3,
      retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 8000),
      staleTime: 0,
      // A run's entry is useless once the run is over.
      gcTime: 0,
    },
    queryClient,
  )
  return {
    status: query.data,
    error: query.error,
    cancel: () => queryClient.cancelQueries({ queryKey: ['trace-job'] }),
  }
}
