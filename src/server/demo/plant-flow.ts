/**
 * Products and their station flows: the ordered steps a lot runs through, grouped into segments at whose
 * boundaries lots split, merge or are reworked. Workcenter names contain the workcenter-group patterns of
 * src/shared/workcenter-groups.ts, so every step lands in the right group.
 */

/** Flow segments; lot events happen between them (see family.ts). */
export type Segment = 'wafer' | 'bond1' | 'bond2' | 'mold' | 'finish' | 'plate' | 'back' | 'rework'

/** A material consumed at a step. */
export interface MaterialUse {
  /** MATERIALPARTNAME. */
  readonly part: string
  /**
   * MATERIALLOTNAME prefix of a supplier lot that changes every `periodHours` (shared by every container
   * that ran in that period); null means the dies of the container's own wafer lot.
   */
  readonly lotPrefix: string | null
  readonly periodHours: number
  /** QTYCONSUMED = perLot + perUnit × TRACKINQTY. */
  readonly perUnit: number
  readonly perLot: number
}

/** One step of a flow: a (WORKCENTERNAME, SPECNAME) visit. */
export interface StepSpec {
  readonly segment: Segment
  readonly workcenter: string
  readonly spec: string
  /** Tool pool (machines.ts), or null for a manual step recorded without equipment. */
  readonly pool: string | null
  /** Process time range in minutes. */
  readonly minutes: readonly [number, number]
  readonly materials: readonly MaterialUse[]
  /** LOSSREASONNAME candidates; null stands for a reject recorded without a reason. */
  readonly reasons: readonly (string | null)[]
  /** A detection step: every pass records the yield loss found there. */
  readonly test: boolean
}

/** A product: container attributes and the flow variants it takes. */
export interface Product {
  /** PJ_TYPE. */
  readonly type: string
  /** PJ_BOP. */
  readonly bop: string
  /** PRODUCTLINENAME. */
  readonly line: string
  /** PRODUCTNAME. */
  readonly product: string
  /** PJ_FUNCTION: what the device does. */
  readonly function: string
  /** SPECNAME prefix. */
  readonly code: string
  readonly weight: number
  /** Good dies per wafer lot. */
  readonly dies: readonly [number, number]
  /** The flow's steps by segment, each in order; `rework` is the flow of a GD rework lot. */
  readonly segments: Readonly<Record<Segment, readonly StepSpec[]>>
}

interface ProductShape {
  type: string
  bop: string
  line: string
  product: string
  function: string
  code: string
  weight: number
  dies: [number, number]
  wire: string | null
  clip: boolean
  waterJet: boolean
  /** TOTAI and BANDL: plating lines named after their vendor, as some plants name them. */
  plating: '滾鍍' | '掛鍍' | '條鍍' | 'TOTAI' | 'BANDL'
  /** Die-bond workcenter spelling; `焊_DB` plants record the attach step at `焊_DB_料`. */
  dieBond: '焊接_DB' | '焊_DB'
  inkMarking: boolean
  singulation: '切彎腳' | '元件切割' | 'PKG_SAW'
  testWorkcenter: 'TMTT' | '測試'
}

const SHAPES: readonly ProductShape[] = [
  {
    type: 'SOT-23',
    bop: 'SOT23-AU-R2',
    line: 'SOT',
    product: 'MMBD4148',
    function: 'SWITCHING',
    code: 'SOT23',
    weight: 30,
    dies: [150_000, 320_000],
    wire: 'AU-WIRE-0.8MIL',
    clip: false,
    waterJet: false,
    plating: '條鍍',
    dieBond: '焊接_DB',
    inkMarking: true,
    singulation: '切彎腳',
    testWorkcenter: 'TMTT',
  },
  {
    type: 'SOD-123FL',
    bop: 'SOD123FL-CU-R1',
    line: 'SOD',
    product: 'SS34FL',
    function: 'SCHOTTKY',
    code: 'SOD123',
    weight: 20,
    dies: [180_000, 360_000],
    wire: 'CU-WIRE-1.0MIL',
    clip: false,
    waterJet: true,
    plating: '滾鍍',
    dieBond: '焊接_DB',
    inkMarking: false,
    singulation: '切彎腳',
    testWorkcenter: 'TMTT',
  },
  {
    type: 'SMA',
    bop: 'SMA-CLIP-R3',
    line: 'SMX',
    product: 'SMAJ15A',
    function: 'TVS',
    code: 'SMA',
    weight: 15,
    dies: [60_000, 140_000],
    wire: null,
    clip: true,
    waterJet: true,
    plating: 'BANDL',
    dieBond: '焊接_DB',
    inkMarking: true,
    singulation: '切彎腳',
    testWorkcenter: 'TMTT',
  },
  {
    type: 'DFN1006-2',
    bop: 'DFN1006-AU-R1',
    line: 'DFN',
    product: 'ESD5V0D1',
    function: 'ESD',
    code: 'DFN1006',
    weight: 15,
    dies: [250_000, 480_000],
    wire: 'AU-WIRE-0.8MIL',
    clip: false,
    waterJet: false,
    plating: '掛鍍',
    dieBond: '焊接_DB',
    inkMarking: false,
    singulation: 'PKG_SAW',
    testWorkcenter: '測試',
  },
  {
    type: 'TO-252',
    bop: 'TO252-AL-R2',
    line: 'TO',
    product: 'MBR20100D',
    function: 'RECTIFIER',
    code: 'TO252',
    weight: 10,
    dies: [30_000, 70_000],
    wire: 'AL-WIRE-5MIL',
    clip: true,
    waterJet: true,
    plating: '掛鍍',
    dieBond: '焊_DB',
    inkMarking: false,
    singulation: '切彎腳',
    testWorkcenter: '測試',
  },
  {
    type: 'SOT-563',
    bop: 'SOT563-CU-R1',
    line: 'SOT',
    product: 'BAV99DW',
    function: 'SWITCHING',
    code: 'SOT563',
    weight: 10,
    dies: [200_000, 400_000],
    wire: 'CU-WIRE-0.8MIL',
    clip: false,
    waterJet: false,
    plating: 'TOTAI',
    dieBond: '焊接_DB',
    inkMarking: false,
    singulation: '元件切割',
    testWorkcenter: 'TMTT',
  },
]

const REASONS = {
  dicing: ['崩角', 'Chipping', '切割偏移', 'Wafer crack', null],
  dieBond: ['晶粒偏移', 'Die tilt', '銀膠不足', 'Missing die', null],
  wireBond: ['斷線', '球脫', 'Non-stick on pad', '線弧不良', null],
  clip: ['Clip shift', '焊錫空洞', null],
  mold: ['氣孔', '缺膠', 'Wire sweep', '溢膠', null],
  deflash: ['殘膠', 'Resin bleed', null],
  plating: ['鍍層不良', '露銅', 'Discoloration', null],
  marking: ['印字不良', 'Marking offset', null],
  trim: ['腳彎', '毛邊', 'Lead coplanarity', null],
  saw: ['崩角', 'Saw burr', null],
  test: ['VF fail', 'IR leakage', 'Open/Short', 'BVR fail', '外觀不良', null],
} as const

function material(
  part: string,
  lotPrefix: string | null,
  periodHours: number,
  perUnit: number,
  perLot = 0,
): MaterialUse {
  return { part, lotPrefix, periodHours, perUnit, perLot }
}

function segmentsOf(p: ProductShape): Record<Segment, StepSpec[]> {
  const steps: StepSpec[] = []
  let segment: Segment = 'wafer'
  const add = (
    workcenter: string,
    code: string,
    pool: string | null,
    minutes: [number, number],
    reasons: readonly (string | null)[],
    materials: MaterialUse[] = [],
    test = false,
  ): void => {
    steps.push({ segment, workcenter, spec: `${p.code}-${code}`, pool, minutes, materials, reasons, test })
  }

  add('切割', 'WM-MOUNT', 'WM', [15, 35], REASONS.dicing, [material('UV-TAPE-D175', 'UT', 168, 0, 25)])
  add('切割', 'DS-SAW', 'DS', [90, 240], REASONS.dicing, [material('BLADE-ZH05', 'BZ', 336, 0, 1)])
  add('切割', 'DS-CLEAN', 'CL', [15, 30], REASONS.dicing)
  add('切割', 'DS-UV', 'UV', [10, 25], REASONS.dicing)
  add('切割', 'DS-AOI', 'AO', [30, 60], REASONS.dicing)
  add('切割', 'DS-QC', null, [20, 60], REASONS.dicing)

  segment = 'bond1'
  const db = p.dieBond
  add(db === '焊_DB' ? '焊_DB_料' : db, 'DB-ATTACH', 'DB', [120, 360], REASONS.dieBond, [
    material(`DIE-${p.code}`, null, 0, 1),
    material(p.clip ? 'SOLDER-PASTE-SAC305' : 'EPOXY-84-1LMI', p.clip ? 'SP' : 'EP', 72, 0.0004),
    material(`LF-${p.code}`, 'LF', 96, 1 / 480),
  ])
  add(db, 'DB-CURE', 'OV', [90, 150], REASONS.dieBond)
  add(db, 'DB-SHEAR', 'ST', [15, 30], REASONS.dieBond)
  add(db, 'DB-AOI', 'AO', [30, 60], REASONS.dieBond)
  if (p.wire) add(db, 'DB-PLASMA', 'PC', [20, 45], REASONS.dieBond)
  add(db, 'DB-QC', null, [20, 60], REASONS.dieBond)

  segment = 'bond2'
  if (p.wire) {
    add('焊接_WB', 'WB-BOND', 'WB', [180, 480], REASONS.wireBond, [material(p.wire, 'WR', 48, 0.0015)])
    add('焊接_WB', 'WB-PULL', 'PT', [15, 30], REASONS.wireBond)
    add('焊接_WB', 'WB-AOI', 'AO', [30, 60], REASONS.wireBond)
    add('焊接_WB', 'WB-QC', null, [20, 60], REASONS.wireBond)
  }
  if (p.clip) {
    add('焊接_DW', 'DW-PRINT', 'SP', [30, 60], REASONS.clip, [material('SOLDER-PASTE-SAC305', 'SP', 72, 0.0003)])
    add('焊接_DW', 'DW-CLIP', 'DW', [120, 300], REASONS.clip, [material('CLIP-CU-C194', 'CC', 96, 1)])
    add('焊接_DW', 'DW-REFLOW', 'RF', [60, 100], REASONS.clip)
    add('焊接_DW', 'DW-CLEAN', 'CL', [20, 40], REASONS.clip)
  }

  segment = 'mold'
  add('成型', 'MD-PLASMA', 'PC', [20, 45], REASONS.mold)
  add('成型', 'MD-MOLD', 'MD', [60, 150], REASONS.mold, [material('EMC-G600', 'EMC', 24, 0.02)])
  add('成型', 'MD-PMC', 'PM', [240, 360], REASONS.mold)
  add('成型', 'MD-XRAY', 'XR', [15, 30], REASONS.mold)
  add('成型', 'MD-AOI', 'AO', [30, 60], REASONS.mold)
  add('成型', 'MD-QC', null, [20, 60], REASONS.mold)

  segment = 'finish'
  add('去膠', 'DF-CHEM', 'DF', [30, 60], REASONS.deflash, [material('DEFLASH-SOL-K2', 'DS', 168, 0.00001)])
  add('去膠', 'DF-RINSE', 'CL', [15, 30], REASONS.deflash)
  if (p.waterJet) add('水吹砂', 'WJ-BLAST', 'WJ', [20, 45], REASONS.deflash)
  add(p.waterJet ? '水吹砂' : '去膠', 'DF-DRY', 'DR', [30, 60], REASONS.deflash)

  segment = 'plate'
  add('電鍍前處理', 'PL-PRETREAT', 'PP', [30, 60], REASONS.plating)
  add('電鍍前處理', 'PL-DESCALE', 'PP', [20, 40], REASONS.plating)
  add(p.plating, 'PL-SN', 'PL', [60, 180], REASONS.plating, [
    material('SN-ANODE-99.99', 'SA', 168, 0.00002),
    material('MSA-SN-300', 'MS', 72, 0.000005),
  ])
  add('電鍍', 'PL-BAKE', 'PB', [60, 120], REASONS.plating)
  add('電鍍', 'PL-XRF', 'XF', [10, 20], REASONS.plating)
  add('電鍍', 'PL-SOLDER', 'SB', [15, 30], REASONS.plating)

  segment = 'back'
  if (p.inkMarking) {
    add('移印', 'MK-PRINT', 'MK', [30, 90], REASONS.marking, [material('INK-7204-WHITE', 'IK', 120, 0.00001)])
    add('移印', 'MK-CURE', 'MC', [30, 60], REASONS.marking)
  } else {
    add('移印', 'MK-LASER', 'MK', [30, 90], REASONS.marking)
  }
  add('移印', 'MK-AOI', 'AO', [20, 45], REASONS.marking)
  if (p.singulation === '切彎腳') {
    add('切彎腳', 'TF-TRIM', 'TF', [45, 120], REASONS.trim)
    add('切彎腳', 'TF-FORM', 'TF', [45, 120], REASONS.trim)
    add('切彎腳', 'TF-AOI', 'AO', [20, 45], REASONS.trim)
  } else {
    add(p.singulation, 'PS-SAW', 'PS', [60, 180], REASONS.saw, [material('BLADE-PKG-Z09', 'BP', 336, 0, 1)])
    add(p.singulation, 'PS-CLEAN', 'CL', [15, 30], REASONS.saw)
    add(p.singulation, 'PS-QC', null, [20, 40], REASONS.saw)
  }
  const taping = [
    material('CARRIER-TAPE-8MM', 'CT', 48, 0.004),
    material('COVER-TAPE-5.4MM', 'CV', 48, 0.004),
    material('REEL-7IN', 'RL', 168, 1 / 3000),
  ]
  add(p.testWorkcenter, 'TT-TEST', 'TT', [120, 300], REASONS.test, [], true)
  add(p.testWorkcenter, 'TT-HOT', 'TT', [60, 180], REASONS.test)
  add(p.testWorkcenter, 'TT-VISION', 'VS', [30, 90], REASONS.test)
  add(p.testWorkcenter, 'TT-TAPE', 'TP', [60, 150], REASONS.test, taping)
  add(p.testWorkcenter, 'TT-OQC', null, [20, 60], REASONS.test)
  add(p.testWorkcenter, 'TT-PACK', 'PK', [15, 40], REASONS.test, [material('BOX-INNER-7IN', 'BX', 336, 1 / 15000, 1)])

  segment = 'rework'
  add('補鍍', 'RW-REPLATE', 'PL', [60, 180], REASONS.plating, [material('SN-ANODE-99.99', 'SA', 168, 0.00002)])
  add('補鍍', 'RW-BAKE', 'PB', [60, 120], REASONS.plating)
  add('移印', 'RW-REMARK', 'MK', [30, 60], REASONS.marking)
  add(p.testWorkcenter, 'RW-RETEST', 'TT', [120, 240], REASONS.test, [], true)
  add(p.testWorkcenter, 'TT-TAPE', 'TP', [60, 150], REASONS.test, taping)
  add(p.testWorkcenter, 'TT-PACK', 'PK', [15, 40], REASONS.test)

  const segments: Record<Segment, StepSpec[]> = {
    wafer: [],
    bond1: [],
    bond2: [],
    mold: [],
    finish: [],
    plate: [],
    back: [],
    rework: [],
  }
  for (const step of steps) segments[step.segment].push(step)
  return segments
}

/** The demo plant's products. */
export const PRODUCTS: readonly Product[] = SHAPES.map((shape) => ({
  type: shape.type,
  bop: shape.bop,
  line: shape.line,
  product: shape.product,
  function: shape.function,
  code: shape.code,
  weight: shape.weight,
  dies: shape.dies,
  segments: segmentsOf(shape),
}))

/** Product weights, aligned with PRODUCTS (for Rng.weighted). */
export const PRODUCT_WEIGHTS: readonly number[] = PRODUCTS.map((p) => p.weight)
