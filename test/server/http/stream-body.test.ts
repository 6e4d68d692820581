import { Hono } from 'hono'
import { beforeAll, describe, expect, it } from 'vitest'
import { streamBody, type BodyOut } from '../../../src/server/http/stream-body.ts'
import { setLogLevel } from '../../../src/server/logger.ts'

function appOf(write: (out: BodyOut) => Promise<void>, failureLine?: (err: unknown) => string): Hono {
  return new Hono().get('/', (c) => streamBody(c, { what: 'test body', failureLine }, write))
}

describe('streamBody', () => {
  beforeAll(() => setLogLevel('error'))

  it('writes every chunk and ends the body', async () => {
    const res = await appOf(async (out) => {
      await out.write('a')
      await out.write(new TextEncoder().encode('b'))
    }).request('/')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('ab')
  })

  it('ends a failed body with its failure line when it has one', async () => {
    const res = await appOf(
      async (out) => {
        await out.write('line 1\n')
        throw new Error('disk gone')
      },
      (err) => `failed: ${(err as Error).message}\n`,
    ).request('/')
    expect(await res.text()).toBe('line 1\nfailed: disk gone\n')
  })

  it('cuts a failed body without a failure line, so the reader sees it unfinished', async () => {
    const res = await appOf(async (out) => {
      await out.write('{"data":[')
      throw new Error('broken')
    }).request('/')
    const text = await res.text()
    expect(text).toBe('{"data":[')
    expect(() => JSON.parse(text)).toThrow()
  })

  it('aborts its signal when the body is cut, and writes no failure line then', async () => {
    let aborted = false
    const res = await appOf(
      async (out) => {
        out.cut(new Error('deadline'))
        aborted = out.signal.aborted
        throw out.signal.reason
      },
      () => 'never\n',
    ).request('/')
    expect(await res.text()).toBe('')
    expect(aborted).toBe(true)
  })
})
