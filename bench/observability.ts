// Benchmark: what metrics and tracing cost at the API's p95. Three builds of the same app on the same
// PostgreSQL database, each in a child process of its own, in alternating rounds:
//   bare     no instruments at all (no-op metrics, no query wrapping, no tracing);
//   metrics  the Prometheus instruments, as shipped (tracing off: OTEL_EXPORTER_OTLP_ENDPOINT unset);
//   traced   metrics, and traces sampled at --ratio (default 0.1) exported over OTLP/HTTP (protobuf) to a local collector;
//   traced-all  the same with every request traced (sampling 1).
// The median p95 of each build over the rounds (each build first in one round, last in another) is compared with the bare build's.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:observability [-- --seconds 6 --clients 4 --rounds 4 --ratio 0.1]
import { Registry } from 'prom-client'
import { createApp, eventDelivery } from '../src/app'
import { openDatabase } from '../src/db/client'
import { loadEnv } from '../src/env'
import { startEvents } from '../src/events/runtime'
import { createLogger } from '../src/lib/log'
import { createMetrics, type Metrics } from '../src/lib/metrics'
import { startTracing } from '../src/lib/otel'
import { benchDatabase, options, percentile } from './lib'

const args = options()
const SECONDS = Number(args.get('seconds') ?? 6)
const CLIENTS = Number(args.get('clients') ?? 4)
const ROUNDS = Number(args.get('rounds') ?? 4)
const RATIO = Number(args.get('ratio') ?? 0.1)
const MODES = ['bare', 'metrics', 'traced', 'traced-all'] as const
type Mode = (typeof MODES)[number]
interface Stats { p50: number; p95: number; p99: number; rps: number; n: number; cpuUsPerRequest: number }

const noop = () => {}
/** Instruments that record nothing: the baseline. */
const noMetrics = {
  registry: new Registry(),
  database: undefined,
  observeRequest: noop,
  observePublish: noop,
  observeDeadLetter: noop,
  observeDelivery: noop,
  reminders: { scheduled: noop, cancelled: noop, fired: noop },
  chat: { turn: noop, modelCall: noop },
  observeToolCall: noop,
} as unknown as Metrics

/** One measurement in this process: an in-process server built as `mode`, driven over HTTP. */
async function child(mode: Mode, url: string, collector: string): Promise<Stats> {
  const tracing = mode.startsWith('traced') ? startTracing({ endpoint: collector, serviceName: 'todo-bench', sampleRatio: mode === 'traced' ? RATIO : 1 }) : undefined
  const metrics = mode === 'bare' ? noMetrics : createMetrics()
  const database = await openDatabase({ url, poolMax: 10, observer: mode === 'bare' ? undefined : metrics.database })
  const log = createLogger('silent')
  // Each build signs up its own user; behind a "proxy", so each comes from an address of its own (sign-up is rate-limited per address).
  const env = loadEnv({ LOG_LEVEL: 'silent', TRUST_PROXY: 'true' })
  const app = createApp({ env, database, log, metrics }).listen({ port: 0, hostname: '127.0.0.1' })
  const events = await startEvents({ env, database, log, metrics: mode === 'bare' ? undefined : metrics, delivery: eventDelivery({ env, database, log, metrics }) })
  const base = `http://127.0.0.1:${app.server!.port}`
  const credentials = {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
    body: JSON.stringify({ email: `bench-${crypto.randomUUID()}@example.com`, password: 'correct horse battery' }),
  }
  const signup = await fetch(`${base}/api/v1/auth/signup`, credentials)
  if (signup.status !== 202) throw new Error(`sign-up answered ${signup.status}`)
  const { token } = (await (await fetch(`${base}/api/v1/auth/login`, credentials)).json()) as { token: string }
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const ids: string[] = []
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${base}/api/v1/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: `seed ${i}`, tags: ['bench'] }) })
    ids.push(((await res.json()) as { id: string }).id)
  }
  // The mix a user makes: mostly reads, some writes.
  const op = async (i: number) => {
    const kind = i % 10
    const res =
      kind < 5 ? await fetch(`${base}/api/v1/tasks?limit=20`, { headers })
      : kind < 7 ? await fetch(`${base}/api/v1/tasks?search=seed&sort=due_date`, { headers })
      : kind < 9 ? await fetch(`${base}/api/v1/tasks/${ids[i % ids.length]}`, { method: 'PATCH', headers, body: JSON.stringify({ priority: i % 2 ? 'high' : 'low' }) })
      : await fetch(`${base}/api/v1/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: `load ${i}` }) })
    await res.arrayBuffer()
    // Every answer must be a success: a fast failure would flatter the figures.
    if (!res.ok) throw new Error(`${res.status} from the API`)
  }
  const run = async (seconds: number) => {
    const latencies: number[] = []
    const end = performance.now() + seconds * 1000
    let i = 0
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < end) {
          const start = performance.now()
          await op(i++)
          latencies.push(performance.now() - start)
        }
      }),
    )
    return latencies
  }
  await run(2) // warm-up
  const cpu = process.cpuUsage()
  const latencies = await run(SECONDS)
  const used = process.cpuUsage(cpu)
  await events.relay.drain()
  await events.stop()
  app.stop(true)
  await database.close()
  await tracing?.shutdown()
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: latencies.length / SECONDS,
    n: latencies.length,
    // The process's CPU (app, relay, consumers and the load loop alike) per request: the cost, without the scheduling noise of a shared machine.
    cpuUsPerRequest: (used.user + used.system) / latencies.length,
  }
}

if (args.get('mode')) {
  const stats = await child(args.get('mode') as Mode, args.get('url')!, args.get('collector')!)
  console.log(JSON.stringify(stats))
  process.exit(0)
}

const scratch = await benchDatabase('observability')
// An OTLP/HTTP collector that takes the spans and counts the exports.
let exports = 0
let exportedBytes = 0
const collector = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(req) {
    exportedBytes += (await req.arrayBuffer()).byteLength
    exports++
    return new Response(null, { status: 200 })
  },
})
try {
  console.log(`${ROUNDS} rounds × ${MODES.join(', ')} (traced: sampling ${RATIO}); ${CLIENTS} clients for ${SECONDS} s each (50% list, 20% search, 20% update, 10% create)`)
  const results: Record<Mode, Stats[]> = { bare: [], metrics: [], traced: [], 'traced-all': [] }
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with the next build: the database grows as the runs write, so no build may always go last.
    for (const mode of MODES.map((_, i) => MODES[(i + round) % MODES.length]!)) {
      const proc = Bun.spawn(
        [process.execPath, import.meta.path, '--mode', mode, '--url', scratch.url, '--collector', `http://127.0.0.1:${collector.port}`, '--seconds', String(SECONDS), '--clients', String(CLIENTS), '--ratio', String(RATIO)],
        { stdout: 'pipe', stderr: 'inherit' },
      )
      const out = await new Response(proc.stdout).text()
      if ((await proc.exited) !== 0) throw new Error(`${mode} run failed`)
      const stats = JSON.parse(out.trim().split('\n').at(-1)!) as Stats
      results[mode].push(stats)
      console.log(`  round ${round + 1} ${mode.padEnd(10)} p50 ${stats.p50.toFixed(2)} ms  p95 ${stats.p95.toFixed(2)} ms  p99 ${stats.p99.toFixed(2)} ms  ${stats.rps.toFixed(0)} req/s  ${stats.cpuUsPerRequest.toFixed(0)} µs CPU/request`)
    }
  }
  const median = (xs: number[]) => percentile(xs, 50)
  const of = (m: Mode, key: keyof Stats) => results[m].map((r) => r[key])
  const p95 = Object.fromEntries(MODES.map((m) => [m, median(of(m, 'p95'))])) as Record<Mode, number>
  const cpu = Object.fromEntries(MODES.map((m) => [m, median(of(m, 'cpuUsPerRequest'))])) as Record<Mode, number>
  const more = (x: Record<Mode, number>, m: Mode) => `${x[m] >= x.bare ? '+' : ''}${(((x[m] - x.bare) / x.bare) * 100).toFixed(1)}%`
  console.log('\nmedian over rounds (quartiles of p95 show the noise of the machine):')
  for (const m of MODES) {
    const q = `${percentile(of(m, 'p95'), 25).toFixed(2)}–${percentile(of(m, 'p95'), 75).toFixed(2)}`
    console.log(`  ${m.padEnd(10)} p95 ${p95[m].toFixed(2)} ms (${q})  ${median(of(m, 'rps')).toFixed(0)} req/s  ${cpu[m].toFixed(0)} µs CPU/request  ${m === 'bare' ? '(baseline)' : `p95 ${more(p95, m)}, CPU ${more(cpu, m)}`}`)
  }
  console.log(`  the collector took ${exports} OTLP exports (${(exportedBytes / 1024 / 1024).toFixed(1)} MiB) from the traced runs`)
  console.log(`target: under 5% at p95 → metrics ${more(p95, 'metrics')}; metrics and tracing sampled at ${RATIO} ${more(p95, 'traced')}, at 1 ${more(p95, 'traced-all')}`)
} finally {
  collector.stop(true)
  await scratch.drop()
}
