import { describe, expect, it } from 'vitest'
import { columnsAsWritten } from '../../../../src/server/source/postgres/column-names.ts'

describe('columnsAsWritten', () => {
  it('restores the spelling the statement used for folded identifiers', () => {
    const text = 'SELECT h.CONTAINERID, c.ContainerName FROM DW_MES_LOTWIPHISTORY h JOIN DW_MES_CONTAINER c ON 1=1'
    expect(columnsAsWritten(text, ['containerid', 'containername'])).toEqual(['CONTAINERID', 'ContainerName'])
  })

  it('prefers an AS alias over an earlier occurrence of the same word', () => {
    const text = 'SELECT c.containername AS CONTAINERNAME, COUNT(*) AS n FROM t c'
    expect(columnsAsWritten(text, ['containername', 'n'])).toEqual(['CONTAINERNAME', 'n'])
  })

  it('does not match a name inside a longer identifier', () => {
    expect(columnsAsWritten('SELECT CONTAINERIDS, containerid FROM t', ['containerid'])).toEqual(['containerid'])
  })

  it('keeps names the text does not contain and quoted mixed-case names', () => {
    expect(columnsAsWritten('SELECT count(*), 1 AS "MixedCase" FROM t', ['count', '?column?', 'MixedCase'])).toEqual([
      'count',
      '?column?',
      'MixedCase',
    ])
  })
})
