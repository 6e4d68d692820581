import { describe, expect, it } from 'vitest'
import { isStoreFull } from '../../../src/server/storage/store-full.ts'

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, write`), { code })
}

function replyError(message: string): Error {
  const err = new Error(message)
  err.name = 'ReplyError'
  return err
}

describe('isStoreFull', () => {
  it('recognises a full disk or quota, also as the cause of a wrapping error', () => {
    expect(isStoreFull(errno('ENOSPC'))).toBe(true)
    expect(isStoreFull(errno('EDQUOT'))).toBe(true)
    expect(isStoreFull(new Error('storing results failed', { cause: errno('ENOSPC') }))).toBe(true)
  })

  it('recognises Redis refusing a write over maxmemory', () => {
    expect(isStoreFull(replyError("OOM command not allowed when used memory > 'maxmemory'."))).toBe(true)
  })

  it('leaves every other failure alone', () => {
    expect(isStoreFull(errno('EACCES'))).toBe(false)
    expect(isStoreFull(replyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false)
    expect(isStoreFull(new Error('OOM in the message of something else'))).toBe(false)
    expect(isStoreFull('ENOSPC')).toBe(false)
  })
})
