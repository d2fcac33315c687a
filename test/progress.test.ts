// Progress: the aggregates on a known data set built through the API with a moving clock (a user in New York,
// the week before Friday 27 November 2026, after the DST change of 1 November), and the page that draws them.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { progressView } from '../src/features/planner/progress'
import { niceMax } from '../views/charts'
import { testApp, type TestApp } from './helpers/app'

describe('Progress on a known data set (New York, Friday 27 November 2026, 10:00)', () => {
  let t: TestApp
  let now = new Date('2026-11-01T12:00:00Z')
  const NOW = new Date('2026-11-27T15:00:00Z')
  let alice: { token: string; user: { id: string; timezone: string } }
  let bob: { token: string; user: { id: string } }
  /** New York wall-clock time as an instant (EST, UTC-5, all month). */
  const ny = (local: string) => new Date(`${local}:00-05:00`)
  const at = (local: string) => {
    now = ny(local)
  }
  const add = async (token: string, body: Record<string, unknown>) => {
    const res = await t.call('POST', '/api/v1/tasks', { token, body })
    if (res.status !== 201) throw new Error(res.text)
    return res.body.id as string
  }
  const complete = async (token: string, id: string) => expect((await t.call('POST', `/api/v1/tasks/${id}/complete`, { token })).status).toBe(200)
  const page = (path: string, token: string, headers: Record<string, string> = {}) =>
    t.call('GET', path, { headers: { cookie: `session=${token}`, accept: 'text/html', ...headers } })
  const deps = () => ({ db: t.database.db, clock: () => NOW })
  const actor = () => ({ id: alice.user.id, timezone: 'America/New_York' })

  beforeAll(async () => {
    t = await testApp({ clock: () => now })
    alice = await t.signUp(undefined, { timezone: 'America/New_York' })
    bob = await t.signUp(undefined, { timezone: 'America/New_York' })

    // A run of four days with completions, 13–16 November (the longest streak).
    at('2026-11-01T09:00')
    const early = [] as string[]
    for (let i = 0; i < 4; i++) early.push(await add(alice.token, { title: `Early ${i}` }))
    for (const [i, day] of ['13', '14', '15', '16'].entries()) {
      at(`2026-11-${day}T18:00`)
      await complete(alice.token, early[i]!)
    }

    at('2026-11-10T09:00')
    const a = await add(alice.token, { title: 'A', due_date: '2026-11-20T09:00', tags: ['work'], priority: 'high' })
    const b = await add(alice.token, { title: 'B', due_date: '2026-11-23T09:00', tags: ['work', 'home'] })
    await add(alice.token, { title: 'D', due_date: '2026-11-30T09:00', tags: ['work'] })
    const e = await add(alice.token, { title: 'E', priority: 'high' })
    const f = await add(alice.token, { title: 'F', priority: 'low', tags: ['errand'] })
    await add(alice.token, { title: 'K', due_date: '2026-11-27T09:00' })
    // L is done the day before it is due: never overdue.
    const l = await add(alice.token, { title: 'L', due_date: '2026-11-24T09:00' })
    expect(b).toBeString()

    at('2026-11-22T12:00')
    await complete(alice.token, a)
    at('2026-11-23T15:00')
    await complete(alice.token, l)
    // C is created already overdue (due three days before).
    at('2026-11-24T08:00')
    const c = await add(alice.token, { title: 'C', due_date: '2026-11-21T09:00', tags: ['home'], priority: 'low' })
    // 23:30 in New York is 04:30 UTC the next day: it counts on the 25th, the user's day.
    at('2026-11-25T23:30')
    await complete(alice.token, c)
    at('2026-11-26T10:00')
    await complete(alice.token, e)
    at('2026-11-27T08:00')
    await complete(alice.token, f)

    // Bob's tasks never count for Alice.
    at('2026-11-10T09:00')
    const bobs = await add(bob.token, { title: 'Bob secret', due_date: '2026-11-22T09:00', tags: ['work', 'bobtag'], priority: 'high' })
    await add(bob.token, { title: 'Bob overdue', due_date: '2026-11-21T09:00', tags: ['work'] })
    at('2026-11-24T09:00')
    await complete(bob.token, bobs)
    now = NOW
  })
  afterAll(() => t.dispose())

  test('tasks completed per day over the last 7 days, by the user’s local day', async () => {
    const view = await progressView(deps(), actor(), '7')
    expect(view.days).toBe(7)
    expect(view.today).toEqual({ year: 2026, month: 11, day: 27 })
    expect(view.completed.map((d) => `${d.day.day}:${d.count}`)).toEqual(['21:0', '22:1', '23:1', '24:0', '25:1', '26:1', '27:1'])
  })

  test('overdue at the end of each day, and now for today', async () => {
    const view = await progressView(deps(), actor(), '7')
    // 21: A (due the 20th). 22: A done at noon. 23: B (L, done early, never counts). 24: B and C (created that morning, already overdue).
    // 25: C done at 23:30. 27: B, and K (due 09:00 today, an hour ago).
    expect(view.overdue.map((d) => `${d.day.day}:${d.count}`)).toEqual(['21:1', '22:0', '23:1', '24:2', '25:1', '26:1', '27:2'])
  })

  test('the current streak (25–27) and the longest (13–16), with a gap on the 24th', async () => {
    const view = await progressView(deps(), actor(), '7')
    expect(view.streak).toEqual({ current: 3, longest: 4, today: true })
    // Before anything is done on the 27th, the streak still stands on yesterday's completion.
    const morning = await progressView({ db: t.database.db, clock: () => ny('2026-11-27T07:00') }, actor(), '7')
    expect(morning.streak).toEqual({ current: 2, longest: 4, today: false })
    // A day with no completion at all breaks it.
    const later = await progressView({ db: t.database.db, clock: () => ny('2026-11-29T09:00') }, actor(), '7')
    expect(later.streak.current).toBe(0)
    expect(later.streak.longest).toBe(4)
  })

  test('completion by priority and by tag: done in the period, open now', async () => {
    const view = await progressView(deps(), actor(), '7')
    expect(view.byPriority).toEqual([
      { key: 'high', done: 2, open: 0 },
      { key: 'medium', done: 1, open: 3 },
      { key: 'low', done: 2, open: 0 },
    ])
    expect(view.byTag).toEqual([
      { key: 'work', done: 1, open: 2 },
      { key: 'home', done: 1, open: 1 },
      { key: 'errand', done: 1, open: 0 },
    ])
    expect(view.moreTags).toBe(0)
  })

  test('30 days reach back across the DST change and take in the early run', async () => {
    const view = await progressView(deps(), actor())
    expect(view.days).toBe(30)
    expect(view.completed[0]!.day).toEqual({ year: 2026, month: 10, day: 29 })
    expect(view.completed.reduce((n, d) => n + d.count, 0)).toBe(9)
    expect(view.completed.filter((d) => d.count > 0).map((d) => d.day.day)).toEqual([13, 14, 15, 16, 22, 23, 25, 26, 27])
    expect(view.byPriority.find((p) => p.key === 'medium')).toEqual({ key: 'medium', done: 5, open: 3 })
  })

  test('the page: accessible SVG charts with a title, a description and the figures as a table', async () => {
    const res = await page('/progress?days=7', alice.token)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self';")
    const html = res.text
    for (const id of ['completed-chart', 'overdue-chart', 'priority-chart', 'tag-chart']) {
      expect(html).toContain(`<svg width="100%"`)
      expect(html).toMatch(new RegExp(`aria-labelledby="${id}-title ${id}-desc"`))
      expect(html).toContain(`<title id="${id}-title">`)
      expect(html).toContain(`<desc id="${id}-desc">`)
      expect(html).toContain(`<table id="${id}-table">`)
    }
    expect(html).toContain('5 tasks completed in the last 7 days; the most on Sun 22 Nov (1).')
    expect(html).toContain('2 tasks overdue now')
    expect(html).toContain('<th scope="row">Wed 25 Nov</th><td>1</td>')
    expect(html).toContain('#work: 1 done in the last 7 days, 2 open now')
    // Done in the period and open now are different counts: each figure says which, never as a fraction or a share.
    expect(html).toContain('<text class="figure" x="66.50%" y="19">1 done · 2 open</text>')
    expect(html).toContain('<th scope="col">Done in the last 7 days</th><th scope="col">Open now</th>')
    expect(html).toContain('#work: 2 open now')
    expect(html).not.toMatch(/\d+\/\d+ · \d+%/)
    expect(html).toMatch(/id="streak"><span class="value">3<\/span><span class="label">day streak \(longest 4\)/)
    expect(html).not.toContain('Bob')
    expect(html).not.toContain('bobtag')
    expect(html).not.toContain('undefined')
    expect(html).not.toContain('NaN')
    // No inline style: the CSP's style-src 'self' holds.
    expect(html).not.toContain('style=')
  })

  test('htmx asks for the content alone; the period is in the URL', async () => {
    const res = await page('/progress?days=90', alice.token, { 'hx-request': 'true', 'hx-target': '#progress' })
    expect(res.status).toBe(200)
    expect(res.text.startsWith('<div id="progress"')).toBe(true)
    expect(res.text).not.toContain('<html')
    expect(res.text).toContain('Tasks completed per day, the last 90 days')
    expect(res.text).toMatch(/href="\/progress\?days=90"[^>]*aria-current="true"/)
  })

  test('a period we do not offer is a 400 naming days', async () => {
    for (const days of ['14', 'abc', '-7', '30.0x']) {
      const res = await page(`/progress?days=${days}`, alice.token)
      expect(res.status).toBe(400)
      expect(res.text).toContain('days must be one of 7, 30, 90')
    }
    const json = await t.call('GET', '/progress?days=14', { headers: { cookie: `session=${alice.token}`, accept: 'application/json' } })
    expect(json.status).toBe(400)
  })

  test('signed out, the page sends the browser to sign in', async () => {
    const res = await t.call('GET', '/progress', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toStartWith('/login')
  })

  test('a user with nothing yet sees zeros, not errors', async () => {
    const carol = await t.signUp(undefined, { timezone: 'Asia/Kolkata' })
    const res = await page('/progress', carol.token)
    expect(res.status).toBe(200)
    expect(res.text).toContain('No tasks completed in the last 30 days.')
    expect(res.text).toContain('No tagged tasks open now or done in the last 30 days.')
    expect(res.text).not.toContain('NaN')
  })

  test('gridlines fall on round numbers', () => {
    expect([0, 1, 3, 7, 10, 11, 48, 120].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 50, 200])
  })
})
