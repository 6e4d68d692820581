import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { gzipMember, plainChunk } from '../../../src/server/storage/chunk-gzip.ts'
import { createFileResultStore } from '../../../src/server/storage/file-result-store.ts'
import type { ResultMeta, ResultStore } from '../../../src/server/storage/result-store.ts'

const JOB = 'trace-evt-0123456789abcdef0123456789abcdef'

function meta(partial: Partial<ResultMeta> = {}): ResultMeta {
  return {
    job_id: JOB,
    attempt: 1,
    chunk_size: 2,
    order: [],
    domains: {},
    aggregation: false,
    failed_domains: [],
    complete: false,
    ...partial,
  }
}

describe('file result store', () => {
  let root: string
  let store: ResultStore
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'result-store-'))
    store = createFileResultStore(join(root, 'results'))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('returns stored chunks byte for byte and undefined for chunks not written', async () => {
    await store.writeMeta(meta())
    const line = Buffer.from('{"type":"records","domain":"history","batch":0,"count":1,"rows":[["測試"]]}\n')
    await store.writeChunk(JOB, 'history', 0, line)
    expect((await store.readChunk(JOB, 'history', 0))?.equals(line)).toBe(true)
    expect(await store.readChunk(JOB, 'history', 1)).toBeUndefined()
    expect(await store.readChunk(JOB, 'materials', 0)).toBeUndefined()
  })

  it('keeps gzip chunks as .ndjson.gz and still reads plain .ndjson chunks written before compression', async () => {
    await store.writeMeta(meta())
    const plain = Buffer.from('{"type":"records","domain":"history","batch":0,"count":1,"rows":[["a"]]}\n')
    writeFileSync(join(root, 'results', JOB, 'history.0.ndjson'), plain)
    const member = await gzipMember(
      Buffer.from('{"type":"records","domain":"history","batch":1,"count":1,"rows":[["b"]]}\n'),
    )
    await store.writeChunk(JOB, 'history', 1, member)
    expect(readdirSync(join(root, 'results', JOB)).sort()).toEqual([
      'history.0.ndjson',
      'history.1.ndjson.gz',
      'meta.json',
    ])
    expect((await store.readChunk(JOB, 'history', 0))?.equals(plain)).toBe(true)
    expect((await store.readChunk(JOB, 'history', 1))?.equals(member)).toBe(true)
    expect((await plainChunk(member)).toString()).toContain('"batch":1')
    expect(await store.storedChunks(JOB, 'history', 3)).toBe(2)
  })

  it('leaves no temporary files behind after writes', async () => {
    await store.writeMeta(meta())
    for (let i = 0; i < 5; i++) await store.writeChunk(JOB, 'history', i, Buffer.from(`${i}\n`))
    await store.writeMeta(meta({ complete: true }))
    expect(readdirSync(join(root, 'results', JOB)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect((await store.readMeta(JOB))?.complete).toBe(true)
  })

  it('deletes everything of a job and refuses to write chunks into a deleted job', async () => {
    await store.writeMeta(meta())
    await store.writeChunk(JOB, 'history', 0, Buffer.from('x\n'))
    await store.writeAggregation(JOB, Buffer.from('{"type":"aggregation","data":1}\n'))
    await store.delete(JOB)
    expect(await store.readMeta(JOB)).toBeUndefined()
    expect(await store.readAggregation(JOB)).toBeUndefined()
    await expect(store.writeChunk(JOB, 'history', 1, Buffer.from('y\n'))).rejects.toThrow()
    expect(readdirSync(join(root, 'results'))).toEqual([])
    await store.delete(JOB)
  })

  it('reads a result the old system stored whole and lists job directories only', async () => {
    mkdirSync(join(root, 'results', JOB), { recursive: true })
    writeFileSync(join(root, 'results', JOB, 'result.json'), '{"history":[]}')
    mkdirSync(join(root, 'results', 'not-a-job'))
    expect((await store.readLegacy(JOB))?.toString()).toBe('{"history":[]}')
    const ids: string[] = []
    for await (const id of store.listJobIds()) ids.push(id)
    expect(ids).toEqual([JOB])
  })

  it('refuses ids that are not job ids before touching the disk', async () => {
    await expect(store.readChunk('../../etc', 'history', 0)).rejects.toThrow(/not a job id/)
  })
})
