// The calendar feed: a secret, revocable ICS URL, valid RFC 5545 as ical.js reads it, with RRULE and VALARM.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import ICAL from 'ical.js'
import { RRule } from 'rrule'
import { sql } from 'drizzle-orm'
import { escapeText, fold } from '../src/features/calendar/ics'
import { testApp, type TestApp } from './helpers/app'

let t: TestApp
let token: string
let csrf: string

const page = async (method: string, path: string, form?: Record<string, string>) => {
  const res = await t.app.handle(
    new Request(`http://localhost${path}`, {
      method,
      headers: { cookie: `session=${token}`, accept: 'text/html', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    }),
  )
  return { status: res.status, text: await res.text() }
}
const feedUrl = (html: string) => /<code class="token-value">(http[^<]+\.ics)<\/code>/.exec(html)?.[1]
const fetchFeed = async (url: string) => {
  const res = await t.app.handle(new Request(url))
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
}

// The feed holds a window around "now": this file's tasks are due in January 2030.
const NOW = new Date('2029-12-20T12:00:00Z')

beforeAll(async () => {
  t = await testApp({ clock: () => NOW })
  const signed = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
  token = signed.token
  csrf = /name="_csrf" value="([^"]+)"/.exec((await page('GET', '/settings')).text)![1]!
})
afterAll(() => t.dispose())

test('the feed is valid iCalendar: tasks with due dates as events, repeats as RRULE, reminders as VALARM', async () => {
  const api = (path: string, body: unknown) => t.call('POST', path, { token, body })
  const weekly = (await api('/api/v1/tasks', { title: 'Team sync; notes, agenda', description: 'line one\nline two', recurrence: 'WEEKLY', due_date: '2030-01-07T09:00', tags: ['work', 'meetings'], priority: 'high' })).body
  const monthly = (await api('/api/v1/tasks', { title: 'Pay rent', recurrence: 'MONTHLY', due_date: '2030-01-31T10:00' })).body
  await api('/api/v1/tasks', { title: 'No date' })
  const done = (await api('/api/v1/tasks', { title: 'Already done', due_date: '2030-01-02T10:00' })).body
  await t.call('POST', `/api/v1/tasks/${done.id}/complete`, { token })
  const lead = (await api(`/api/v1/tasks/${weekly.id}/reminders`, { lead: '15m' })).body
  await api(`/api/v1/tasks/${weekly.id}/reminders`, { remind_at: '2030-01-06T20:00:00Z' })
  const other = await t.signUp()
  await t.call('POST', '/api/v1/tasks', { token: other.token, body: { title: 'Someone else', due_date: '2030-01-03T10:00:00Z' } })

  const created = await page('POST', '/settings/calendar', { _csrf: csrf })
  const url = feedUrl(created.text)!
  expect(url).toMatch(/^http:\/\/localhost\/calendar\/tcf_[A-Za-z0-9_-]+\.ics$/)
  const feed = await fetchFeed(url)
  expect(feed.status).toBe(200)
  expect(feed.type).toBe('text/calendar; charset=utf-8')
  expect(feed.text).toContain('\r\n')
  for (const line of feed.text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)

  const cal = new ICAL.Component(ICAL.parse(feed.text))
  expect(cal.getFirstPropertyValue('version')).toBe('2.0')
  const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
  expect(events.map((e) => e.summary).sort()).toEqual(['Pay rent', 'Team sync; notes, agenda'])
  const sync = events.find((e) => e.uid === `${weekly.id}@todo-chatbot`)!
  expect(sync.description).toBe('line one\nline two')
  expect(sync.startDate.toJSDate().toISOString()).toBe('2030-01-07T08:00:00.000Z')
  expect(sync.isRecurring()).toBe(true)
  expect(sync.component.getFirstPropertyValue('rrule')!.toString()).toBe('FREQ=WEEKLY')
  expect(sync.component.getFirstProperty('categories')!.getValues()).toEqual(['work', 'meetings'])
  const alarms = sync.component.getAllSubcomponents('valarm')
  expect(alarms).toHaveLength(2)
  const triggers = alarms.map((a) => a.getFirstPropertyValue('trigger')!.toString()).sort()
  expect(triggers).toEqual(['-PT15M', '2030-01-06T20:00:00Z'])
  expect(alarms.some((a) => a.getFirstPropertyValue('uid') === `${lead.id}@todo-chatbot`)).toBe(true)
  // The next occurrences as a calendar computes them keep Berlin's 09:00 and the month's end.
  const next = sync.iterator()
  next.next()
  expect(next.next()!.toJSDate().toISOString()).toBe('2030-01-14T08:00:00.000Z')
  const rent = events.find((e) => e.uid === `${monthly.id}@todo-chatbot`)!
  const months = rent.iterator()
  const dates = [months.next(), months.next(), months.next()].map((d) => d!.toJSDate().toISOString().slice(0, 10))
  expect(dates).toEqual(['2030-01-31', '2030-02-28', '2030-03-31'])
})

test('a new link revokes the old one; turning the feed off revokes it too', async () => {
  const first = feedUrl((await page('POST', '/settings/calendar', { _csrf: csrf })).text)!
  const second = feedUrl((await page('POST', '/settings/calendar', { _csrf: csrf })).text)!
  expect((await fetchFeed(first)).status).toBe(404)
  expect((await fetchFeed(second)).status).toBe(200)
  const settings = await page('GET', '/settings')
  expect(settings.text).not.toContain(second)
  expect(settings.text).toContain('Reset the link')
  expect((await page('POST', '/settings/calendar/revoke', { _csrf: csrf })).status).toBe(303)
  expect((await fetchFeed(second)).status).toBe(404)
  expect((await fetchFeed('http://localhost/calendar/nonsense.ics')).status).toBe(404)
})

test("a project's feed: the same secret then the project's id, only that project's tasks, named after it; never another user's project", async () => {
  const call = (method: string, path: string, body?: unknown, as = token) => t.call(method, path, { token: as, body })
  const garden = (await call('POST', '/api/v1/projects', { name: 'Garden north' })).body
  await call('POST', '/api/v1/tasks', { title: 'Prune roses', due_date: '2030-01-08T10:00', project_id: garden.id })
  await call('POST', '/api/v1/tasks', { title: 'Pay taxes', due_date: '2030-01-09T10:00' })
  const url = feedUrl((await page('POST', '/settings/calendar', { _csrf: csrf })).text)!
  const projectUrl = url.replace(/\.ics$/, `/${garden.id}.ics`)
  const feed = await fetchFeed(projectUrl)
  expect(feed.status).toBe(200)
  expect(feed.type).toContain('text/calendar')
  const vcalendar = new ICAL.Component(ICAL.parse(feed.text))
  expect(vcalendar.getFirstPropertyValue('x-wr-calname')).toBe('Garden north (todo-chatbot)')
  expect(vcalendar.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('summary'))).toEqual(['Prune roses'])
  expect((await fetchFeed(url)).text).toContain('Pay taxes')
  // Another user's project, an unknown id or a malformed one answer as an unknown secret does; so does a revoked secret.
  const { token: other } = await t.signUp()
  const theirs = (await call('POST', '/api/v1/projects', { name: 'Theirs' }, other)).body
  await call('POST', '/api/v1/tasks', { title: 'Their secret', due_date: '2030-01-08T10:00', project_id: theirs.id }, other)
  for (const wrong of [theirs.id, crypto.randomUUID(), 'not-a-uuid']) {
    const res = await fetchFeed(url.replace(/\.ics$/, `/${wrong}.ics`))
    expect({ wrong, status: res.status }).toEqual({ wrong, status: 404 })
    expect(res.text).not.toContain('Their secret')
  }
  expect((await fetchFeed(url.replace(/\.ics$/, `/${garden.id}`))).status).toBe(404)
  await page('POST', '/settings/calendar/revoke', { _csrf: csrf })
  expect((await fetchFeed(projectUrl)).status).toBe(404)
})

test('long lines fold at 75 octets without splitting a character', () => {
  const line = `SUMMARY:${'é'.repeat(60)}${'x'.repeat(40)}`
  const folded = fold(line)
  for (const part of folded.split('\r\n')) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75)
  expect(folded.split('\r\n').map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line)
})

test('long lines fold at 75 octets without splitting a four-byte character either', () => {
  const line = `DESCRIPTION:${'a'.repeat(61)}${'😀'.repeat(30)}`
  const folded = fold(line)
  for (const part of folded.split('\r\n')) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75)
  expect(folded.split('\r\n').map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line)
})

test('a bare CR, CRLF or LF in a title or description becomes \\n, and no text can start a property of its own', async () => {
  const { token: mine } = await t.signUp()
  const title = 'Standup\rATTENDEE:mailto:evil@example.com'
  const description = 'one\rtwo\r\nthree\nfour; five, six \\ seven'
  const created = await t.call('POST', '/api/v1/tasks', { token: mine, body: { title, description, due_date: '2030-01-03T09:00:00Z' } })
  expect(created.status).toBe(201)
  const settings = await t.app.handle(new Request('http://localhost/settings', { headers: { cookie: `session=${mine}`, accept: 'text/html' } }))
  const csrfMine = /name="_csrf" value="([^"]+)"/.exec(await settings.text())![1]!
  const link = await t.app.handle(
    new Request('http://localhost/settings/calendar', {
      method: 'POST',
      headers: { cookie: `session=${mine}`, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfMine }).toString(),
    }),
  )
  const feed = await fetchFeed(feedUrl(await link.text())!)
  // Every line break is a CRLF the feed wrote: none comes from the text.
  expect(feed.text).not.toMatch(/\r(?!\n)|(?<!\r)\n/)
  expect(feed.text.split('\r\n').some((line) => line.startsWith('ATTENDEE'))).toBe(false)
  const [event] = new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
  expect(event!.summary).toBe('Standup\nATTENDEE:mailto:evil@example.com')
  expect(event!.description).toBe('one\ntwo\nthree\nfour; five, six \\ seven')
  expect(event!.component.getFirstProperty('attendee')).toBeNull()
  // Other control characters (which input validation refuses anyway) never reach the feed.
  expect(escapeText('a\u0000b\u0007c\u000bd\u001fe\u007ff\u0085g\th')).toBe('abcdefg\th')
})

test('the feed is capped: open tasks due from 90 days ago to a year ahead, at most 500, the upcoming ones first', async () => {
  const subscribe = async () => {
    const user = await t.signUp()
    const html = await (await t.app.handle(new Request('http://localhost/settings', { headers: { cookie: `session=${user.token}`, accept: 'text/html' } }))).text()
    const created = await t.app.handle(
      new Request('http://localhost/settings/calendar', {
        method: 'POST',
        headers: { cookie: `session=${user.token}`, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]! }).toString(),
      }),
    )
    return { id: user.user.id, url: feedUrl(await created.text())! }
  }
  const add = (userId: string, label: string, count: number, firstHours: number, stepHours: number) =>
    t.database.db.execute(sql`insert into tasks (id, user_id, title, due_date, created_at, updated_at)
      select gen_random_uuid(), ${userId}, ${label} || ' ' || g, ${NOW.toISOString()}::timestamptz + (${firstHours} + g * ${stepHours}) * interval '1 hour', now(), now()
      from generate_series(0, ${count - 1}) g`)
  const starts = async (url: string) => {
    const feed = await fetchFeed(url)
    expect(feed.status).toBe(200)
    return new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent').map((c) => {
      const e = new ICAL.Event(c)
      return { summary: e.summary, at: e.startDate.toJSDate().getTime() }
    })
  }
  const DAY = 86_400_000

  const busy = await subscribe()
  await add(busy.id, 'Upcoming', 600, 1, 1)
  await add(busy.id, 'Overdue', 50, -24, -1)
  await add(busy.id, 'Ancient', 20, -24 * 100, -1)
  await add(busy.id, 'Far', 20, 24 * 400, 1)
  const full = await starts(busy.url)
  expect(full).toHaveLength(500)
  // The 500 soonest upcoming tasks: no overdue, ancient or far-off one makes it in.
  expect(full.every((e) => e.summary.startsWith('Upcoming '))).toBe(true)
  expect(Math.max(...full.map((e) => e.at))).toBe(NOW.getTime() + 500 * 3_600_000)

  const quiet = await subscribe()
  await add(quiet.id, 'Upcoming', 30, 1, 24)
  await add(quiet.id, 'Overdue', 50, -24, -24)
  await add(quiet.id, 'Ancient', 20, -24 * 100, -24)
  await add(quiet.id, 'Far', 20, 24 * 400, 24)
  const window = await starts(quiet.url)
  expect(window).toHaveLength(80)
  expect(window.every((e) => e.at >= NOW.getTime() - 90 * DAY && e.at <= NOW.getTime() + 366 * DAY)).toBe(true)
  expect(window.filter((e) => e.summary.startsWith('Overdue '))).toHaveLength(50)
})

test('a series with COUNT ends in the feed after the instances it has left, as a calendar app counts them', async () => {
  const { token: mine } = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
  const api = (body: unknown) => t.call('POST', '/api/v1/tasks', { token: mine, body })
  const fresh = (await api({ title: 'Twelve lessons', recurrence: 'FREQ=WEEKLY;COUNT=12', due_date: '2030-01-07T18:00' })).body
  const later = (await api({ title: 'Twelve pills', recurrence: 'FREQ=DAILY;COUNT=12', due_date: '2030-01-03T08:00' })).body
  // The pill series is on its 5th instance: 4 are done, 8 are left (this one included).
  await t.database.db.execute(sql`update tasks set occurrence = 5 where id = ${later.id}`)
  const html = await (await t.app.handle(new Request('http://localhost/settings', { headers: { cookie: `session=${mine}`, accept: 'text/html' } }))).text()
  const created = await t.app.handle(
    new Request('http://localhost/settings/calendar', {
      method: 'POST',
      headers: { cookie: `session=${mine}`, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]! }).toString(),
    }),
  )
  const feed = await fetchFeed(feedUrl(await created.text())!)
  const events = new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
  const instances = (id: string) => {
    const event = events.find((e) => e.uid === `${id}@todo-chatbot`)!
    const rule = event.component.getFirstPropertyValue('rrule')!.toString()
    // As the rrule package reads it, from the event's start.
    const byRrule = new RRule({ ...RRule.parseString(rule), dtstart: event.startDate.toJSDate() }).all()
    // As ical.js (a calendar app's parser) expands it.
    const byIcal: string[] = []
    const it = event.iterator()
    for (let next = it.next(); next && byIcal.length < 100; next = it.next()) byIcal.push(next.toJSDate().toISOString())
    return { rule, byRrule: byRrule.map((d) => d.toISOString()), byIcal }
  }
  const lessons = instances(fresh.id)
  expect(lessons.rule).toContain('COUNT=12')
  expect(lessons.byRrule).toHaveLength(12)
  expect(lessons.byIcal).toHaveLength(12)
  expect(lessons.byIcal.at(-1)).toBe('2030-03-25T17:00:00.000Z')
  const pills = instances(later.id)
  expect(pills.rule).toContain('COUNT=8')
  expect(pills.byRrule).toHaveLength(8)
  expect(pills.byIcal).toEqual(pills.byRrule)
  expect(pills.byIcal.at(-1)).toBe('2030-01-10T07:00:00.000Z')
})
