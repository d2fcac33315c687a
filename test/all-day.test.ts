// All-day tasks: a due date that is a day with no time, from the API and the form to Today, the list page,
// the calendar feed, recurrence and reminders, in a zone that is not UTC and across a DST change.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import ICAL from 'ical.js'
import { todayView } from '../src/features/planner/today'
import { testApp, type TestApp } from './helpers/app'

let t: TestApp
// Thursday 3 December 2026, 10:00 in New York (EST, UTC-5); tests move it.
let now = new Date('2026-12-03T15:00:00Z')
let alice: { token: string; user: { id: string; timezone: string } }

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
const add = async (body: Record<string, unknown>, token = alice.token) => t.call('POST', '/api/v1/tasks', { token, body })
const get = async (id: string) => (await t.call('GET', `/api/v1/tasks/${id}`, { token: alice.token })).body
const page = async (method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}) => {
  const res = await t.app.handle(
    new Request(`http://localhost${path}`, {
      method,
      headers: { cookie: `session=${alice.token}`, accept: 'text/html', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      body: form ? new URLSearchParams(form).toString() : undefined,
    }),
  )
  return { status: res.status, text: await res.text(), headers: res.headers }
}

beforeAll(async () => {
  t = await testApp({ clock: () => now, events: true })
  alice = await t.signUp(undefined, { timezone: 'America/New_York' })
})
afterAll(() => t.dispose())

describe('the API', () => {
  test('a plain day makes an all-day task, due at the start of that day in the user zone', async () => {
    const res = await add({ title: 'Mum’s birthday', due_date: '2026-12-05' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ all_day: true, due_day: '2026-12-05', due_date: '2026-12-05T05:00:00.000Z' })
    expect(await get(res.body.id)).toMatchObject({ all_day: true, due_day: '2026-12-05', due_date: '2026-12-05T05:00:00.000Z' })
  })

  test('across a DST change, each day starts at its own local midnight', async () => {
    // New York leaves summer time at 02:00 on Sunday 1 November 2026.
    expect((await add({ title: 'Before', due_date: '2026-11-01' })).body).toMatchObject({ due_day: '2026-11-01', due_date: '2026-11-01T04:00:00.000Z' })
    expect((await add({ title: 'After', due_date: '2026-11-02' })).body).toMatchObject({ due_day: '2026-11-02', due_date: '2026-11-02T05:00:00.000Z' })
    // Berlin enters summer time on Sunday 29 March 2026.
    const berlin = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    expect((await add({ title: 'Sat', due_date: '2026-03-28' }, berlin.token)).body).toMatchObject({ due_day: '2026-03-28', due_date: '2026-03-27T23:00:00.000Z' })
    expect((await add({ title: 'Mon', due_date: '2026-03-30' }, berlin.token)).body).toMatchObject({ due_day: '2026-03-30', due_date: '2026-03-29T22:00:00.000Z' })
  })

  test('a date-time makes it timed, a day makes it all-day again, null clears it', async () => {
    const { body: task } = await add({ title: 'Switch', due_date: '2026-12-05' })
    const timed = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token: alice.token, body: { due_date: '2026-12-05T14:30' } })
    expect(timed.status).toBe(200)
    expect(timed.body).toMatchObject({ all_day: false, due_day: null, due_date: '2026-12-05T19:30:00.000Z' })
    const day = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token: alice.token, body: { due_date: '2026-12-06' } })
    expect(day.body).toMatchObject({ all_day: true, due_day: '2026-12-06', due_date: '2026-12-06T05:00:00.000Z' })
    // The task's history shows the days with no time.
    await t.drain()
    const history = await page('GET', `/audit?task_id=${task.id}`)
    expect(history.text).toContain('<del>Sat 5 Dec, 14:30</del> → <ins>Sun 6 Dec</ins>')
    expect(history.text).toContain('<del>Sat 5 Dec</del> → <ins>Sat 5 Dec, 14:30</ins>')
    const cleared = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token: alice.token, body: { due_date: null } })
    expect(cleared.body).toMatchObject({ all_day: false, due_day: null, due_date: null })
  })

  test('a day the calendar does not have is a 400 naming due_date, and nothing is stored', async () => {
    const before = (await t.call('GET', '/api/v1/tasks?limit=1', { token: alice.token })).body.total
    for (const due_date of ['2026-02-30', '2026-13-01', '2026-12-5']) {
      const res = await add({ title: 'Nope', due_date })
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe('due_date')
    }
    const { body: task } = await add({ title: 'Kept' })
    const patched = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token: alice.token, body: { due_date: '2026-02-30' } })
    expect(patched.status).toBe(400)
    expect(patched.body.error.field).toBe('due_date')
    expect((await t.call('GET', '/api/v1/tasks?limit=1', { token: alice.token })).body.total).toBe(before + 1)
  })

  test('the day filter finds it', async () => {
    const { body: task } = await add({ title: 'Filtered all-day', due_date: '2026-12-09' })
    const on = await t.call('GET', '/api/v1/tasks?due_date_from=2026-12-09&due_date_to=2026-12-09', { token: alice.token })
    expect(on.body.items.map((x: { id: string }) => x.id)).toContain(task.id)
    const before = await t.call('GET', '/api/v1/tasks?due_date_to=2026-12-08&search=Filtered', { token: alice.token })
    expect(before.body.items).toHaveLength(0)
  })
})

describe('Today', () => {
  test('it is due today all day long, and overdue only from the next day', async () => {
    const { body: task } = await add({ title: 'Pay the rent', due_date: '2026-12-10' })
    const actor = { id: alice.user.id, timezone: 'America/New_York' }
    const deps = () => ({ db: t.database.db, clock: () => now })
    try {
      // 23:30 on the 10th in New York.
      now = new Date('2026-12-11T04:30:00Z')
      const late = await todayView(deps(), actor)
      expect(late.dueToday.map((x) => x.id)).toContain(task.id)
      expect(late.overdue.map((x) => x.id)).not.toContain(task.id)
      const today = await page('GET', '/today')
      expect(today.text).toContain('Pay the rent')
      expect(today.text).toMatch(/<time datetime="2026-12-10">Thu 10 Dec<\/time><span class="relative">all day<\/span>/)
      // 08:00 on the 11th.
      now = new Date('2026-12-11T13:00:00Z')
      const next = await todayView(deps(), actor)
      expect(next.overdue.map((x) => x.id)).toContain(task.id)
      expect(next.dueToday.map((x) => x.id)).not.toContain(task.id)
    } finally {
      now = new Date('2026-12-03T15:00:00Z')
    }
  })
})

describe('moving', () => {
  test('an overdue all-day task moved to today, or dragged to another day, stays all-day', async () => {
    const { body: old } = await add({ title: 'Old all-day', due_date: '2026-12-01' })
    const csrf = csrfOf((await page('GET', '/today')).text)
    const moved = await page('POST', '/today/move', { ids: old.id, to: 'today', _csrf: csrf })
    expect(moved.status).toBe(303)
    expect(await get(old.id)).toMatchObject({ all_day: true, due_day: '2026-12-03', due_date: '2026-12-03T05:00:00.000Z' })
    const dragged = await page('POST', '/upcoming/move', { id: old.id, date: '2026-12-08', _csrf: csrf })
    expect(dragged.status).toBe(303)
    expect(await get(old.id)).toMatchObject({ all_day: true, due_day: '2026-12-08', due_date: '2026-12-08T05:00:00.000Z' })
  })
})

describe('the pages', () => {
  test('the list shows the day with no time, and the edit form an empty time', async () => {
    const { body: task } = await add({ title: 'Dentist day', due_date: '2026-12-05' })
    const list = await page('GET', '/tasks?search=Dentist')
    expect(list.text).toContain('<time datetime="2026-12-05" title="2026-12-05">Sat 5 Dec</time>')
    expect(list.text).not.toContain('Sat 5 Dec, 00:00')
    const upcoming = await page('GET', '/upcoming')
    expect(upcoming.text).toMatch(/Dentist day<\/a>\s*<div class="meta"><span class="all-day">All day<\/span>/)
    const edit = await page('GET', `/tasks/${task.id}/edit`)
    expect(edit.text).toContain('type="date" name="due" value="2026-12-05"')
    expect(edit.text).toContain('type="time" name="due_time" value=""')
  })

  test('the form makes an all-day task from a day alone, and a timed one with a time (plain POST and htmx)', async () => {
    const csrf = csrfOf((await page('GET', '/tasks')).text)
    const plain = await page('POST', '/tasks', { title: 'Form all-day', due: '2026-12-07', due_time: '', _csrf: csrf })
    expect(plain.status).toBe(303)
    const htmx = await page('POST', '/tasks', { title: 'Form timed', due: '2026-12-07', due_time: '08:15', _csrf: csrf }, { 'hx-request': 'true' })
    expect(htmx.status).toBe(200)
    const found = async (search: string) => (await t.call('GET', `/api/v1/tasks?search=${encodeURIComponent(search)}`, { token: alice.token })).body.items[0]
    expect(await found('Form all-day')).toMatchObject({ all_day: true, due_day: '2026-12-07', due_date: '2026-12-07T05:00:00.000Z' })
    expect(await found('Form timed')).toMatchObject({ all_day: false, due_day: null, due_date: '2026-12-07T13:15:00.000Z' })
    // Editing: clearing the time makes the timed task all-day.
    const timed = await found('Form timed')
    const edited = await page('POST', `/tasks/${timed.id}`, { title: 'Form timed', due: '2026-12-08', due_time: '', _csrf: csrf })
    expect(edited.status).toBe(303)
    expect(await get(timed.id)).toMatchObject({ all_day: true, due_day: '2026-12-08' })
    // A time with no day is refused, naming the field.
    const bad = await page('POST', '/tasks', { title: 'Form bad', due: '', due_time: '08:15', _csrf: csrf }, { 'hx-request': 'true' })
    expect(bad.text).toContain('choose a day for the due time')
    expect(await found('Form bad')).toBeUndefined()
  })
})

describe('the calendar feed', () => {
  test('an all-day task is a DATE event on its day; a timed one keeps its time', async () => {
    const { body: day } = await add({ title: 'Feed all-day', due_date: '2026-12-12' })
    const { body: timed } = await add({ title: 'Feed timed', due_date: '2026-12-12T09:00' })
    const settings = await page('GET', '/settings')
    const created = await page('POST', '/settings/calendar', { _csrf: csrfOf(settings.text) })
    const url = /<code class="token-value">(http[^<]+\.ics)<\/code>/.exec(created.text)![1]!
    const feed = await (await t.app.handle(new Request(url))).text()
    expect(feed).toContain('DTSTART;VALUE=DATE:20261212\r\nDTEND;VALUE=DATE:20261213\r\n')
    const events = new ICAL.Component(ICAL.parse(feed)).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
    const allDay = events.find((e) => e.uid === `${day.id}@todo-chatbot`)!
    expect(allDay.startDate.isDate).toBe(true)
    expect(allDay.startDate.toString()).toBe('2026-12-12')
    const atNine = events.find((e) => e.uid === `${timed.id}@todo-chatbot`)!
    expect(atNine.startDate.isDate).toBe(false)
    expect(atNine.startDate.toJSDate().toISOString()).toBe('2026-12-12T14:00:00.000Z')
  })
})

describe('recurrence and reminders', () => {
  test("a daily all-day task's next instance is all-day on the next day, across the DST change", async () => {
    const { body: first } = await add({ title: 'Daily all-day', due_date: '2026-10-31', recurrence: 'DAILY' })
    await t.call('POST', `/api/v1/tasks/${first.id}/complete`, { token: alice.token })
    await t.drain()
    const list = async () => (await t.call('GET', '/api/v1/tasks?search=Daily%20all-day&sort=due_date&limit=10', { token: alice.token })).body.items
    const [, second] = await list()
    expect(second).toMatchObject({ status: 'pending', all_day: true, due_day: '2026-11-01', due_date: '2026-11-01T04:00:00.000Z' })
    await t.call('POST', `/api/v1/tasks/${second.id}/complete`, { token: alice.token })
    await t.drain()
    const [, , third] = await list()
    expect(third).toMatchObject({ status: 'pending', all_day: true, due_day: '2026-11-02', due_date: '2026-11-02T05:00:00.000Z' })
  })

  test('a lead time counts back from 09:00 on the day; a set time is kept as it is', async () => {
    const { body: task } = await add({ title: 'Remind all-day', due_date: '2026-12-05' })
    const lead = await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: alice.token, body: { lead: '1h' } })
    expect(lead.status).toBe(201)
    // 08:00 in New York.
    expect(lead.body.remind_at).toBe('2026-12-05T13:00:00.000Z')
    const at = await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: alice.token, body: { remind_at: '2026-12-04T20:00' } })
    expect(at.body.remind_at).toBe('2026-12-05T01:00:00.000Z')
    // Moving the task to another day moves the lead-time reminder with it.
    await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token: alice.token, body: { due_date: '2026-12-06' } })
    await t.drain()
    const reminders = (await t.call('GET', `/api/v1/tasks/${task.id}/reminders`, { token: alice.token })).body
    const items = (reminders.items ?? reminders) as Array<{ id: string; remind_at: string }>
    expect(items.find((r) => r.id === lead.body.id)!.remind_at).toBe('2026-12-06T13:00:00.000Z')
    expect(items.find((r) => r.id === at.body.id)!.remind_at).toBe('2026-12-05T01:00:00.000Z')
  })
})
