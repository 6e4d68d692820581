import { describe, expect, it } from 'vitest'
import { createProgressPrinter } from '../../../src/server/demo/progress-printer.ts'

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let written = ''
  const stream = { isTTY, write: (chunk: string) => ((written += chunk), true) } as unknown as NodeJS.WriteStream
  return { stream, text: () => written }
}

describe('createProgressPrinter', () => {
  it('prints one line per 10 % step and per phase when not on a terminal', () => {
    const { stream, text } = fakeStream(false)
    const printer = createProgressPrinter(stream)
    for (let done = 0; done <= 1000; done += 5) printer.onProgress({ phase: 'generate', done, total: 1000 })
    printer.onProgress({ phase: 'index', done: 0, total: 17 })
    printer.finish()
    const lines = text().trimEnd().split('\n')
    expect(lines).toHaveLength(12)
    expect(lines[0]).toBe('demo data: generate 0/1,000 (0%)')
    expect(lines[10]).toBe('demo data: generate 1,000/1,000 (100%)')
    expect(lines[11]).toBe('demo data: index 0/17 (0%)')
  })

  it('redraws a single line at most every 100 ms on a terminal and ends it on finish', () => {
    const { stream, text } = fakeStream(true)
    let now = 0
    const printer = createProgressPrinter(stream, () => now)
    printer.onProgress({ phase: 'generate', done: 0, total: 10 })
    now = 50
    printer.onProgress({ phase: 'generate', done: 5, total: 10 })
    now = 200
    printer.onProgress({ phase: 'generate', done: 6, total: 10 })
    printer.onProgress({ phase: 'generate', done: 10, total: 10 })
    printer.finish()
    printer.finish()
    const draws = text().split('\r').filter(Boolean)
    expect(draws).toHaveLength(3)
    expect(draws.at(-1)).toBe('demo data: generate 10/10 (100%)\x1b[K\n')
    expect(text()).not.toContain('5/10')
  })
})
