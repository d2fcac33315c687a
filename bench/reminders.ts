// Benchmark: 1,000 reminders due within one minute; lateness (p50, p99, max), lost and doubled firings,
// through the local scheduler and through the Dapr Jobs API of the sidecar double.
// Usage: npm run bench:reminders [-- --count 1000 --window 60]   (PGlite by default; DATABASE_URL for PostgreSQL)
import { sql } from 'drizzle-orm'
import type { ReminderScheduler } from '../src/context'
import { createApp, eventDelivery } from '../src/app'
import { queryRows } from '../src/db/client'
import { loadEnv } from '../src/env'
import { startEvents } from '../src/events/runtime'
import { daprJobsScheduler, LocalScheduler } from '../src/features/reminders/scheduler'
import { createLogger } from '../src/lib/log'
import { DaprSidecarDouble } from '../test/helpers/dapr-sidecar'
import { freePort } from '../test/helpers/server'
import { testDatabase } from '../test/helpers/db'
import { options, percentile } from './lib'

const args = options()
const COUNT = Number(args.get('count') ?? 1000)
const WINDOW_S = Number(args.get('window') ?? 60)

const pct = percentile

async function run(kind: 'local scheduler' | 'dapr jobs double') {
  const { database, dispose } = await testDatabase()
  const log = createLogger('error')
  const sidecarPort = freePort()
  const local = kind === 'local scheduler' ? new LocalScheduler({ database, log }) : undefined
  const scheduler: ReminderScheduler = local ?? daprJobsScheduler({ host: '127.0.0.1', port: sidecarPort })
  // With the Jobs double, the app serves the job callback (behind the app token) as it would beside a sidecar.
  const appApiToken = crypto.randomUUID()
  const env = loadEnv(local ? { LOG_LEVEL: 'error' } : { LOG_LEVEL: 'error', DAPR_HTTP_PORT: String(sidecarPort), APP_API_TOKEN: appApiToken })
  const app = createApp({ env, database, log, scheduler }).listen({ port: 0, hostname: '127.0.0.1' })
  const url = `http://127.0.0.1:${app.server!.port}`
  let sidecar: DaprSidecarDouble | undefined
  if (!local) {
    sidecar = new DaprSidecarDouble({ appUrl: url, port: sidecarPort, appApiToken })
    await sidecar.start()
  }
  // Reminder events go through the in-process bus in both runs: what differs is who keeps the jobs.
  const events = await startEvents({ env: loadEnv({}), database, log, delivery: eventDelivery({ env, database, log, scheduler }) })
  await local?.start()

  const credentials = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password: 'correct horse battery' }) }
  await fetch(`${url}/api/v1/auth/signup`, credentials)
  const { token } = (await (await fetch(`${url}/api/v1/auth/login`, credentials)).json()) as { token: string }
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  // Ten reminders per task (the most a task takes).
  const taskIds: string[] = []
  for (let i = 0; i < Math.ceil(COUNT / 10); i++) {
    const res = await fetch(`${url}/api/v1/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: `Bench reminders ${i}`, due_date: new Date(Date.now() + 7_200_000).toISOString() }) })
    taskIds.push(((await res.json()) as { id: string }).id)
  }
  // Spread over the window, starting a few seconds out so every one is set before any is due.
  const start = Date.now() + 5000
  for (let i = 0; i < COUNT; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, COUNT - i) }, (_, j) => {
        const at = new Date(start + ((i + j) / COUNT) * WINDOW_S * 1000)
        return fetch(`${url}/api/v1/tasks/${taskIds[Math.floor((i + j) / 10)]}/reminders`, { method: 'POST', headers, body: JSON.stringify({ remind_at: at.toISOString() }) }).then(async (r) => {
          if (r.status !== 201) throw new Error(`reminder: ${r.status} ${await r.text()}`)
        })
      }),
    )
  }
  // Wait for the window to pass, then for stragglers.
  await Bun.sleep(Math.max(0, start + WINDOW_S * 1000 - Date.now()) + 3000)
  await events.relay.drain()

  const fired = await queryRows<{ remind_at: Date | string; fired_at: Date | string | null }>(database.db, sql`select remind_at, fired_at from reminders`)
  const triggeredEvents = await queryRows<{ id: string; n: string }>(
    database.db,
    sql`select event->'data'->'reminder'->>'id' as id, count(*) as n from outbox_events where type = 'reminder.triggered' group by 1`,
  )
  const [notes] = await queryRows<{ n: string }>(database.db, sql`select count(*) as n from notifications`)
  const lateness = fired.filter((r) => r.fired_at).map((r) => new Date(r.fired_at!).getTime() - new Date(r.remind_at).getTime())
  const lost = fired.filter((r) => !r.fired_at).length
  const doubled = triggeredEvents.filter((e) => Number(e.n) > 1).length
  const early = lateness.filter((l) => l < 0).length
  console.log(`${kind} (${database.kind}): ${COUNT} reminders due within ${WINDOW_S} s`)
  console.log(`  lateness  p50 ${pct(lateness, 50).toFixed(0)} ms  p99 ${pct(lateness, 99).toFixed(0)} ms  max ${pct(lateness, 100).toFixed(0)} ms`)
  console.log(`  lost ${lost}, doubled ${doubled}, fired early ${early}, notifications ${notes!.n}`)
  if (sidecar) console.log(`  job callbacks: ${sidecar.firings.length} (${sidecar.firings.filter((f) => f.status !== 200).length} not 200)`)

  await local?.stop()
  await events.stop()
  sidecar?.clearJobs()
  await sidecar?.stop()
  await app.stop(true)
  await dispose()
}

await run('local scheduler')
await run('dapr jobs double')
