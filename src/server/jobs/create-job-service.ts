/**
 * Picks the job system from configuration: BullMQ on Redis when REDIS_URL is set, embedded workers otherwise.
 * BullMQ and ioredis are imported only in BullMQ mode: together they cost a process about 37 MB of RSS.
 */
import type { Config } from '../config.ts'
import { createEmbeddedJobService } from './embedded-job-service.ts'
import type { JobService } from './job-service.ts'

/** Starts the configured job system; the caller closes it on shutdown. */
export async function createJobService(config: Config): Promise<JobService> {
  if (!config.REDIS_URL) return createEmbeddedJobService(config)
  const { createBullJobService } = await import('./bull-job-service.ts')
  return createBullJobService(config)
}
