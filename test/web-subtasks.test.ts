// Completing a task with open subtasks from the pages, in-process: each complete control leads to the offer instead of an
// error, the offer completes with the person's choice and its undo reopens everything it completed, a wrong choice is a
// 400 naming the field, and another person's tasks never show on it.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'
import { browser as browse, csrfOf } from './helpers/web'

let t: TestApp
let alice: { token: string; csrf: string }
let bob: { token: string; csrf: string }

const browser = (method: string, path: string, options: Parameters<typeof browse>[3] = {}) => browse(t, method, path, options)

async function signedIn() {
  const { token } = await t.signUp()
  const page = await browser('GET', '/tasks', { session: token })
  return { token, csrf: csrfOf(page.text) }
}

async function add(who: { token: string }, body: Record<string, unknown>): Promise<string> {
  const res = await t.call('POST', '/api/v1/tasks', { token: who.token, body })
  expect(res.status).toBe(201)
  return res.body.id
}

/** A parent with two open subtasks and one already done. */
async function tree(who: { token: string }, title: string) {
  const parent = await add(who, { title })
  const open = [await add(who, { title: `${title} 1`, parent_id: parent }), await add(who, { title: `${title} 2`, parent_id: parent })]
  const done = await add(who, { title: `${title} done`, parent_id: parent })
  await t.call('POST', `/api/v1/tasks/${done}/complete`, { token: who.token })
  return { parent, open, done }
}

const status = async (who: { token: string }, id: string) => (await t.call('GET', `/api/v1/tasks/${id}`, { token: who.token })).body.status

beforeAll(async () => {
  t = await testApp()
  alice = await signedIn()
  bob = await signedIn()
})
afterAll(() => t.dispose())

test('each complete control leads to the offer when the task has open subtasks, and completes nothing yet', async () => {
  const { parent } = await tree(alice, 'Pack')
  const back = '/tasks?sort=due_date'
  const offer = `/tasks/complete?ids=${parent}&back=${encodeURIComponent(back)}`
  const toggle = await browser('POST', `/tasks/${parent}/toggle`, { session: alice.token, form: { _csrf: alice.csrf, back } })
  expect(toggle.status).toBe(303)
  expect(toggle.headers.get('location')).toBe(offer)
  const htmx = await browser('POST', `/tasks/${parent}/toggle`, { session: alice.token, form: { _csrf: alice.csrf, back }, headers: { 'hx-request': 'true' } })
  expect(htmx.headers.get('hx-redirect')).toBe(offer)
  const bulk = await browser('POST', '/tasks/bulk', { session: alice.token, form: { _csrf: alice.csrf, back, action: 'complete', ids: [parent] } })
  expect(bulk.headers.get('location')).toBe(offer)
  const upcoming = await browser('POST', '/upcoming/complete', { session: alice.token, form: { _csrf: alice.csrf, id: parent } })
  expect(upcoming.headers.get('location')).toBe(`/tasks/complete?ids=${parent}&back=%2Fupcoming`)
  expect(await status(alice, parent)).toBe('pending')

  const page = await browser('GET', offer, { session: alice.token })
  expect(page.status).toBe(200)
  expect(page.text).toContain('Complete &quot;Pack&quot;?')
  expect(page.text).toContain('It has 2 open subtasks')
  expect(page.text).toContain('<li>Pack 1</li>')
  expect(page.text).not.toContain('Pack done')
  expect(page.text).toContain(`name="back" value="${back.replace('&', '&amp;')}"`)
})

test('the offer completes the subtasks too, and its undo reopens all it completed (not the one done before)', async () => {
  const { parent, open, done } = await tree(alice, 'Paint')
  const res = await browser('POST', '/tasks/bulk', {
    session: alice.token,
    form: { _csrf: alice.csrf, back: '/tasks', action: 'complete', ids: [parent], children: 'complete' },
    headers: { 'hx-request': 'true' },
  })
  expect(res.status).toBe(200)
  expect(res.text).toContain('Completed 3 tasks.')
  for (const id of [parent, ...open]) expect(await status(alice, id)).toBe('completed')
  const undoIds = [...res.text.matchAll(/name="ids" value="([^"]+)"/g)].map((m) => m[1]).sort()
  expect(undoIds).toEqual([parent, ...open].sort())
  const undo = await browser('POST', '/tasks/reopen', { session: alice.token, form: { _csrf: alice.csrf, ids: undoIds as string[] }, headers: { 'hx-request': 'true' } })
  expect(undo.status).toBe(200)
  for (const id of [parent, ...open]) expect(await status(alice, id)).toBe('pending')
  expect(await status(alice, done)).toBe('completed')
})

test('"leave them open" completes the parent only; a choice that is neither is a 400 naming children', async () => {
  const { parent, open } = await tree(alice, 'Sort')
  const bad = await browser('POST', '/tasks/bulk', { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks', action: 'complete', ids: [parent], children: 'all' }, headers: { accept: 'application/json' } })
  expect(bad.status).toBe(400)
  expect(JSON.parse(bad.text).error.field).toBe('children')
  const kept = await browser('POST', '/tasks/bulk', { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks', action: 'complete', ids: [parent], children: 'keep' } })
  expect(kept.status).toBe(303)
  expect(await status(alice, parent)).toBe('completed')
  for (const id of open) expect(await status(alice, id)).toBe('pending')
})

test("another person's tasks never show on the offer, and their completion is not reached through it", async () => {
  const { parent, open } = await tree(alice, 'Secret plan')
  const page = await browser('GET', `/tasks/complete?ids=${parent}&back=%2Ftasks`, { session: bob.token })
  expect(page.status).toBe(303)
  expect(page.headers.get('location')).toBe('/tasks')
  const bulk = await browser('POST', '/tasks/bulk', { session: bob.token, form: { _csrf: bob.csrf, back: '/tasks', action: 'complete', ids: [parent], children: 'complete' } })
  expect(bulk.status).toBeLessThan(500)
  for (const id of [parent, ...open]) expect(await status(alice, id)).toBe('pending')
  const offsite = await browser('GET', `/tasks/complete?ids=${parent}&back=${encodeURIComponent('//evil.example')}`, { session: alice.token })
  expect(offsite.text).toContain('name="back" value="/tasks"')
})
