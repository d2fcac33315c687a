// The event backbone through the in-process bus: outbox with every change, relay, consumers, audit log, recurrence.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { subscriptions as appSubscriptions } from '../src/events/delivery'
import { Relay } from '../src/events/relay'
import { createLogger } from '../src/lib/log'
import { testApp, type TestApp } from './helpers/app'
import { APP_TOKEN, sidecarEnv } from './helpers/dapr-sidecar'
import { rows } from './helpers/db'
import { freePort } from './helpers/server'
import { until } from './helpers/wait'

let t: TestApp
let token: string
let userId: string

beforeAll(async () => {
  t = await testApp({ events: true })
  const signed = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
  token = signed.token
  userId = signed.user.id
})
afterAll(() => t.dispose())

interface OutboxRow {
  id: string
  topic: string
  type: string
  partition_key: string
  event: { id: string; specversion: string; source: string; type: string; data: Record<string, any> }
  published_at: string | null
}
const outboxFor = (taskId: string) => rows<OutboxRow>(t.database, sql`select * from outbox_events where partition_key = ${taskId} order by seq`)
const audit = async (query = '') => (await t.call('GET', `/api/v1/audit${query}`, { token })).body

describe('every task change writes its event with it', () => {
  test('create, update, complete, reopen and delete each record one CloudEvent, keyed by the task', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Evented', tags: ['x'] } })
    await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { priority: 'high' } })
    await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { priority: 'high' } }) // no change: no event
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token }) // already done: no event
    await t.call('POST', `/api/v1/tasks/${task.id}/reopen`, { token })
    await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token })
    const events = await outboxFor(task.id)
    expect(events.map((e) => [e.type, e.topic])).toEqual([
      ['task.created', 'todo.task-events'],
      ['task.updated', 'todo.task-updates'],
      ['task.completed', 'todo.task-events'],
      ['task.updated', 'todo.task-updates'],
      ['task.deleted', 'todo.task-events'],
    ])
    for (const e of events) {
      expect(e.event).toMatchObject({ specversion: '1.0', id: e.id, source: 'todo-chatbot', type: e.type, datacontenttype: 'application/json' })
      expect(e.event.data).toMatchObject({ event_id: e.id, user_id: userId, task_id: task.id })
      expect(e.partition_key).toBe(task.id)
    }
    expect(events[1]!.event.data).toMatchObject({ changes: ['priority'], before: { priority: 'medium' }, task: { priority: 'high' } })
    expect(events[3]!.event.data.changes).toEqual(['status', 'completed_at'])
  })

  test('a rejected change writes no event', async () => {
    const before = await rows<{ n: string }>(t.database, sql`select count(*) as n from outbox_events`)
    const res = await t.call('POST', '/api/v1/tasks', { token, body: { title: '' } })
    expect(res.status).toBe(400)
    const after = await rows<{ n: string }>(t.database, sql`select count(*) as n from outbox_events`)
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n))
  })

  test('a create that loses an Idempotency-Key race rolls back with its event: one task, one event', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => t.call('POST', '/api/v1/tasks', { token, body: { title: 'Raced' }, headers: { 'idempotency-key': 'race-evt' } })),
    )
    const ids = new Set(answers.map((a) => a.body.id))
    expect(ids.size).toBe(1)
    const created = await rows<{ n: string }>(t.database, sql`select count(*) as n from outbox_events where type = 'task.created' and event->'data'->'task'->>'title' = 'Raced'`)
    expect(Number(created[0]!.n)).toBe(1)
  })

  test('bulk changes and undo write one event per task', async () => {
    const a = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Bulk A' } })).body
    const b = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Bulk B' } })).body
    const page = await t.app.handle(new Request('http://localhost/tasks', { headers: { cookie: `session=${token}` } }))
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const post = (path: string, form: string) =>
      t.app.handle(new Request(`http://localhost${path}`, { method: 'POST', headers: { cookie: `session=${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `${form}&_csrf=${csrf}` }))
    await post('/tasks/bulk', `action=delete&ids=${a.id}&ids=${b.id}`)
    await post('/tasks/restore', `ids=${a.id}&ids=${b.id}`)
    for (const task of [a, b]) {
      const types = (await outboxFor(task.id)).map((e) => [e.type, e.event.data.cause ?? null])
      expect(types).toEqual([['task.created', null], ['task.deleted', null], ['task.created', 'restore']])
    }
  })
})

describe('relay and audit log', () => {
  test('the relay is woken by the commit: the audit entry appears without polling', async () => {
    // A relay whose safety sweep would come only in an hour: once its first round is over, only the commit's NOTIFY
    // can wake it. (How quickly it publishes is measured by bench/events.ts.)
    await t.events!.relay.stop()
    const relay = new Relay({ database: t.database, bus: t.events!.bus, log: createLogger('silent'), pollMs: 3_600_000 })
    try {
      await relay.start()
      await relay.drain()
      const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Watch me' } })
      let entries: Array<{ action: string }> = []
      await until('the audit entry of the new task', async () => (entries = (await audit(`?task_id=${task.id}`)).items).length > 0, { timeoutMs: 10_000 })
      expect(entries.map((e) => e.action)).toEqual(['created'])
    } finally {
      await relay.stop()
      await t.events!.relay.start()
    }
  })

  test('edits appear in the audit log with what changed, before and after, newest first', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Audited', priority: 'low' } })
    await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { title: 'Audited twice', priority: 'high' } })
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    await t.call('POST', `/api/v1/tasks/${task.id}/reopen`, { token })
    await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token })
    await t.drain()
    const { items, total } = await audit(`?task_id=${task.id}`)
    expect(total).toBe(5)
    expect(items.map((e: { action: string }) => e.action)).toEqual(['deleted', 'reopened', 'completed', 'updated', 'created'])
    const updated = items[3]
    expect(updated.changes).toEqual(['title', 'priority'])
    expect(updated.before).toMatchObject({ title: 'Audited', priority: 'low' })
    expect(updated.after).toMatchObject({ title: 'Audited twice', priority: 'high' })
    expect(items[0]).toMatchObject({ action: 'deleted', title: 'Audited twice', after: null })
  })

  test('the audit log is scoped to its user and paged', async () => {
    const other = await t.signUp()
    await t.call('POST', '/api/v1/tasks', { token: other.token, body: { title: 'Not yours' } })
    await t.drain()
    const mine = await audit('?limit=100')
    expect(JSON.stringify(mine)).not.toContain('Not yours')
    const first = await audit('?limit=2')
    const second = await audit(`?limit=2&cursor=${first.next_cursor}`)
    expect(first.items).toHaveLength(2)
    expect(second.items[0].id < first.items[1].id).toBe(true)
    for (const [query, field] of [['?limit=0', 'limit'], ['?task_id=abc', 'task_id'], ['?cursor=zzz', 'cursor'], ['?user_id=x', 'user_id']]) {
      const res = await t.call('GET', `/api/v1/audit${query}`, { token })
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe(field)
    }
  })
})

describe('recurring tasks', () => {
  const list = async (search: string) => (await t.call('GET', `/api/v1/tasks?search=${encodeURIComponent(search)}&sort=due_date&limit=100`, { token })).body.items

  test('completing a daily task creates the next one, with the same fields and the next date', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', {
      token,
      body: { title: 'Stretch daily', description: 'ten minutes', priority: 'high', tags: ['health'], recurrence: 'DAILY', due_date: '2026-12-01T07:30' },
    })
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    await t.drain()
    const items = await list('Stretch daily')
    expect(items).toHaveLength(2)
    expect(items[1]).toMatchObject({
      title: 'Stretch daily', description: 'ten minutes', priority: 'high', tags: ['health'], recurrence: 'DAILY', status: 'pending',
      due_date: '2026-12-02T06:30:00.000Z',
    })
    const entries = (await audit(`?task_id=${items[1].id}`)).items
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['recurred'])
  })

  test('completing, reopening and completing the same instance again does not fork the series', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'No fork', recurrence: 'WEEKLY', due_date: '2026-12-07T10:00:00Z' } })
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    await t.drain()
    await t.call('POST', `/api/v1/tasks/${task.id}/reopen`, { token })
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    await t.drain()
    expect((await list('No fork')).length).toBe(2)
  })

  test('undoing a completion takes back the next instance it made, by every route that reopens', async () => {
    const reopeners: Array<[string, (id: string) => Promise<unknown>]> = [
      ['reopen', (id) => t.call('POST', `/api/v1/tasks/${id}/reopen`, { token })],
      ['PATCH status', (id) => t.call('PATCH', `/api/v1/tasks/${id}`, { token, body: { status: 'pending' } })],
    ]
    for (const [route, reopen] of reopeners) {
      const title = `Undo daily by ${route}`
      const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title, recurrence: 'DAILY', due_date: '2026-12-03T09:00:00Z' } })
      await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
      await t.drain()
      const next = (await list(title)).find((x: { id: string }) => x.id !== task.id)
      expect(next).toBeDefined()
      await reopen(task.id)
      await t.drain()
      const left = await list(title)
      expect(left.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[task.id, 'pending']])
      expect((await audit(`?task_id=${next.id}`)).items.map((e: { action: string }) => e.action)).toEqual(['deleted', 'recurred'])
      // The series goes on as before: completing it again makes one next instance.
      await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
      await t.drain()
      expect((await list(title)).map((x: { status: string }) => x.status)).toEqual(['completed', 'pending'])
    }
  })

  test('a next instance someone has edited stays when its predecessor is reopened, and the series does not fork', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Kept successor', recurrence: 'WEEKLY', due_date: '2026-12-08T10:00:00Z' } })
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    await t.drain()
    const next = (await list('Kept successor')).find((x: { id: string }) => x.id !== task.id)
    await t.call('PATCH', `/api/v1/tasks/${next.id}`, { token, body: { description: 'bring the forms' } })
    await t.call('POST', `/api/v1/tasks/${task.id}/reopen`, { token })
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    await t.drain()
    const all = await list('Kept successor')
    expect(all).toHaveLength(2)
    expect(all.find((x: { id: string }) => x.id === next.id)).toMatchObject({ description: 'bring the forms', status: 'pending' })
  })

  test('COUNT ends the series', async () => {
    const { body: first } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Three times', recurrence: 'FREQ=DAILY;COUNT=3', due_date: '2026-12-10T09:00:00Z' } })
    let current = first
    for (let i = 0; i < 3; i++) {
      await t.call('POST', `/api/v1/tasks/${current.id}/complete`, { token })
      await t.drain()
      current = (await list('Three times')).find((x: { status: string }) => x.status === 'pending')
    }
    const all = await list('Three times')
    expect(all.map((x: { due_date: string }) => x.due_date)).toEqual(['2026-12-10T09:00:00.000Z', '2026-12-11T09:00:00.000Z', '2026-12-12T09:00:00.000Z'])
    expect(current).toBeUndefined()
  })

  test('a rule with no due date gets its first due date from the rule', async () => {
    const { body } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'From the rule', recurrence: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0' } })
    expect(body.due_date).not.toBeNull()
    const due = new Date(body.due_date)
    // Monday 09:00 in Berlin.
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(due)).toBe('Mon 09:00')
  })
})

describe('consumers take each event once', () => {
  test('every event type delivered 5 times, concurrently, leaves the state of one delivery', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Deliver many', recurrence: 'DAILY', due_date: '2026-12-20T09:00:00Z' } })
    await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { priority: 'high' } })
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    await t.drain()
    const spare = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Deliver delete' } })).body
    await t.call('DELETE', `/api/v1/tasks/${spare.id}`, { token })
    await t.drain()
    const events = [...(await outboxFor(task.id)), ...(await outboxFor(spare.id))]
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['task.created', 'task.updated', 'task.completed', 'task.deleted']))
    const state = async () => ({
      audit: (await rows<{ n: string }>(t.database, sql`select count(*) as n from audit_log`))[0]!.n,
      tasks: (await rows<{ n: string }>(t.database, sql`select count(*) as n from tasks`))[0]!.n,
    })
    const once = await state()
    // Through the delivery the bus uses (no HTTP route takes events without a sidecar).
    const answers = await Promise.all(
      events.flatMap((e) =>
        Array.from({ length: 5 }, () => t.deliver(`/events/${e.topic.replace('todo.', '')}`, { ...e.event, topic: e.topic, pubsubname: 'pubsub-kafka' })),
      ),
    )
    expect(answers.length).toBe(events.length * 5)
    for (const outcome of answers) expect(outcome).toBe('SUCCESS')
    expect(await state()).toEqual(once)
  })

  test('a malformed event is dropped (and logged with its id); the dead-letter route records what it gets', async () => {
    expect(await t.deliver('/events/task-events', { id: 'poison-1', type: 'task.created' })).toBe('DROP')
    expect(t.logs.some((l) => l.msg === 'malformed event dropped' && l.event_id === 'poison-1')).toBe(true)
    expect(await t.deliver('/events/dead-letter', { id: 'poison-1', type: 'task.created', topic: 'todo.task-events.dlq' })).toBe('SUCCESS')
    const [row] = await rows<{ topic: string; event_id: string }>(t.database, sql`select topic, event_id from dead_letters where event_id = 'poison-1'`)
    expect(row).toEqual({ topic: 'todo.task-events.dlq', event_id: 'poison-1' })
  })

  test('the subscriptions (GET /dapr/subscribe beside a sidecar) declare each topic with its dead-letter topic', async () => {
    const subscriptions = t.delivery.subscriptions()
    expect(subscriptions).toContainEqual({ pubsubname: 'pubsub-kafka', topic: 'todo.task-events', route: '/events/task-events', deadLetterTopic: 'todo.task-events.dlq' })
    expect(subscriptions).toContainEqual({ pubsubname: 'pubsub-kafka', topic: 'todo.task-updates', route: '/events/task-updates', deadLetterTopic: 'todo.task-updates.dlq' })
    expect(subscriptions).toContainEqual({ pubsubname: 'pubsub-kafka', topic: 'todo.reminders', route: '/events/reminders', deadLetterTopic: 'todo.reminders.dlq' })
    expect(subscriptions).toContainEqual({ pubsubname: 'pubsub-kafka', topic: 'todo.task-events.dlq', route: '/events/dead-letter' })
  })

  test('with declarative subscriptions (DAPR_SUBSCRIPTIONS, which the chart sets) GET /dapr/subscribe answers [], so Dapr takes only the Subscription resources', async () => {
    for (const mode of ['declarative', 'programmatic'] as const) {
      const app = await testApp({ env: { ...sidecarEnv(freePort()), DAPR_SUBSCRIPTIONS: mode } })
      try {
        const res = await app.call('GET', '/dapr/subscribe', { headers: { 'dapr-api-token': APP_TOKEN } })
        expect(res.status).toBe(200)
        expect(res.body).toEqual(mode === 'declarative' ? [] : appSubscriptions('pubsub-kafka'))
      } finally {
        await app.dispose()
      }
    }
  })
})

test('housekeeping prunes published events after a week and never touches pending ones', async () => {
  const { sweep } = await import('../src/features/ops/housekeeping')
  const old = new Date(Date.now() - 8 * 86_400_000).toISOString()
  await t.database.db.execute(sql`
    insert into outbox_events (id, topic, type, partition_key, event, created_at, published_at)
    values (gen_random_uuid(), 'todo.task-events', 'task.created', 'old-published', '{}'::jsonb, ${old}::timestamptz, ${old}::timestamptz),
           (gen_random_uuid(), 'todo.task-events', 'task.created', 'old-pending', '{}'::jsonb, ${old}::timestamptz, null)`)
  await sweep(t.database.db, new Date())
  const left = await rows<{ partition_key: string }>(t.database, sql`select partition_key from outbox_events where partition_key like 'old-%'`)
  expect(left.map((r) => r.partition_key)).toEqual(['old-pending'])
  await t.database.db.execute(sql`delete from outbox_events where partition_key = 'old-pending'`)
})
