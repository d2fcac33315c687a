// What an outsider can do to the event backbone: forge events, fire reminders early, fill the dead-letter table, read
// the metrics. Without a sidecar no Dapr route exists; beside one, every route and path variant wants the app token.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { DEAD_LETTER_MAX_BYTES } from '../src/events/delivery'
import { tokenMatches } from '../src/events/routes'
import { testApp, type TestApp } from './helpers/app'
import { APP_TOKEN, sidecarEnv } from './helpers/dapr-sidecar'
import { rows } from './helpers/db'
import { freePort, freshStorage, startServer } from './helpers/server'

/** A victim with a task due in four weeks and a reminder a day before it (three weeks and six days away). */
async function victimOf(t: TestApp) {
  const victim = await t.signUp()
  const due = new Date(Date.now() + 28 * 86_400_000).toISOString()
  const task = (await t.call('POST', '/api/v1/tasks', { token: victim.token, body: { title: 'Quarterly report', due_date: due } })).body
  const reminder = (await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: victim.token, body: { lead: '1d' } })).body
  expect(reminder.status).toBe('pending')
  return { ...victim, task, reminder }
}

/** The CloudEvent an attacker would write, knowing a user, a task and a reminder id. */
function forged(type: string, victim: Awaited<ReturnType<typeof victimOf>>) {
  const id = crypto.randomUUID()
  const now = new Date().toISOString()
  return {
    specversion: '1.0', id, source: 'todo-chatbot', type, time: now, datacontenttype: 'application/json',
    data: {
      event_id: id, user_id: victim.user.id, task_id: victim.task.id, occurred_at: now,
      task: { ...victim.task, title: 'Forged by an outsider' }, reminder: { id: victim.reminder.id },
    },
  }
}

/** What the victim would notice: reminders no longer pending, notifications, audit entries not of their doing. */
async function harm(t: TestApp, victim: Awaited<ReturnType<typeof victimOf>>) {
  const reminder = await t.call('GET', `/api/v1/tasks/${victim.task.id}/reminders`, { token: victim.token })
  const inbox = await t.call('GET', '/api/v1/notifications', { token: victim.token })
  const audit = await t.call('GET', '/api/v1/audit?limit=100', { token: victim.token })
  return {
    reminders: reminder.body.items.map((r: { status: string }) => r.status),
    notifications: inbox.body.items.length,
    audit: audit.body.items.map((e: { action: string; title: string }) => `${e.action} ${e.title}`).sort(),
  }
}

const deadLetterCount = async (t: TestApp) => Number((await rows<{ n: string }>(t.database, sql`select count(*) as n from dead_letters`))[0]!.n)

/** Every form of every sidecar-facing path an outsider might try: trailing slashes, HEAD and OPTIONS. */
const variants = (reminderId: string): Array<[string, string]> => [
  ['GET', '/dapr/subscribe'], ['GET', '/dapr/subscribe/'], ['HEAD', '/dapr/subscribe'], ['HEAD', '/dapr/subscribe/'], ['OPTIONS', '/dapr/subscribe'],
  ['POST', '/events/reminders'], ['POST', '/events/reminders/'], ['POST', '/events/task-events'], ['POST', '/events/task%2Devents'], ['POST', '/events/task-updates/'],
  ['POST', '/events/dead-letter'], ['POST', '/events/dead-letter/'], ['OPTIONS', '/events/dead-letter'],
  ['POST', `/job/reminder-${reminderId}`], ['POST', `/job/reminder-${reminderId}/`],
]

describe('without a sidecar (the default): no route takes events', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp({ events: true })
  })
  afterAll(() => t.dispose())

  test('forged reminder.triggered, task.deleted and task.created posts are 404 and change nothing the victim sees', async () => {
    const victim = await victimOf(t)
    await t.drain()
    const before = await harm(t, victim)
    expect(before).toEqual({ reminders: ['pending'], notifications: 0, audit: ['created Quarterly report'] })
    const attacks: Array<[string, string]> = [['/events/reminders', 'reminder.triggered'], ['/events/task-events', 'task.deleted'], ['/events/task-events', 'task.created']]
    for (const [path, type] of attacks) {
      const res = await t.call('POST', path, { body: forged(type, victim), headers: { 'content-type': 'application/cloudevents+json' } })
      expect(`${type} ${res.status}`).toBe(`${type} 404`)
      expect(res.text).not.toContain('SUCCESS')
    }
    const job = await t.call('POST', `/job/reminder-${victim.reminder.id}`, { raw: JSON.stringify(victim.reminder.id) })
    expect(job.status).toBe(404)
    await t.drain()
    expect(await harm(t, victim)).toEqual(before)
  })

  test('no variant of a Dapr path answers, and nothing reaches the dead-letter table', async () => {
    const victim = await victimOf(t)
    const letters = await deadLetterCount(t)
    for (const [method, path] of variants(victim.reminder.id)) {
      const res = await t.call(method, path, method === 'POST' ? { body: forged('task.created', victim) } : {})
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`)
    }
    expect(await deadLetterCount(t)).toBe(letters)
  })

  test('events still flow, through the delivery the in-process bus calls', async () => {
    const victim = await victimOf(t)
    await t.call('PATCH', `/api/v1/tasks/${victim.task.id}`, { token: victim.token, body: { priority: 'high' } })
    await t.drain()
    expect((await harm(t, victim)).audit).toEqual(['created Quarterly report', 'updated Quarterly report'])
  })
})

describe('beside a sidecar: every Dapr route wants APP_API_TOKEN', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp({ env: sidecarEnv(freePort()) })
  })
  afterAll(() => t.dispose())

  test('no token, a wrong one or one of another length: 401 on every route and variant, and no effect', async () => {
    const victim = await victimOf(t)
    const before = await harm(t, victim)
    const letters = await deadLetterCount(t)
    const wrong = [undefined, '', `${APP_TOKEN.slice(0, -1)}x`, APP_TOKEN.slice(0, 8), `${APP_TOKEN}x`, APP_TOKEN.toUpperCase()]
    for (const token of wrong) {
      for (const [method, path] of variants(victim.reminder.id)) {
        if (method === 'OPTIONS') continue
        const headers: Record<string, string> = token === undefined ? {} : { 'dapr-api-token': token }
        const res = await t.call(method, path, method === 'POST' ? { body: forged('reminder.triggered', victim), headers } : { headers })
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 401`)
        expect(res.text).not.toContain('pubsubname')
      }
    }
    expect(await harm(t, victim)).toEqual(before)
    expect(await deadLetterCount(t)).toBe(letters)
    // OPTIONS has no route at all.
    expect((await t.call('OPTIONS', '/dapr/subscribe', { headers: { 'dapr-api-token': APP_TOKEN } })).status).toBe(404)
  })

  test('every route the sidecar calls, today\'s and any added later, is behind the one guard', async () => {
    const sidecarFacing = t.app.routes.filter((r) => /^\/(dapr|events|job)(\/|$)/.test(r.path) || JSON.stringify(r.hooks?.detail?.tags ?? []).includes('Dapr'))
    expect(sidecarFacing.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /dapr/subscribe', 'POST /events/:topic', 'POST /events/dead-letter', 'POST /job/:name'])
    for (const route of sidecarFacing) {
      const path = route.path.replace(':topic', 'reminders').replace(':name', `reminder-${crypto.randomUUID()}`)
      const res = await t.call(route.method, path, route.method === 'POST' ? { body: {} } : {})
      expect(`${route.method} ${path} ${res.status}`).toBe(`${route.method} ${path} 401`)
    }
  })

  test('with the token the sidecar is answered as Dapr expects', async () => {
    const victim = await victimOf(t)
    const headers = { 'dapr-api-token': APP_TOKEN }
    const subscribe = await t.call('GET', '/dapr/subscribe/', { headers })
    expect(subscribe.status).toBe(200)
    expect(subscribe.body).toContainEqual({ pubsubname: 'pubsub-kafka', topic: 'todo.reminders', route: '/events/reminders', deadLetterTopic: 'todo.reminders.dlq' })
    expect((await t.call('POST', '/events/task-events', { body: { not: 'an event' }, headers })).body).toEqual({ status: 'DROP' })
    // The reminder is weeks away: the callback does not fire it early.
    const job = await t.call('POST', `/job/reminder-${victim.reminder.id}`, { raw: JSON.stringify(victim.reminder.id), headers: { ...headers, 'content-type': 'application/json' } })
    expect(job.body).toEqual({ outcome: 'stale' })
  })

  test('the token is compared in constant time, whatever its length', () => {
    expect(tokenMatches(APP_TOKEN, APP_TOKEN)).toBe(true)
    expect(tokenMatches(null, APP_TOKEN)).toBe(false)
    expect(tokenMatches('', APP_TOKEN)).toBe(false)
    expect(tokenMatches(APP_TOKEN.slice(1), APP_TOKEN)).toBe(false)
    expect(tokenMatches(`${APP_TOKEN}${'x'.repeat(10_000)}`, APP_TOKEN)).toBe(false)
  })
})

describe('dead letters are bounded', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp({ env: sidecarEnv(freePort()) })
  })
  afterAll(() => t.dispose())

  const sizeOf = async (id: string) =>
    (await rows<{ bytes: number; topic: string; event_type: string; event: Record<string, unknown> }>(
      t.database,
      sql`select octet_length(event::text) as bytes, topic, event_type, event from dead_letters where event_id = ${id}`,
    ))[0]!

  test('a 1 MB dead letter from the sidecar is kept as an excerpt that says how large it was, and logged', async () => {
    const id = crypto.randomUUID()
    const event = { specversion: '1.0', id, type: 'task.created', topic: 'todo.task-events.dlq', data: { blob: 'é'.repeat(480_000) } }
    const original = Buffer.byteLength(JSON.stringify(event))
    expect(original).toBeGreaterThan(900_000)
    const res = await t.call('POST', '/events/dead-letter', { body: event, headers: { 'content-type': 'application/cloudevents+json', 'dapr-api-token': APP_TOKEN } })
    expect(res.body).toEqual({ status: 'SUCCESS' })
    const row = await sizeOf(id)
    expect(row.bytes).toBeLessThan(DEAD_LETTER_MAX_BYTES + 1024)
    expect(row.event).toMatchObject({ truncated: true, original_bytes: original, id, type: 'task.created', topic: 'todo.task-events.dlq' })
    expect(String(row.event.excerpt)).toStartWith(JSON.stringify(event).slice(0, 100))
    expect(t.logs.some((l) => l.msg === 'dead letter truncated' && l.original_bytes === original && l.event_id === id)).toBe(true)
  })

  test('80 large dead letters grow the table by a few megabytes at most, not 80 MB', async () => {
    const before = Number((await rows<{ n: string }>(t.database, sql`select coalesce(sum(octet_length(event::text)), 0) as n from dead_letters`))[0]!.n)
    for (let i = 0; i < 80; i++) {
      const outcome = await t.deliver('/events/dead-letter', { id: `flood-${i}`, type: 'task.created', topic: 'todo.task-events.dlq', data: 'x'.repeat(1_000_000) })
      expect(outcome).toBe('SUCCESS')
    }
    const after = Number((await rows<{ n: string }>(t.database, sql`select coalesce(sum(octet_length(event::text)), 0) as n from dead_letters`))[0]!.n)
    expect(after - before).toBeLessThan(80 * (DEAD_LETTER_MAX_BYTES + 1024))
  })

  test('a small dead letter is kept whole; oversized topic, id and type are clipped, never refused', async () => {
    expect(await t.deliver('/events/dead-letter', { id: 'small-1', type: 'task.updated', topic: 'todo.task-updates.dlq', data: { a: 1 } })).toBe('SUCCESS')
    expect((await sizeOf('small-1')).event).toEqual({ id: 'small-1', type: 'task.updated', topic: 'todo.task-updates.dlq', data: { a: 1 } })
    const huge = 'q'.repeat(5000)
    expect(await t.deliver('/events/dead-letter', { id: `big-id-${huge}`, type: huge, topic: huge })).toBe('SUCCESS')
    const [row] = await rows<{ topic: string; event_id: string; event_type: string }>(t.database, sql`select topic, event_id, event_type from dead_letters where event_id like 'big-id-%'`)
    expect([row!.topic.length, row!.event_id.length, row!.event_type.length]).toEqual([200, 200, 200])
  })
})

describe('the running server', () => {
  test('with DAPR_HTTP_PORT and no APP_API_TOKEN it refuses to start, naming the variable', async () => {
    const proc = Bun.spawn([process.execPath, 'src/index.ts'], {
      env: { ...process.env, DAPR_HTTP_PORT: String(freePort()), APP_API_TOKEN: '', PORT: String(freePort()), METRICS_PORT: '0', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()])
    expect(code).toBe(2)
    expect(stderr).toContain('Configuration error: APP_API_TOKEN: is required with a Dapr sidecar (DAPR_HTTP_PORT is set)')
    expect(stdout).not.toContain('listening')
  })

  test('serves /metrics only on its own loopback port: the app port (what the Ingress routes) answers 404', async () => {
    const storage = await freshStorage()
    const server = await startServer(storage.env)
    try {
      for (const path of ['/metrics', '/metrics/']) expect((await fetch(`${server.url}${path}`)).status).toBe(404)
      expect((await fetch(`${server.url}/metrics`, { method: 'HEAD' })).status).toBe(404)
      expect(server.metricsUrl).toStartWith('http://127.0.0.1:')
      const scraped = await fetch(`${server.metricsUrl}/metrics`)
      expect(scraped.status).toBe(200)
      expect(await scraped.text()).toContain('# TYPE todo_http_requests_total counter')
      // The metrics listener serves nothing else.
      expect((await fetch(`${server.metricsUrl}/api/v1/tasks`)).status).toBe(404)
    } finally {
      await server.stop()
      await storage.dispose()
    }
  }, 60_000)
})
