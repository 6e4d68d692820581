import { afterEach, describe, expect, it, vi } from 'vitest'
import { requirePostgres, requireRedis } from './services.ts'

describe('service requirements for tests', () => {
  const ci = process.env.CI
  afterEach(() => {
    if (ci === undefined) delete process.env.CI
    else process.env.CI = ci
    vi.restoreAllMocks()
  })

  it('asks to skip with a loud warning when a service is down outside CI', async () => {
    delete process.env.CI
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(await requirePostgres('postgres://postgres@127.0.0.1:1/none')).toBe(true)
    expect(await requireRedis('redis://127.0.0.1:1')).toBe(true)
    expect(warn).toHaveBeenCalledTimes(2)
    expect(String(warn.mock.calls[0][0])).toMatch(/PostgreSQL .* unreachable.*SKIPPING/)
  })

  it('fails instead of skipping when a service is down in CI', async () => {
    process.env.CI = 'true'
    await expect(requirePostgres('postgres://postgres@127.0.0.1:1/none')).rejects.toThrow(
      /unreachable.*CI must start it/,
    )
    await expect(requireRedis('redis://127.0.0.1:1')).rejects.toThrow(/Redis .* unreachable/)
  })
})
