/**
 * The twelve ordered workcenter groups. A WORKCENTERNAME belongs to the first group whose patterns it
 * contains, compared in upper case as the old system did; dicing (切割) must not capture singulation
 * (元件切割, PKG_SAW), so singulation is tested first.
 */
export interface WorkcenterGroup {
  readonly order: number
  readonly name: string
  /** Label shown to engineers. */
  readonly label: string
  /** Substrings, written in upper case (names are upper-cased before they are compared). */
  readonly patterns: readonly string[]
}

export const WORKCENTER_GROUPS: readonly WorkcenterGroup[] = [
  { order: 0, name: '切割', label: '切割 (dicing)', patterns: ['切割'] },
  { order: 1, name: '焊接_DB', label: '焊接_DB (die bond)', patterns: ['焊接_DB', '焊_DB', '焊_DB_料'] },
  { order: 2, name: '焊接_WB', label: '焊接_WB (wire bond)', patterns: ['焊接_WB'] },
  { order: 3, name: '焊接_DW', label: '焊接_DW', patterns: ['焊接_DW'] },
  { order: 4, name: '成型', label: '成型 (molding)', patterns: ['成型'] },
  { order: 5, name: '去膠', label: '去膠 (deflash)', patterns: ['去膠'] },
  { order: 6, name: '水吹砂', label: '水吹砂', patterns: ['水吹砂'] },
  {
    order: 7,
    name: '電鍍',
    label: '電鍍 (plating)',
    patterns: ['掛鍍', '滾鍍', '條鍍', '電鍍', '補鍍', 'TOTAI', 'BANDL'],
  },
  { order: 8, name: '移印', label: '移印 (marking)', patterns: ['移印'] },
  { order: 9, name: '切彎腳', label: '切彎腳 (trim/form)', patterns: ['切彎腳'] },
  { order: 10, name: '元件切割', label: '元件切割 (singulation)', patterns: ['元件切割', 'PKG_SAW'] },
  { order: 11, name: '測試', label: 'TMTT (測試, test)', patterns: ['TMTT', '測試'] },
]

/** The default MSD detection station. */
export const DEFAULT_DETECTION_STATION = '測試'

const SINGULATION = WORKCENTER_GROUPS[10]

/** The group a workcenter belongs to, or undefined (order 999) when none matches. */
export function workcenterGroupOf(workcenterName: string | null | undefined): WorkcenterGroup | undefined {
  if (!workcenterName) return undefined
  const name = workcenterName.toUpperCase()
  if (SINGULATION.patterns.some((p) => name.includes(p))) return SINGULATION
  return WORKCENTER_GROUPS.find((g) => g.patterns.some((p) => name.includes(p)))
}

/** Sort key of a workcenter name: its group's order, 999 when it belongs to none. */
export function workcenterOrder(workcenterName: string | null | undefined): number {
  return workcenterGroupOf(workcenterName)?.order ?? 999
}

/** Group by its name (e.g. '測試'), for MSD station validation. */
export function findWorkcenterGroup(name: string): WorkcenterGroup | undefined {
  return WORKCENTER_GROUPS.find((g) => g.name === name || g.patterns.includes(name.toUpperCase()))
}
