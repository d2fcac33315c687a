// The assistant's evaluation: `npm run eval` runs the cases of test/eval against the offline agent, or,
// with OPENAI_BASE_URL and OPENAI_MODEL set, against that model through the same app.
//   --set dev|heldout|both (default both)   --runs k (pass^k: a case passes only if it passes all k runs)
//   --show-failures (dev failures, each with its reason and the reply; held-out failures are never shown, only counted by intent)
import { evalRunner, loadCases, percent, summarize, table, TARGETS, type CaseResult, type EvalCase, type Summary } from '../test/eval/harness'

const args = process.argv.slice(2)
const value = (name: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args[at + 1] : undefined
}
const set = value('set') ?? 'both'
const runs = Number(value('runs') ?? '1')
const showFailures = args.includes('--show-failures')
if (!['dev', 'heldout', 'both'].includes(set) || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run eval -- [--set dev|heldout|both] [--runs k] [--show-failures]')
  process.exit(2)
}

const model = process.env.OPENAI_MODEL && process.env.OPENAI_BASE_URL ? process.env.OPENAI_MODEL : undefined
const env: Record<string, string> = {}
if (model) {
  for (const name of ['OPENAI_BASE_URL', 'OPENAI_MODEL', 'OPENAI_API_KEY', 'OPENAI_TIMEOUT_MS']) if (process.env[name]) env[name] = process.env[name]!
}
const runner = await evalRunner({ env })

/** Each case `runs` times; it passes only if every run passed, with the first failing run's reason. */
async function evaluate(cases: EvalCase[]): Promise<CaseResult[]> {
  let results = await runner.runAll(cases)
  for (let i = 1; i < runs; i++) {
    const again = await runner.runAll(cases)
    results = results.map((r, at) => (r.pass ? again[at]! : r))
  }
  return results
}

const sets: Array<[string, Summary]> = []
const lines: string[] = [`agent: ${model ? `model ${model}` : 'offline'}${runs > 1 ? `, pass^${runs}` : ''}`]
if (set !== 'heldout') {
  const results = await evaluate(loadCases(new URL('../test/eval/dev.jsonl', import.meta.url)))
  const summary = summarize(results)
  sets.push(['dev', summary])
  lines.push(`dev: ${percent(summary)}, target ${TARGETS.dev * 100}% ${summary.score >= TARGETS.dev ? 'met' : 'missed'}`)
  if (showFailures) for (const r of results.filter((x) => !x.pass)) lines.push(`  FAIL ${r.id} (${r.intent}, ${r.language}): ${r.reason}\n       reply: ${r.reply.replace(/\s+/g, ' ').slice(0, 160)}`)
}
if (set !== 'dev') {
  // Counted only: reading held-out failures one by one would make them a second dev set.
  const summary = summarize(await evaluate(loadCases(new URL('../test/eval/heldout.jsonl', import.meta.url))))
  sets.push(['held-out', summary])
  lines.push(`held-out: ${percent(summary)}, target ${TARGETS.heldout * 100}% ${summary.score >= TARGETS.heldout ? 'met' : 'missed'}`)
}
lines.push(table(sets))
console.log(lines.join('\n'))
await runner.dispose()
