/**
 * The demo plant's machines: one pool per tool type, a few hundred machines in all. Three of them are bad
 * for part of the generated span, so a defect investigation has something to find.
 */
import { equipmentId, pad } from './names.ts'

/** A machine of the plant. */
export interface Machine {
  readonly index: number
  /** EQUIPMENTID (16 hex digits). */
  readonly id: string
  /** EQUIPMENTNAME, e.g. `WB-023`. */
  readonly name: string
  readonly pool: string
}

/** A machine that damages lots during a window (fractions of the generated span). */
export interface BadMachine {
  readonly name: string
  readonly from: number
  readonly to: number
  /** Reject reason recorded at the machine's own station. */
  readonly localReason: string
  /** The failure the damage causes at the test station. */
  readonly testReason: string
}

/** Tool pools and machine counts (a few hundred machines). */
const POOLS: readonly (readonly [pool: string, count: number])[] = [
  ['WM', 4],
  ['DS', 14],
  ['CL', 8],
  ['UV', 3],
  ['AO', 16],
  ['DB', 36],
  ['OV', 10],
  ['ST', 3],
  ['PC', 6],
  ['WB', 72],
  ['PT', 4],
  ['SP', 4],
  ['DW', 10],
  ['RF', 4],
  ['MD', 18],
  ['PM', 6],
  ['XR', 3],
  ['DF', 6],
  ['WJ', 4],
  ['DR', 4],
  ['PP', 6],
  ['PL', 10],
  ['PB', 4],
  ['XF', 3],
  ['SB', 2],
  ['MK', 12],
  ['MC', 4],
  ['TF', 16],
  ['PS', 10],
  ['TT', 40],
  ['VS', 8],
  ['TP', 16],
  ['PK', 6],
]

/** The bad machines: a wire bonder and a mold press with a bad period, a die bonder that is always off. */
export const BAD_MACHINES: readonly BadMachine[] = [
  { name: 'WB-023', from: 0.15, to: 0.65, localReason: '斷線', testReason: 'Open/Short' },
  { name: 'MD-07', from: 0.45, to: 0.8, localReason: '氣孔', testReason: 'IR leakage' },
  { name: 'DB-15', from: 0, to: 1, localReason: '晶粒偏移', testReason: 'VF fail' },
]

function buildMachines(): { all: Machine[]; byPool: Map<string, Machine[]> } {
  const all: Machine[] = []
  const byPool = new Map<string, Machine[]>()
  for (const [pool, count] of POOLS) {
    const members: Machine[] = []
    for (let i = 1; i <= count; i++) {
      const index = all.length
      const machine = { index, id: equipmentId(index), name: `${pool}-${pad(i, count > 50 ? 3 : 2)}`, pool }
      all.push(machine)
      members.push(machine)
    }
    byPool.set(pool, members)
  }
  return { all, byPool }
}

const BUILT = buildMachines()

/** Every machine, indexed by Machine.index. */
export const MACHINES: readonly Machine[] = BUILT.all

/** The machines of a tool pool; throws for an unknown pool (a catalogue bug). */
export function machinesOf(pool: string): readonly Machine[] {
  const members = BUILT.byPool.get(pool)
  if (!members) throw new Error(`unknown tool pool ${pool}`)
  return members
}

const BAD_BY_INDEX = new Map<number, BadMachine>(
  BAD_MACHINES.map((b) => {
    const machine = MACHINES.find((m) => m.name === b.name)
    if (!machine) throw new Error(`bad machine ${b.name} is not in the plant`)
    return [machine.index, b]
  }),
)

/** The bad-machine entry of a machine at a span fraction, when it is damaging lots then. */
export function badMachineAt(machineIndex: number, spanFraction: number): BadMachine | undefined {
  const bad = BAD_BY_INDEX.get(machineIndex)
  return bad && spanFraction >= bad.from && spanFraction < bad.to ? bad : undefined
}

/** Whether a machine is one of the bad machines (at any time). */
export function isBadMachine(machineIndex: number): boolean {
  return BAD_BY_INDEX.has(machineIndex)
}
