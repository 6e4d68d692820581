import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../src/server/logger.ts'
import type { MsdOptions } from '../../../src/shared/responses.ts'
import { openHarness, readJson, type Harness } from './route-harness.ts'
import { ROWS } from './trace-fixture.ts'

const PATH = '/api/trace/msd-options'
let h: Harness

beforeAll(() => {
  setLogLevel('silent')
  const rejects = ROWS.DW_MES_LOTREJECTHISTORY ?? []
  h = openHarness({
    ...ROWS,
    // A second reason and a blank one: the form lists each booked reason once, sorted, and no blank.
    DW_MES_LOTREJECTHISTORY: [
      ...rejects,
      { ...rejects[0], LOSSREASONNAME: 'IR leakage' },
      { ...rejects[0], LOSSREASONNAME: 'OPEN' },
      { ...rejects[0], LOSSREASONNAME: ' ' },
    ],
  })
})
afterAll(() => h.close())

describe('GET /api/trace/msd-options', () => {
  it('offers the stations that have history, in process order, and the booked loss reasons', async () => {
    const res = await h.app.request(PATH)
    expect(res.status).toBe(200)
    const body = (await readJson(res)) as MsdOptions
    // The fixture tracks lots in at 切割, 焊接_DB and TMTT (the 測試 group) only.
    expect(body.stations.map((s) => s.name)).toEqual(['切割', '焊接_DB', '測試'])
    expect(body.stations[2].label).toBe('TMTT (測試, test)')
    expect(body.loss_reasons).toEqual(['IR leakage', 'OPEN'])
    expect(res.headers.get('Cache-Control')).toBe('private, max-age=300')
  })
})
