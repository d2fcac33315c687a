// Reminders with the local scheduler and the in-process bus: the API, following the task, firing once, notifications.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { LocalScheduler } from '../src/features/reminders/scheduler'
import { createLogger } from '../src/lib/log'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { until } from './helpers/wait'

let t: TestApp
let token: string
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  t = await testApp({ events: true })
  token = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
})
afterAll(() => t.dispose())

const task = async (body: Record<string, unknown>) => (await t.call('POST', '/api/v1/tasks', { token, body })).body
const remind = (taskId: string, body: unknown, who = token) => t.call('POST', `/api/v1/tasks/${taskId}/reminders`, { token: who, body })
const reminder = async (id: string) => (await rows<{ status: string; remind_at: Date | string; fired_at: unknown }>(t.database, sql`select status, remind_at, fired_at from reminders where id = ${id}`))[0]!

describe('setting reminders', () => {
  test('a lead time before the due date, or an absolute time; listed soonest first', async () => {
    const due = inMinutes(120)
    const { id } = await task({ title: 'Call mum', due_date: due })
    const lead = await remind(id, { lead: '1h' })
    expect(lead.status).toBe(201)
    expect(lead.body).toMatchObject({ task_id: id, lead: '1h', status: 'pending', remind_at: new Date(Date.parse(due) - 3_600_000).toISOString() })
    const custom = await remind(id, { lead: '90m' })
    expect(custom.body.lead).toBe('90m')
    const at = await remind(id, { remind_at: inMinutes(20) })
    expect(at.body.lead).toBeNull()
    const list = await t.call('GET', `/api/v1/tasks/${id}/reminders`, { token })
    expect(list.body.items.map((r: { lead: string | null }) => r.lead)).toEqual([null, '90m', '1h'])
  })

  const bad: Array<[string, Record<string, unknown>, string, string]> = [
    ['a time in the past', { remind_at: '2020-01-01T10:00:00Z' }, 'remind_at', 'already passed'],
    ['both kinds', { lead: '15m', remind_at: '2030-01-01T10:00:00Z' }, 'remind_at', 'exactly one'],
    ['neither kind', {}, 'lead', 'exactly one'],
    ['a malformed lead', { lead: 'soon' }, 'lead', '15m'],
    ['a zero lead', { lead: '0m' }, 'lead', '15m'],
    ['a date without time', { remind_at: '2030-01-01' }, 'remind_at', 'date-time'],
    ['an unknown field', { lead: '15m', channel: 'sms' }, 'channel', 'not a'],
  ]
  for (const [name, body, field, message] of bad) {
    test(`${name} is refused naming ${field}`, async () => {
      const { id } = await task({ title: `bad ${name}`, due_date: inMinutes(600) })
      const res = await remind(id, body)
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe(field)
      expect(res.body.error.message).toContain(message)
    })
  }

  test('a lead time on a task without a due date is refused with a clear message', async () => {
    const { id } = await task({ title: 'Someday' })
    const res = await remind(id, { lead: '15m' })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ field: 'lead', message: expect.stringContaining('no due date') })
  })

  test("another user's task and reminder answer 404", async () => {
    const other = await t.signUp()
    const { id } = await task({ title: 'Mine', due_date: inMinutes(600) })
    const mine = (await remind(id, { lead: '15m' })).body
    expect((await remind(id, { lead: '15m' }, other.token)).status).toBe(404)
    expect((await t.call('GET', `/api/v1/tasks/${id}/reminders`, { token: other.token })).status).toBe(404)
    expect((await t.call('DELETE', `/api/v1/reminders/${mine.id}`, { token: other.token })).status).toBe(404)
    expect((await t.call('GET', '/api/v1/reminders', { token: other.token })).body.total).toBe(0)
    expect((await reminder(mine.id)).status).toBe('pending')
  })

  test('GET /api/v1/reminders pages upcoming ones soonest first, and past ones', async () => {
    const user = await t.signUp()
    const { body: tk } = await t.call('POST', '/api/v1/tasks', { token: user.token, body: { title: 'many', due_date: inMinutes(24 * 60) } })
    for (const lead of ['1m', '2m', '3m', '4m', '5m']) await remind(tk.id, { lead }, user.token)
    const first = await t.call('GET', '/api/v1/reminders?limit=2', { token: user.token })
    const second = await t.call('GET', `/api/v1/reminders?limit=2&cursor=${first.body.next_cursor}`, { token: user.token })
    expect(first.body.total).toBe(5)
    expect([...first.body.items, ...second.body.items].map((r: { lead: string }) => r.lead)).toEqual(['5m', '4m', '3m', '2m'])
    await t.call('DELETE', `/api/v1/reminders/${first.body.items[0].id}`, { token: user.token })
    const past = await t.call('GET', '/api/v1/reminders?when=past', { token: user.token })
    expect(past.body.items.map((r: { status: string }) => r.status)).toEqual(['cancelled'])
    expect((await t.call('GET', '/api/v1/reminders?when=later', { token: user.token })).body.error.field).toBe('when')
  })
})

describe('reminders follow their task', () => {
  test('moving the due date moves lead-time reminders; completing cancels; reopening re-arms; deleting cancels', async () => {
    const { id } = await task({ title: 'Moving target', due_date: inMinutes(180) })
    const lead = (await remind(id, { lead: '30m' })).body
    const fixed = (await remind(id, { remind_at: inMinutes(60) })).body
    const cancelledByUser = (await remind(id, { lead: '1h' })).body
    await t.call('DELETE', `/api/v1/reminders/${cancelledByUser.id}`, { token })
    const newDue = inMinutes(300)
    await t.call('PATCH', `/api/v1/tasks/${id}`, { token, body: { due_date: newDue } })
    await t.drain()
    expect(new Date((await reminder(lead.id)).remind_at).toISOString()).toBe(new Date(Date.parse(newDue) - 30 * 60_000).toISOString())
    expect(new Date((await reminder(fixed.id)).remind_at).toISOString()).toBe(fixed.remind_at)

    await t.call('POST', `/api/v1/tasks/${id}/complete`, { token })
    await t.drain()
    expect([(await reminder(lead.id)).status, (await reminder(fixed.id)).status]).toEqual(['cancelled', 'cancelled'])

    await t.call('POST', `/api/v1/tasks/${id}/reopen`, { token })
    await t.drain()
    expect([(await reminder(lead.id)).status, (await reminder(fixed.id)).status, (await reminder(cancelledByUser.id)).status]).toEqual(['pending', 'pending', 'cancelled'])

    await t.call('DELETE', `/api/v1/tasks/${id}`, { token })
    await t.drain()
    expect([(await reminder(lead.id)).status, (await reminder(fixed.id)).status]).toEqual(['cancelled', 'cancelled'])
  })
})

describe('firing and delivery', () => {
  test('a due reminder fires on time, once, and lands in the notification centre', async () => {
    const user = await t.signUp()
    const { body: tk } = await t.call('POST', '/api/v1/tasks', { token: user.token, body: { title: 'Take the cake out', due_date: inMinutes(60) } })
    const at = new Date(Date.now() + 1200).toISOString()
    const r = (await remind(tk.id, { remind_at: at }, user.token)).body
    await t.drain()
    await until('the reminder to fire', async () => (await reminder(r.id)).status === 'triggered', { timeoutMs: 5_000 })
    const firedAt = new Date((await rows<{ fired_at: string }>(t.database, sql`select fired_at from reminders where id = ${r.id}`))[0]!.fired_at)
    expect(firedAt.getTime()).toBeGreaterThanOrEqual(Date.parse(at))
    expect(firedAt.getTime() - Date.parse(at)).toBeLessThan(1000)
    const inbox = await t.call('GET', '/api/v1/notifications', { token: user.token })
    expect(inbox.body.unread).toBe(1)
    expect(inbox.body.items[0]).toMatchObject({ task_id: tk.id, title: 'Take the cake out', read: false })
    expect((await t.call('POST', '/api/v1/notifications/read', { token: user.token, body: {} })).status).toBe(204)
    expect((await t.call('GET', '/api/v1/notifications', { token: user.token })).body.unread).toBe(0)
  })

  test('a reminder for a task completed before it fires is cancelled, not delivered', async () => {
    const user = await t.signUp()
    const { body: tk } = await t.call('POST', '/api/v1/tasks', { token: user.token, body: { title: 'Done early', due_date: inMinutes(60) } })
    const r = (await remind(tk.id, { remind_at: new Date(Date.now() + 800).toISOString() }, user.token)).body
    // Completed directly in the database, so the follow-up consumer cannot cancel it first: the delivery check must.
    await t.database.db.execute(sql`update tasks set status = 'completed', completed_at = now() where id = ${tk.id}`)
    await until('the reminder to leave pending', async () => (await reminder(r.id)).status !== 'pending', { timeoutMs: 5_000 })
    expect((await reminder(r.id)).status).toBe('cancelled')
    expect((await t.call('GET', '/api/v1/notifications', { token: user.token })).body.items).toEqual([])
  })
})

describe('the local scheduler', () => {
  test('missed reminders fire once at start, and two schedulers never fire the same reminder twice', async () => {
    const user = await t.signUp()
    const { body: tk } = await t.call('POST', '/api/v1/tasks', { token: user.token, body: { title: 'Missed while down', due_date: inMinutes(60) } })
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await remind(tk.id, { remind_at: inMinutes(30 + i) }, user.token)).body.id)
    await t.drain()
    // As if the app had been down while they came due.
    await t.database.db.execute(sql`update reminders set remind_at = now() - interval '10 minutes' where task_id = ${tk.id}`)
    const log = createLogger('silent')
    const a = new LocalScheduler({ database: t.database, log })
    const b = new LocalScheduler({ database: t.database, log })
    const fired = await Promise.all([a.tick(), b.tick(), t.scheduler!.tick()])
    await Promise.all([a.stop(), b.stop()])
    expect(fired.reduce((x, y) => x + y, 0)).toBe(5)
    const triggered = await rows<{ n: string }>(t.database, sql`select count(*) as n from outbox_events where type = 'reminder.triggered' and partition_key = ${tk.id}`)
    expect(Number(triggered[0]!.n)).toBe(5)
    await t.drain()
    expect((await t.call('GET', '/api/v1/notifications', { token: user.token })).body.items).toHaveLength(5)
    // A later start finds nothing left to fire.
    const c = new LocalScheduler({ database: t.database, log })
    expect(await c.tick()).toBe(0)
    await c.stop()
    for (const id of ids) expect((await reminder(id)).status).toBe('triggered')
  })
})
