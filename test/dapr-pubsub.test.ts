// Events through a Dapr sidecar double (Dapr's documented pub/sub contract; no real sidecar or Kafka runs here).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { createApp } from '../src/app'
import { loadEnv } from '../src/env'
import type { EventRuntime } from '../src/events/runtime'
import { metricsApp } from '../src/features/ops/metrics'
import { createLogger } from '../src/lib/log'
import { createMetrics } from '../src/lib/metrics'
import { APP_TOKEN, DaprSidecarDouble, settle as settleEvents, sidecarEnv, startDaprEvents } from './helpers/dapr-sidecar'
import { rows, testDatabase, type TestDatabase } from './helpers/db'
import { bearerApi, freePort, signUpOverHttp } from './helpers/server'

let storage: TestDatabase
let server: { stop(): Promise<void> | void; url: string }
let sidecar: DaprSidecarDouble
let events: EventRuntime
let token: string
let scrape: () => Promise<string>
const logs: Array<Record<string, unknown>> = []

const api = bearerApi(() => server.url, () => token)

const settled = (timeoutMs?: number) => settleEvents(storage.database, sidecar, { timeoutMs })

beforeAll(async () => {
  storage = await testDatabase()
  const log = createLogger('debug', (line) => logs.push(JSON.parse(line)))
  // The sidecar's port must be known before the app: reserve one.
  const sidecarPort = freePort()
  const deps = { env: loadEnv({ LOG_LEVEL: 'debug', ...sidecarEnv(sidecarPort) }), database: storage.database, log, metrics: createMetrics() }
  const app = createApp(deps).listen({ port: 0, hostname: '127.0.0.1' })
  const metrics = metricsApp(deps, deps.metrics)
  scrape = async () => (await metrics.handle(new Request('http://localhost/metrics'))).text()
  server = {
    url: `http://127.0.0.1:${app.server!.port}`,
    stop: async () => {
      await app.stop(true)
    },
  }
  sidecar = new DaprSidecarDouble({ appUrl: server.url, port: sidecarPort, appApiToken: APP_TOKEN })
  await sidecar.start()
  events = await startDaprEvents(storage.database, log, sidecar.port)
  token = await signUpOverHttp(server.url, 'dapr@example.com')
})
afterAll(async () => {
  await events.stop()
  await sidecar.stop()
  await server.stop()
  await storage.dispose()
})

describe('publishing through the sidecar', () => {
  test('our own CloudEvent, as application/cloudevents+json, keyed by the task id', async () => {
    expect(events.bus.kind).toBe('dapr')
    const { body: task } = await api('POST', '/api/v1/tasks', { title: 'Through Dapr' })
    await settled()
    const [outbox] = await rows<{ id: string }>(storage.database, sql`select id from outbox_events where partition_key = ${task.id}`)
    const sent = sidecar.published.find((p) => p.partitionKey === task.id)!
    expect(sent).toMatchObject({ pubsub: 'pubsub-kafka', topic: 'todo.task-events', contentType: 'application/cloudevents+json' })
    expect(sent.event).toMatchObject({ id: outbox!.id, specversion: '1.0', type: 'task.created', source: 'todo-chatbot' })
    const delivery = sidecar.deliveries.find((d) => d.eventId === outbox!.id)!
    expect(delivery).toMatchObject({ route: '/events/task-events', status: 200, answer: 'SUCCESS' })
  })
})

describe('end to end', () => {
  test('completing a daily task creates the next one', async () => {
    const { body: task } = await api('POST', '/api/v1/tasks', { title: 'Daily via Kafka', recurrence: 'DAILY', due_date: '2026-12-03T08:00:00Z' })
    await api('POST', `/api/v1/tasks/${task.id}/complete`)
    await settled()
    const { body: list } = await api('GET', '/api/v1/tasks?search=Daily%20via%20Kafka&sort=due_date')
    expect(list.items.map((i: { due_date: string; status: string }) => [i.due_date, i.status])).toEqual([
      ['2026-12-03T08:00:00.000Z', 'completed'],
      ['2026-12-04T08:00:00.000Z', 'pending'],
    ])
  })

  test('edits appear in the audit log', async () => {
    const { body: task } = await api('POST', '/api/v1/tasks', { title: 'Audit via Kafka' })
    await api('PATCH', `/api/v1/tasks/${task.id}`, { description: 'more detail' })
    await settled()
    const { body } = await api('GET', `/api/v1/audit?task_id=${task.id}`)
    expect(body.items.map((e: { action: string; changes: string[] }) => [e.action, e.changes])).toEqual([['updated', ['description']], ['created', []]])
  })

  test('a sidecar outage mid-stream, then recovery: every event arrives once in effect', async () => {
    const made: string[] = []
    for (let i = 0; i < 5; i++) made.push((await api('POST', '/api/v1/tasks', { title: `outage ${i}` })).body.id)
    await sidecar.stop()
    for (let i = 5; i < 15; i++) made.push((await api('POST', '/api/v1/tasks', { title: `outage ${i}` })).body.id)
    for (const id of made) await api('PATCH', `/api/v1/tasks/${id}`, { priority: 'low' })
    await Bun.sleep(300)
    const ready = await api('GET', '/readyz')
    expect(ready.status).toBe(200)
    expect(ready.body.checks.outbox.pending).toBeGreaterThan(0)
    const metrics = await scrape()
    expect(Number(/^todo_outbox_pending_events (\d+)$/m.exec(metrics)![1])).toBe(ready.body.checks.outbox.pending)
    expect(Number(/^todo_outbox_oldest_pending_age_seconds ([\d.]+)$/m.exec(metrics)![1])).toBeGreaterThan(0)
    expect(logs.some((l) => l.msg === 'publish failed; will retry')).toBe(true)
    await sidecar.start()
    await settled(30_000)
    for (const id of made) {
      const [row] = await rows<{ n: string }>(storage.database, sql`select count(*) as n from audit_log where task_id = ${id}`)
      expect(Number(row!.n)).toBe(2)
    }
    // Per task, the created event reached the consumers before the update.
    for (const id of made) {
      const { body } = await api('GET', `/api/v1/audit?task_id=${id}`)
      expect(body.items.map((e: { action: string }) => e.action)).toEqual(['updated', 'created'])
    }
  }, 60_000)

  test('a poison event lands in the dead-letter topic while the stream keeps flowing', async () => {
    sidecar.inject('todo.task-events', { specversion: '1.0', id: 'poison-kafka-1', type: 'task.created', source: 'elsewhere', data: { nonsense: true } })
    const { body: task } = await api('POST', '/api/v1/tasks', { title: 'After the poison' })
    await settled()
    expect(sidecar.deadLettered).toContainEqual({ from: 'todo.task-events', to: 'todo.task-events.dlq', eventId: 'poison-kafka-1', reason: 'DROP' })
    const [letter] = await rows<{ topic: string }>(storage.database, sql`select topic from dead_letters where event_id = 'poison-kafka-1'`)
    expect(letter!.topic).toBe('todo.task-events.dlq')
    const { body } = await api('GET', `/api/v1/audit?task_id=${task.id}`)
    expect(body.total).toBe(1)
  })
})

describe('the double itself follows the delivery contract', () => {
  test('RETRY and 5xx are retried, the third failure is dead-lettered, DROP and 404 dead-letter at once', async () => {
    const answers: Record<string, Array<[number, string]>> = {
      'e-retry': [[200, '{"status":"RETRY"}'], [200, '{"status":"SUCCESS"}']],
      'e-500': [[500, ''], [503, ''], [500, '']],
      'e-drop': [[200, '{"status":"DROP"}']],
      'e-404': [[404, '']],
      'e-empty': [[200, '']],
    }
    const seen: Array<{ route: string; id: string; type: string | null }> = []
    const app = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      async fetch(req) {
        const url = new URL(req.url)
        if (url.pathname === '/dapr/subscribe') {
          return Response.json([
            { pubsubname: 'pubsub-kafka', topic: 't', route: '/in', deadLetterTopic: 't.dlq' },
            { pubsubname: 'pubsub-kafka', topic: 't.dlq', route: '/dlq' },
          ])
        }
        const event = (await req.json()) as { id: string }
        seen.push({ route: url.pathname, id: event.id, type: req.headers.get('content-type') })
        if (url.pathname === '/dlq') return Response.json({ status: 'SUCCESS' })
        const [status, body] = answers[event.id]!.shift()!
        return new Response(body, { status })
      },
    })
    const double = new DaprSidecarDouble({ appUrl: `http://127.0.0.1:${app.port}`, retryDelayMs: 5 })
    await double.start()
    try {
      for (const id of Object.keys(answers)) double.inject('t', { specversion: '1.0', id, type: 'x', data: {} }, id)
      await double.idle()
      const tries = (id: string) => seen.filter((s) => s.route === '/in' && s.id === id).length
      expect([tries('e-retry'), tries('e-500'), tries('e-drop'), tries('e-404'), tries('e-empty')]).toEqual([2, 3, 1, 1, 1])
      expect(seen.filter((s) => s.route === '/dlq').map((s) => s.id).sort()).toEqual(['e-404', 'e-500', 'e-drop'])
      expect(seen.every((s) => s.type === 'application/cloudevents+json')).toBe(true)
    } finally {
      await double.stop()
      app.stop(true)
    }
  })
})
