// The long fuzzing run: the suite's hostile-input properties (test/fuzz.test.ts) with a fresh seed and many runs a
// route, repeated until the time is up. Prints each seed (to replay a failure: FUZZ_SEED=<seed> bun test
// test/fuzz.test.ts) and the requests answered by class.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:fuzz [-- --runs 200 --minutes 10]
import { options } from './lib'

const args = options()
const RUNS = Number(args.get('runs') ?? 200)
const MINUTES = Number(args.get('minutes') ?? 10)
const deadline = Date.now() + MINUTES * 60_000
const totals = new Map<string, number>()
let rounds = 0
let failed = 0

while (Date.now() < deadline) {
  const seed = Math.floor(Math.random() * 2 ** 31)
  const started = performance.now()
  const run = Bun.spawn([process.execPath, 'test', 'test/fuzz.test.ts'], {
    env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_RUNS: String(RUNS) },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text()])
  const code = await run.exited
  const text = out + err
  const classes = /fuzz answers by class: (\{.*\})/.exec(text)?.[1]
  for (const [klass, n] of Object.entries(classes ? (JSON.parse(classes) as Record<string, number>) : {})) totals.set(klass, (totals.get(klass) ?? 0) + n)
  rounds += 1
  const seconds = ((performance.now() - started) / 1000).toFixed(0)
  if (code === 0) console.log(`seed ${seed}: passed in ${seconds} s ${classes ?? ''}`)
  else {
    failed += 1
    console.log(`seed ${seed}: FAILED in ${seconds} s\n${text.split('\n').filter((l) => /error|Counterexample|\(fail\)/.test(l)).map((l) => l.slice(0, 400)).join('\n')}`)
  }
}

const all = [...totals.values()].reduce((a, b) => a + b, 0)
console.log(`\n${rounds} rounds of ${RUNS} runs a route, ${failed} failed; ${all.toLocaleString()} requests: ${JSON.stringify(Object.fromEntries(totals))}`)
process.exit(failed ? 1 : 0)
