// Task events through the real Dapr runtime (daprd 1.14.0) and a Kafka-protocol broker (franz-go's kfake, not
// Apache Kafka), loaded with the chart's own Component and Resiliency: the full event path, a sidecar killed
// mid-stream, a database outage of a minute, and a malformed event.
import { expect, test } from 'bun:test'
import postgres from 'postgres'
import { CuttableProxy } from './helpers/proxy'
import { need, requires } from './helpers/requires'
import { readRecords, startStack, tails, type Stack } from './helpers/runtime'
import { freshStorage, signUpOverHttp } from './helpers/server'
import { hookTimeoutMs, until } from './helpers/wait'

const runtime = requires('the event path through the real Dapr runtime', need.daprRuntime, need.helm)
// These read PostgreSQL directly (and cut it), so they run where DATABASE_URL is set, as in CI.
const onPostgres = requires('the real Dapr runtime with RETRY, DROP and a database outage', need.daprRuntime, need.helm, need.postgres)
let stack: Stack
let storage: Awaited<ReturnType<typeof freshStorage>>
let proxy: CuttableProxy | undefined
let sql: postgres.Sql | undefined
let token: string

runtime.beforeAll(async () => {
  storage = await freshStorage()
  const env = { ...storage.env }
  if (env.DATABASE_URL) {
    // The app reaches PostgreSQL through a proxy the outage test can cut; the test itself reads it directly.
    const real = new URL(env.DATABASE_URL)
    proxy = new CuttableProxy({ host: real.hostname, port: Number(real.port || 5432) })
    await proxy.up()
    const through = new URL(env.DATABASE_URL)
    through.host = `127.0.0.1:${proxy.port}`
    env.DATABASE_URL = through.toString()
    sql = postgres(storage.env.DATABASE_URL!, { max: 2, onnotice: () => {} })
  }
  stack = await startStack(need.daprRuntime.found!, env)
  token = await signUpOverHttp(stack.app.url)
}, hookTimeoutMs(4))

runtime.afterAll(async () => {
  await stack?.stop()
  await sql?.end()
  await proxy?.down()
  await storage?.dispose()
})

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.app.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as any) }
}

interface Entry {
  task_id: string
  action: string
  title: string
}

/** The whole audit trail of the user, oldest first. */
async function audit(): Promise<Entry[]> {
  const entries: Entry[] = []
  for (let cursor: string | null = null; ; ) {
    const page = await api('GET', `/api/v1/audit?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
    entries.push(...page.body.items)
    cursor = page.body.next_cursor
    if (!cursor) return entries.reverse()
  }
}

const auditUntil = async (what: string, done: (entries: Entry[]) => boolean, timeoutMs = 30_000) => {
  let last: Entry[] = []
  await until(what, async () => done((last = await audit())), { timeoutMs, detail: tails(stack.sidecar.child) })
  return last
}

runtime.describe('the event path through daprd and the broker', () => {
  test('create, update, complete and delete each reach the audit log once, keyed by task id on the wire; one successor', async () => {
    const { body: plain } = await api('POST', '/api/v1/tasks', { title: 'wire plain' })
    const { body: daily } = await api('POST', '/api/v1/tasks', { title: 'wire daily', recurrence: 'DAILY', due_date: new Date(Date.now() + 3_600_000).toISOString() })
    expect((await api('PATCH', `/api/v1/tasks/${plain.id}`, { title: 'wire plain, renamed' })).status).toBe(200)
    expect((await api('POST', `/api/v1/tasks/${daily.id}/complete`)).status).toBe(200)
    expect((await api('DELETE', `/api/v1/tasks/${plain.id}`)).status).toBe(204)

    const entries = await auditUntil('the audit log to hold all six changes', (e) => e.filter((x) => x.title.startsWith('wire')).length >= 6)
    const mine = entries.filter((x) => x.title.startsWith('wire'))
    expect(mine.filter((x) => x.task_id === plain.id).map((x) => x.action)).toEqual(['created', 'updated', 'deleted'])
    expect(mine.filter((x) => x.task_id === daily.id).map((x) => x.action)).toEqual(['created', 'completed'])
    const successors = mine.filter((x) => x.task_id !== plain.id && x.task_id !== daily.id)
    expect(successors).toHaveLength(1)
    // Nothing more arrives later: each event was applied once. A redelivery has no event to wait for, so this
    // negative check gives it a second to show up.
    await Bun.sleep(1_000)
    expect((await audit()).filter((x) => x.title.startsWith('wire'))).toHaveLength(6)

    const records = readRecords(stack.bin, stack.broker.address).filter((r) => [plain.id, daily.id].includes(r.subject))
    expect(records.map((r) => r.type).sort()).toEqual(['task.completed', 'task.created', 'task.created', 'task.deleted', 'task.updated'])
    for (const r of records) expect(r.key).toBe(r.subject)
  })

  test('the sidecar killed mid-stream and started again: the outbox shows the backlog, then catches up, each change applied once and in order', async () => {
    const made: string[] = []
    for (let i = 0; i < 5; i++) made.push((await api('POST', '/api/v1/tasks', { title: `outage ${i}` })).body.id)
    stack.sidecar.child.proc!.kill('SIGKILL')
    await stack.sidecar.child.proc!.exited
    // Writes go on while the sidecar is away: the change and its event commit together and wait in the outbox.
    for (let i = 5; i < 15; i++) made.push((await api('POST', '/api/v1/tasks', { title: `outage ${i}` })).body.id)
    for (const id of made) expect((await api('PATCH', `/api/v1/tasks/${id}`, { priority: 'low' })).status).toBe(200)
    let ready = await api('GET', '/readyz')
    await until('the backlog in /readyz', async () => (ready = await api('GET', '/readyz')).body.checks.outbox.pending > 0)
    expect(ready.status).toBe(200)
    expect(ready.body.checks.outbox.pending).toBeGreaterThan(0)
    const metrics = await (await fetch(`${stack.app.metricsUrl}/metrics`)).text()
    expect(Number(/^todo_outbox_pending_events (\d+)$/m.exec(metrics)![1])).toBe(ready.body.checks.outbox.pending)
    expect(Number(/^todo_outbox_oldest_pending_age_seconds ([\d.]+)$/m.exec(metrics)![1])).toBeGreaterThan(0)

    await stack.sidecar.start()
    const entries = await auditUntil('every change in the audit log', (e) => e.filter((x) => made.includes(x.task_id)).length >= 30, 60_000)
    // Per task, created then updated: the task id is the partition key, so its events keep their order.
    for (const id of made) expect(entries.filter((x) => x.task_id === id).map((x) => x.action)).toEqual(['created', 'updated'])
    expect((await api('GET', '/readyz')).body.checks.outbox.pending).toBe(0)
  }, 120_000)
})

onPostgres.describe('what real Dapr does with RETRY and DROP', () => {
  test('a database outage of 60 s while events are delivered: none lost, none dead-lettered', async () => {
    // Events another replica published just before the database went away: clones, with fresh ids, of updates
    // this app made, published straight to the sidecar while the app cannot reach its database.
    const { body: task } = await api('POST', '/api/v1/tasks', { title: 'blip' })
    for (let i = 0; i < 5; i++) await api('PATCH', `/api/v1/tasks/${task.id}`, { title: `blip ${i}` })
    await auditUntil('the five updates', (e) => e.filter((x) => x.task_id === task.id).length >= 6)
    const originals = await sql!<{ event: Record<string, any> }[]>`select event from outbox_events where event->>'type' = 'task.updated' and event->>'subject' = ${task.id} order by id`
    expect(originals).toHaveLength(5)
    const clones = originals.map(({ event }) => {
      const id = crypto.randomUUID()
      return { ...event, id, data: { ...event.data, event_id: id } }
    })

    await proxy!.down()
    for (const event of clones) {
      const res = await fetch(`${stack.sidecar.url}/v1.0/publish/pubsub-kafka/todo.task-updates?metadata.partitionKey=${task.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', 'dapr-api-token': stack.tokens.dapr },
        body: JSON.stringify(event),
      })
      expect(res.status).toBe(204)
    }
    // The outage's length is what is under test: daprd's retries must outlast a minute without the database.
    await Bun.sleep(60_000)
    await proxy!.up()

    const ids: string[] = clones.map((c) => c.id)
    await until('the five events applied after the outage', async () => (await sql!`select count(*)::int as n from audit_log where event_id in ${sql!(ids)}`)[0]!.n === 5, { timeoutMs: 120_000, detail: tails(stack.sidecar.child) })
    expect((await sql!`select count(*)::int as n from dead_letters`)[0]!.n).toBe(0)
    const dlq = readRecords(stack.bin, stack.broker.address, ['todo.task-events.dlq', 'todo.task-updates.dlq', 'todo.reminders.dlq'])
    expect(dlq.filter((r) => ids.includes(r.id))).toEqual([])
  }, 300_000)

  test('a malformed event is dead-lettered once: one record on the dead-letter topic, one dead letter kept', async () => {
    const id = crypto.randomUUID()
    const res = await fetch(`${stack.sidecar.url}/v1.0/publish/pubsub-kafka/todo.task-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', 'dapr-api-token': stack.tokens.dapr },
      body: JSON.stringify({ specversion: '1.0', id, source: 'todo-chatbot', type: 'task.created', datacontenttype: 'application/json', data: { nonsense: true } }),
    })
    expect(res.status).toBe(204)
    await until('the dead letter', async () => (await sql!`select count(*)::int as n from dead_letters where event_id = ${id}`)[0]!.n === 1, { timeoutMs: 60_000, detail: tails(stack.sidecar.child) })
    // Negative check: a second dead letter for the same event has no event to wait for; give it 3 s to appear.
    await Bun.sleep(3_000)
    expect((await sql!`select count(*)::int as n from dead_letters where event_id = ${id}`)[0]!.n).toBe(1)
    // Dapr republishes the original message unchanged: the dead letter still names the topic it was published to,
    // which is what the dead-letter metric counts by.
    expect((await sql!`select topic from dead_letters where event_id = ${id}`)[0]!.topic).toBe('todo.task-events')
    expect(readRecords(stack.bin, stack.broker.address, ['todo.task-events.dlq']).filter((r) => r.id === id)).toHaveLength(1)
  }, 120_000)
})
