import { describe, expect, it } from 'vitest'
import { detectShape, formatWithShape, parseWithShape } from '../../../src/client/rows/iso-datetime.ts'

describe('iso-datetime', () => {
  it('parses to the same milliseconds as Date.UTC and gives back the exact text, across centuries and leap days', () => {
    const shape = detectShape('2026-01-01T00:00:00')!
    const wrong: string[] = []
    for (let t = Date.UTC(1600, 0, 1); t < Date.UTC(2400, 0, 1); t += 86_400_000 * 7 + 3_723_000) {
      const text = new Date(t).toISOString().slice(0, 19)
      const ms = parseWithShape(text, shape)
      if (ms !== t || formatWithShape(ms, shape) !== text) wrong.push(text)
    }
    expect(wrong).toEqual([])
  })

  it('keeps years below 100 as written (Date.UTC would move them to 19xx)', () => {
    const shape = detectShape('2026-01-01')!
    for (const text of ['0050-03-01', '2024-02-29', '2000-02-29', '1900-03-01'])
      expect(formatWithShape(parseWithShape(text, shape), shape)).toBe(text)
    expect(parseWithShape('1900-02-29', shape)).toBeNaN()
  })
})
