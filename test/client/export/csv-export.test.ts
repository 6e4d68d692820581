// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { viewToCsv } from '../../../src/client/export/csv-export.ts'
import { RowTable } from '../../../src/client/rows/row-store.ts'

describe('export filtered view', () => {
  it('writes BOM, header, and the shown rows in view order with the server’s quoting and values', async () => {
    const t = new RowTable('rejects', ['CONTAINERNAME', 'REJECTCOMMENT', 'REJECTQTY', 'TXNDATE'])
    t.appendRows([
      ['GA-1', 'ok', 3, '2024-03-05T07:41:09'],
      ['GA-2', '=HYPERLINK("x")', -2, null],
      ['GA-3', 'a,b', null, '2024-03-06T00:00:00'],
    ])
    const text = await viewToCsv(t, Uint32Array.from([2, 1])).text()
    expect(text).toBe(
      '\uFEFFCONTAINERNAME,REJECTCOMMENT,REJECTQTY,TXNDATE\r\n' +
        'GA-3,"a,b",,2024-03-06T00:00:00\r\n' +
        'GA-2,"\'=HYPERLINK(""x"")",-2,\r\n',
    )
  })

  it('writes every row in arrival order without a view, across its internal parts', async () => {
    const t = new RowTable('history', ['N'])
    t.appendRows(Array.from({ length: 12_001 }, (_, i) => [i]))
    const lines = (await viewToCsv(t, null).text()).split('\r\n')
    expect(lines.length).toBe(12_003)
    expect(lines[1]).toBe('0')
    expect(lines[12_001]).toBe('12000')
  })
})
