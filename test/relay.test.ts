// The outbox relay on its own: restarts lose nothing, two replicas never publish an event twice, order holds per task.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import type { EventBus } from '../src/events/bus'
import type { CloudEvent } from '../src/events/envelope'
import { Relay } from '../src/events/relay'
import { createLogger } from '../src/lib/log'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { until } from './helpers/wait'

let t: TestApp
let token: string
const log = createLogger('silent')

beforeAll(async () => {
  t = await testApp() // no relay of its own: these tests run theirs
  token = (await t.signUp()).token
})
afterAll(() => t.dispose())

/** A bus that records what it was given; one made `failing` refuses everything (with `refusal`) until `recover()`. */
function recordingBus(options: { failing?: boolean; refusal?: () => Error } = {}) {
  let failing = options.failing ?? false
  const seen: Array<{ id: string; key: string; type: string }> = []
  const bus: EventBus = {
    kind: 'in-process',
    async publish(_topic, event: CloudEvent, key) {
      if (failing) throw (options.refusal ?? (() => new Error('broker unavailable')))()
      seen.push({ id: event.id, key, type: event.type })
    },
  }
  return { bus, seen, recover: () => void (failing = false) }
}

const pending = async () => Number((await rows<{ n: string }>(t.database, sql`select count(*) as n from outbox_events where published_at is null`))[0]!.n)

test('events written while no relay runs are published when one starts (a restart loses nothing)', async () => {
  for (let i = 0; i < 5; i++) await t.call('POST', '/api/v1/tasks', { token, body: { title: `while down ${i}` } })
  expect(await pending()).toBe(5)
  const { bus, seen } = recordingBus()
  const relay = new Relay({ database: t.database, bus, log })
  await relay.start()
  await relay.drain()
  await relay.stop()
  expect(seen).toHaveLength(5)
  expect(await pending()).toBe(0)
})

test('two relays on one outbox publish every event exactly once, in order per task', async () => {
  const { bus, seen } = recordingBus()
  const a = new Relay({ database: t.database, bus, log, batchSize: 7 })
  const b = new Relay({ database: t.database, bus, log, batchSize: 7 })
  await Promise.all([a.start(), b.start()])
  const ids: string[] = []
  for (let i = 0; i < 20; i++) ids.push((await t.call('POST', '/api/v1/tasks', { token, body: { title: `replicas ${i}` } })).body.id)
  await Promise.all(ids.map((id) => t.call('PATCH', `/api/v1/tasks/${id}`, { token, body: { priority: 'high' } })))
  await Promise.all(ids.map((id) => t.call('POST', `/api/v1/tasks/${id}/complete`, { token })))
  await until('the two relays to publish every event', async () => (await pending()) === 0, { timeoutMs: 10_000 })
  await Promise.all([a.drain(), b.drain()])
  await Promise.all([a.stop(), b.stop()])
  expect(await pending()).toBe(0)
  const published = seen.filter((s) => ids.includes(s.key))
  expect(published).toHaveLength(60)
  expect(new Set(published.map((s) => s.id)).size).toBe(60)
  for (const id of ids) {
    expect(published.filter((s) => s.key === id).map((s) => s.type)).toEqual(['task.created', 'task.updated', 'task.completed'])
  }
})

test('while the bus fails, events stay pending and are retried with backoff; then they go out', async () => {
  const { bus, seen, recover } = recordingBus({ failing: true })
  const relay = new Relay({ database: t.database, bus, log })
  await relay.start()
  const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'retried' } })
  const outboxRow = async () =>
    (await rows<{ attempts: number; last_error: string | null; published_at: string | null }>(
      t.database,
      sql`select attempts, last_error, published_at from outbox_events where partition_key = ${task.id}`,
    ))[0]!
  let row = await outboxRow()
  // The claim counts the attempt before the publish; the refusal is written after it.
  await until('a refused attempt recorded in the outbox', async () => (row = await outboxRow()).last_error !== null, { timeoutMs: 10_000 })
  expect(row.published_at).toBeNull()
  expect(row.attempts).toBeGreaterThanOrEqual(1)
  expect(row.last_error).toBe('broker unavailable')
  recover()
  await until('the event to go out once the bus is back', () => seen.some((s) => s.key === task.id), { timeoutMs: 10_000 })
  await relay.stop()
  expect(seen.filter((s) => s.key === task.id)).toHaveLength(1)
})

test('an event refused because the database dropped out (in-process consumers) is retried in a second, however often it failed', async () => {
  // What postgres.js throws when PostgreSQL closes the connection under a consumer.
  const closed = () => Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' })
  const { bus, recover } = recordingBus({ failing: true, refusal: closed })
  const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'database blip' } })
  // As after many refusals during an outage: a broker's refusal would now wait 60 s.
  await t.database.db.execute(sql`update outbox_events set attempts = 9 where partition_key = ${task.id}`)
  const relay = new Relay({ database: t.database, bus, log })
  await relay.start()
  const retryIn = async () =>
    (await rows<{ s: number | null; last_error: string | null }>(
      t.database,
      sql`select extract(epoch from next_attempt_at - now())::float8 as s, last_error from outbox_events where partition_key = ${task.id}`,
    ))[0]!
  let row = await retryIn()
  await until('the refusal recorded', async () => (row = await retryIn()).last_error !== null, { timeoutMs: 10_000 })
  recover()
  await relay.stop()
  expect(row.last_error).toContain('CONNECTION_CLOSED')
  expect(Number(row.s)).toBeLessThanOrEqual(1)
})

test('rows claimed when the database dropped out mid-round go out once it is back, not when their 30 s lease ends', async () => {
  // Fault injection over the real database: from the moment the bus has the event, every statement fails as
  // postgres.js fails when PostgreSQL closes the connection, until `back`. The real outage is in faults.test.ts.
  const closed = () => Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' })
  let down = false
  const db = new Proxy(t.database.db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (prop !== 'execute') return value
      return (query: unknown) => (down ? Promise.reject(closed()) : (value as (q: unknown) => Promise<unknown>).call(target, query))
    },
  })
  const seen: string[] = []
  const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'published as the database went' } })
  const bus: EventBus = {
    kind: 'in-process',
    async publish(_topic, event: CloudEvent, key) {
      if (key !== task.id) return
      seen.push(event.id)
      down = seen.length === 1
    },
  }
  const relay = new Relay({ database: { ...t.database, db }, bus, log })
  await relay.start()
  await until('the first publish', () => seen.length === 1, { timeoutMs: 10_000 })
  // Down for two retries of the relay's round.
  await Bun.sleep(2500)
  down = false
  const unpublished = async () => Number((await rows<{ n: string }>(t.database, sql`select count(*) as n from outbox_events where partition_key = ${task.id} and published_at is null`))[0]!.n)
  await until('the event to be marked published', async () => (await unpublished()) === 0, { timeoutMs: 10_000 })
  await relay.stop()
  // Delivered at least once: published when the database went, and again because that could not be recorded.
  expect(seen).toHaveLength(2)
  expect(new Set(seen).size).toBe(1)
})

test('a relay whose commit LISTEN fails at start still starts, listens again, and is then woken by a commit at once', async () => {
  // A double for one fault: the database refuses the first LISTEN (it was down at start) and then comes back. The
  // sweep runs once an hour here, so only the LISTEN can publish the event promptly.
  let refusals = 1
  const listen: typeof t.database.listen = (...args) => (refusals-- > 0 ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : t.database.listen(...args))
  const { bus, seen } = recordingBus()
  const relay = new Relay({ database: { ...t.database, listen }, bus, log, pollMs: 3_600_000, listenBeatMs: 50 })
  await relay.start()
  await relay.drain()
  await until('the LISTEN to be tried again', () => refusals < 0, { timeoutMs: 5_000 })
  // In place once its first ping comes back: a few beats.
  await Bun.sleep(300)
  const before = seen.length
  await t.call('POST', '/api/v1/tasks', { token, body: { title: 'after the LISTEN came back' } })
  await until('the commit to wake the relay', () => seen.length > before, { timeoutMs: 3_000 })
  await relay.stop()
  expect(await pending()).toBe(0)
})
