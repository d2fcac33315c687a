// Two users: neither can see nor change the other's tasks or tokens on any route; foreign ids read as missing.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'

let t: TestApp
let alice: string
let bob: string
let aliceTask: { id: string; title: string; updated_at: string }
let aliceToken: { id: string; token: string }

beforeAll(async () => {
  t = await testApp()
  alice = (await t.signUp()).token
  bob = (await t.signUp()).token
  aliceTask = (await t.call('POST', '/api/v1/tasks', { token: alice, body: { title: 'Alice secret plan', tags: ['private'], due_date: '2026-12-01T10:00:00Z' } })).body
  aliceToken = (await t.call('POST', '/api/v1/tokens', { token: alice, body: { name: 'alice laptop' } })).body
  await t.call('POST', '/api/v1/tasks', { token: bob, body: { title: 'Bob groceries' } })
})
afterAll(() => t.dispose())

describe("Bob and Alice's task", () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', ''],
    ['PATCH', '', { title: 'Hijacked' }],
    ['DELETE', ''],
    ['POST', '/complete'],
    ['POST', '/reopen'],
  ]
  for (const [method, suffix, body] of routes) {
    test(`${method} /api/v1/tasks/:id${suffix} answers 404 exactly like a missing task`, async () => {
      const foreign = await t.call(method, `/api/v1/tasks/${aliceTask.id}${suffix}`, { token: bob, body })
      const missing = await t.call(method, `/api/v1/tasks/01a21411-0000-7000-8000-000000000000${suffix}`, { token: bob, body })
      expect(foreign.status).toBe(404)
      expect(foreign.body).toEqual(missing.body)
    })
  }

  test('the same calls with an Idempotency-Key are 404 too', async () => {
    const res = await t.call('DELETE', `/api/v1/tasks/${aliceTask.id}`, { token: bob, headers: { 'idempotency-key': 'bob-1' } })
    expect(res.status).toBe(404)
  })

  test("after all of Bob's attempts, Alice's task is unchanged", async () => {
    const res = await t.call('GET', `/api/v1/tasks/${aliceTask.id}`, { token: alice })
    expect(res.status).toBe(200)
    expect(res.body).toEqual(aliceTask)
  })
})

describe('lists and search', () => {
  test("Bob's list, search, tag filter and due range never include Alice's task", async () => {
    for (const query of ['', 'search=secret', 'tags=private', 'due_date_from=2026-12-01&due_date_to=2026-12-01', 'status=pending&sort=title']) {
      const res = await t.call('GET', `/api/v1/tasks?${query}`, { token: bob })
      expect(res.status).toBe(200)
      expect(res.text).not.toContain(aliceTask.id)
      expect(res.text).not.toContain('Alice secret plan')
    }
    const all = await t.call('GET', '/api/v1/tasks', { token: bob })
    expect(all.body.total).toBe(1)
  })

  test("a cursor from Alice's list shows Bob only his own tasks", async () => {
    for (let i = 0; i < 3; i++) await t.call('POST', '/api/v1/tasks', { token: alice, body: { title: `alice ${i}` } })
    const page = await t.call('GET', '/api/v1/tasks?limit=1', { token: alice })
    const res = await t.call('GET', `/api/v1/tasks?limit=100&cursor=${page.body.next_cursor}`, { token: bob })
    expect(res.text).not.toContain('alice')
  })
})

describe('tokens and idempotency keys', () => {
  test("Bob cannot see or revoke Alice's API token", async () => {
    const list = await t.call('GET', '/api/v1/tokens', { token: bob })
    expect(list.body.items).toEqual([])
    const revoke = await t.call('DELETE', `/api/v1/tokens/${aliceToken.id}`, { token: bob })
    expect(revoke.status).toBe(404)
    expect((await t.call('GET', '/api/v1/me', { token: aliceToken.token })).status).toBe(200)
  })

  test("Alice's API token acts as Alice only", async () => {
    const me = await t.call('GET', '/api/v1/tasks', { token: aliceToken.token })
    expect(me.text).toContain('Alice secret plan')
    expect(me.text).not.toContain('Bob groceries')
  })

  test('the same Idempotency-Key used by two users creates one task for each', async () => {
    const a = await t.call('POST', '/api/v1/tasks', { token: alice, body: { title: 'Shared key' }, headers: { 'idempotency-key': 'same-key' } })
    const b = await t.call('POST', '/api/v1/tasks', { token: bob, body: { title: 'Shared key' }, headers: { 'idempotency-key': 'same-key' } })
    expect(a.status).toBe(201)
    expect(b.status).toBe(201)
    expect(a.body.id).not.toBe(b.body.id)
    expect((await t.call('GET', `/api/v1/tasks/${a.body.id}`, { token: bob })).status).toBe(404)
  })
})
