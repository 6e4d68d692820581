/** The error a failed domain throws: the events route lists it in `failed_domains` and carries on. */
import type { Domain } from '../../../shared/domains.ts'
import { ApiError } from '../../http/api-error.ts'

export class DomainEventsError extends ApiError {
  constructor(
    /** The domain whose query failed. */
    readonly domain: Domain,
    message: string,
  ) {
    super(500, 'EVENTS_FAILED', message, { domain })
    this.name = 'DomainEventsError'
  }
}
