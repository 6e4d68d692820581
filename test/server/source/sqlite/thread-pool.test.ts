import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { setLogLevel } from '../../../../src/server/logger.ts'
import { ThreadPool, type ThreadPoolOptions } from '../../../../src/server/source/sqlite/thread-pool.ts'
import { createNumbersDb, makeTempDir } from './fixture-db.ts'

let dir: string
let dbPath: string
const pools: ThreadPool[] = []

function pool(options: Partial<ThreadPoolOptions> = {}): ThreadPool {
  const p = new ThreadPool({ path: dbPath, size: 3, heapMb: 64, youngMb: 8, cacheKb: 2000, idleMs: 60_000, ...options })
  pools.push(p)
  return p
}

beforeAll(() => {
  setLogLevel('silent')
  dir = makeTempDir()
  dbPath = join(dir, 'numbers.sqlite')
  createNumbersDb(dbPath, 10)
})

afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(pools.splice(0).map((p) => p.close()))
})

afterAll(() => {
  setLogLevel('info')
  rmSync(dir, { recursive: true, force: true })
})

describe('reusing idle threads', () => {
  it('leases the most recently freed thread first, so a light load keeps one thread warm', async () => {
    const p = pool()
    const [a, b, c] = await Promise.all([p.acquire(), p.acquire(), p.acquire()])
    await Promise.all([a, b, c].map((w) => w.request({ op: 'ping' })))
    p.release(a)
    p.release(b)
    p.release(c)
    for (let i = 0; i < 3; i++) {
      const w = await p.acquire()
      expect(w).toBe(c)
      await w.request({ op: 'ping' })
      p.release(w)
    }
    const [first, second] = [await p.acquire(), await p.acquire()]
    expect([first, second]).toEqual([c, b])
  })
})

describe('idle threads exiting', () => {
  it('ends a thread left idle for idleMs, and starts a fresh one on the next lease', async () => {
    const p = pool({ idleMs: 100 })
    const w = await p.acquire()
    await w.request({ op: 'ping' })
    p.release(w)
    expect(p.stats().connections).toBe(1)
    await vi.waitFor(() => expect(p.stats().connections).toBe(0), { timeout: 5000 })
    await vi.waitFor(() => expect(w.isAlive).toBe(false), { timeout: 5000 })
    const fresh = await p.acquire()
    expect(fresh).not.toBe(w)
    await expect(fresh.request({ op: 'ping' })).resolves.toMatchObject({ done: true })
  })

  it('keeps a thread that is leased again before its idle time runs out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const p = pool({ idleMs: 1000 })
    const w = await p.acquire()
    p.release(w)
    vi.advanceTimersByTime(999)
    expect(await p.acquire()).toBe(w)
    vi.advanceTimersByTime(5000)
    expect(p.stats().connections).toBe(1)
    p.release(w)
    vi.advanceTimersByTime(999)
    expect(p.stats().connections).toBe(1)
    vi.advanceTimersByTime(1)
    expect(p.stats().connections).toBe(0)
  })

  it('serves a waiter with a freed thread instead of letting it idle out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const p = pool({ size: 1, idleMs: 1000 })
    const w = await p.acquire()
    const waiting = p.acquire()
    p.release(w)
    expect(await waiting).toBe(w)
    vi.advanceTimersByTime(5000)
    expect(p.stats()).toMatchObject({ connections: 1, busy: 1 })
  })
})
