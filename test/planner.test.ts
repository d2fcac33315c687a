// Today: overdue, due today and completed today in the user's zone; overdue tasks moved one at a time or
// all at once, keeping their time of day (across a DST change too), and their reminders following.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { MoveTarget } from '../src/features/planner/model'
import { moveOverdue, todayView } from '../src/features/planner/today'
import { dayBounds, isoDay, localDay } from '../src/lib/time'
import { RRule } from 'rrule'
import { upcomingView } from '../src/features/planner/upcoming'
import { monthView } from '../src/features/planner/month'
import { occurrencesBetween, upcomingDueDates } from '../src/features/tasks/recurrence'
import { DEFAULT_QUOTAS } from '../src/lib/quotas'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { until } from './helpers/wait'

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
/** A calendar day's link: its aria-current, and its name as a screen reader reads it (its text, tags stripped). */
function dayLink(html: string, day: string): { current?: string; name: string } {
  const link = new RegExp(`data-day="${day}"><a class="day-link"([^>]*)>(.*?)</a>`).exec(html)
  if (!link) throw new Error(`no link for ${day}`)
  const current = /aria-current="([^"]+)"/.exec(link[1]!)?.[1]
  return { ...(current ? { current } : {}), name: link[2]!.replace(/<[^>]+>/g, '') }
}

describe('the Today view, at a fixed moment (Saturday 28 March 2026, 15:00 in Berlin, the eve of the DST change)', () => {
  let t: TestApp
  const now = new Date('2026-03-28T14:00:00Z')
  let alice: { token: string; user: { id: string; timezone: string } }
  let bob: { token: string }
  const ids: Record<string, string> = {}

  const page = (token: string, headers: Record<string, string> = {}) => t.call('GET', '/today', { headers: { cookie: `session=${token}`, accept: 'text/html', ...headers } })
  const move = async (token: string, form: Record<string, string | string[]>, htmx = true) => {
    const csrf = csrfOf((await page(token)).text)
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries({ ...form, _csrf: csrf })) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
    return t.call('POST', '/today/move', {
      raw: body.toString(),
      headers: { cookie: `session=${token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...(htmx ? { 'hx-request': 'true', 'hx-target': '#today' } : {}) },
    })
  }
  const due = async (id: string) => (await t.call('GET', `/api/v1/tasks/${id}`, { token: alice.token })).body.due_date

  beforeAll(async () => {
    t = await testApp({ clock: () => now })
    alice = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    bob = await t.signUp(undefined, { timezone: 'America/New_York' })
    const add = async (token: string, title: string, due_date: string | null) => (await t.call('POST', '/api/v1/tasks', { token, body: { title, due_date } })).body.id as string
    ids.lastWeek = await add(alice.token, 'Pay the plumber', '2026-03-21T09:30')
    ids.yesterday = await add(alice.token, 'Call the bank', '2026-03-27T08:00')
    ids.earlyToday = await add(alice.token, 'Water the plants', '2026-03-28T07:00')
    ids.lateToday = await add(alice.token, 'Book the table', '2026-03-28T23:30')
    ids.tomorrow = await add(alice.token, 'Sunday run', '2026-03-29T10:00')
    ids.undated = await add(alice.token, 'Someday', null)
    ids.doneToday = await add(alice.token, 'Buy bread', '2026-03-28T12:00')
    await t.call('POST', `/api/v1/tasks/${ids.doneToday}/complete`, { token: alice.token })
    ids.bobs = await add(bob.token, 'Bob overdue', '2026-03-20T09:00')
  })
  afterAll(() => t.dispose())

  test("the sections follow the user's local day: overdue before it, due during it, completed during it", async () => {
    const view = await todayView({ db: t.database.db, clock: () => now }, { id: alice.user.id, timezone: 'Europe/Berlin' })
    expect(view.day).toEqual({ year: 2026, month: 3, day: 28 })
    expect(view.overdue.map((x) => x.id)).toEqual([ids.lastWeek!, ids.yesterday!])
    expect(view.dueToday.map((x) => x.id)).toEqual([ids.earlyToday!, ids.lateToday!])
    expect(view.completedToday.map((x) => x.id)).toEqual([ids.doneToday!])

    const res = await page(alice.token)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.text).toContain('Today, Saturday 28 March')
    expect(res.text).not.toContain('undefined')
    const section = (id: string) => res.text.slice(res.text.indexOf(`id="${id}-heading"`), res.text.indexOf('</section>', res.text.indexOf(`id="${id}-heading"`)))
    expect(section('overdue')).toContain('Pay the plumber')
    expect(section('overdue')).toContain('Call the bank')
    expect(section('due-today')).toContain('Water the plants')
    expect(section('due-today')).not.toContain('Sunday run')
    expect(section('done-today')).toContain('Buy bread')
    // Never another user's task.
    expect(res.text).not.toContain('Bob overdue')
    // A user in New York is still on Saturday morning: Alice's day is not theirs.
    const bobs = await todayView({ db: t.database.db, clock: () => now }, { id: (await t.call('GET', '/api/v1/me', { token: bob.token })).body.id, timezone: 'America/New_York' })
    expect(bobs.day).toEqual({ year: 2026, month: 3, day: 28 })
    expect(dayBounds({ year: 2026, month: 3, day: 29 }, 'Europe/Berlin')).toEqual({ start: new Date('2026-03-28T23:00:00Z'), end: new Date('2026-03-29T21:59:59.999Z') })
  })

  test('one overdue task moved to tomorrow keeps its time of day, across the DST change', async () => {
    const res = await move(alice.token, { ids: ids.yesterday!, to: 'tomorrow' })
    expect(res.status).toBe(200)
    expect(res.text).toContain('Moved &quot;Call the bank&quot;.')
    // 08:00 in Berlin on Sunday 29 March is 06:00 UTC (summer time began at 02:00).
    expect(await due(ids.yesterday!)).toBe('2026-03-29T06:00:00.000Z')
    // Gone from the overdue section (only the notice names it).
    expect(res.text.slice(res.text.indexOf('</p>'))).not.toContain('Call the bank')
  })

  test('to a chosen day, without htmx: a redirect back to Today', async () => {
    const res = await move(alice.token, { ids: ids.lastWeek!, to: 'date', date: '2026-04-02' }, false)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/today')
    expect(await due(ids.lastWeek!)).toBe('2026-04-02T07:30:00.000Z')
  })

  test('all at once to today; tasks of another user, or not overdue, are left alone', async () => {
    await t.call('PATCH', `/api/v1/tasks/${ids.lastWeek}`, { token: alice.token, body: { due_date: '2026-03-26T18:15' } })
    await t.call('PATCH', `/api/v1/tasks/${ids.yesterday}`, { token: alice.token, body: { due_date: '2026-03-25T06:45' } })
    const moved = await moveOverdue({ db: t.database.db, clock: () => now, quotas: DEFAULT_QUOTAS }, { id: alice.user.id, timezone: 'Europe/Berlin' }, 'all', 'today')
    expect(moved.map((x) => x.id).sort()).toEqual([ids.lastWeek!, ids.yesterday!].sort())
    expect(await due(ids.lastWeek!)).toBe('2026-03-28T17:15:00.000Z')
    expect(await due(ids.yesterday!)).toBe('2026-03-28T05:45:00.000Z')
    // Bob's overdue task, named by id in Alice's request, does not move; nor does a task due later.
    const res = await move(alice.token, { ids: [ids.bobs!, ids.tomorrow!], to: 'today' })
    expect(res.status).toBe(200)
    expect(res.text).toContain('Moved 0 tasks.')
    expect((await t.call('GET', `/api/v1/tasks/${ids.bobs}`, { token: bob.token })).body.due_date).toBe('2026-03-20T13:00:00.000Z')
    expect(await due(ids.tomorrow!)).toBe('2026-03-29T08:00:00.000Z')
  })

  test('a bad target is refused naming the field, and nothing moves', async () => {
    await t.call('PATCH', `/api/v1/tasks/${ids.lastWeek}`, { token: alice.token, body: { due_date: '2026-03-26T18:15' } })
    const forms: Array<Record<string, string>> = [{ to: 'someday' }, { to: 'date', date: '2026-02-30' }, { to: 'date', date: '2026-03-27' }, { to: 'date', date: '' }]
    for (const form of forms) {
      const res = await move(alice.token, { ids: ids.lastWeek!, ...form })
      expect(res.status).toBe(400)
      expect(res.text).toMatch(/to must be (today, tomorrow or a date|today or later)/)
    }
    expect(await due(ids.lastWeek!)).toBe('2026-03-26T17:15:00.000Z')
    expect(MoveTarget.safeParse('2026-13-01').error?.issues[0]?.message).toBe('to must be today, tomorrow or a date (YYYY-MM-DD)')
    const none = await move(alice.token, { to: 'today' })
    expect(none.status).toBe(400)
    expect(none.text).toContain('select at least one task')
  })

  test('the add box: a line without a day is due today (all day), one with a day keeps it; an empty one is named', async () => {
    const add = async (path: string, title: string) => {
      const csrf = csrfOf((await page(alice.token)).text)
      return t.call('POST', path, {
        raw: new URLSearchParams({ title, _csrf: csrf }).toString(),
        headers: { cookie: `session=${alice.token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'hx-request': 'true' },
      })
    }
    const res = await add('/today/add', 'Feed the cat #home')
    expect(res.status).toBe(200)
    expect(res.text).toContain('Added &quot;Feed the cat&quot;.')
    const find = async (q: string) => (await t.call('GET', `/api/v1/tasks?search=${q}`, { token: alice.token })).body.items[0]
    expect(await find('cat')).toMatchObject({ all_day: true, due_day: '2026-03-28', tags: ['home'] })
    expect((await add('/today/add', 'Dentist tuesday 3pm')).status).toBe(200)
    expect(await find('Dentist')).toMatchObject({ due_date: '2026-03-31T13:00:00.000Z' })
    // Upcoming's box makes no day up.
    expect((await add('/upcoming/add', 'Read a novel')).status).toBe(200)
    expect(await find('novel')).toMatchObject({ due_date: null })
    const empty = await add('/today/add', '   ')
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('title')
    for (const q of ['cat', 'Dentist', 'novel']) await t.call('DELETE', `/api/v1/tasks/${(await find(q)).id}`, { token: alice.token })
  })

  test('signed out, /today leads to the log-in', async () => {
    const res = await t.call('GET', '/today', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?next=%2Ftoday')
  })
})

describe('a long overdue backlog: counted in full, the oldest listed, all moved at once', () => {
  test('105 overdue: 100 listed, the heading says 105 and links to the rest; move all moves every one', async () => {
    const now = new Date('2026-03-28T14:00:00Z')
    const t = await testApp({ clock: () => now })
    try {
      const { token, user } = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
      for (let i = 0; i < 105; i++) {
        const day = String(1 + (i % 27)).padStart(2, '0')
        const res = await t.call('POST', '/api/v1/tasks', { token, body: { title: `Backlog ${i}`, due_date: `2026-03-${day}T${String(i % 24).padStart(2, '0')}:00` } })
        expect(res.status).toBe(201)
      }
      const deps = { db: t.database.db, clock: () => now, quotas: DEFAULT_QUOTAS }
      const view = await todayView(deps, { id: user.id, timezone: 'Europe/Berlin' })
      expect(view.overdue).toHaveLength(100)
      expect(view.overdueTotal).toBe(105)
      const page = await t.call('GET', '/today', { headers: { cookie: `session=${token}`, accept: 'text/html' } })
      expect(page.text).toContain('<span class="count">105</span>')
      expect(page.text).toContain('Showing the 100 oldest of 105.')
      // So many overdue tasks fold away below what is due today, closed; the fold says how many.
      expect(page.text.indexOf('id="due-today"') < page.text.indexOf('id="overdue"') || page.text.indexOf('Nothing else is due today.') < page.text.indexOf('id="overdue"')).toBe(true)
      expect(page.text).toContain('<details class="overdue-fold"><summary><span>Overdue: 105 tasks</span></summary>')
      const link = /href="(\/tasks\?status=pending&(?:amp;)?due_date_to=[^"]*)"/.exec(page.text)?.[1]?.replaceAll('&amp;', '&')
      expect(link).toBe('/tasks?status=pending&due_date_to=2026-03-27&sort=due_date&order=asc')
      // The list behind the link: the same query over the API holds every overdue task.
      const listed = await t.call('GET', `/api/v1/tasks${link!.slice('/tasks'.length)}`, { token })
      expect(listed.body.total).toBe(105)
      const moved = await moveOverdue(deps, { id: user.id, timezone: 'Europe/Berlin' }, 'all', 'today')
      expect(moved).toHaveLength(105)
      expect((await todayView(deps, { id: user.id, timezone: 'Europe/Berlin' })).overdueTotal).toBe(0)
    } finally {
      await t.dispose()
    }
  })
})

describe('moving an overdue task updates its reminders', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp({ events: true })
  })
  afterAll(() => t.dispose())

  test('a lead-time reminder that went off for the old date is armed again for the new one; a pending one moves', async () => {
    const { token, user } = await t.signUp(undefined, { timezone: 'America/New_York' })
    const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString()
    const task = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Renew passport', due_date: inHours(30) } })).body
    const fired = (await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token, body: { lead: '1d' } })).body
    const pending = (await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token, body: { lead: '15m' } })).body
    await t.drain()
    // Time passes: the day-before reminder goes off (its task then due in a day), and the task falls overdue (two days ago, 09:00 local).
    const dueSoon = new Date(Date.now() + 24 * 3600_000 - 1000)
    await t.database.db.execute(sql`update tasks set due_date = ${dueSoon.toISOString()} where id = ${task.id}`)
    await t.database.db.execute(sql`update reminders set remind_at = ${new Date(dueSoon.getTime() - 24 * 3600_000).toISOString()} where id = ${fired.id}`)
    await t.database.db.execute(sql`update reminders set remind_at = ${new Date(dueSoon.getTime() - 15 * 60_000).toISOString()} where id = ${pending.id}`)
    // Fired by this tick, or by the scheduler's own wake-up if that came first: either way once.
    await t.scheduler!.tick()
    await until('the day-before reminder to fire', async () => {
      await t.drain()
      const [r] = await rows<{ status: string }>(t.database, sql`select status from reminders where id = ${fired.id}`)
      return r!.status === 'triggered'
    }, { timeoutMs: 5_000 })
    const yesterday = localDay(new Date(), 'America/New_York', -2)
    const { start } = dayBounds(yesterday, 'America/New_York')
    const overdueAt = new Date(start.getTime() + 9 * 3600_000)
    await t.database.db.execute(sql`update tasks set due_date = ${overdueAt.toISOString()} where id = ${task.id}`)
    await t.database.db.execute(sql`update reminders set remind_at = ${new Date(overdueAt.getTime() - 15 * 60_000).toISOString()} where id = ${pending.id}`)
    expect((await rows<{ status: string }>(t.database, sql`select status from reminders where id = ${fired.id}`))[0]!.status).toBe('triggered')

    // Three days ahead: the day-before reminder's new time is still to come.
    const target = isoDay(localDay(new Date(), 'America/New_York', 3))
    const moved = await moveOverdue({ db: t.database.db, clock: () => new Date(), quotas: DEFAULT_QUOTAS }, { id: user.id, timezone: 'America/New_York' }, [task.id], MoveTarget.parse(target))
    expect(moved).toHaveLength(1)
    await t.drain()
    const newDue = new Date(moved[0]!.due_date!)
    const after = await rows<{ id: string; status: string; remind_at: Date }>(t.database, sql`select id, status, remind_at from reminders where task_id = ${task.id}`)
    const byId = Object.fromEntries(after.map((r) => [r.id, r]))
    expect(byId[fired.id]!.status).toBe('pending')
    expect(new Date(byId[fired.id]!.remind_at).getTime()).toBe(newDue.getTime() - 24 * 3600_000)
    expect(byId[pending.id]!.status).toBe('pending')
    expect(new Date(byId[pending.id]!.remind_at).getTime()).toBe(newDue.getTime() - 15 * 60_000)
    // Each change was an event, so the job follows it (reminder.scheduled).
    const [n] = await rows<{ n: string }>(t.database, sql`select count(*) as n from outbox_events where partition_key = ${task.id} and type = 'reminder.scheduled' and created_at > now() - interval '1 minute'`)
    expect(Number(n!.n)).toBeGreaterThanOrEqual(4)
  })
})

describe('Upcoming: 14 days by day, recurring series projected from their rule', () => {
  // Wednesday 25 March 2026, 10:00 in Berlin: the window runs to Tuesday 7 April, across the DST change of 29 March.
  const now = new Date('2026-03-25T09:00:00Z')
  let t: TestApp

  beforeAll(async () => {
    t = await testApp({ clock: () => now })
  })
  afterAll(() => t.dispose())

  /** Each instant's local date and time in `zone` (Intl, independent of our own conversions). */
  const formats = new Map<string, Intl.DateTimeFormat>()
  const local = (iso: string, zone: string) => {
    if (!formats.has(zone)) formats.set(zone, new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }))
    return formats.get(zone)!.format(new Date(iso))
  }
  /** The rule's wall-clock dates between two days, straight from rrule (floating times, read as wall clock). */
  const fromRrule = (rule: string, start: string, from: string, to: string) => {
    const dtstart = new Date(`${start}:00Z`)
    return new RRule({ ...RRule.parseString(rule), dtstart })
      .between(new Date(`${from}T00:00:00Z`), new Date(`${to}T23:59:59Z`), true)
      .map((d) => d.toISOString().slice(0, 16).replace('T', ' '))
  }

  for (const [zone, rule, start, window] of [
    ['Europe/Berlin', 'FREQ=DAILY', '2026-03-25T09:00', ['2026-03-25', '2026-04-07']],
    ['America/New_York', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-03-02T18:30', ['2026-03-02', '2026-03-15']],
  ] as const) {
    test(`projected instances of ${rule} in ${zone} match rrule's dates, at the same wall-clock time across DST`, async () => {
      const clock = zone === 'Europe/Berlin' ? now : new Date('2026-03-02T12:00:00Z')
      const app = await testApp({ clock: () => clock })
      try {
        const { token, user } = await app.signUp(undefined, { timezone: zone })
        const task = (await app.call('POST', '/api/v1/tasks', { token, body: { title: 'Series', due_date: start, recurrence: `RRULE:${rule}` } })).body
        expect(task.id).toBeDefined()
        const days = await upcomingView({ db: app.database.db, clock: () => clock }, { id: user.id, timezone: zone })
        expect(days).toHaveLength(14)
        expect(isoDay(days[0]!.day)).toBe(window[0])
        expect(isoDay(days.at(-1)!.day)).toBe(window[1])
        const projected = days.flatMap((d) => d.projected.map((p) => local(p.due, zone)))
        // rrule's dates after the task's own (the task itself is the first instance, not a projection).
        const expected = fromRrule(rule, start, window[0], window[1]).filter((d) => d > start.replace('T', ' '))
        expect(projected).toEqual(expected)
        expect(days.flatMap((d) => d.tasks.map((x) => x.id))).toEqual([task.id])
        // Every projection sits in the day it is listed under.
        for (const d of days) for (const p of d.projected) expect(local(p.due, zone).slice(0, 10)).toBe(isoDay(d.day))
      } finally {
        await app.dispose()
      }
    })
  }

  test("day and week rules (walked by adding days) give rrule's dates, at every time of day through both DST changes", () => {
    let compared = 0
    for (const zone of ['Europe/Berlin', 'America/New_York']) {
      for (const rule of ['DAILY', 'WEEKLY', 'FREQ=DAILY;INTERVAL=3', 'INTERVAL=2;FREQ=WEEKLY', 'FREQ=DAILY;COUNT=30']) {
        for (let day = 0; day < 365; day += 6) {
          for (const time of ['00:15', '01:30', '09:00', '23:45']) {
            const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10)
            // The instant that is `date time` in the zone (found by asking Intl, not our own conversions).
            const guess = new Date(`${date}T${time}:00Z`)
            const due = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((h) => new Date(guess.getTime() + h * 3_600_000)).find((d) => local(d.toISOString(), zone) === `${date} ${time}`)!
            const to = new Date(due.getTime() + 40 * 86_400_000)
            const task = { recurrence: rule, recurrenceFrom: 'due' as const, dueDate: due, seriesAnchor: null, completedAt: null, occurrence: 1 }
            const ours = occurrencesBetween(task, zone, due, to, 14).map((d) => local(d.toISOString(), zone))
            const options = rule === 'DAILY' ? { freq: RRule.DAILY } : rule === 'WEEKLY' ? { freq: RRule.WEEKLY } : RRule.parseString(rule)
            const dtstart = new Date(`${date}T${time}:00Z`)
            const theirs = new RRule({ ...options, dtstart })
              .between(dtstart, new Date(`${local(to.toISOString(), zone).replace(' ', 'T')}:00Z`), false)
              .slice(0, 14)
              .map((d) => d.toISOString().slice(0, 16).replace('T', ' '))
            expect(ours).toEqual(theirs)
            compared += ours.length
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000)
  })

  test('a task is moved to another day keeping its time; past days, bad dates and other users are refused', async () => {
    const alice = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const bob = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const task = (await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Dentist', due_date: '2026-03-27T14:15' } })).body
    const csrf = csrfOf((await t.call('GET', '/upcoming', { headers: { cookie: `session=${alice.token}`, accept: 'text/html' } })).text)
    const move = (token: string, form: Record<string, string>, csrfToken = csrf) =>
      t.call('POST', '/upcoming/move', {
        raw: new URLSearchParams({ ...form, _csrf: csrfToken }).toString(),
        headers: { cookie: `session=${token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'hx-request': 'true', 'hx-target': '#upcoming' },
      })
    const moved = await move(alice.token, { id: task.id, date: '2026-03-30' })
    expect(moved.status).toBe(200)
    expect(moved.text).toContain('Moved &quot;Dentist&quot;.')
    // 14:15 in Berlin on 30 March (summer time) is 12:15 UTC.
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })).body.due_date).toBe('2026-03-30T12:15:00.000Z')
    for (const date of ['2026-03-24', '2026-02-30', '']) {
      const res = await move(alice.token, { id: task.id, date })
      expect(res.status).toBe(400)
      expect(res.text).toMatch(/date must be/)
    }
    const bobCsrf = csrfOf((await t.call('GET', '/upcoming', { headers: { cookie: `session=${bob.token}`, accept: 'text/html' } })).text)
    expect((await move(bob.token, { id: task.id, date: '2026-03-31' }, bobCsrf)).status).toBe(404)
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })).body.due_date).toBe('2026-03-30T12:15:00.000Z')
    const page = await t.call('GET', '/upcoming', { headers: { cookie: `session=${bob.token}`, accept: 'text/html' } })
    expect(page.text).not.toContain('Dentist')
    expect(page.text).not.toContain('undefined')
  })
})

describe('Calendar: a month grid in the user zone, its month in the URL', () => {
  let t: TestApp
  const now = new Date('2026-11-26T10:00:00Z')
  beforeAll(async () => {
    t = await testApp({ clock: () => now })
  })
  afterAll(() => t.dispose())

  const view = (token: string, query = '', htmx = false) =>
    t.call('GET', `/calendar${query}`, { headers: { cookie: `session=${token}`, accept: 'text/html', ...(htmx ? { 'hx-request': 'true', 'hx-target': '#month' } : {}) } })

  test('weeks from Monday, each day with its count and first titles; another user sees none of them', async () => {
    const alice = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const bob = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const add = (token: string, title: string, due_date: string) => t.call('POST', '/api/v1/tasks', { token, body: { title, due_date } })
    // 00:30 on 5 December in Berlin is still 4 December in UTC: it belongs to the 5th.
    await add(alice.token, 'Just after midnight', '2026-12-05T00:30')
    for (const [i, title] of ['Gifts', 'Cards', 'Tree', 'Lights'].entries()) await add(alice.token, title, `2026-12-12T1${i}:00`)
    await add(alice.token, 'Late November', '2026-11-30T20:00')
    await add(bob.token, "Bob's secret", '2026-12-12T09:00')

    const month = await monthView({ db: t.database.db, clock: () => now }, { id: alice.user.id, timezone: 'Europe/Berlin' }, '2026-12')
    expect(month.previous).toBe('2026-11')
    expect(month.next).toBe('2027-01')
    expect(month.weeks).toHaveLength(5)
    expect(month.weeks.every((w) => w.length === 7)).toBe(true)
    expect(isoDay(month.weeks[0]![0]!.day)).toBe('2026-11-30') // a Monday
    expect(isoDay(month.weeks.at(-1)!.at(-1)!.day)).toBe('2027-01-03') // a Sunday
    const cell = (d: string) => month.weeks.flat().find((c) => isoDay(c.day) === d)!
    expect(cell('2026-11-30')).toMatchObject({ inMonth: false, count: 1 })
    expect(cell('2026-12-04').count).toBe(0)
    expect(cell('2026-12-05').tasks.map((x) => x.title)).toEqual(['Just after midnight'])
    expect(cell('2026-12-12').count).toBe(4)
    expect(cell('2026-12-12').tasks.map((x) => x.title)).toEqual(['Gifts', 'Cards', 'Tree'])

    const page = await view(alice.token, '?month=2026-12')
    expect(page.status).toBe(200)
    expect(page.text).toContain('December 2026')
    expect(page.text).toContain('+1 more')
    // Each day's link is named by its content, the visible number and count with the rest hidden around them.
    expect(dayLink(page.text, '2026-12-12').name).toBe('Sat 12 Dec: 4 tasks')
    expect(dayLink(page.text, '2026-12-04').name).toBe('Fri 4 Dec: no tasks')
    expect(dayLink(page.text, '2026-11-30').name).toBe('Mon 30 Nov: 1 task')
    expect(page.text).toContain('href="/tasks?due_date_from=2026-12-12&amp;due_date_to=2026-12-12&amp;sort=due_date"')
    expect(page.text).not.toContain("Bob&#39;s secret")
    expect(page.text).not.toContain('undefined')
    // Clicking a day opens that day's list: the same filter, as the list reads it.
    const list = await t.call('GET', '/api/v1/tasks?due_date_from=2026-12-12&due_date_to=2026-12-12&sort=due_date', { token: alice.token })
    expect(list.body.items.map((x: { title: string }) => x.title)).toEqual(['Gifts', 'Cards', 'Tree', 'Lights'])
  })

  test("a repeating series' next instances are projected onto the grid's days from today on, for its owner only", async () => {
    const alice = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const bob = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const add = (token: string, body: Record<string, unknown>) => t.call('POST', '/api/v1/tasks', { token, body })
    // Today is Thursday 26 November. Gym, Thursdays at 18:00, was last due a week ago (still open).
    const gym = (await add(alice.token, { title: 'Gym', due_date: '2026-11-19T18:00', recurrence: 'WEEKLY' })).body.id
    // Ten days from the 20th: the instances that fall before today are not shown, nor any after the tenth.
    await add(alice.token, { title: 'Course', due_date: '2026-11-20T09:00', recurrence: 'FREQ=DAILY;COUNT=10' })
    await add(bob.token, { title: "Bob's swim", due_date: '2026-11-20T07:00', recurrence: 'DAILY' })
    const month = await monthView({ db: t.database.db, clock: () => now }, { id: alice.user.id, timezone: 'Europe/Berlin' }, '2026-11')
    const projected = month.weeks.flat().flatMap((c) => c.projected.map((p) => ({ day: isoDay(c.day), title: p.task.title, id: p.task.id, due: p.due })))
    // The grid runs to Sunday 6 December.
    expect(projected.filter((p) => p.title === 'Gym')).toEqual([
      { day: '2026-11-26', title: 'Gym', id: gym, due: '2026-11-26T17:00:00.000Z' },
      { day: '2026-12-03', title: 'Gym', id: gym, due: '2026-12-03T17:00:00.000Z' },
    ])
    expect(projected.filter((p) => p.title === 'Course').map((p) => p.day)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'])
    expect(projected.some((p) => p.title === "Bob's swim")).toBe(false)
    const page = await view(alice.token, '?month=2026-11')
    expect(page.text).toContain(`href="/tasks/${gym}/edit?back=%2Fcalendar%3Fmonth%3D2026-11"`)
    expect(page.text).toContain('(projected: repeats every week)')
    expect(page.text).not.toContain('Bob&#39;s swim')
    // A month that has passed has nothing projected.
    const past = await monthView({ db: t.database.db, clock: () => now }, { id: alice.user.id, timezone: 'Europe/Berlin' }, '2026-10')
    expect(past.weeks.flat().some((c) => c.projected.length > 0)).toBe(false)
  })

  test('the current month by default, today marked; htmx gets the grid alone; a bad month is a 400 naming it', async () => {
    const { token } = await t.signUp(undefined, { timezone: 'Pacific/Auckland' })
    const page = await view(token)
    expect(page.text).toContain('November 2026')
    // 10:00 UTC on 26 November is 23:00 in Auckland: still the 26th there.
    expect(dayLink(page.text, '2026-11-26')).toEqual({ current: 'date', name: 'Thu 26 Nov: no tasks' })
    expect(dayLink(page.text, '2026-11-25').current).toBeUndefined()
    const grid = await view(token, '?month=2027-02', true)
    expect(grid.status).toBe(200)
    expect(grid.text.startsWith('<div id="month"')).toBe(true)
    expect(grid.text).toContain('February 2027')
    for (const bad of ['2026-13', '26-12', 'december', '2026-1']) {
      const res = await view(token, `?month=${bad}`)
      expect(res.status).toBe(400)
      expect(res.text).toContain('month must be a month as YYYY-MM')
    }
  })
})

test('a projection walked once matches completing each instance in turn (presets, month ends, BYDAY, an anchored series, COUNT)', () => {
  const zone = 'America/New_York'
  const cases = [
    { recurrence: 'DAILY', due: '2026-02-20T14:00:00Z', occurrence: 1 },
    { recurrence: 'MONTHLY', due: '2026-01-31T15:00:00Z', occurrence: 1 },
    { recurrence: 'FREQ=WEEKLY;BYDAY=TU,TH', due: '2026-02-26T23:30:00Z', occurrence: 1 },
    { recurrence: 'FREQ=DAILY;COUNT=9', due: '2026-03-01T13:00:00Z', occurrence: 3 },
    { recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', due: '2026-03-04T14:00:00Z', occurrence: 1 },
  ]
  const from = new Date('2026-03-05T05:00:00Z')
  const to = new Date('2026-05-31T03:59:59Z')
  for (const c of cases) {
    for (const anchored of [false, true]) {
      // Anchored: the same series ten instances later, its anchor (the first instance) well before its due date.
      const first = { recurrence: c.recurrence, recurrenceFrom: 'due' as const, dueDate: new Date(c.due), seriesAnchor: null, completedAt: null, occurrence: c.occurrence }
      const later = upcomingDueDates({ ...first, dueDate: new Date(Date.parse(c.due) - 40 * 86_400_000) }, zone, 10).at(-1)
      const task = anchored && later ? { ...first, dueDate: later, seriesAnchor: new Date(Date.parse(c.due) - 40 * 86_400_000), occurrence: c.occurrence + 10 } : first
      for (const max of [3, 14, 60]) {
        const stepped = upcomingDueDates(task, zone, max).filter((d) => d >= from && d <= to).map((d) => d.toISOString())
        expect(occurrencesBetween(task, zone, from, to, max).map((d) => d.toISOString())).toEqual(stepped)
      }
    }
  }
})
