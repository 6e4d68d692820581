import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { RecordsLine } from '../../../src/shared/ndjson-lines.ts'
import { createChunkWriter } from '../../../src/server/jobs/chunk-writer.ts'
import type { ResultStore } from '../../../src/server/storage/result-store.ts'

function memoryChunks(): { store: ResultStore; lines: Map<number, string> } {
  const lines = new Map<number, string>()
  const store = {
    async writeChunk(_job: string, _domain: string, idx: number, line: Uint8Array) {
      lines.set(idx, gunzipSync(line).toString('utf8'))
    },
  } as unknown as ResultStore
  return { store, lines }
}

describe('chunk writer', () => {
  it('re-cuts batches of any size into full chunks plus one last partial chunk, each one encoded records line', async () => {
    const { store, lines } = memoryChunks()
    const totals: { chunks: number; count: number }[] = []
    const writer = createChunkWriter({
      results: store,
      jobId: 'j',
      domain: 'history',
      chunkSize: 5,
      onChunk: (t) => totals.push({ ...t }),
    })
    let n = 0
    for (const size of [3, 7, 0, 12]) await writer.add(Array.from({ length: size }, () => [n++, `r${n}`]))
    expect(await writer.finish()).toEqual({ chunks: 5, count: 22 })
    expect(totals.map((t) => t.count)).toEqual([5, 10, 15, 20, 22])

    const decoded = [...lines.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, text]) => {
        expect(text.endsWith('\n')).toBe(true)
        expect(text.indexOf('\n')).toBe(text.length - 1)
        return JSON.parse(text) as RecordsLine
      })
    expect(decoded.map((l) => [l.batch, l.count])).toEqual([
      [0, 5],
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 2],
    ])
    expect(decoded.every((l) => l.type === 'records' && l.domain === 'history' && l.rows?.length === l.count)).toBe(
      true,
    )
    expect(decoded.flatMap((l) => l.rows ?? []).map((r) => r[0])).toEqual(Array.from({ length: 22 }, (_, i) => i))
  })

  it('writes nothing for a domain without rows', async () => {
    const { store, lines } = memoryChunks()
    const writer = createChunkWriter({ results: store, jobId: 'j', domain: 'holds', chunkSize: 5 })
    await writer.add([])
    expect(await writer.finish()).toEqual({ chunks: 0, count: 0 })
    expect(lines.size).toBe(0)
  })
})
