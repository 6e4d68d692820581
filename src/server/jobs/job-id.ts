/** Job ids: unguessable, because knowing one is enough to read the job's results. */
import { randomBytes } from 'node:crypto'

/** `trace-evt-` and 32 hex characters from the system's cryptographic random source. */
export function newJobId(): string {
  return `trace-evt-${randomBytes(16).toString('hex')}`
}
