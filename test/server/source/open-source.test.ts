import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/server/config.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { openSource } from '../../../src/server/source/open-source.ts'
import { sql } from '../../../src/server/source/sql.ts'
import { createNumbersDb, makeTempDir } from './sqlite/fixture-db.ts'

let dir: string

beforeAll(() => {
  setLogLevel('silent')
  dir = makeTempDir()
})

afterAll(() => {
  setLogLevel('info')
  rmSync(dir, { recursive: true, force: true })
})

describe('openSource', () => {
  it('opens the SQLite file at MES_DB_PATH when no database URL is set', async () => {
    const path = join(dir, 'mes.sqlite')
    createNumbersDb(path, 10)
    const source = await openSource(loadConfig({ MES_DB_PATH: path }))
    try {
      expect(source.dialect).toBe('sqlite')
      expect((await source.all(sql`SELECT count(*) FROM T`)).rows).toEqual([[10]])
    } finally {
      await source.close()
    }
  })

  it('tells the user to generate the demo database when the file is missing', async () => {
    const config = loadConfig({ MES_DB_PATH: join(dir, 'absent.sqlite') })
    await expect(openSource(config)).rejects.toThrow(/absent\.sqlite: run `npm run demo:generate`/)
  })

  it('fails at once on a file that is not an SQLite database', async () => {
    const path = join(dir, 'garbage.sqlite')
    writeFileSync(path, 'this is not a database, just text long enough to fill a header.'.repeat(20))
    await expect(openSource(loadConfig({ MES_DB_PATH: path }))).rejects.toThrow(
      /cannot open the MES database .*not a database/,
    )
  })

  it('rejects a database URL of an unsupported kind instead of silently using SQLite', async () => {
    const config = loadConfig({ MES_DATABASE_URL: 'oracle://dwh.example/DWH' })
    await expect(openSource(config)).rejects.toThrow(/postgres:\/\/ or postgresql:\/\//)
  })

  it('loads the PostgreSQL adapter on demand for a postgresql:// URL', async () => {
    const source = await openSource(loadConfig({ MES_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test' }))
    try {
      expect(source.dialect).toBe('postgres')
      await source.ping()
    } finally {
      await source.close()
    }
  })
})
