import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../../../src/server/demo/generate-cli.ts', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'demo-cli-'))

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('demo:generate CLI', () => {
  it('generates the requested database and prints the row count per table and the elapsed time', async () => {
    const out = join(dir, 'cli.sqlite')
    const { code, stdout, stderr } = await run(['--lots', '4', '--seed', '7', '--out', out, '--check'])
    expect(stderr).toContain('demo data: generate')
    expect(code).toBe(0)
    expect(existsSync(out)).toBe(true)
    for (const table of ['DW_MES_CONTAINER', 'DW_MES_LOTWIPHISTORY', 'DW_MES_JOB'])
      expect(stdout).toMatch(new RegExp(`${table}\\s+[\\d,]+`))
    expect(stdout).toMatch(/done in \d+\.\d s/)
    expect(stdout).toMatch(/backward test-station trace: [\d,]+ detection rows, [\d,]+ seed lots/)
  })

  it.each([
    [['--lots', 'many'], /--lots must be a non-negative integer/],
    [['--lots', '0'], /--lots: /],
    [['--scale', 'huge'], /--scale must be default or incident/],
    [['--colour'], /Unknown option/],
  ])('refuses %j with a clear message and exit status 2', async (args, message) => {
    const { code, stderr } = await run(args)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr).toContain('usage: npm run demo:generate')
  })
})
