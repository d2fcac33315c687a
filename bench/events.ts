// Benchmark: commit→applied latency of task events at a steady rate of task creations over REST, through the real
// app process with its in-process bus and beside the real Dapr runtime (daprd and a Kafka-protocol broker), one
// after the other in one run. Latency per change is audit_log.recorded_at − occurred_at, read from PostgreSQL.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:events [-- --rate 200 --seconds 30]
import postgres from 'postgres'
import { DAPR_VERSION } from '../test/helpers/runtime'
import { signUpOverHttp } from '../test/helpers/server'
import { options, percentile, runtimeBenchSetup, withBenchApp } from './lib'

const args = options()
const RATE = Number(args.get('rate') ?? 200)
const SECONDS = Number(args.get('seconds') ?? 30)
/** Requests open at once at most; a slot that finds them all busy waits, and may start late. */
const MAX_IN_FLIGHT = 32
/** A request that starts more than this after its slot counts as late: the load fell behind its schedule. */
const LATE_MS = 10
const AUDIT_WAIT_MS = 60_000
const TARGET_P99_MS = 100

if (!(RATE > 0 && SECONDS > 0)) {
  console.error('--rate and --seconds must be positive numbers')
  process.exit(2)
}
const bin = runtimeBenchSetup('events')

const PATHS = ['in-process', `dapr ${DAPR_VERSION} + Kafka-protocol broker`] as const
type Path = (typeof PATHS)[number]

interface Load {
  created: string[]
  errors: number
  /** Requests that started more than LATE_MS after their slot, and the worst lag. */
  late: number
  maxLagMs: number
  /** From the first slot to the last answer. */
  seconds: number
}

/** Creates one task over REST; its id, or null when the answer is not 201. */
async function createTask(url: string, token: string, i: number): Promise<string | null> {
  const res = await fetch(`${url}/api/v1/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: `event bench ${i}`, tags: ['bench'] }),
    signal: AbortSignal.timeout(30_000),
  })
  if (res.status !== 201) return null
  return ((await res.json()) as { id: string }).id
}

/** RATE creations a second for SECONDS, each started at its slot (never earlier), at most MAX_IN_FLIGHT open. */
async function load(url: string, token: string): Promise<Load> {
  const result: Load = { created: [], errors: 0, late: 0, maxLagMs: 0, seconds: 0 }
  const requests: Array<Promise<void>> = []
  let inFlight = 0
  let wake: (() => void) | undefined
  const total = Math.round(RATE * SECONDS)
  const start = performance.now()
  for (let i = 0; i < total; i++) {
    const slot = start + (i * 1000) / RATE
    const wait = slot - performance.now()
    if (wait > 0) await Bun.sleep(wait)
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve))
    const lag = performance.now() - slot
    result.maxLagMs = Math.max(result.maxLagMs, lag)
    if (lag > LATE_MS) result.late++
    inFlight++
    const request = createTask(url, token, i)
      .then((id) => (id ? result.created.push(id) : result.errors++))
      .catch(() => result.errors++)
      .finally(() => {
        inFlight--
        wake?.()
        wake = undefined
      })
    requests.push(request.then(() => undefined))
  }
  await Promise.all(requests)
  result.seconds = (performance.now() - start) / 1000
  return result
}

/** Polls until every created task has an audit entry or AUDIT_WAIT_MS pass; how long that took after the load. */
async function awaitAudit(sql: postgres.Sql, expected: number): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < AUDIT_WAIT_MS) {
    const [row] = await sql<Array<{ n: number }>>`select count(distinct task_id)::int as n from audit_log where action = 'created'`
    if ((row?.n ?? 0) >= expected) break
    await Bun.sleep(200)
  }
  const waited = performance.now() - started
  // A little longer, so a duplicate arriving just behind the last entry is still counted.
  await Bun.sleep(1000)
  return waited
}

const ms = (x: number) => `${x.toFixed(1)} ms`

async function run(path: Path): Promise<void> {
  await withBenchApp(path === 'in-process' ? undefined : bin, {}, async (app, sql) => {
    const { url, note: runtime } = app
    const token = await signUpOverHttp(url)
    const sent = await load(url, token)
    const waitedMs = await awaitAudit(sql, sent.created.length)

    const rows = await sql<Array<{ task_id: string; action: string; ms: number }>>`
      select task_id::text, action, (extract(epoch from recorded_at - occurred_at) * 1000)::float8 as ms from audit_log`
    const byTask = new Map<string, { rows: number; createdMs?: number }>()
    for (const r of rows) {
      const entry = byTask.get(r.task_id) ?? { rows: 0 }
      entry.rows++
      if (r.action === 'created') entry.createdMs = Math.min(entry.createdMs ?? Infinity, r.ms)
      byTask.set(r.task_id, entry)
    }
    const latencies: number[] = []
    let lost = 0
    let duplicated = 0
    for (const id of sent.created) {
      const entry = byTask.get(id)
      if (entry?.createdMs === undefined) lost++
      else latencies.push(entry.createdMs)
      duplicated += Math.max(0, (entry?.rows ?? 0) - 1)
    }
    // Where the time goes: commit → published (the relay's publish returned) and published → applied.
    const split = await sql<Array<{ publish: number; deliver: number }>>`
      select (extract(epoch from o.published_at - a.occurred_at) * 1000)::float8 as publish,
             (extract(epoch from a.recorded_at - o.published_at) * 1000)::float8 as deliver
      from audit_log a join outbox_events o on o.event->>'id' = a.event_id where a.action = 'created'`
    const p99 = percentile(latencies, 99)
    console.log(`${path}${runtime}`)
    console.log(`  sent ${sent.created.length + sent.errors} changes (${sent.errors} errors) at ${((sent.created.length + sent.errors) / sent.seconds).toFixed(1)}/s achieved (asked ${RATE}/s for ${SECONDS} s)`)
    console.log(`  pacing: ${sent.late} started over ${LATE_MS} ms behind their slot, worst lag ${ms(sent.maxLagMs)}`)
    console.log(`  commit→applied  p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  p99 ${ms(p99)}  max ${ms(percentile(latencies, 100))}  (n=${latencies.length})   target p99 ≤ ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'MISSED'}`)
    const publish = split.map((r) => r.publish)
    const deliver = split.map((r) => r.deliver)
    console.log(`    of which commit→published  p50 ${ms(percentile(publish, 50))}  p99 ${ms(percentile(publish, 99))}; published→applied  p50 ${ms(percentile(deliver, 50))}  p99 ${ms(percentile(deliver, 99))}`)
    console.log(`  lost ${lost}, duplicated ${duplicated}; audit caught up ${(waitedMs / 1000).toFixed(1)} s after the last answer\n`)
  })
}

console.log(`task creations over REST at ${RATE}/s for ${SECONDS} s, up to ${MAX_IN_FLIGHT} in flight, loopback only; Dapr ${DAPR_VERSION}`)
console.log('commit→applied = audit_log.recorded_at − occurred_at, from PostgreSQL\n')
for (const path of PATHS) await run(path)
