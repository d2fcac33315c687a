// The calendar feed: a secret, revocable ICS URL, valid RFC 5545 as ical.js reads it, with RRULE and VALARM.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import ICAL from 'ical.js'
import { fold } from '../src/features/calendar/ics'
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

beforeAll(async () => {
  t = await testApp()
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

test('long lines fold at 75 octets without splitting a character', () => {
  const line = `SUMMARY:${'é'.repeat(60)}${'x'.repeat(40)}`
  const folded = fold(line)
  for (const part of folded.split('\r\n')) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75)
  expect(folded.split('\r\n').map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line)
})
