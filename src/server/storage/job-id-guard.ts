/** Job ids become file names and Redis keys: refuse anything but the issued form before touching either. */
import { jobIdSchema } from '../../shared/schemas.ts'

/** Throws unless `jobId` is `trace-evt-` and 32 hex characters. */
export function assertJobId(jobId: string): void {
  if (!jobIdSchema.safeParse(jobId).success) throw new Error(`not a job id: ${JSON.stringify(jobId)}`)
}
