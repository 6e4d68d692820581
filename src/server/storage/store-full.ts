/** Recognises a result store that ran out of room, so the job fails with a code that says so. */

/** True for a full disk or quota (file store) or Redis refusing writes over maxmemory, also as an error's cause. */
export function isStoreFull(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOSPC' || code === 'EDQUOT') return true
    // ioredis' ReplyError for `maxmemory` with `noeviction`: "OOM command not allowed when used memory > 'maxmemory'."
    if (e.name === 'ReplyError' && e.message.startsWith('OOM ')) return true
  }
  return false
}
