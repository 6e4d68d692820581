/**
 * One station visit of one lot: the track-in/out row (sometimes duplicated, as the warehouse does), the
 * materials consumed, the rejects found and a hold when something went wrong. Damage done by a bad
 * machine or a bad material lot is carried by the lot and shows up again at the test station.
 */
import type { Counters } from './names.ts'
import { formatTimestamp, ncrId, pad, yymmdd } from './names.ts'
import type { Rng } from './rng.ts'
import { badMachineAt, machinesOf, type Machine } from './machines.ts'
import type { MaterialUse, StepSpec } from './plant-flow.ts'

/** The seven table names, as in MES_TABLES. */
export const TABLE = {
  container: 'DW_MES_CONTAINER',
  combined: 'DW_MES_PJ_COMBINEDASSYLOTS',
  history: 'DW_MES_LOTWIPHISTORY',
  materials: 'DW_MES_LOTMATERIALSHISTORY',
  rejects: 'DW_MES_LOTREJECTHISTORY',
  holds: 'DW_MES_HOLDRELEASEHISTORY',
  jobs: 'DW_MES_JOB',
} as const

/** One of the seven table names. */
export type DemoTable = (typeof TABLE)[keyof typeof TABLE]

/** Receives one row (MES_TABLES column order) of a table. */
export type EmitRow = (table: DemoTable, row: unknown[]) => void

/** State shared by every family of one generation run. */
export interface PlantContext {
  readonly seed: number
  /** Span start and end (exclusive), seconds. */
  readonly spanStart: number
  readonly spanEnd: number
  readonly counters: Counters
  /** The mold-compound lot that damages what it touches. */
  readonly badMaterialLot: string
  readonly emit: EmitRow
}

/** A machine use, kept per family so maintenance jobs can list the lots a machine touched. */
export interface Visit {
  readonly machine: number
  readonly cid: string
  readonly name: string
  readonly at: number
}

/** One family's generation state: its random stream and its machine visits. */
export interface FamilyRun {
  readonly ctx: PlantContext
  readonly rng: Rng
  readonly visits: Visit[]
}

/** A container while its family is generated; becomes a DW_MES_CONTAINER row at the end. */
export interface Lot {
  readonly cid: string
  readonly name: string
  readonly order: string | null
  readonly firstName: string
  /** Writable only so a split cycle (two lots naming each other) can be planted. */
  splitFrom: string | null
  readonly original: string | null
  /** Split level (wafer lots and roots 0), used for names. */
  readonly level: number
  readonly kind: 'wafer' | 'lot' | 'assembly' | 'rework'
  qty: number
  /** Seconds; when the lot is free for its next step. */
  time: number
  /** Extra test failure rate caused by upstream damage, and the failure it shows as. */
  boost: number
  cause: string | null
  lastSpec: string | null
  /** Ran out of the generated span (still WIP) or sits on an open hold: no further steps. */
  stopped: boolean
  /** Had a hold already; one blocking hold per container keeps flows inside the span. */
  held: boolean
  serial: string | null
  /** Units rejected at the latest test pass (what a GD rework lot takes back). */
  lastTestLoss: number
}

const EMPLOYEES = 500
const DEPARTMENTS = ['製造部', '品保部', '工程部', '設備部'] as const
const RANDOM_HOLD_REASONS = ['Q-time超時', '工程暫停', '品質異常待判', 'Engineering hold', '客戶要求'] as const
const RELEASE_COMMENTS = ['判定可放行', 'MRB 放行', '重工後放行', 'OK to release', null] as const
const REJECT_COMMENTS = ['AOI 檢出', '目檢', 'operator found', '抽檢不良', null, null, null] as const

function employee(rng: Rng): string {
  return `E1${pad(rng.int(0, EMPLOYEES - 1), 4)}`
}

/** Minutes in queue before a step: mostly short, sometimes a few hours. */
function queueMinutes(rng: Rng): number {
  return 10 + Math.min(230, Math.floor(-Math.log(1 - rng.next()) * 45))
}

/** MATERIALLOTNAME: the wafer lot for dies, else the supplier lot of the period and line (A/B). */
export function materialLotName(
  ctx: PlantContext,
  use: MaterialUse,
  at: number,
  machine: Machine | null,
  lot: Lot,
): string {
  if (use.lotPrefix === null) return lot.firstName
  const period = use.periodHours * 3600
  const start = ctx.spanStart + Math.floor((at - ctx.spanStart) / period) * period
  return `${use.lotPrefix}${yymmdd(start)}-${(machine?.index ?? 0) % 2 === 0 ? 'A' : 'B'}`
}

/** Records a reject of `rate` × available units (at least 1, at most 30 %); returns the units rejected. */
function reject(
  run: FamilyRun,
  lot: Lot,
  step: StepSpec,
  machine: Machine | null,
  available: number,
  rate: number,
  reason: string | null,
  at: number,
): number {
  const total = Math.min(Math.max(1, Math.round(available * rate)), Math.floor(available * 0.3))
  if (total <= 0) return 0
  const { rng } = run
  const q = [total, 0, 0, 0, 0, 0]
  const r = rng.next()
  if (r < 0.15) [q[0], q[5]] = [0, total]
  else if (r < 0.25) {
    q[1] = Math.floor(total * rng.next())
    q[0] = total - q[1]
  } else if (r < 0.3) {
    q[2 + rng.int(0, 2)] = Math.ceil(total / 2)
    q[0] = total - Math.ceil(total / 2)
  }
  run.ctx.emit(TABLE.rejects, [
    lot.cid,
    step.workcenter,
    step.spec,
    reason,
    machine?.name ?? null,
    rng.pick(REJECT_COMMENTS),
    q[0],
    q[1],
    q[2],
    q[3],
    q[4],
    q[5],
    formatTimestamp(at),
  ])
  return total
}

function emitHold(run: FamilyRun, lot: Lot, step: StepSpec, reason: string, at: number, ncrChance: number): void {
  const { rng, ctx } = run
  const holdAt = at + rng.int(60, 1800)
  const releaseAt = holdAt + rng.int(1, 36) * 3600 + rng.int(0, 3599)
  const open = releaseAt >= ctx.spanEnd
  const ncr = rng.chance(ncrChance) ? ncrId(ctx.counters, holdAt) : null
  ctx.emit(TABLE.holds, [
    lot.cid,
    step.workcenter,
    formatTimestamp(holdAt),
    employee(rng),
    rng.pick(DEPARTMENTS),
    reason,
    `${reason} @ ${step.spec}`,
    open ? null : formatTimestamp(releaseAt),
    open ? null : employee(rng),
    open ? null : rng.pick(RELEASE_COMMENTS),
    ncr,
  ])
  lot.held = true
  if (open) lot.stopped = true
  else lot.time = releaseAt
}

/** Puts a lot on a hold that is never released (pending disposition); the lot stops there. */
export function openHold(run: FamilyRun, lot: Lot, step: StepSpec): void {
  const { rng, ctx } = run
  const holdAt = lot.time + rng.int(60, 1800)
  if (holdAt >= ctx.spanEnd) return
  ctx.emit(TABLE.holds, [
    lot.cid,
    step.workcenter,
    formatTimestamp(holdAt),
    employee(rng),
    '品保部',
    '品質異常待判',
    `待 MRB 判定 @ ${step.spec}`,
    null,
    null,
    null,
    ncrId(ctx.counters, holdAt),
  ])
  lot.held = true
  lot.stopped = true
}

/**
 * Runs one step for a lot (and a retest pass at a test step now and then). A lot whose step would end
 * after the span stays WIP: no row, and it is marked stopped.
 */
export function runStep(run: FamilyRun, lot: Lot, step: StepSpec, retest = true): void {
  if (lot.stopped) return
  const { rng, ctx } = run
  const trackIn = lot.time + queueMinutes(rng) * 60 + rng.int(0, 59)
  const processSeconds = rng.int(step.minutes[0], step.minutes[1]) * 60 + rng.int(0, 59)
  const trackOut = trackIn + processSeconds
  if (trackOut >= ctx.spanEnd) {
    lot.stopped = true
    return
  }
  const machine = step.pool ? rng.pick(machinesOf(step.pool)) : null
  const bad = machine
    ? badMachineAt(machine.index, (trackIn - ctx.spanStart) / (ctx.spanEnd - ctx.spanStart))
    : undefined
  const materialLots: string[] = []
  let badMaterial = false
  for (const use of step.materials) {
    const name = materialLotName(ctx, use, trackIn, machine, lot)
    materialLots.push(name)
    if (name === ctx.badMaterialLot) badMaterial = true
  }
  if (bad) {
    lot.boost += 0.01 + rng.next() * 0.015
    lot.cause = bad.testReason
  }
  if (badMaterial) {
    lot.boost += 0.006 + rng.next() * 0.006
    lot.cause ??= 'IR leakage'
  }

  const inQty = lot.qty
  const at = trackOut - rng.int(30, Math.max(31, Math.floor(processSeconds / 4)))
  let loss = 0
  if (step.test) {
    loss += reject(
      run,
      lot,
      step,
      machine,
      inQty - loss,
      0.0005 + rng.next() * 0.002 + lot.boost,
      lot.cause && rng.chance(0.7) ? lot.cause : rng.pick(step.reasons),
      at,
    )
    if (rng.chance(0.35))
      loss += reject(run, lot, step, machine, inQty - loss, 0.0002 + rng.next() * 0.0006, rng.pick(step.reasons), at)
    lot.lastTestLoss = loss
  } else if (bad) {
    if (rng.chance(0.9)) loss += reject(run, lot, step, machine, inQty, 0.03 + rng.next() * 0.05, bad.localReason, at)
  } else if (badMaterial) {
    if (rng.chance(0.5)) loss += reject(run, lot, step, machine, inQty, 0.005 + rng.next() * 0.01, step.reasons[0], at)
  } else if (rng.chance(step.pool ? 0.03 : 0.15)) {
    loss += reject(run, lot, step, machine, inQty, 0.0001 + rng.next() * 0.0004, rng.pick(step.reasons), at)
  }
  lot.qty = inQty - loss
  lot.lastSpec = step.spec

  const runCard = step.test || step.spec.endsWith('TT-TAPE') ? lot.serial : null
  const trackInText = formatTimestamp(trackIn)
  // The warehouse sometimes keeps a corrected track-out as a second row with the same track-in.
  if (machine && rng.chance(0.01)) {
    const earlier = formatTimestamp(trackIn + Math.floor(processSeconds * (0.3 + rng.next() * 0.6)))
    ctx.emit(TABLE.history, [
      lot.cid,
      step.workcenter,
      machine.id,
      machine.name,
      step.spec,
      trackInText,
      earlier,
      inQty,
      lot.qty,
      runCard,
      lot.order,
    ])
  }
  ctx.emit(TABLE.history, [
    lot.cid,
    step.workcenter,
    machine?.id ?? null,
    machine?.name ?? null,
    step.spec,
    trackInText,
    formatTimestamp(trackOut),
    inQty,
    lot.qty,
    runCard,
    lot.order,
  ])

  for (let i = 0; i < step.materials.length; i++) {
    const use = step.materials[i]
    ctx.emit(TABLE.materials, [
      lot.cid,
      use.part,
      materialLots[i],
      Math.round((use.perLot + use.perUnit * inQty) * 1000) / 1000,
      step.workcenter,
      step.spec,
      machine?.name ?? null,
      formatTimestamp(trackIn + rng.int(60, 600)),
    ])
  }

  if (machine) run.visits.push({ machine: machine.index, cid: lot.cid, name: lot.name, at: trackOut })
  lot.time = trackOut

  if (!lot.held) {
    if (bad && rng.chance(0.12)) emitHold(run, lot, step, '設備異常', trackOut, 0.9)
    else if (badMaterial && rng.chance(0.2)) emitHold(run, lot, step, '物料異常', trackOut, 0.8)
    else if (loss > 0 && !machine && rng.chance(0.1)) emitHold(run, lot, step, '外觀異常', trackOut, 0.5)
    else if (rng.chance(0.003)) emitHold(run, lot, step, rng.pick(RANDOM_HOLD_REASONS), trackOut, 0.2)
  }

  if (step.test && retest && rng.chance(0.2)) runStep(run, lot, step, false)
}
