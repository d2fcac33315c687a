// Hostile recurrence rules against the real server process: runs the property of test/recurrence-bounds.test.ts
// ("random RRULEs on create, update and Upcoming") a number of times and prints /healthz's latency while it posts
// them, against the target: p99 under 100 ms (no rule walk holds the event loop). Run it on a quiet machine.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:rules [-- --rounds 5]
import { options } from './lib'

const args = options()
const ROUNDS = Number(args.get('rounds') ?? 5)
const TARGET_MS = 100
const p99s: number[] = []

for (let round = 1; round <= ROUNDS; round++) {
  const run = Bun.spawn([process.execPath, 'test', 'test/recurrence-bounds.test.ts', '-t', 'random RRULEs'], { env: process.env, stdout: 'pipe', stderr: 'pipe' })
  const [out, err] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text()])
  const code = await run.exited
  const line = /healthz while posting rules: .*/.exec(out + err)?.[0]
  const p99 = Number(/p99 ([\d.]+) ms/.exec(line ?? '')?.[1])
  if (code !== 0 || !Number.isFinite(p99)) {
    console.log(`round ${round}: the property failed (exit ${code})\n${(out + err).split('\n').filter((l) => /error|\(fail\)/.test(l)).join('\n')}`)
    process.exit(1)
  }
  p99s.push(p99)
  console.log(`round ${round}: ${line}`)
}

p99s.sort((a, b) => a - b)
const worst = p99s.at(-1)!
console.log(`\n/healthz p99 while posting hostile rules, ${ROUNDS} rounds: best ${p99s[0]!.toFixed(1)} ms, median ${p99s[p99s.length >> 1]!.toFixed(1)} ms, worst ${worst.toFixed(1)} ms; target under ${TARGET_MS} ms: ${worst < TARGET_MS ? 'met' : 'missed'}`)
