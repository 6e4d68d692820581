/** Picks the job system from configuration: BullMQ on Redis when REDIS_URL is set, embedded workers otherwise. */
import type { Config } from '../config.ts'
import { createBullJobService } from './bull-job-service.ts'
import { createEmbeddedJobService } from './embedded-job-service.ts'
import type { JobService } from './job-service.ts'

/** Starts the configured job system; the caller closes it on shutdown. */
export function createJobService(config: Config): Promise<JobService> {
  return config.REDIS_URL ? createBullJobService(config) : createEmbeddedJobService(config)
}
