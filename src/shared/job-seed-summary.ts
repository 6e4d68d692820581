/**
 * What seed resolution found inside a whole-trace job. A job status MAY carry it as `seed_summary` once the
 * seed stage ran, so the browser can show "N seeds, these ids not found" without resolving twice; clients
 * treat it as optional (older servers omit it).
 */
import type { ExpansionInfo, JobStatusResponse } from './responses.ts'
import type { JobRequest } from './schemas.ts'

export interface SeedSummary {
  seed_count: number
  not_found: string[]
  expansion_info: ExpansionInfo[]
  /** Why no seed was found; present exactly when `seed_count` is 0 (see SeedResolveResponse). */
  no_seeds_reason?: string
}

/**
 * `GET /api/trace/job/<id>` with the optional seed summary and, for a whole-trace job submitted with a small
 * input, the `request` it answers (so a job opened from a link shows its query and refills the form).
 */
export type JobStatusWithSeeds = JobStatusResponse & { seed_summary?: SeedSummary | null; request?: JobRequest }
