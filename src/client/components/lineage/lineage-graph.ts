/**
 * The genealogy of a lineage answer as a graph the view can draw: nodes with their type, edges parent →
 * child with their relation, and a layered left-to-right layout (generation by longest path, order by the
 * parents' positions). Cycle-safe: bad data with a split cycle still lays out, nothing loops.
 */
import type { EdgeType, LineageResponse, NodeType } from '../../../shared/responses.ts'

/** Relation of an edge; `relation` when an older answer gave only parent/child maps. */
export type GraphEdgeType = EdgeType | 'relation'

export interface GraphNode {
  readonly id: string
  readonly name: string
  readonly type: NodeType
  readonly seed: boolean
  /** Serial numbers the container carries (any node of the family, not only leaves). */
  readonly serials: readonly string[]
}

export interface GraphEdge {
  readonly from: string
  readonly to: string
  readonly type: GraphEdgeType
}

export interface LineageGraph {
  readonly nodes: ReadonlyMap<string, GraphNode>
  readonly edges: readonly GraphEdge[]
  readonly children: ReadonlyMap<string, readonly string[]>
  readonly parents: ReadonlyMap<string, readonly string[]>
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key)
  if (list) {
    if (!list.includes(value)) list.push(value)
  } else map.set(key, [value])
}

/** The graph of a lineage answer; `seedIds` are marked. */
export function buildLineageGraph(lineage: LineageResponse, seedIds: readonly string[] = []): LineageGraph {
  const seeds = new Set(seedIds)
  const edges: GraphEdge[] = lineage.edges.map((e) => ({ from: e.from, to: e.to, type: e.type }))
  if (edges.length === 0) {
    const map = lineage.direction === 'forward' ? lineage.children_map : lineage.parent_map
    for (const [key, list] of Object.entries(map)) {
      for (const other of list) {
        edges.push(
          lineage.direction === 'forward'
            ? { from: key, to: other, type: 'relation' }
            : { from: other, to: key, type: 'relation' },
        )
      }
    }
  }
  // Answers of servers that looked serials up on leaves only carry leaf_serials alone.
  const serials = lineage.serials ?? (lineage.direction === 'forward' ? lineage.leaf_serials : {})
  const nodes = new Map<string, GraphNode>()
  const add = (id: string, name?: string, type: NodeType = 'UNKNOWN'): void => {
    if (nodes.has(id)) return
    nodes.set(id, { id, name: name ?? lineage.names[id] ?? id, type, seed: seeds.has(id), serials: serials[id] ?? [] })
  }
  for (const n of lineage.nodes) add(n.container_id, n.container_name || undefined, n.node_type)
  for (const e of edges) {
    add(e.from)
    add(e.to)
  }
  for (const id of seeds) add(id)
  const children = new Map<string, string[]>()
  const parents = new Map<string, string[]>()
  for (const e of edges) {
    push(children, e.from, e.to)
    push(parents, e.to, e.from)
  }
  return { nodes, edges, children, parents }
}

/** Whether a node's name, id or one of its serials contains `query` (case-insensitive); blank matches nothing. */
export function nodeMatches(node: GraphNode, query: string): boolean {
  const q = query.trim().toLowerCase()
  if (!q) return false
  return (
    node.name.toLowerCase().includes(q) || node.id.includes(q) || node.serials.some((s) => s.toLowerCase().includes(q))
  )
}

export interface PlacedNode {
  readonly node: GraphNode
  readonly x: number
  readonly y: number
  readonly collapsed: boolean
  /** Descendants hidden because this node is collapsed. */
  readonly hidden: number
  readonly hasChildren: boolean
}

export interface PlacedEdge {
  readonly edge: GraphEdge
  readonly x1: number
  readonly y1: number
  readonly x2: number
  readonly y2: number
}

export interface LineageLayout {
  readonly nodes: readonly PlacedNode[]
  readonly edges: readonly PlacedEdge[]
  readonly width: number
  readonly height: number
}

export const NODE_WIDTH = 176
export const NODE_HEIGHT = 26
const GAP_X = 64
const GAP_Y = 10

/** Generation of every node: longest path from a node without parents; nodes on a cycle follow their placed parents. */
function generations(graph: LineageGraph, ids: readonly string[]): Map<string, number> {
  const indegree = new Map<string, number>()
  for (const id of ids) indegree.set(id, 0)
  for (const e of graph.edges)
    if (indegree.has(e.from) && indegree.has(e.to)) indegree.set(e.to, indegree.get(e.to)! + 1)
  const layer = new Map<string, number>()
  const queue = ids.filter((id) => indegree.get(id) === 0)
  for (const id of queue) layer.set(id, 0)
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]
    for (const child of graph.children.get(id) ?? []) {
      if (!indegree.has(child)) continue
      layer.set(child, Math.max(layer.get(child) ?? 0, layer.get(id)! + 1))
      const left = indegree.get(child)! - 1
      indegree.set(child, left)
      if (left === 0) queue.push(child)
    }
  }
  for (const id of ids) {
    if (layer.has(id)) continue
    const placed = (graph.parents.get(id) ?? []).map((p) => layer.get(p)).filter((l): l is number => l !== undefined)
    layer.set(id, placed.length > 0 ? Math.max(...placed) + 1 : 0)
  }
  return layer
}

/** Nodes shown when `collapsed` nodes hide their descendants (reached only through them). */
function visibleNodes(graph: LineageGraph, collapsed: ReadonlySet<string>): Set<string> {
  const visible = new Set<string>()
  const starts = [...graph.nodes.keys()].filter((id) => (graph.parents.get(id) ?? []).length === 0)
  const walk = (start: string): void => {
    const stack = [start]
    while (stack.length > 0) {
      const id = stack.pop()!
      if (visible.has(id)) continue
      visible.add(id)
      if (collapsed.has(id)) continue
      for (const child of graph.children.get(id) ?? []) stack.push(child)
    }
  }
  starts.forEach(walk)
  // Nodes only on a cycle have no parentless ancestor: shown from where the cycle is, unless a collapse hides them.
  const belowCollapsed = new Set<string>()
  const stack = [...collapsed].filter((id) => visible.has(id)).flatMap((id) => [...(graph.children.get(id) ?? [])])
  while (stack.length > 0) {
    const id = stack.pop()!
    if (belowCollapsed.has(id)) continue
    belowCollapsed.add(id)
    stack.push(...(graph.children.get(id) ?? []))
  }
  for (const id of graph.nodes.keys()) if (!visible.has(id) && !belowCollapsed.has(id)) walk(id)
  return visible
}

function hiddenBelow(graph: LineageGraph, id: string, visible: ReadonlySet<string>): number {
  const seen = new Set<string>()
  const stack = [...(graph.children.get(id) ?? [])]
  while (stack.length > 0) {
    const cur = stack.pop()!
    if (seen.has(cur) || visible.has(cur)) continue
    seen.add(cur)
    stack.push(...(graph.children.get(cur) ?? []))
  }
  return seen.size
}

/** Positions of the visible nodes and edges, left (oldest generation) to right. */
export function layoutLineage(graph: LineageGraph, collapsed: ReadonlySet<string> = new Set()): LineageLayout {
  const visible = visibleNodes(graph, collapsed)
  const ids = [...visible]
  const layer = generations(graph, ids)
  const columns: string[][] = []
  for (const id of ids) (columns[layer.get(id)!] ??= []).push(id)
  const row = new Map<string, number>()
  columns.forEach((column, c) => {
    const key = (id: string): number => {
      const ps = (graph.parents.get(id) ?? []).map((p) => row.get(p)).filter((r): r is number => r !== undefined)
      return ps.length > 0 ? ps.reduce((a, b) => a + b, 0) / ps.length : Number.POSITIVE_INFINITY
    }
    const name = (id: string): string => graph.nodes.get(id)!.name
    column.sort((a, b) => (c === 0 ? 0 : key(a) - key(b)) || name(a).localeCompare(name(b)))
    column.forEach((id, i) => row.set(id, i))
  })
  const pos = (id: string): { x: number; y: number } => ({
    x: layer.get(id)! * (NODE_WIDTH + GAP_X),
    y: row.get(id)! * (NODE_HEIGHT + GAP_Y),
  })
  const nodes: PlacedNode[] = ids.map((id) => ({
    node: graph.nodes.get(id)!,
    ...pos(id),
    collapsed: collapsed.has(id),
    hidden: collapsed.has(id) ? hiddenBelow(graph, id, visible) : 0,
    hasChildren: (graph.children.get(id) ?? []).length > 0,
  }))
  const edges: PlacedEdge[] = []
  for (const edge of graph.edges) {
    if (!visible.has(edge.from) || !visible.has(edge.to) || collapsed.has(edge.from)) continue
    const a = pos(edge.from)
    const b = pos(edge.to)
    edges.push({ edge, x1: a.x + NODE_WIDTH, y1: a.y + NODE_HEIGHT / 2, x2: b.x, y2: b.y + NODE_HEIGHT / 2 })
  }
  const tallest = Math.max(0, ...columns.map((c) => c?.length ?? 0))
  return {
    nodes,
    edges,
    width: columns.length * (NODE_WIDTH + GAP_X) - GAP_X,
    height: tallest * (NODE_HEIGHT + GAP_Y) - GAP_Y,
  }
}

export interface LineageCounts {
  readonly nodes: number
  readonly edges: number
  readonly byNodeType: Readonly<Partial<Record<NodeType, number>>>
  readonly byEdgeType: Readonly<Partial<Record<GraphEdgeType, number>>>
  readonly roots: number
  readonly leaves: number
}

/** Summary counts (shown instead of a drawing when the family is too big). */
export function countLineage(graph: LineageGraph): LineageCounts {
  const byNodeType: Partial<Record<NodeType, number>> = {}
  const byEdgeType: Partial<Record<GraphEdgeType, number>> = {}
  let roots = 0
  let leaves = 0
  for (const n of graph.nodes.values()) {
    byNodeType[n.type] = (byNodeType[n.type] ?? 0) + 1
    if ((graph.parents.get(n.id) ?? []).length === 0) roots++
    if ((graph.children.get(n.id) ?? []).length === 0) leaves++
  }
  for (const e of graph.edges) byEdgeType[e.type] = (byEdgeType[e.type] ?? 0) + 1
  return { nodes: graph.nodes.size, edges: graph.edges.length, byNodeType, byEdgeType, roots, leaves }
}

/** Columns of the relation table. */
export const RELATION_COLUMNS = [
  'PARENT_NAME',
  'PARENT_TYPE',
  'RELATION',
  'CHILD_NAME',
  'CHILD_TYPE',
  'CHILD_SERIALS',
  'PARENT_ID',
  'CHILD_ID',
] as const

/** One row per edge, in RELATION_COLUMNS order. */
export function relationRows(graph: LineageGraph): unknown[][] {
  return graph.edges.map((e) => {
    const from = graph.nodes.get(e.from)!
    const to = graph.nodes.get(e.to)!
    return [from.name, from.type, e.type, to.name, to.type, to.serials.join(', ') || null, from.id, to.id]
  })
}
