/** Identity of a lineage result, so the events stage can be sent a reference instead of 100 K CIDs. */
import { createHash } from 'node:crypto'
import type { Direction, Profile } from '../../shared/domains.ts'
import type { LineageResponse } from '../../shared/responses.ts'
import { sortedUnique } from './batching.ts'

/** `lin-` + 32 hex of sha256(profile, direction, sorted unique seeds): the same for any order or duplicates. */
export function lineageQueryId(profile: Profile, direction: Direction, seeds: readonly string[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([profile, direction, sortedUnique(seeds)]))
    .digest('hex')
  return `lin-${digest.slice(0, 32)}`
}

/** Every CID of the traced family (seeds included), sorted: the events stage's input. */
export function lineageContainerIds(l: LineageResponse): string[] {
  return sortedUnique(l.nodes.map((n) => n.container_id))
}
