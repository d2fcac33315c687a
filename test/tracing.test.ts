// Traces: the OpenTelemetry SDK with an in-memory exporter. One trace follows a task change from the REST
// request through the outbox, the publish and the delivery to the consumer's audit row: in-process, and
// through the Dapr sidecar double over HTTP (a faithful double of its trace-context handling; no real sidecar runs here).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { SpanKind } from '@opentelemetry/api'
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace'
import { sql } from 'drizzle-orm'
import { createApp } from '../src/app'
import { loadEnv } from '../src/env'
import type { EventRuntime } from '../src/events/runtime'
import { createLogger } from '../src/lib/log'
import { startTracing, type Tracing } from '../src/lib/otel'
import { daprJobsScheduler } from '../src/features/reminders/scheduler'
import { sidecarClient } from '../src/lib/sidecar'
import { tracer } from '../src/lib/tracing'
import { testApp, type TestApp } from './helpers/app'
import { APP_TOKEN, DaprSidecarDouble, settle, sidecarEnv, startDaprEvents } from './helpers/dapr-sidecar'
import { rows, testDatabase, type TestDatabase } from './helpers/db'
import { bearerApi, freePort, signUpOverHttp } from './helpers/server'
import { until } from './helpers/wait'

const exporter = new InMemorySpanExporter()
let tracing: Tracing
let t: TestApp

beforeAll(async () => {
  // Registered before the apps are built, as src/index.ts does.
  tracing = startTracing({ serviceName: 'todo-chatbot-test', exporter })!
  t = await testApp({ events: true })
})
afterAll(async () => {
  await t.dispose()
  await tracing.shutdown()
})

const spans = () => exporter.getFinishedSpans()
const traceOf = (span: ReadableSpan) => span.spanContext().traceId
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId
const named = (name: string | RegExp, among = spans()) => among.filter((s) => (typeof name === 'string' ? s.name === name : name.test(s.name)))

/** The finished spans of one trace, waiting briefly for the last ones to end. */
async function trace(traceId: string, complete: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  let found: ReadableSpan[] = []
  // Past the deadline the spans so far are returned, and the test's assertions say which is missing.
  await until(`the spans of trace ${traceId}`, () => complete((found = spans().filter((s) => traceOf(s) === traceId))), { timeoutMs: 5_000, everyMs: 10 }).catch(() => {})
  return found
}

describe('one trace from the request to the audit row (in-process bus)', () => {
  test('REST create → service → database → publish → consumer → audit insert, parent by parent', async () => {
    const { token } = await t.signUp()
    exporter.reset()
    const created = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Traced' } })
    expect(created.status).toBe(201)
    await t.drain()

    const [server] = named('POST /api/v1/tasks')
    expect(server).toBeDefined()
    expect(server!.kind).toBe(SpanKind.SERVER)
    expect(server!.attributes).toMatchObject({ 'http.route': '/api/v1/tasks', 'http.response.status_code': 201 })
    const all = await trace(traceOf(server!), (s) => named('process todo.task-events', s).length > 0 && named('INSERT', s).some((x) => String(x.attributes['db.query.text']).includes('audit')))

    const service = named('tasks.create', all)[0]!
    expect(parentOf(service)).toBe(server!.spanContext().spanId)
    const inserts = named('INSERT', all).filter((s) => parentOf(s) === service.spanContext().spanId)
    expect(inserts.map((s) => String(s.attributes['db.query.text']).match(/insert into "(\w+)"/)?.[1])).toEqual(expect.arrayContaining(['tasks', 'outbox_events']))
    for (const s of inserts) expect(s.kind).toBe(SpanKind.CLIENT)

    // The relay publishes later, yet in the same trace: the event carries the request's context.
    const publish = named('publish todo.task-events', all)[0]!
    expect(publish.kind).toBe(SpanKind.PRODUCER)
    expect(parentOf(publish)).toBe(service.spanContext().spanId)
    expect(publish.attributes).toMatchObject({ 'messaging.destination.name': 'todo.task-events', 'cloudevents.event_type': 'task.created' })

    // Delivered in-process, with no HTTP request in between: the consumer is the publish span's child.
    expect(named(/^POST \/events/, all)).toEqual([])
    const consume = named('process todo.task-events', all)[0]!
    expect(parentOf(consume)).toBe(publish.spanContext().spanId)
    expect(consume.kind).toBe(SpanKind.CONSUMER)
    const audit = named('INSERT', all).find((s) => String(s.attributes['db.query.text']).includes('"audit_log"'))
    expect(audit).toBeDefined()
    // The audit insert sits under the consumer span.
    const ancestors = (span: ReadableSpan): string[] => {
      const parent = all.find((s) => s.spanContext().spanId === parentOf(span))
      return parent ? [parent.spanContext().spanId, ...ancestors(parent)] : []
    }
    expect(ancestors(audit!)).toContain(consume.spanContext().spanId)
    const [row] = await rows<{ id: string }>(t.database, sql`select id from audit_log where task_id = ${created.body.id} and action = 'created'`)
    expect(row).toBeDefined()

    // Never a bound parameter in a span: the title the user typed is not there.
    for (const s of all) expect(JSON.stringify(s.attributes)).not.toContain('Traced')
  })

  test("each request's log line carries its trace id", async () => {
    const { token } = await t.signUp()
    exporter.reset()
    const res = await t.call('GET', '/api/v1/tasks', { token })
    expect(res.status).toBe(200)
    const [server] = named('GET /api/v1/tasks')
    const line = t.logs.findLast((l) => l.msg === 'request' && l.route === '/api/v1/tasks' && l.method === 'GET')!
    expect(line.trace_id).toBe(traceOf(server!))
    expect(line.request_id).toBe(res.headers.get('x-request-id'))
  })

  test('an incoming W3C traceparent is continued', async () => {
    exporter.reset()
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const res = await t.call('GET', '/healthz', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } })
    expect(res.status).toBe(200)
    const [server] = named('GET /healthz')
    expect(traceOf(server!)).toBe(traceId)
    expect(parentOf(server!)).toBe('00f067aa0ba902b7')
  })

  test('a trace the caller did not sample records nothing, down to the consumers of its events', async () => {
    const { token } = await t.signUp()
    await t.drain()
    exporter.reset()
    const traceId = '0af7651916cd43dd8448eb211c80319c'
    const created = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'not sampled' }, headers: { traceparent: `00-${traceId}-b7ad6b7169203331-00` } })
    expect(created.status).toBe(201)
    await t.drain()
    // Nothing of it, and no trace of its own for the publish or the consumers either.
    expect(spans()).toEqual([])
    const [row] = await rows<{ traceparent: string | null }>(t.database, sql`select event->>'traceparent' as traceparent from outbox_events where partition_key = ${created.body.id}`)
    expect(row!.traceparent).toBeNull()
    const [audit] = await rows<{ id: string }>(t.database, sql`select id from audit_log where task_id = ${created.body.id}`)
    expect(audit).toBeDefined()
  })
})

describe('one trace through the Dapr sidecar double (over HTTP; no real sidecar or Kafka runs here)', () => {
  let storage: TestDatabase
  let app: ReturnType<typeof createApp>
  let sidecar: DaprSidecarDouble
  let events: EventRuntime
  let token: string
  let url: string

  beforeAll(async () => {
    storage = await testDatabase()
    const log = createLogger('silent')
    const sidecarPort = freePort()
    app = createApp({ env: loadEnv(sidecarEnv(sidecarPort)), database: storage.database, log }).listen({ port: 0, hostname: '127.0.0.1' })
    url = `http://127.0.0.1:${app.server!.port}`
    sidecar = new DaprSidecarDouble({ appUrl: url, port: sidecarPort, appApiToken: APP_TOKEN })
    await sidecar.start()
    events = await startDaprEvents(storage.database, log, sidecar.port)
    token = await signUpOverHttp(url, 'traced-dapr@example.com')
  })
  afterAll(async () => {
    await events.stop()
    await sidecar.stop()
    await app.stop(true)
    await storage.dispose()
  })

  test('the publish call carries traceparent, the sidecar puts its span in the envelope, and the consumer continues it', async () => {
    exporter.reset()
    const api = bearerApi(() => url, () => token)
    const { body: task } = await api('POST', '/api/v1/tasks', { title: 'Through Dapr, traced' })
    await settle(storage.database, sidecar)
    const [server] = named('POST /api/v1/tasks')
    const traceId = traceOf(server!)
    const all = await trace(traceId, (s) => named('process todo.task-events', s).length > 0)
    const publish = named('publish todo.task-events', all)[0]!

    const sent = sidecar.published.find((p) => p.partitionKey === task.id)!
    // The sidecar replaced the envelope's trace context with its own span, a child of our publish span's trace.
    const envelope = String(sent.event.traceparent)
    expect(envelope).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`))
    expect(envelope).not.toContain(publish.spanContext().spanId)
    const consume = named('process todo.task-events', all)[0]!
    expect(traceOf(consume)).toBe(traceId)
    expect(parentOf(consume)).toBe(envelope.split('-')[2])
    const [row] = await rows<{ id: string }>(storage.database, sql`select id from audit_log where task_id = ${task.id}`)
    expect(row).toBeDefined()
  })

  test('a job callback continues its traceparent, down to the reminder it fires and the consumer of that event', async () => {
    const api = bearerApi(() => url, () => token)
    const due = new Date(Date.now() + 3 * 3600_000).toISOString()
    const { body: task } = await api('POST', '/api/v1/tasks', { title: 'job traced', due_date: due })
    const { body: reminder } = await api('POST', `/api/v1/tasks/${task.id}/reminders`, { lead: '1h' })
    await settle(storage.database, sidecar)
    await storage.database.db.execute(sql`update reminders set remind_at = now() - interval '1 second' where id = ${reminder.id}`)
    exporter.reset()
    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
    const fired = await fetch(`${url}/job/reminder-${reminder.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'dapr-api-token': APP_TOKEN, traceparent: `00-${traceId}-1111111111111111-01` },
      body: JSON.stringify(reminder.id),
    })
    expect(await fired.json()).toEqual({ outcome: 'fired' })
    await settle(storage.database, sidecar)
    const all = await trace(traceId, (s) => named('process todo.reminders', s).length > 0)
    expect(named('POST /job/:name', all)).toHaveLength(1)
    expect(named('reminder.fire', all)).toHaveLength(1)
    expect(named('publish todo.reminders', all)).toHaveLength(1)
    expect(named('process todo.reminders', all)).toHaveLength(1)
  })
})

describe('every call to the sidecar carries the caller\'s trace context', () => {
  test('a Jobs call made in a span sends that span as its W3C traceparent; outside a trace it sends none', async () => {
    const headers: Array<string | null> = []
    const fake = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => (headers.push(req.headers.get('traceparent')), new Response(null, { status: 204 })) })
    try {
      const jobs = daprJobsScheduler(sidecarClient({ host: '127.0.0.1', port: fake.port! }))
      const id = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'
      const span = await tracer.startActiveSpan('schedule', async (s) => {
        await jobs.schedule({ id, remindAt: new Date('2026-12-01T09:45:00Z') })
        s.end()
        return s
      })
      const { traceId, spanId } = span.spanContext()
      expect(headers[0]).toBe(`00-${traceId}-${spanId}-01`)
      await jobs.cancel(id)
      expect(headers[1]).toBeNull()
    } finally {
      await fake.stop(true)
    }
  })
})
