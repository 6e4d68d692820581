// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import {
  buildLineageGraph,
  countLineage,
  layoutLineage,
  nodeMatches,
  relationRows,
} from '../../../../src/client/components/lineage/lineage-graph.ts'
import type { ForwardLineageResponse } from '../../../../src/shared/responses.ts'

const W = 'a000000000000001'
const A = 'a000000000000002'
const B = 'a000000000000003'
const C = 'a000000000000004'
const M = 'a000000000000005'

function lineage(edges: ForwardLineageResponse['edges']): ForwardLineageResponse {
  const ids = [W, A, B, C, M]
  return {
    stage: 'lineage',
    direction: 'forward',
    roots: [W],
    children_map: {},
    leaf_serials: { [M]: ['SN1', 'SN2'] },
    // B is an assembly lot that went on into M: no leaf, yet it carries a serial of its own.
    serials: { [B]: ['SN-B'], [M]: ['SN1', 'SN2'] },
    names: Object.fromEntries(ids.map((id, i) => [id, `LOT-${i}`])),
    nodes: [
      { container_id: W, container_name: 'WL-1', node_type: 'WAFER', mfg_order: null, depth: 0 },
      { container_id: A, container_name: 'GA-1', node_type: 'GA', mfg_order: 'GA1', depth: 1 },
    ],
    edges,
    total_nodes: 5,
    lineage_query_id: 'lin-0123456789abcdef0123456789abcdef',
  }
}

const EDGES: ForwardLineageResponse['edges'] = [
  { from: W, to: A, type: 'wafer_origin' },
  { from: A, to: B, type: 'split_from' },
  { from: A, to: C, type: 'split_from' },
  { from: B, to: M, type: 'merge_source' },
  { from: C, to: M, type: 'merge_source' },
]

describe('lineage graph', () => {
  it('lays out generations left to right by longest path', () => {
    const g = buildLineageGraph(lineage(EDGES), [A])
    const layout = layoutLineage(g)
    const x = Object.fromEntries(layout.nodes.map((n) => [n.node.id, n.x]))
    expect(x[W]).toBeLessThan(x[A])
    expect(x[B]).toBe(x[C])
    expect(x[M]).toBeGreaterThan(x[B])
    expect(layout.edges).toHaveLength(5)
    expect(g.nodes.get(A)!.seed).toBe(true)
    expect(g.nodes.get(B)!.name).toBe('LOT-2')
    expect(g.nodes.get(M)!.serials).toEqual(['SN1', 'SN2'])
  })

  it('collapsing a node hides what is only reachable through it and counts it', () => {
    const g = buildLineageGraph(lineage(EDGES))
    const layout = layoutLineage(g, new Set([A]))
    expect(layout.nodes.map((n) => n.node.id).sort()).toEqual([W, A].sort())
    expect(layout.nodes.find((n) => n.node.id === A)!.hidden).toBe(3)
  })

  it('survives a split cycle in bad data', () => {
    const cyclic = [
      ...EDGES,
      { from: M, to: B, type: 'split_from' as const },
      { from: C, to: C, type: 'split_from' as const },
    ]
    const layout = layoutLineage(buildLineageGraph(lineage(cyclic)))
    expect(layout.nodes).toHaveLength(5)
    const island = buildLineageGraph(
      lineage([
        { from: B, to: C, type: 'split_from' },
        { from: C, to: B, type: 'split_from' },
      ]),
    )
    expect(
      layoutLineage(island)
        .nodes.map((n) => n.node.id)
        .sort(),
    ).toEqual([W, A, B, C].sort())
  })

  it('counts nodes and relations by type and lists relations as rows', () => {
    const g = buildLineageGraph(lineage(EDGES))
    expect(countLineage(g)).toEqual({
      nodes: 5,
      edges: 5,
      byNodeType: { WAFER: 1, GA: 1, UNKNOWN: 3 },
      byEdgeType: { wafer_origin: 1, split_from: 2, merge_source: 2 },
      roots: 1,
      leaves: 1,
    })
    expect(relationRows(g)[3]).toEqual(['LOT-2', 'UNKNOWN', 'merge_source', 'LOT-4', 'UNKNOWN', 'SN1, SN2', B, M])
  })

  it('gives every node the serials it carries, not only the leaves', () => {
    const g = buildLineageGraph(lineage(EDGES))
    expect(g.nodes.get(B)!.serials).toEqual(['SN-B'])
    expect(relationRows(g)[1]).toEqual(['GA-1', 'GA', 'split_from', 'LOT-2', 'UNKNOWN', 'SN-B', A, B])
  })

  it('finds a node by name, id or any serial it carries, ignoring case', () => {
    const g = buildLineageGraph(lineage(EDGES))
    const found = (q: string) => [...g.nodes.values()].filter((n) => nodeMatches(n, q)).map((n) => n.id)
    expect(found('sn-b')).toEqual([B])
    expect(found('SN1')).toEqual([M])
    expect(found('ga-1')).toEqual([A])
    expect(found(A)).toEqual([A])
    expect(found('  ')).toEqual([])
  })
})
