// GET /metrics (the metrics listener) after scripted workloads: the counters match the work done. The exposition is read by
// prom2json, Prometheus's own text-format parser (`go install github.com/prometheus/prom2json/cmd/prom2json`).
import { expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { Relay } from '../src/events/relay'
import { createLogger } from '../src/lib/log'
import { FakeOpenAI } from './helpers/fake-openai'
import { testApp, type TestApp } from './helpers/app'
import { need, requires } from './helpers/requires'
import { until } from './helpers/wait'

const suite = requires('the metrics read by Prometheus\'s parser', need.prom2json)
const prom2json = need.prom2json.found

let t: TestApp
suite.beforeAll(async () => {
  t = await testApp({ events: true })
})
suite.afterAll(() => t.dispose())

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

interface Family {
  name: string
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'
  metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }>
}

/** Scrapes `app` and parses the text with prom2json; histograms become their _bucket, _count and _sum samples. */
async function scrape(app: TestApp = t): Promise<{ samples: Sample[]; types: Map<string, string> }> {
  const res = await app.scrape()
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4')
  const parsed = Bun.spawnSync([prom2json!], { stdin: new TextEncoder().encode(res.text), stdout: 'pipe', stderr: 'pipe' })
  if (parsed.exitCode !== 0) throw new Error(`prom2json refused the exposition: ${parsed.stderr.toString()}`)
  const families = JSON.parse(parsed.stdout.toString()) as Family[]
  const samples: Sample[] = []
  const types = new Map<string, string>()
  for (const family of families) {
    types.set(family.name, family.type.toLowerCase())
    for (const m of family.metrics) {
      const labels = m.labels ?? {}
      if (family.type === 'HISTOGRAM') {
        for (const [le, count] of Object.entries(m.buckets ?? {})) samples.push({ name: `${family.name}_bucket`, labels: { ...labels, le }, value: Number(count) })
        samples.push({ name: `${family.name}_count`, labels, value: Number(m.count) })
        samples.push({ name: `${family.name}_sum`, labels, value: Number(m.sum) })
      } else samples.push({ name: family.name, labels, value: Number(m.value) })
    }
  }
  return { samples, types }
}

const value = (scraped: { samples: Sample[] }, name: string, labels: Record<string, string> = {}) =>
  scraped.samples.filter((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v)).reduce((sum, m) => sum + m.value, 0)

/** How much `name` (summed over the samples matching `labels`) grew between two scrapes. */
const grew = (before: { samples: Sample[] }, after: { samples: Sample[] }) => (name: string, labels: Record<string, string> = {}) =>
  value(after, name, labels) - value(before, name, labels)

suite.describe('GET /metrics', () => {
  test('HTTP requests are counted by method, route template and status, with a latency histogram', async () => {
    const { token } = await t.signUp()
    const before = await scrape()
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await t.call('POST', '/api/v1/tasks', { token, body: { title: `task ${i}` } })).body.id)
    for (const id of ids) expect((await t.call('GET', `/api/v1/tasks/${id}`, { token })).status).toBe(200)
    expect((await t.call('POST', '/api/v1/tasks', { token, body: { title: '' } })).status).toBe(400)
    expect((await t.call('GET', `/api/v1/tasks/${crypto.randomUUID()}`, { token })).status).toBe(404)
    for (let i = 0; i < 2; i++) expect((await t.call('GET', `/no/such/path/${crypto.randomUUID()}`)).status).toBe(404)
    const after = await scrape()
    const delta = (labels: Record<string, string>, name = 'todo_http_requests_total') => value(after, name, labels) - value(before, name, labels)

    expect(after.types.get('todo_http_requests_total')).toBe('counter')
    expect(delta({ method: 'POST', route: '/api/v1/tasks', status: '201' })).toBe(3)
    expect(delta({ method: 'POST', route: '/api/v1/tasks', status: '400' })).toBe(1)
    expect(delta({ method: 'GET', route: '/api/v1/tasks/:id', status: '200' })).toBe(3)
    expect(delta({ method: 'GET', route: '/api/v1/tasks/:id', status: '404' })).toBe(1)
    expect(delta({ method: 'GET', route: '(unmatched)', status: '404' })).toBe(2)

    expect(after.types.get('todo_http_request_duration_seconds')).toBe('histogram')
    const post = { method: 'POST', route: '/api/v1/tasks' }
    expect(delta(post, 'todo_http_request_duration_seconds_count')).toBe(4)
    expect(delta({ ...post, le: '+Inf' }, 'todo_http_request_duration_seconds_bucket')).toBe(4)
    expect(delta(post, 'todo_http_request_duration_seconds_sum')).toBeGreaterThan(0)

    // Bounded labels: no raw path, no id and no user anywhere in a label.
    const labels = after.samples.flatMap((m) => Object.values(m.labels))
    for (const id of ids) expect(labels.join('\n')).not.toContain(id)
    expect(labels.some((l) => l.startsWith('/no/such'))).toBe(false)
  })

  test('event deliveries are counted by topic and answer (SUCCESS, DROP)', async () => {
    const { token } = await t.signUp()
    const before = await scrape()
    const task = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'counted' } })
    await t.call('POST', `/api/v1/tasks/${task.body.id}/complete`, { token })
    await t.call('PATCH', `/api/v1/tasks/${task.body.id}`, { token, body: { priority: 'high' } })
    await t.drain()
    // A malformed event is dropped, as Dapr is told.
    expect(await t.deliver('/events/task-events', { not: 'a cloud event' })).toBe('DROP')
    const after = await scrape()
    const delta = (labels: Record<string, string>) => value(after, 'todo_event_deliveries_total', labels) - value(before, 'todo_event_deliveries_total', labels)
    // task.created and task.completed on todo.task-events, task.updated on todo.task-updates.
    expect(delta({ topic: 'todo.task-events', status: 'SUCCESS' })).toBe(2)
    expect(delta({ topic: 'todo.task-updates', status: 'SUCCESS' })).toBe(1)
    expect(delta({ topic: 'todo.task-events', status: 'DROP' })).toBe(1)
    expect(delta({ topic: 'todo.task-events', status: 'RETRY' })).toBe(0)
  })

  test('MCP tool calls are counted by tool and outcome (the real MCP client)', async () => {
    const { token } = await t.signUp()
    const before = await scrape()
    const client = new Client({ name: 'metrics-test', version: '1.0.0' })
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
        fetch: (input, init) => t.app.handle(new Request(input, init)),
      }),
    )
    await client.callTool({ name: 'add_task', arguments: { title: 'from mcp' } })
    await client.callTool({ name: 'add_task', arguments: { title: 'again' } })
    const refused = await client.callTool({ name: 'complete_task', arguments: { task_id: crypto.randomUUID() } })
    expect(refused.isError).toBe(true)
    await client.close()
    const after = await scrape()
    const delta = (labels: Record<string, string>) => value(after, 'todo_mcp_tool_calls_total', labels) - value(before, 'todo_mcp_tool_calls_total', labels)
    expect(delta({ tool: 'add_task', outcome: 'ok' })).toBe(2)
    expect(delta({ tool: 'complete_task', outcome: 'error' })).toBe(1)
    expect(delta({ tool: 'complete_task', outcome: 'ok' })).toBe(0)
  })

  test('database queries are timed by statement kind and outcome; pool size and open transactions are reported', async () => {
    const { token } = await t.signUp()
    await t.drain()
    const before = await scrape()
    for (let i = 0; i < 4; i++) await t.call('POST', '/api/v1/tasks', { token, body: { title: `timed ${i}` } })
    const failed = await t.database.db.execute(sql`select * from no_such_table`).then(() => null, (error: unknown) => error)
    expect(failed).toBeInstanceOf(Error)
    let release!: () => void
    let began!: () => void
    const begun = new Promise<void>((resolve) => (began = resolve))
    const held = t.database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`)
      began()
      await new Promise<void>((resolve) => (release = resolve))
    })
    await begun
    // Read from the registry, not scraped: the embedded database runs one transaction at a time, so a scrape would wait for it.
    const during = (await t.metrics.registry.getSingleMetric('todo_db_transactions_open')!.get()).values[0]!.value
    release()
    await held
    await t.drain()
    const after = await scrape()
    const delta = grew(before, after)

    expect(after.types.get('todo_db_query_duration_seconds')).toBe('histogram')
    // Each create writes its task and its outbox event, at least.
    expect(delta('todo_db_query_duration_seconds_count', { operation: 'insert', outcome: 'ok' })).toBeGreaterThanOrEqual(8)
    expect(delta('todo_db_query_duration_seconds_count', { operation: 'select', outcome: 'error' })).toBe(1)
    expect(delta('todo_db_query_duration_seconds_sum', { operation: 'insert' })).toBeGreaterThan(0)
    expect(value(after, 'todo_db_pool_max_connections')).toBe(t.database.kind === 'postgres' ? 10 : 1)
    expect(during).toBeGreaterThanOrEqual(1)
    expect(value(after, 'todo_db_transactions_open')).toBe(0)
    // Statement kinds only: no table names, values or SQL text in a label.
    const operations = new Set(after.samples.filter((m) => m.name.startsWith('todo_db_query')).map((m) => m.labels.operation))
    for (const op of operations) expect(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback', 'savepoint', 'listen', 'unlisten', 'other']).toContain(op!)
  })

  test('events published and failed are counted per topic, and dead letters by the topic they came from', async () => {
    const { token } = await t.signUp()
    await t.drain()
    const before = await scrape()
    const task = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'published' } })
    await t.call('PATCH', `/api/v1/tasks/${task.body.id}`, { token, body: { title: 'renamed' } })
    await t.call('POST', `/api/v1/tasks/${task.body.id}/complete`, { token })
    await t.drain()
    // Dapr delivers a dead letter to the route that subscribes to the .dlq topics. It republishes the original message
    // unchanged, so the event still names the topic it was published to; one naming its .dlq topic counts the same.
    const dead = { specversion: '1.0', id: crypto.randomUUID(), source: 'x', type: 'task.updated', topic: 'todo.task-updates', pubsubname: 'pubsub-kafka', data: {} }
    expect(await t.deliver('/events/dead-letter', dead)).toBe('SUCCESS')
    expect(await t.deliver('/events/dead-letter', { ...dead, id: crypto.randomUUID(), topic: 'todo.task-updates.dlq' })).toBe('SUCCESS')
    const middle = await scrape()
    const delta = grew(before, middle)
    expect(delta('todo_events_published_total', { topic: 'todo.task-events' })).toBe(2)
    expect(delta('todo_events_published_total', { topic: 'todo.task-updates' })).toBe(1)
    expect(delta('todo_event_publish_failures_total')).toBe(0)
    expect(delta('todo_events_dead_lettered_total', { topic: 'todo.task-updates' })).toBe(2)
    expect(delta('todo_events_dead_lettered_total', { topic: 'unknown' })).toBe(0)

    // A bus that refuses twice: two failures, then the event goes out once (the app's own relay paused meanwhile).
    await t.events!.relay.stop()
    await t.call('POST', '/api/v1/tasks', { token, body: { title: 'refused at first' } })
    let refusals = 2
    const relay = new Relay({
      database: t.database,
      log: createLogger('silent'),
      onPublish: t.metrics.observePublish,
      bus: {
        kind: 'in-process',
        publish: async () => {
          if (refusals-- > 0) throw new Error('broker unavailable')
        },
      },
    })
    await until('the relay to publish after two refusals', async () => {
      await relay.drain()
      return refusals < 0
    }, { timeoutMs: 10_000, everyMs: 100 })
    await relay.drain()
    await relay.stop()
    await t.events!.relay.start()
    const after = await scrape()
    expect(grew(middle, after)('todo_event_publish_failures_total', { topic: 'todo.task-events' })).toBe(2)
    expect(grew(middle, after)('todo_events_published_total', { topic: 'todo.task-events' })).toBe(1)
  })

  test('reminders scheduled, cancelled and fired are counted, with how late they fired', async () => {
    const { token } = await t.signUp()
    const due = new Date(Date.now() + 3 * 3600_000).toISOString()
    const task = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'with reminders', due_date: due } })
    await t.drain()
    const before = await scrape()
    const kept = await t.call('POST', `/api/v1/tasks/${task.body.id}/reminders`, { token, body: { lead: '1h' } })
    const dropped = await t.call('POST', `/api/v1/tasks/${task.body.id}/reminders`, { token, body: { lead: '2h' } })
    expect([kept.status, dropped.status]).toEqual([201, 201])
    // Both jobs are made before one is cancelled (a reminder cancelled before its job is made gets none).
    await t.drain()
    expect((await t.call('DELETE', `/api/v1/reminders/${dropped.body.id}`, { token })).status).toBe(204)
    await t.drain()
    // As if its time had come 30 s ago while nothing was running.
    await t.database.db.execute(sql`update reminders set remind_at = now() - interval '30 seconds' where id = ${kept.body.id}`)
    expect(await t.scheduler!.tick()).toBe(1)
    await t.drain()
    const after = await scrape()
    const delta = grew(before, after)
    expect(delta('todo_reminders_scheduled_total')).toBe(2)
    expect(delta('todo_reminders_cancelled_total')).toBe(1)
    expect(delta('todo_reminders_fired_total')).toBe(1)
    expect(delta('todo_reminder_lateness_seconds_count')).toBe(1)
    expect(delta('todo_reminder_lateness_seconds_sum')).toBeGreaterThanOrEqual(29)
    expect(delta('todo_reminder_lateness_seconds_bucket', { le: '10' })).toBe(0)
    expect(delta('todo_reminder_lateness_seconds_bucket', { le: '60' })).toBe(1)
  })

  test('chat turns, model calls, their tokens and their errors are counted (the real openai SDK)', async () => {
    const model = new FakeOpenAI()
    const m = await testApp({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'test-model', OPENAI_TIMEOUT_MS: '2000' } })
    try {
      const { token } = await m.signUp()
      const before = await scrape(m)
      model.play({ tool_calls: [{ name: 'add_task', arguments: { title: 'Counted' } }] }, { content: 'Added "Counted".' })
      expect((await m.call('POST', '/api/v1/chat', { token, body: { message: 'add Counted' } })).status).toBe(200)
      // The model fails (the SDK retries once): one failed call, one failed turn, a clear 503.
      model.play({ status: 500 }, { status: 500 })
      expect((await m.call('POST', '/api/v1/chat', { token, body: { message: 'anything' } })).status).toBe(503)
      const after = await scrape(m)
      const delta = grew(before, after)
      expect(delta('todo_chat_turns_total', { agent: 'model', outcome: 'ok' })).toBe(1)
      expect(delta('todo_chat_turns_total', { agent: 'model', outcome: 'error' })).toBe(1)
      expect(delta('todo_model_calls_total', { outcome: 'ok' })).toBe(2)
      expect(delta('todo_model_calls_total', { outcome: 'error' })).toBe(1)
      expect(delta('todo_model_call_duration_seconds_count')).toBe(3)
      const reported = model.reportedUsage
      expect(reported).toHaveLength(2)
      expect(delta('todo_model_tokens_total', { kind: 'prompt' })).toBe(reported.reduce((n, u) => n + u.prompt_tokens, 0))
      expect(delta('todo_model_tokens_total', { kind: 'completion' })).toBe(reported.reduce((n, u) => n + u.completion_tokens, 0))
      // The SDK asked for usage on the stream.
      expect(model.requests[0]!.stream_options).toEqual({ include_usage: true })
    } finally {
      model.stop()
      await m.dispose()
    }
    // The offline agent's turns are counted too.
    const { token } = await t.signUp()
    const before = await scrape()
    expect((await t.call('POST', '/api/v1/chat', { token, body: { message: 'add buy milk' } })).status).toBe(200)
    expect(grew(before, await scrape())('todo_chat_turns_total', { agent: 'offline', outcome: 'ok' })).toBe(1)
  })
})
