// Benchmark: commit→publish and commit→audit-row latency at a steady rate of task changes, through the
// in-process bus and through the Dapr sidecar double. Usage: npm run bench:events [-- --rate 200 --seconds 30]
// (PGlite by default; set DATABASE_URL to run on PostgreSQL).
import { sql } from 'drizzle-orm'
import { createApp, eventDelivery } from '../src/app'
import { queryRows } from '../src/db/client'
import { loadEnv } from '../src/env'
import { daprBus, inProcessBus, type EventBus } from '../src/events/bus'
import { Relay } from '../src/events/relay'
import { createLogger } from '../src/lib/log'
import { DaprSidecarDouble } from '../test/helpers/dapr-sidecar'
import { testDatabase } from '../test/helpers/db'
import { freePort } from '../test/helpers/server'
import { options, percentile } from './lib'

const args = options()
const RATE = Number(args.get('rate') ?? 200)
const SECONDS = Number(args.get('seconds') ?? 30)

const pct = percentile

async function run(kind: 'in-process' | 'dapr double') {
  const { database, dispose } = await testDatabase()
  const log = createLogger('error')
  // With the double, the app serves the sidecar's routes (behind the app token) on the double's port.
  const sidecarPort = freePort()
  const appApiToken = crypto.randomUUID()
  const env = loadEnv(kind === 'dapr double' ? { LOG_LEVEL: 'error', DAPR_HTTP_PORT: String(sidecarPort), APP_API_TOKEN: appApiToken } : { LOG_LEVEL: 'error' })
  const app = createApp({ env, database, log }).listen({ port: 0, hostname: '127.0.0.1' })
  const url = `http://127.0.0.1:${app.server!.port}`
  let sidecar: DaprSidecarDouble | undefined
  let inner: EventBus
  if (kind === 'dapr double') {
    sidecar = new DaprSidecarDouble({ appUrl: url, port: sidecarPort, appApiToken })
    await sidecar.start()
    inner = daprBus({ host: '127.0.0.1', port: sidecar.port, pubsubName: 'pubsub-kafka' })
  } else {
    inner = inProcessBus({ delivery: eventDelivery({ env, database, log }), log })
  }
  // When each task's event was published (the bus call returned), by task id.
  const publishedAt = new Map<string, number>()
  const bus: EventBus = {
    kind: inner.kind,
    async publish(topic, event, key) {
      await inner.publish(topic, event, key)
      publishedAt.set(key, Date.now())
    },
  }
  const relay = new Relay({ database, bus, log })
  await relay.start()

  const credentials = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'events@example.com', password: 'correct horse battery' }) }
  await fetch(`${url}/api/v1/auth/signup`, credentials)
  const { token } = (await (await fetch(`${url}/api/v1/auth/login`, credentials)).json()) as { token: string }

  // Open loop: one task created every 1/RATE s, whatever the answers' pace; the answer marks the commit.
  const committedAt = new Map<string, number>()
  const inflight: Array<Promise<void>> = []
  const total = RATE * SECONDS
  const start = Date.now()
  let errors = 0
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE
    const wait = due - Date.now()
    if (wait > 0) await Bun.sleep(wait)
    inflight.push(
      fetch(`${url}/api/v1/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ title: `event bench ${i}`, tags: ['bench'] }),
      }).then(async (res) => {
        if (res.status !== 201) {
          errors++
          return
        }
        committedAt.set(((await res.json()) as { id: string }).id, Date.now())
      }),
    )
  }
  await Promise.all(inflight)
  const achieved = total / ((Date.now() - start) / 1000)
  // Let the tail drain.
  for (let i = 0; i < 400 && publishedAt.size < committedAt.size; i++) await Bun.sleep(25)
  await sidecar?.idle()
  await Bun.sleep(200)

  const audit = await queryRows<{ task_id: string; recorded_at: Date | string }>(database.db, sql`select task_id, recorded_at from audit_log where action = 'created'`)
  const toPublish: number[] = []
  const toAudit: number[] = []
  for (const [id, committed] of committedAt) {
    const published = publishedAt.get(id)
    if (published !== undefined) toPublish.push(Math.max(0, published - committed))
  }
  for (const row of audit) {
    const committed = committedAt.get(row.task_id)
    if (committed !== undefined) toAudit.push(Math.max(0, new Date(row.recorded_at).getTime() - committed))
  }
  const lost = committedAt.size - audit.filter((r) => committedAt.has(r.task_id)).length
  console.log(`${kind} (${database.kind}): ${committedAt.size} changes at ${achieved.toFixed(0)}/s (${errors} errors)`)
  console.log(`  commit → publish    p50 ${pct(toPublish, 50).toFixed(1)} ms  p99 ${pct(toPublish, 99).toFixed(1)} ms  max ${pct(toPublish, 100).toFixed(1)} ms  (n=${toPublish.length})`)
  console.log(`  commit → audit row  p50 ${pct(toAudit, 50).toFixed(1)} ms  p99 ${pct(toAudit, 99).toFixed(1)} ms  max ${pct(toAudit, 100).toFixed(1)} ms  (n=${toAudit.length})`)
  console.log(`  audit rows missing: ${lost}; duplicated: ${audit.length - new Set(audit.map((r) => r.task_id)).size}`)

  await relay.stop()
  await sidecar?.stop()
  await app.stop(true)
  await dispose()
}

console.log(`task changes at ${RATE}/s for ${SECONDS} s over loopback; latencies measured from the API's answer (just after commit)\n`)
await run('in-process')
await run('dapr double')
