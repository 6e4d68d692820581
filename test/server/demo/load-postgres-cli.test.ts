import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { requirePostgres, TEST_POSTGRES_URL } from '../../helpers/services.ts'

const cli = fileURLToPath(new URL('../../../src/server/demo/load-postgres-cli.ts', import.meta.url))
const skip = await requirePostgres()
const schema = `demoloadcli_${process.pid}_${Math.random().toString(36).slice(2, 8)}`

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', ...env }
    delete childEnv.MES_DATABASE_URL
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env: childEnv })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('demo:load-postgres CLI', () => {
  afterAll(async () => {
    if (skip) return
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await admin.connect()
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin.end()
  })

  it.skipIf(skip)('loads the schema, printing progress, the row count per table and the rate', async () => {
    const { code, stdout, stderr } = await run([
      '--url',
      TEST_POSTGRES_URL,
      '--schema',
      schema,
      '--lots',
      '3',
      '--months',
      '1',
    ])
    expect(stderr).toContain('demo data: generate')
    expect(stderr).toContain('demo data: index')
    expect(code).toBe(0)
    for (const table of ['DW_MES_CONTAINER', 'DW_MES_LOTWIPHISTORY', 'DW_MES_JOB'])
      expect(stdout).toMatch(new RegExp(`${table}\\s+[\\d,]+`))
    expect(stdout).toMatch(/done in \d+\.\d s \([\d,]+ rows\/s\)/)
  })

  it.each([
    [[], /--url is required/],
    [['--url', 'mysql://x/y'], /--url must start with postgres:\/\//],
    [['--url', 'postgres://x/y', '--schema', 'Bad-Name'], /--schema must be lower-case/],
  ])('rejects %j with status 2 and the usage', async (args, message) => {
    const { code, stderr } = await run(args)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr).toContain('usage: npm run demo:load-postgres')
  })
})
