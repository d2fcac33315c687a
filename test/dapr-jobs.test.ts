// Reminders through the Dapr Jobs API of a sidecar double (Dapr's documented Jobs contract; no real sidecar runs here).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { createApp } from '../src/app'
import { loadEnv } from '../src/env'
import type { EventRuntime } from '../src/events/runtime'
import { daprJobsScheduler, JOB_FAILURE_POLICY } from '../src/features/reminders/scheduler'
import { createLogger } from '../src/lib/log'
import { APP_TOKEN, DaprSidecarDouble, settle as settleEvents, sidecarEnv, startDaprEvents } from './helpers/dapr-sidecar'
import { rows, testDatabase, type TestDatabase } from './helpers/db'
import { bearerApi, signUpOverHttp } from './helpers/server'

let storage: TestDatabase
let server: { url: string; stop(): Promise<void> }
let sidecar: DaprSidecarDouble
let events: EventRuntime
let token: string

const api = bearerApi(() => server.url, () => token)
const settle = () => settleEvents(storage.database, sidecar, { relay: events.relay })
async function eventually(check: () => boolean | Promise<boolean>, ms = 8000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(25)
  }
}

beforeAll(async () => {
  storage = await testDatabase()
  const log = createLogger('silent')
  // The sidecar's port must be known before the app: reserve one.
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const sidecarPort = probe.port!
  probe.stop(true)
  const scheduler = daprJobsScheduler({ host: '127.0.0.1', port: sidecarPort })
  const app = createApp({ env: loadEnv(sidecarEnv(sidecarPort)), database: storage.database, log, scheduler }).listen({ port: 0, hostname: '127.0.0.1' })
  server = { url: `http://127.0.0.1:${app.server!.port}`, stop: async () => void (await app.stop(true)) }
  sidecar = new DaprSidecarDouble({ appUrl: server.url, port: sidecarPort, appApiToken: APP_TOKEN })
  await sidecar.start()
  events = await startDaprEvents(storage.database, log, sidecarPort)
  token = await signUpOverHttp(server.url, 'jobs@example.com')
})
afterAll(async () => {
  sidecar.clearJobs()
  await events.stop()
  await sidecar.stop()
  await server.stop()
  await storage.dispose()
})

test('scheduling, rescheduling and cancelling send exactly the right Jobs calls', async () => {
  const due = new Date(Date.now() + 3 * 3_600_000).toISOString()
  const { body: task } = await api('POST', '/api/v1/tasks', { title: 'Jobs contract', due_date: due })
  const { body: reminder } = await api('POST', `/api/v1/tasks/${task.id}/reminders`, { lead: '15m' })
  await settle()
  const name = `reminder-${reminder.id}`
  const first = sidecar.jobCalls.filter((c) => c.name === name)
  expect(first).toEqual([
    {
      method: 'POST',
      name,
      status: 204,
      at: expect.any(Number),
      body: { dueTime: reminder.remind_at, data: reminder.id, overwrite: true, failure_policy: JOB_FAILURE_POLICY },
    },
  ])
  // The due date moves: the job is overwritten with the new time.
  const later = new Date(Date.parse(due) + 3_600_000)
  await api('PATCH', `/api/v1/tasks/${task.id}`, { due_date: later.toISOString() })
  await settle()
  const moved = sidecar.jobCalls.filter((c) => c.name === name).at(-1)!
  expect(moved).toMatchObject({ method: 'POST', status: 204, body: { dueTime: new Date(later.getTime() - 15 * 60_000).toISOString(), overwrite: true } })
  expect(sidecar.jobs.get(name)?.dueTime).toBe(new Date(later.getTime() - 15 * 60_000).toISOString())
  // Cancelled: the job is deleted.
  await api('DELETE', `/api/v1/reminders/${reminder.id}`)
  await settle()
  expect(sidecar.jobCalls.filter((c) => c.name === name).at(-1)).toMatchObject({ method: 'DELETE', status: 204 })
  expect(sidecar.jobs.has(name)).toBe(false)
})

test('the double answers as Dapr does: 409 without overwrite, 400 for a misspelt field, 500 for an unknown job', async () => {
  const base = `http://127.0.0.1:${sidecar.port}/v1.0-alpha1/jobs`
  const post = (name: string, body: unknown) => fetch(`${base}/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const dueTime = new Date(Date.now() + 86_400_000).toISOString()
  expect((await post('probe', { dueTime, data: 'x' })).status).toBe(204)
  expect((await post('probe', { dueTime, data: 'x' })).status).toBe(409)
  expect((await post('probe', { dueTime, data: 'x', overwrite: true })).status).toBe(204)
  expect((await post('probe-2', { duetime: dueTime, data: 'x' })).status).toBe(400)
  expect((await post('probe-2', { dueTime: 'tomorrow', data: 'x' })).status).toBe(400)
  expect((await fetch(`${base}/nope`)).status).toBe(500)
  expect((await fetch(`${base}/nope`, { method: 'DELETE' })).status).toBe(204)
  await fetch(`${base}/probe`, { method: 'DELETE' })
})

test('the callback flow reaches the notification, and a duplicate callback makes no second one', async () => {
  const { body: task } = await api('POST', '/api/v1/tasks', { title: 'Ring the bell', due_date: new Date(Date.now() + 3_600_000).toISOString() })
  const at = new Date(Date.now() + 1500)
  const { body: reminder } = await api('POST', `/api/v1/tasks/${task.id}/reminders`, { remind_at: at.toISOString() })
  await settle()
  const name = `reminder-${reminder.id}`
  await eventually(() => sidecar.firings.some((f) => f.name === name))
  const firing = sidecar.firings.find((f) => f.name === name)!
  expect(firing.status).toBe(200)
  expect(firing.at).toBeGreaterThanOrEqual(at.getTime())
  await eventually(async () => {
    await settle()
    return (await api('GET', '/api/v1/notifications')).body.items.length === 1
  })
  // The sidecar delivers at least once: the same callback again changes nothing.
  const again = await fetch(`${server.url}/job/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'dapr-api-token': APP_TOKEN }, body: JSON.stringify(reminder.id) })
  expect(again.status).toBe(200)
  expect(((await again.json()) as { outcome: string }).outcome).toBe('duplicate')
  await settle()
  const inbox = await api('GET', '/api/v1/notifications')
  expect(inbox.body.items).toHaveLength(1)
  expect(inbox.body.items[0]).toMatchObject({ title: 'Ring the bell', task_id: task.id })
  const [row] = await rows<{ status: string }>(storage.database, sql`select status from reminders where id = ${reminder.id}`)
  expect(row!.status).toBe('triggered')
})

test('a callback that fails is retried by the sidecar until it succeeds', async () => {
  const { body: task } = await api('POST', '/api/v1/tasks', { title: 'Retry me', due_date: new Date(Date.now() + 3_600_000).toISOString() })
  const { body: reminder } = await api('POST', `/api/v1/tasks/${task.id}/reminders`, { remind_at: new Date(Date.now() + 60_000).toISOString() })
  await settle()
  const name = `reminder-${reminder.id}`
  // The job is due now, but the callback names a job the app does not know: 404 means done, no retry.
  const base = `http://127.0.0.1:${sidecar.port}/v1.0-alpha1/jobs`
  await fetch(`${base}/reminder-00000000-0000-7000-8000-000000000000`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dueTime: new Date().toISOString(), data: 'x' }) })
  await eventually(() => sidecar.firings.some((f) => f.name === 'reminder-00000000-0000-7000-8000-000000000000'))
  expect(sidecar.firings.filter((f) => f.name === 'reminder-00000000-0000-7000-8000-000000000000').map((f) => f.status)).toEqual([404])
  // A database outage during the callback: the app answers 503 and the sidecar tries again.
  await storage.database.db.execute(sql`alter table reminders rename to reminders_away`)
  await fetch(`${base}/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dueTime: new Date().toISOString(), data: reminder.id, overwrite: true, failure_policy: JOB_FAILURE_POLICY }) })
  await eventually(() => sidecar.firings.some((f) => f.name === name && f.status === 503))
  await storage.database.db.execute(sql`alter table reminders_away rename to reminders`)
  await eventually(() => sidecar.firings.some((f) => f.name === name && f.status === 200))
  const attempts = sidecar.firings.filter((f) => f.name === name).map((f) => f.status)
  expect(attempts[0]).toBe(503)
  expect(attempts.at(-1)).toBe(200)
}, 20_000)
