/**
 * `npx tsx bench/cpu-prof-top.ts <dir|file.cpuprofile>... [--top 20]`
 *
 * The hottest functions by self time of each `.cpuprofile` that `node --cpu-prof` wrote (one per process and
 * per worker thread), with the profile's total sampled time: where a bench's time went. To profile
 * `npm run bench`'s modes, run it with `NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof"` (the web process, the
 * job worker, the SQLite threads and the scan children each write their own file).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { formatHotFunctions, hotFunctions, type Profile } from './lib/cpu-profile.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '20' } },
})
const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(p, f))
    : [p],
)
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const totalMs = (profile.timeDeltas ?? []).reduce((a, b) => a + b, 0) / 1000
  console.log(
    formatHotFunctions(
      `${basename(file)}: ${totalMs.toFixed(0)} ms sampled`,
      hotFunctions(profile, Number(values.top)),
    ),
  )
}
