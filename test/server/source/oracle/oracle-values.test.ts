import { describe, expect, it } from 'vitest'
import {
  columnsAsWritten,
  fetchTypeHandler,
  localIso,
  utcIso,
} from '../../../../src/server/source/oracle/oracle-values.ts'
import { ScriptedDriver } from './scripted-driver.ts'

const driver = new ScriptedDriver()
const column = (name: string, dbType = driver.DB_TYPE_VARCHAR) => ({ name, dbType })

describe('oracle values', () => {
  it('renders a DATE or TIMESTAMP (a local-time Date in Thin mode) as the ISO text the SQLite demo stores', () => {
    expect(localIso(new Date(2024, 2, 1, 7, 15, 9, 600))).toBe('2024-03-01T07:15:09')
    expect(localIso(null)).toBeNull()
  })

  it('renders an instant in UTC, as the PostgreSQL adapter renders timestamptz', () => {
    expect(utcIso(new Date(Date.UTC(2024, 2, 1, 5, 15, 9)))).toBe('2024-03-01T05:15:09')
  })

  it('fetches CLOBs as strings, converts dates, and leaves numbers and text to the driver', () => {
    const handle = fetchTypeHandler(driver)
    expect(handle(column('CONTAINERIDS', driver.DB_TYPE_CLOB))).toEqual({ type: driver.DB_TYPE_VARCHAR })
    expect(handle(column('NOTE', driver.DB_TYPE_NCLOB))).toEqual({ type: driver.DB_TYPE_VARCHAR })
    expect(handle(column('TXNDATE', driver.DB_TYPE_DATE))).toEqual({ converter: localIso })
    expect(handle(column('TRACKINTIMESTAMP', driver.DB_TYPE_TIMESTAMP))).toEqual({ converter: localIso })
    expect(handle(column('AT', driver.DB_TYPE_TIMESTAMP_TZ))).toEqual({ converter: utcIso })
    expect(handle(column('QTY', driver.DB_TYPE_NUMBER))).toBeUndefined()
    expect(handle(column('CONTAINERNAME'))).toBeUndefined()
  })

  it("respells Oracle's upper-cased names as the statement writes them", () => {
    const text = 'SELECT x.cid, c.CONTAINERNAME, COUNT(*) AS n, SUM(q) FROM t'
    const names = columnsAsWritten(text, [
      column('CID'),
      column('CONTAINERNAME'),
      column('N'),
      column('SUM(Q)'),
      column('COLUMN_VALUE'),
    ])
    expect(names).toEqual(['cid', 'CONTAINERNAME', 'n', 'SUM(Q)', 'COLUMN_VALUE'])
  })
})
