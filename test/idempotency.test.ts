// Idempotency-Key: a retried change returns the first result instead of repeating it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await testApp()
  token = (await t.signUp()).token
})
afterAll(() => t.dispose())

const count = async () => (await t.call('GET', '/api/v1/tasks?limit=1', { token })).body.total as number

describe('Idempotency-Key', () => {
  test('a retried create returns the first task, marked as replayed, and stores one row', async () => {
    const before = await count()
    const headers = { 'idempotency-key': 'create-1' }
    const first = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Pay rent' }, headers })
    const retry = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Pay rent' }, headers })
    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.body).toEqual(first.body)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(await count()).toBe(before + 1)
  })

  test('ten concurrent retries of one create make one task', async () => {
    const before = await count()
    const headers = { 'idempotency-key': 'burst-1' }
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => t.call('POST', '/api/v1/tasks', { token, body: { title: 'Only once' }, headers })),
    )
    expect(answers.every((a) => a.status === 201)).toBe(true)
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1)
    expect(await count()).toBe(before + 1)
  })

  test('the same key with a different body is refused with 422', async () => {
    const headers = { 'idempotency-key': 'reuse-1' }
    await t.call('POST', '/api/v1/tasks', { token, body: { title: 'First' }, headers })
    const other = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Second' }, headers })
    expect(other.status).toBe(422)
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' })
  })

  test('without a key, two creates make two tasks', async () => {
    const before = await count()
    await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Twice' } })
    await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Twice' } })
    expect(await count()).toBe(before + 2)
  })

  test('PATCH, complete and DELETE replay too', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Replay me' } })
    const patch1 = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { priority: 'high' }, headers: { 'idempotency-key': 'p-1' } })
    await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { priority: 'low' } })
    const patch2 = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { priority: 'high' }, headers: { 'idempotency-key': 'p-1' } })
    expect(patch2.body).toEqual(patch1.body)
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token })).body.priority).toBe('low')

    const del1 = await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token, headers: { 'idempotency-key': 'd-1' } })
    const del2 = await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token, headers: { 'idempotency-key': 'd-1' } })
    expect(del1.status).toBe(204)
    expect(del2.status).toBe(204)
    expect(del2.headers.get('idempotent-replayed')).toBe('true')
  })

  test('a failed request is not remembered: fixing it and retrying with the key works', async () => {
    const headers = { 'idempotency-key': 'fix-1' }
    const bad = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'x', priority: 'urgent' }, headers })
    expect(bad.status).toBe(400)
    const good = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'x', priority: 'high' }, headers })
    expect(good.status).toBe(201)
  })

  test('a malformed key is a 400 naming the header', async () => {
    const res = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'x' }, headers: { 'idempotency-key': 'has spaces in it' } })
    expect(res.status).toBe(400)
    expect(res.body.error.field).toBe('Idempotency-Key')
  })
})
