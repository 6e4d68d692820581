import { describe, expect, it } from 'vitest'
import { Slots } from '../../../../src/server/source/postgres/slots.ts'

describe('Slots', () => {
  it('grants up to the limit at once and hands a freed slot to the longest waiter', async () => {
    const slots = new Slots(2)
    const a = await slots.acquire()
    await slots.acquire()
    const order: string[] = []
    const c = slots.acquire().then((release) => (order.push('c'), release))
    const d = slots.acquire().then((release) => (order.push('d'), release))
    expect(slots.waiting).toBe(2)
    a()
    a()
    await c
    expect(order).toEqual(['c'])
    expect(slots.inUse).toBe(2)
    ;(await c)()
    await d
    expect(order).toEqual(['c', 'd'])
  })

  it('rejects an aborted wait with the reason and removes it from the queue', async () => {
    const slots = new Slots(1)
    const release = await slots.acquire()
    const controller = new AbortController()
    const waiting = slots.acquire(controller.signal)
    controller.abort(new Error('stop'))
    await expect(waiting).rejects.toThrow('stop')
    expect(slots.waiting).toBe(0)
    release()
    expect(slots.inUse).toBe(0)
  })
})
