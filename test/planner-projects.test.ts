// Today, Upcoming, the Calendar and Progress of one project (?project=): only its tasks and its series' projections,
// the selector and the page's own links and forms keeping it, the add box adding into it, and another person's
// project (or an unknown id) a 404 on every page and form.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

describe('the planner pages of one project (Saturday 28 March 2026, 15:00 in Berlin)', () => {
  let t: TestApp
  const now = new Date('2026-03-28T14:00:00Z')
  let alice: { token: string }
  let bob: { token: string }
  let work: string
  let bobs: string

  const page = (path: string, token = alice.token, headers: Record<string, string> = {}) =>
    t.call('GET', path, { headers: { cookie: `session=${token}`, accept: 'text/html', ...headers } })
  const post = async (path: string, form: Record<string, string>, htmx = true) => {
    const csrf = csrfOf((await page('/today')).text)
    return t.call('POST', path, {
      raw: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
      headers: { cookie: `session=${alice.token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...(htmx ? { 'hx-request': 'true' } : {}) },
    })
  }
  const add = async (token: string, body: Record<string, unknown>) => {
    const res = await t.call('POST', '/api/v1/tasks', { token, body })
    if (res.status !== 201) throw new Error(res.text)
    return res.body.id as string
  }
  const find = async (q: string) => (await t.call('GET', `/api/v1/tasks?search=${encodeURIComponent(q)}`, { token: alice.token })).body.items[0]
  const completedTotal = (html: string) => Number(/id="completed-total"><span class="value">(\d+)</.exec(html)?.[1])

  beforeAll(async () => {
    t = await testApp({ clock: () => now })
    alice = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    bob = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    work = (await t.call('POST', '/api/v1/projects', { token: alice.token, body: { name: 'Work' } })).body.id
    bobs = (await t.call('POST', '/api/v1/projects', { token: bob.token, body: { name: 'Bob secret' } })).body.id
    await add(alice.token, { title: 'Work today', due_date: '2026-03-28T17:00', project_id: work })
    await add(alice.token, { title: 'Home today', due_date: '2026-03-28T17:00' })
    await add(alice.token, { title: 'Work overdue', due_date: '2026-03-26T09:00', project_id: work })
    await add(alice.token, { title: 'Home overdue', due_date: '2026-03-26T09:00' })
    await add(alice.token, { title: 'Work next week', due_date: '2026-04-02T10:00', project_id: work })
    await add(alice.token, { title: 'Home next week', due_date: '2026-04-02T10:00' })
    await add(alice.token, { title: 'Work standup', due_date: '2026-03-29T09:00', recurrence: 'DAILY', project_id: work })
    await add(alice.token, { title: 'Home gym', due_date: '2026-03-30T18:00', recurrence: 'WEEKLY' })
    for (const body of [{ title: 'Work done', due_date: '2026-03-28T09:00', project_id: work }, { title: 'Home done', due_date: '2026-03-28T09:00' }]) {
      await t.call('POST', `/api/v1/tasks/${await add(alice.token, body)}/complete`, { token: alice.token })
    }
  })
  afterAll(() => t.dispose())

  test("Today of a project lists only its tasks (due, overdue, done); the selector names it; all projects list both", async () => {
    const res = await page(`/today?project=${work}`)
    expect(res.status).toBe(200)
    for (const title of ['Work today', 'Work overdue', 'Work done']) expect(res.text).toContain(title)
    for (const title of ['Home today', 'Home overdue', 'Home done']) expect(res.text).not.toContain(title)
    expect(res.text).toContain('<option value="">All projects</option>')
    expect(res.text).toMatch(new RegExp(`<option value="${work}" selected[^>]*>Work</option>`))
    // The live refresh keeps the project.
    expect(res.text).toContain(`data-live-url="/today?project=${work}"`)
    // Completing or editing a task comes back to the same project's Today.
    expect(res.text).toContain(`name="back" value="/today?project=${work}"`)
    expect(res.text).toContain(`back=${encodeURIComponent(`/today?project=${work}`)}`)
    const all = await page('/today?project=')
    for (const title of ['Work today', 'Home today', 'Work overdue', 'Home overdue']) expect(all.text).toContain(title)
  })

  test("Upcoming and the Calendar of a project show its tasks and its series' projections only; month paging keeps it", async () => {
    const upcoming = await page(`/upcoming?project=${work}`)
    expect(upcoming.status).toBe(200)
    expect(upcoming.text).toContain('Work next week')
    expect(upcoming.text).toContain('Work standup')
    for (const title of ['Home next week', 'Home gym', 'Home today']) expect(upcoming.text).not.toContain(title)
    const month = await page(`/calendar?project=${work}`)
    expect(month.status).toBe(200)
    expect(month.text).toContain('Work next week')
    expect(month.text).toContain('Work standup')
    for (const title of ['Home next week', 'Home gym', 'Home today']) expect(month.text).not.toContain(title)
    expect(month.text).toContain(`href="/calendar?month=2026-04&amp;project=${work}"`)
    // htmx paging gets the grid alone, still of the project.
    const next = await page(`/calendar?month=2026-04&project=${work}`, alice.token, { 'hx-request': 'true' })
    expect(next.text).toContain('Work standup')
    expect(next.text).not.toContain('Home gym')
    expect(next.text).not.toContain('project-picker')
    // A day's link opens that day's tasks of the project in the list.
    const dayLink = /data-day="2026-04-02"><a class="day-link" href="([^"]+)"/.exec(month.text)![1]!.replaceAll('&amp;', '&')
    expect(dayLink).toContain(`project_id=${work}`)
    const list = await page(dayLink)
    expect(list.status).toBe(200)
    expect(list.text).toContain('Work next week')
    expect(list.text).not.toContain('Home next week')
    expect((await page('/calendar')).text).toContain('Home gym')
  })

  test('Progress of a project counts its completions only; the period links keep it', async () => {
    const res = await page(`/progress?project=${work}&days=7`)
    expect(res.status).toBe(200)
    expect(completedTotal(res.text)).toBe(1)
    expect(res.text).toContain(`href="/progress?days=30&amp;project=${work}"`)
    expect(completedTotal((await page('/progress?days=7')).text)).toBe(2)
  })

  test("the add box of a project's Today and Upcoming adds into it; without htmx it comes back to the same project", async () => {
    const today = await post('/today/add', { title: 'Write the report', project: work })
    expect(today.status).toBe(200)
    expect(today.text).toContain('Added &quot;Write the report&quot;.')
    expect(today.text).not.toContain('Home today')
    expect(await find('Write the report')).toMatchObject({ project_id: work, due_day: '2026-03-28' })
    const upcoming = await post('/upcoming/add', { title: 'Plan the offsite friday', project: work }, false)
    expect(upcoming.status).toBe(303)
    expect(upcoming.headers.get('location')).toBe(`/upcoming?project=${work}`)
    expect(await find('Plan the offsite')).toMatchObject({ project_id: work })
    // The add box of the unfiltered page adds to the Inbox, as before.
    await post('/today/add', { title: 'Water the plants' })
    expect((await find('Water the plants')).project_id).not.toBe(work)
  })

  test("moving all overdue tasks from a project's Today moves only that project's", async () => {
    const res = await post('/today/move', { all: '1', to: 'today', project: work })
    expect(res.status).toBe(200)
    expect(res.text).toContain('Moved &quot;Work overdue&quot;.')
    expect((await find('Work overdue')).due_date).toBe('2026-03-28T08:00:00.000Z')
    expect((await find('Home overdue')).due_date).toBe('2026-03-26T08:00:00.000Z')
  })

  test("another person's project, an unknown id or a malformed one is a 404 on every page and form, and nothing is added", async () => {
    for (const id of [bobs, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      for (const path of ['/today', '/upcoming', '/calendar', '/progress']) expect((await page(`${path}?project=${id}`)).status).toBe(404)
      for (const path of ['/today/add', '/upcoming/add']) expect((await post(path, { title: `Sneaky ${path}`, project: id })).status).toBe(404)
      expect((await post('/today/move', { all: '1', to: 'today', project: id })).status).toBe(404)
    }
    expect(await find('Sneaky')).toBeUndefined()
    expect((await t.call('GET', '/api/v1/tasks', { token: bob.token })).body.items).toEqual([])
  })
})
