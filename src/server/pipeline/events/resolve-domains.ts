/** Which domains an events request fetches. */
import { defaultDomains, type Direction, type Domain, type Profile } from '../../../shared/domains.ts'
import { partitionDomains } from '../../../shared/schemas.ts'
import { DomainError } from '../../errors/domain-error.ts'

/**
 * The requested domains (known, de-duplicated, in request order), or the profile's defaults for its
 * direction when none were requested. Throws DomainError INVALID_PARAMS `unsupported domains: a,b` for
 * unknown names and for an empty list.
 */
export function resolveDomains(profile: Profile, direction: Direction, requested?: readonly string[]): Domain[] {
  if (requested === undefined) return defaultDomains(profile, direction)
  const { known, unknown } = partitionDomains(requested)
  if (unknown.length)
    throw new DomainError('INVALID_PARAMS', `unsupported domains: ${unknown.join(',')}`, {
      details: { unsupported: unknown },
    })
  if (known.length === 0) throw new DomainError('INVALID_PARAMS', 'domains must list at least one domain')
  return known
}
