// Benchmark: 500 reminders due within one minute, fired by the real app process's local scheduler and by the real
// Dapr Jobs API (daprd and Dapr's scheduler) beside it, one after the other in one run; lateness, early and double
// fires, read from PostgreSQL.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:reminders [-- --count 500]
import { DAPR_VERSION } from '../test/helpers/runtime'
import { signUpOverHttp } from '../test/helpers/server'
import { options, percentile, runtimeBenchSetup, withBenchApp } from './lib'

const args = options()
const COUNT = Number(args.get('count') ?? 500)
/** The most reminders one task takes. */
const PER_TASK = 10
/** Reminders fall due from FIRST_S to LAST_S seconds after they are set out, on whole seconds. */
const FIRST_S = 20
const LAST_S = 80
const WAIT_MS = 120_000
const TARGET_P99_MS = 1000

if (!(COUNT > 0 && COUNT <= 1000)) {
  console.error('--count must be between 1 and 1000 (the per-user quota of pending reminders)')
  process.exit(2)
}
const bin = runtimeBenchSetup('reminders')

const PATHS = ['local scheduler', `dapr ${DAPR_VERSION} jobs`] as const
type Path = (typeof PATHS)[number]

async function post(url: string, token: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  })
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as { id: string }
}

/** Polls `probe` every 250 ms until it is true or the deadline (epoch ms) passes. */
async function until(probe: () => Promise<boolean>, deadline: number): Promise<void> {
  while (!(await probe()) && Date.now() < deadline) await Bun.sleep(250)
}

async function run(path: Path): Promise<void> {
  const count = async (query: Promise<Array<{ n: number }>>) => (await query)[0]?.n ?? 0
  // Beside Dapr the app's own sweep stays ten minutes behind, so only the scheduler's triggers fire these.
  const env: Record<string, string> = path === 'local scheduler' ? {} : { REMINDER_SWEEP_GRACE_MS: '600000' }
  await withBenchApp(path === 'local scheduler' ? undefined : bin, env, async (app, sql) => {
    const { url, note: runtime } = app
    const token = await signUpOverHttp(url)
    const tasks: string[] = []
    for (let i = 0; i < Math.ceil(COUNT / PER_TASK); i++) tasks.push((await post(url, token, '/api/v1/tasks', { title: `reminder bench ${i}` })).id)

    // Due times spread evenly over [now+FIRST_S, now+LAST_S], on whole seconds; set ten at a time.
    const base = Math.ceil(Date.now() / 1000) * 1000 + FIRST_S * 1000
    const at = (i: number) => new Date(base + Math.floor((i * (LAST_S - FIRST_S + 1)) / COUNT) * 1000)
    for (let i = 0; i < COUNT; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, COUNT - i) }, (_, j) => post(url, token, `/api/v1/tasks/${tasks[Math.floor((i + j) / PER_TASK)]}/reminders`, { remind_at: at(i + j).toISOString() })),
      )
    }
    const setBy = Date.now()
    if (setBy >= base) console.warn(`  warning: setting the reminders took until ${((setBy - base) / 1000).toFixed(1)} s after the first was due`)

    // Every reminder fired, or WAIT_MS since the first due time was chosen; then their notifications, then a settle for doubles.
    const fired = () => count(sql`select count(*)::int as n from reminders where fired_at is not null`)
    await until(async () => (await fired()) >= COUNT, base - FIRST_S * 1000 + WAIT_MS)
    const firedNow = await fired()
    await until(async () => (await count(sql`select count(distinct reminder_id)::int as n from notifications`)) >= firedNow, Date.now() + 10_000)
    await Bun.sleep(2000)

    const rows = await sql<Array<{ late_ms: number | null; notes: number }>>`
      select (extract(epoch from r.fired_at - r.remind_at) * 1000)::float8 as late_ms,
             (select count(*)::int from notifications n where n.reminder_id = r.id) as notes
      from reminders r`
    const lateness = rows.flatMap((r) => (r.late_ms === null ? [] : [r.late_ms]))
    const early = lateness.filter((l) => l < 0).length
    const doubled = rows.filter((r) => r.notes > 1).length
    const notifications = rows.reduce((sum, r) => sum + r.notes, 0)
    const p99 = percentile(lateness, 99)
    const f = (x: number) => `${x.toFixed(0)} ms`
    console.log(`${path}${runtime}`)
    console.log(`  ${rows.length} reminders set (due ${FIRST_S}–${LAST_S} s out, whole seconds); fired ${lateness.length}, not fired ${rows.length - lateness.length}`)
    console.log(`  lateness  p50 ${f(percentile(lateness, 50))}  p95 ${f(percentile(lateness, 95))}  p99 ${f(p99)}  max ${f(percentile(lateness, 100))}   target p99 ≤ ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'MISSED'}`)
    console.log(`  early fires ${early}${early ? ` (earliest ${f(Math.min(...lateness))})` : ''}, double fires ${doubled}, notifications ${notifications}`)
    if (app.stack) {
      const callbacks = app.stack.app.lines.filter((l) => l.msg === 'request' && typeof l.route === 'string' && l.route.startsWith('/job/'))
      console.log(`  job callbacks ${callbacks.length} (${callbacks.filter((l) => l.status !== 200).length} not 200)`)
    }
    console.log('')
  })
}

console.log(`${COUNT} reminders, ${PER_TASK} per task, due within one minute; loopback only; Dapr ${DAPR_VERSION}\n`)
for (const path of PATHS) await run(path)
