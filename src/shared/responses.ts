/** Response bodies of the staged API and the job routes. */
import type { Domain, Profile } from './domains.ts'
import type { ErrorCode } from './errors.ts'

export interface Seed {
  container_id: string
  container_name: string
  lot_id: string
  /** serial_number only: which column matched (FINISHEDNAME, CONTAINERNAME or FIRSTNAME). */
  source?: 'FINISHEDNAME' | 'CONTAINERNAME' | 'FIRSTNAME'
  /** MSD date-range mode: latest track-in at the station. */
  detection?: {
    TRACKINTIMESTAMP: string
    EQUIPMENTID: string | null
    EQUIPMENTNAME: string | null
    rejects: Record<string, number>
  }
}

/** One pattern token and the names it matched. */
export interface ExpansionInfo {
  pattern: string
  matched: number
  names: string[]
  truncated: boolean
}

export interface SeedResolveResponse {
  stage: 'seed-resolve'
  seeds: Seed[]
  seed_count: number
  not_found: string[]
  expansion_info: ExpansionInfo[]
  /**
   * POST /api/trace/seed-resolve only: `trace:seed:<profile>:<digest>`, an id of the parsed query in the old
   * system's form (its pages send it back with lineage and events, which ignore it).
   */
  cache_key?: string
  /**
   * Present exactly when no seed was found: why, in one sentence (the names that matched nothing, or that no
   * lot was at the station in the range and which days the data holds).
   */
  no_seeds_reason?: string
}

/** GET /api/trace/data-span?station=: the days a detection station has track-ins for (null when none). */
export interface StationDataSpan {
  station: string
  first_day: string | null
  last_day: string | null
}

/** GET /api/trace/msd-options: what the defect-investigation form offers, read from the database. */
export interface MsdOptions {
  /** Workcenter groups some lot has track-in history at, in process order. */
  stations: { name: string; label: string }[]
  /** Loss reasons rejects were booked under, sorted. */
  loss_reasons: string[]
}

export type NodeType = 'WAFER' | 'GD' | 'GC' | 'GA' | 'LOT' | 'UNKNOWN'
export type EdgeType = 'split_from' | 'merge_source' | 'wafer_origin' | 'gd_rework_source'

export interface LineageNode {
  container_id: string
  container_name: string
  node_type: NodeType
  mfg_order: string | null
  depth: number
}
export interface LineageEdge {
  from: string
  to: string
  type: EdgeType
}

interface LineageCommon {
  stage: 'lineage'
  names: Record<string, string>
  nodes: LineageNode[]
  edges: LineageEdge[]
  total_nodes: number
  /**
   * Serial numbers (FINISHEDNAME of the merge rows whose target is the node) of every node of the family
   * that carries one, by CID: an assembly lot later reworked or merged again keeps the serial it shipped.
   */
  serials: Record<string, string[]>
  lineage_query_id: string
}
export interface ForwardLineageResponse extends LineageCommon {
  direction: 'forward'
  roots: string[]
  children_map: Record<string, string[]>
  /** The serials of the nodes without children only (see `serials` for every node). */
  leaf_serials: Record<string, string[]>
}
export interface BackwardLineageResponse extends LineageCommon {
  direction: 'backward'
  ancestors: Record<string, string[]>
  parent_map: Record<string, string[]>
  seed_roots: Record<string, string>
  total_ancestor_count: number
}
export type LineageResponse = ForwardLineageResponse | BackwardLineageResponse

/**
 * The genealogy a whole-trace job kept from its own lineage walk (GET /api/trace/job/<id>/lineage), so the
 * browser need not resolve the seeds and trace the lineage again. Bounded: the full response only for a family
 * of at most `max_nodes` containers (TRACE_JOB_LINEAGE_MAX_NODES); a bigger one keeps its counts alone.
 */
export interface JobLineage {
  /** Containers in the family, seeds included. */
  total_nodes: number
  seed_count: number
  max_nodes: number
  /** The seed CIDs (empty when the family is too big to keep). */
  seed_ids: string[]
  /** The full genealogy, or null when the family has more than `max_nodes` containers. */
  lineage: LineageResponse | null
}

/**
 * One domain of an events answer in the compact shape (rows as arrays in `columns` order), which this app asks
 * for; callers that do not ask get `data` as objects keyed by column name (row-shape.ts).
 */
export interface DomainResult {
  columns: string[]
  data: unknown[][]
  count: number
}
export interface EventsResponse {
  stage: 'events'
  results: Partial<Record<Domain, DomainResult>>
  aggregation: unknown
  code?: 'EVENTS_PARTIAL_FAILURE'
  failed_domains?: { domain: Domain; code: ErrorCode; message: string }[]
}

export interface JobAccepted {
  stage: 'events'
  async: true
  job_id: string
  status_url: string
  stream_url: string
}

export const JOB_STATUSES = ['queued', 'started', 'finished', 'failed', 'cancelled'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['finished', 'failed', 'cancelled']

export type JobStage = 'queued' | 'seed-resolve' | 'lineage' | 'events' | 'done'

export interface JobProgress {
  stage: JobStage
  pct: number
  cids_done: number
  cids_total: number
  rows: number
  chunks: number
  /**
   * The domain being fetched while `stage` is `events` (`cids_done` counts this domain's containers); absent
   * in other stages and from older servers.
   */
  domain?: Domain
}

export interface JobStatusResponse {
  job_id: string
  status: JobStatus
  profile: Profile
  cid_count: number
  domains: Domain[]
  progress: JobProgress
  created_at: string
  started_at: string | null
  finished_at: string | null
  elapsed_seconds: number
  error: { code: ErrorCode; message: string } | null
  /** The signed-in user who submitted the job; absent when the server runs without authentication. */
  owner?: string
}

/**
 * GET /api/trace/job/<id>/result: one page of a finished job's domain, compact (rows as arrays in `columns`
 * order); without `?shape=compact` (or the Accept parameter) `data` holds objects keyed by column name.
 */
export interface JobResultPage {
  job_id: string
  domain: Domain
  columns: string[]
  offset: number
  limit: number
  /** Rows in the whole domain. */
  total: number
  /** Rows in this page (`data.length`). */
  count: number
  data: unknown[][]
}

/** Which queue runs async jobs: worker processes forked by the web server, or BullMQ on Redis. */
export type JobQueueMode = 'embedded' | 'bullmq'

/**
 * GET /api/health, answered 200 when `status` is `ok` (the MES database answered and at least one worker can
 * take a job) and 503 with the same body when `degraded`.
 */
export interface HealthResponse {
  status: 'ok' | 'degraded'
  database: {
    dialect: 'sqlite' | 'postgres' | 'oracle'
    reachable: boolean
    /** Round trip of the ping; null when it failed or timed out. */
    latency_ms: number | null
    error: string | null
  }
  queue: {
    /** `disabled`: the job system did not start, so large traces cannot run as jobs. */
    mode: JobQueueMode | 'disabled'
    /** Embedded: worker processes up (idle or busy); BullMQ: workers connected to the queue, on any host. */
    workers: number
    /** Whether a submitted job would be accepted now. */
    accepting: boolean
  }
  /** Present when REDIS_URL is set. */
  redis: { reachable: boolean; latency_ms: number | null; error: string | null } | null
  /** Only for an admin (AUTH_ADMIN_USERS; without authentication, a client on loopback). */
  process?: {
    pid: number
    /** Resident set size of this web process (process.memoryUsage().rss). */
    rss_bytes: number
    heap_used_bytes: number
    uptime_seconds: number
  }
}
