/** The code a bench measured, recorded with its results. */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** A commit, and whether src/ or bench/ differed from it. */
export interface CodeVersion {
  readonly commit: string | null
  readonly uncommitted_changes: boolean | null
}

/**
 * The code measured: BENCH_COMMIT when the bench runs from an exported snapshot (no .git), else HEAD, and
 * whether src/ or bench/ had uncommitted changes.
 */
export function codeVersion(): CodeVersion {
  if (process.env.BENCH_COMMIT) return { commit: process.env.BENCH_COMMIT, uncommitted_changes: false }
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return {
      commit: git('rev-parse', 'HEAD'),
      uncommitted_changes: git('status', '--porcelain', '--', 'src', 'bench').length > 0,
    }
  } catch {
    return { commit: null, uncommitted_changes: null }
  }
}
