/** The lineage rules of docs/domain.md that depend on one container row: its own parent edges and its node type. */
import type { LineageEdge, NodeType } from '../../shared/responses.ts'
import type { ContainerRow } from './lineage-queries.ts'

const startsWith = (value: string | null, prefix: string) => value !== null && value.toUpperCase().startsWith(prefix)

/** A GD (rework) container: its order or its name starts with GD. */
export function isGd(row: ContainerRow): boolean {
  return startsWith(row.order, 'GD') || startsWith(row.name, 'GD')
}

/**
 * Edges into a container from its own columns: for a GD node `gd_rework_source` from ORIGINALCONTAINERID
 * (else SPLITFROMID); `split_from` from SPLITFROMID unless that is already the rework source. Self-references
 * in bad data are dropped.
 */
export function containerParentEdges(row: ContainerRow): LineageEdge[] {
  const edges: LineageEdge[] = []
  const rework = isGd(row) ? (row.original ?? row.splitFrom) : null
  if (rework && rework !== row.cid) edges.push({ from: rework, to: row.cid, type: 'gd_rework_source' })
  if (row.splitFrom && row.splitFrom !== rework && row.splitFrom !== row.cid)
    edges.push({ from: row.splitFrom, to: row.cid, type: 'split_from' })
  return edges
}

/** Node type, first matching rule: WAFER (found as a wafer origin), GD, GC, GA, LOT, UNKNOWN. */
export function nodeType(row: ContainerRow | undefined, isWaferOrigin: boolean): NodeType {
  if (isWaferOrigin) return 'WAFER'
  if (!row) return 'UNKNOWN'
  if (isGd(row)) return 'GD'
  if (startsWith(row.order, 'GC') || startsWith(row.name, 'GC')) return 'GC'
  if (startsWith(row.order, 'GA') || startsWith(row.name, 'GA')) return 'GA'
  if (row.objectType === 'LOT') return 'LOT'
  return 'UNKNOWN'
}
