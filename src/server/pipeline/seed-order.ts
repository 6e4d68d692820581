/** The one order seeds are returned in, whatever found them. */
import type { Seed } from '../../shared/responses.ts'

/** By container name, then CID (code-unit order, so it is the same on every machine and locale). */
export function compareSeeds(a: Seed, b: Seed): number {
  if (a.container_name !== b.container_name) return a.container_name < b.container_name ? -1 : 1
  return a.container_id < b.container_id ? -1 : a.container_id > b.container_id ? 1 : 0
}
