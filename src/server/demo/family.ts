/**
 * One family: a few wafer lots of one product released together, and every container that descends from
 * them. Wafer lots are diced, GA/GC lots start from them (FIRSTNAME = wafer lot), split at several levels
 * between segments (the parent keeps the rest and goes on), merge into assembly lots before plating and
 * sometimes again after it (merge of merge), go through test, and a few come back as GD rework lots.
 * Each family is generated and flushed on its own, so memory depends on family size, not on data size.
 */
import { containerId, orderName, pad, serialNumber, waferLotName } from './names.ts'
import { emitMaintenanceJobs } from './maintenance-jobs.ts'
import { PRODUCTS, PRODUCT_WEIGHTS, type Product, type Segment } from './plant-flow.ts'
import { createRng } from './rng.ts'
import { TABLE, openHold, runStep, type FamilyRun, type Lot, type PlantContext } from './station-events.ts'

/** Which family to generate. */
export interface FamilySpec {
  readonly index: number
  readonly waferCount: number
  /** Release time of the family's wafer lots, seconds. */
  readonly release: number
  /**
   * Guarantee every structural feature (splits at three levels, merge of merge, both kinds of GD link,
   * an open hold, a split cycle) so even the smallest database has them; set for the first family.
   */
  readonly showcase: boolean
}

/** A split cycle (bad data) is planted in the showcase family and in one family of every CYCLE_EVERY. */
const CYCLE_EVERY = 400

interface FamilyState {
  readonly run: FamilyRun
  readonly spec: FamilySpec
  readonly product: Product
  readonly order: string
  readonly lots: Lot[]
  readonly nameSeqs: Map<string, number>
  readonly mergedInto: Map<Lot, Lot>
  gdOrder: string | null
}

function newLot(
  s: FamilyState,
  fields: Pick<Lot, 'name' | 'order' | 'firstName' | 'splitFrom' | 'original' | 'level' | 'kind' | 'qty' | 'time'> &
    Partial<Pick<Lot, 'boost' | 'cause'>>,
): Lot {
  const lot: Lot = {
    cid: containerId(s.run.ctx.seed, s.run.ctx.counters.nextContainer()),
    boost: 0,
    cause: null,
    lastSpec: null,
    stopped: false,
    held: false,
    serial: null,
    lastTestLoss: 0,
    ...fields,
  }
  s.lots.push(lot)
  return lot
}

/** `GA26010012-A01-003`: order, letter + level, sequence per (order, letter, level). */
function lotName(s: FamilyState, order: string, letter: string, level: number): string {
  const key = `${order}-${letter}${pad(level, 2)}`
  const seq = (s.nameSeqs.get(key) ?? 0) + 1
  s.nameSeqs.set(key, seq)
  return `${key}-${pad(seq, 3)}`
}

function runSegment(s: FamilyState, lots: readonly Lot[], segment: Segment): void {
  const steps = s.product.segments[segment]
  for (const lot of lots) for (const step of steps) runStep(s.run, lot, step)
}

function live(lots: readonly Lot[]): Lot[] {
  return lots.filter((l) => !l.stopped)
}

/** Splits lots: each child takes 15-35 % of the parent's units; the parent keeps the rest and goes on. */
function split(s: FamilyState, active: Lot[], chance: number, maxChildren: number, force: boolean): Lot[] {
  const { rng } = s.run
  const out: Lot[] = []
  for (const parent of active) {
    out.push(parent)
    if (parent.stopped || parent.qty < 2000 || !(force || rng.chance(chance))) continue
    const children = rng.int(1, maxChildren)
    for (let i = 0; i < children; i++) {
      const qty = Math.floor(parent.qty * (0.15 + rng.next() * 0.2))
      parent.qty -= qty
      out.push(
        newLot(s, {
          name: lotName(s, s.order, 'A', parent.level + 1),
          order: s.order,
          firstName: parent.firstName,
          splitFrom: parent.cid,
          original: null,
          level: parent.level + 1,
          kind: 'lot',
          qty,
          time: parent.time + rng.int(60, 1800),
          boost: parent.boost,
          cause: parent.cause,
        }),
      )
    }
  }
  return out
}

/** Combines consecutive live lots, 2-3 at a time, into new assembly lots (level 0 or 1: merge of merge). */
function merge(
  s: FamilyState,
  active: Lot[],
  level: number,
  eligible: (l: Lot) => boolean,
  chance: number,
  force: boolean,
): Lot[] {
  const { rng } = s.run
  const lots = live(active)
  const out: Lot[] = []
  let owed = force
  for (let i = 0; i < lots.length;) {
    const size = Math.min(rng.int(2, 3), lots.length - i)
    const wanted = rng.chance(chance) || owed
    if (size < 2 || !eligible(lots[i]) || !wanted) {
      out.push(lots[i++])
      continue
    }
    owed = false
    const sources = lots.slice(i, i + size)
    i += size
    const qty = sources.reduce((n, l) => n + l.qty, 0)
    const target = newLot(s, {
      name: lotName(s, s.order, 'C', level),
      order: s.order,
      firstName: sources[0].firstName,
      splitFrom: null,
      original: null,
      level,
      kind: 'assembly',
      qty,
      time: Math.max(...sources.map((l) => l.time)) + rng.int(600, 7200),
      boost: sources.reduce((b, l) => b + l.boost * l.qty, 0) / Math.max(1, qty),
      cause: sources.find((l) => l.cause)?.cause ?? null,
    })
    for (const source of sources) {
      source.qty = 0
      s.mergedInto.set(source, target)
    }
    out.push(target)
  }
  return out
}

/** GD rework lots for final lots that failed test (and a few at random), run through the rework flow. */
function rework(s: FamilyState, finals: readonly Lot[]): void {
  const { rng, ctx } = s.run
  // The showcase family gets one rework lot of each link kind: ORIGINALCONTAINERID, and SPLITFROMID only.
  const owed: ('original' | 'split')[] = s.spec.showcase ? ['original', 'split'] : []
  // The showcase's ORIGINALCONTAINERID rework takes a merge-of-merge assembly lot first: a reworked lot that
  // shipped a serial, so the GD lot is the family's leaf while the serial sits on its parent.
  const reworkedAssembly = (l: Lot) => l.kind === 'assembly' && l.level === 1 && l.serial !== null
  const order = s.spec.showcase
    ? [...finals].sort((a, b) => Number(reworkedAssembly(b)) - Number(reworkedAssembly(a)))
    : finals
  for (const source of order) {
    const forced = owed.shift()
    if (!forced && !rng.chance(source.lastTestLoss > source.qty * 0.01 ? 0.3 : 0.025)) continue
    const byOriginal = forced ? forced === 'original' : rng.chance(0.7)
    const time = source.time + rng.int(4 * 3600, 72 * 3600)
    if (time >= ctx.spanEnd) continue
    s.gdOrder ??= orderName(ctx.counters, 'GD', time)
    const lot = newLot(s, {
      name: lotName(s, s.gdOrder, 'R', 0),
      order: s.gdOrder,
      firstName: source.firstName,
      splitFrom: byOriginal && !rng.chance(0.3) ? null : source.cid,
      original: byOriginal ? source.cid : null,
      level: 0,
      kind: 'rework',
      qty: Math.max(50, source.lastTestLoss),
      time,
    })
    runSegment(s, [lot], 'rework')
  }
}

/** Two lots that name each other as split parent: the bad data lineage must survive without looping. */
function splitCycle(s: FamilyState, firstName: string, time: number): void {
  const [a, b] = [0, 1].map((i) =>
    newLot(s, {
      name: `${s.order}-A09-${pad(901 + i, 3)}`,
      order: s.order,
      firstName,
      splitFrom: null,
      original: null,
      level: 9,
      kind: 'lot',
      qty: 500 + 250 * i,
      time: time + i * 3600,
    }),
  )
  a.splitFrom = b.cid
  b.splitFrom = a.cid
  runSegment(s, [a, b], 'back')
}

function emitContainers(s: FamilyState): void {
  const { ctx } = s.run
  for (const lot of s.lots) {
    ctx.emit(TABLE.container, [
      lot.cid,
      lot.name,
      lot.order,
      lot.firstName,
      lot.splitFrom,
      lot.original,
      'LOT',
      lot.lastSpec,
      lot.qty,
      s.product.type,
      s.product.bop,
      s.product.line,
      s.product.product,
      s.product.function,
    ])
  }
  for (const [source, target] of s.mergedInto) {
    let top = target
    for (let next = s.mergedInto.get(top); next; next = s.mergedInto.get(top)) top = next
    ctx.emit(TABLE.combined, [source.cid, source.name, target.cid, top.serial])
  }
}

/** Generates one family and emits all its rows (containers last, once their final state is known). */
export function generateFamily(ctx: PlantContext, spec: FamilySpec): void {
  const rng = createRng(ctx.seed, spec.index + 1)
  const drawn = rng.weighted(PRODUCTS, PRODUCT_WEIGHTS)
  // Families 1…N take each product once, so even a small database holds every flow variant.
  const product = spec.index >= 1 && spec.index <= PRODUCTS.length ? PRODUCTS[spec.index - 1] : drawn
  const s: FamilyState = {
    run: { ctx, rng, visits: [] },
    spec,
    product,
    order: orderName(ctx.counters, rng.chance(0.25) ? 'GC' : 'GA', spec.release),
    lots: [],
    nameSeqs: new Map(),
    mergedInto: new Map(),
    gdOrder: null,
  }
  const force = spec.showcase

  const wafers = Array.from({ length: spec.waferCount }, () => {
    const time = spec.release + rng.int(0, 8 * 3600)
    const name = waferLotName(ctx.counters, time)
    return newLot(s, {
      name,
      order: null,
      firstName: name,
      splitFrom: null,
      original: null,
      level: 0,
      kind: 'wafer',
      qty: rng.int(product.dies[0], product.dies[1]),
      time,
    })
  })
  runSegment(s, wafers, 'wafer')

  let active: Lot[] = []
  for (const wafer of live(wafers)) {
    const roots = force ? 2 : rng.int(2, 3)
    for (let i = 0; i < roots; i++) {
      const qty = i === roots - 1 ? wafer.qty : Math.floor(wafer.qty / roots)
      wafer.qty -= qty
      active.push(
        newLot(s, {
          name: lotName(s, s.order, 'A', 0),
          order: s.order,
          firstName: wafer.name,
          splitFrom: null,
          original: null,
          level: 0,
          kind: 'lot',
          qty,
          time: wafer.time + rng.int(1800, 4 * 3600),
        }),
      )
    }
  }

  runSegment(s, active, 'bond1')
  active = split(s, active, 0.35, 1, force)
  runSegment(s, active, 'bond2')
  active = split(s, active, 0.3, 2, force)
  runSegment(s, active, 'mold')
  active = split(s, active, 0.08, 1, force)
  runSegment(s, active, 'finish')
  active = merge(s, active, 0, () => true, 0.15, force)
  runSegment(s, active, 'plate')
  active = merge(s, active, 1, (l) => l.kind === 'assembly', 0.25, force)
  for (const lot of live(active)) if (lot.kind === 'assembly') lot.serial = serialNumber(ctx.counters, lot.time)
  runSegment(s, active, 'back')

  const finals = live(active)
  const backSteps = product.segments.back
  finals.forEach((lot, i) => {
    if ((force && i === finals.length - 1) || rng.chance(0.01)) openHold(s.run, lot, backSteps[backSteps.length - 1])
  })
  rework(s, live(finals))
  if (force || spec.index % CYCLE_EVERY === CYCLE_EVERY - 1) splitCycle(s, wafers[0].name, spec.release + 3 * 86_400)

  emitContainers(s)
  emitMaintenanceJobs(s.run)
}
