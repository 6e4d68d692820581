/** This browser's recent jobs in localStorage, validated on read (the stored text may be old or edited). */
import { z } from 'zod'
import { jobIdSchema, jobRequestSchema } from '../../../shared/schemas.ts'

const recentJobSchema = z.object({
  job_id: jobIdSchema,
  label: z.string(),
  submitted_at: z.string(),
  request: jobRequestSchema.nullable(),
  // Absent in entries stored before the run mode was remembered.
  run_mode: z.enum(['auto', 'job', 'staged']).optional(),
})

/**
 * A job this browser submitted or opened. `request` is what was typed (null for a shared link), `run_mode` the
 * form's "Run as" choice for it.
 */
export type RecentJob = z.infer<typeof recentJobSchema>

/** localStorage key. */
export const RECENT_JOBS_KEY = 'mes-trace.recent-jobs'
/** How many jobs are remembered. */
export const RECENT_JOBS_MAX = 15

/** The stored list (newest first); entries that do not validate are dropped. */
export function loadRecentJobs(storage: Storage | undefined = globalThis.localStorage): RecentJob[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(RECENT_JOBS_KEY) ?? '[]')
    if (!Array.isArray(parsed)) return []
    return parsed.flatMap((entry) => {
      const r = recentJobSchema.safeParse(entry)
      return r.success ? [r.data] : []
    })
  } catch {
    return []
  }
}

/** Stores the list; a full or unavailable storage only loses the history. */
export function saveRecentJobs(
  jobs: readonly RecentJob[],
  storage: Storage | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(RECENT_JOBS_KEY, JSON.stringify(jobs.slice(0, RECENT_JOBS_MAX)))
  } catch {
    // Quota or privacy mode: the list simply is not remembered.
  }
}
