// Task API: create, read, update, complete, reopen, delete, and every validation error naming its field.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'

let t: TestApp
let token: string

beforeAll(async () => {
  t = await testApp()
  token = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
})
afterAll(() => t.dispose())

describe('task lifecycle', () => {
  test('create with every field, then read it back', async () => {
    const created = await t.call('POST', '/api/v1/tasks', {
      token,
      body: {
        title: '  Call mum  ',
        description: 'About the weekend',
        priority: 'high',
        due_date: '2026-12-01T17:00:00+01:00',
        recurrence: 'weekly',
        recurrence_from: 'completion',
        tags: ['Family', ' phone ', 'family', '#calls'],
      },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      title: 'Call mum',
      description: 'About the weekend',
      status: 'pending',
      priority: 'high',
      due_date: '2026-12-01T16:00:00.000Z',
      recurrence: 'WEEKLY',
      recurrence_from: 'completion',
      tags: ['family', 'phone', 'calls'],
      completed_at: null,
    })
    const got = await t.call('GET', `/api/v1/tasks/${created.body.id}`, { token })
    expect(got.status).toBe(200)
    expect(got.body).toEqual(created.body)
  })

  test('defaults: medium priority, pending, no due date, no tags', async () => {
    const res = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Buy milk' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      description: '',
      priority: 'medium',
      status: 'pending',
      due_date: null,
      all_day: false,
      due_day: null,
      recurrence: null,
      recurrence_from: 'due',
      tags: [],
    })
    expect(Object.keys(res.body).sort()).toEqual(
      ['all_day', 'completed_at', 'created_at', 'description', 'due_date', 'due_day', 'id', 'parent_id', 'priority', 'project_id', 'recurrence', 'recurrence_from', 'status', 'subtasks', 'tags', 'title', 'updated_at'],
    )
    // Without a project, a task goes to the account's Inbox.
    const projects = await t.call('GET', '/api/v1/projects', { token })
    expect(res.body.project_id).toBe(projects.body.items.find((p: { is_inbox: boolean }) => p.is_inbox).id)
  })

  test('a due date without an offset is read in the user time zone (Europe/Berlin)', async () => {
    const winter = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Winter', due_date: '2026-12-24T18:00' } })
    expect(winter.body.due_date).toBe('2026-12-24T17:00:00.000Z')
    const summer = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Summer', due_date: '2026-07-01T09:30:00' } })
    expect(summer.body.due_date).toBe('2026-07-01T07:30:00.000Z')
  })

  test('PATCH changes only the fields sent; null clears optional ones', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', {
      token,
      body: { title: 'Write report', description: 'Q4', due_date: '2026-12-10T10:00:00Z', tags: ['work'], recurrence: 'DAILY' },
    })
    const patched = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { priority: 'low', tags: ['Work', 'writing'] } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ title: 'Write report', description: 'Q4', priority: 'low', tags: ['work', 'writing'], recurrence: 'DAILY' })
    const cleared = await t.call('PATCH', `/api/v1/tasks/${task.id}`, {
      token,
      body: { due_date: null, recurrence: null, description: null, tags: null },
    })
    expect(cleared.body).toMatchObject({ due_date: null, recurrence: null, description: '', tags: [] })
    expect(Date.parse(cleared.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(task.updated_at))
  })

  test('complete and reopen set and clear completed_at, and repeating them changes nothing', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Water plants' } })
    const done = await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    expect(done.status).toBe(200)
    expect(done.body.status).toBe('completed')
    expect(done.body.completed_at).not.toBeNull()
    const again = await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    expect(again.body).toEqual(done.body)
    const reopened = await t.call('POST', `/api/v1/tasks/${task.id}/reopen`, { token })
    expect(reopened.body).toMatchObject({ status: 'pending', completed_at: null })
    const viaPatch = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { status: 'completed' } })
    expect(viaPatch.body.status).toBe('completed')
    expect(viaPatch.body.completed_at).not.toBeNull()
  })

  test('delete answers 204, then the task is gone', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Temporary' } })
    const del = await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token })
    expect(del.status).toBe(204)
    expect(del.text).toBe('')
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token })).status).toBe(404)
    expect((await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token })).status).toBe(404)
  })

  test('unknown and malformed ids answer 404', async () => {
    for (const id of ['01a21411-f90e-7312-a232-e906d2a38306', 'not-a-uuid', "1' or '1'='1"]) {
      const res = await t.call('GET', `/api/v1/tasks/${encodeURIComponent(id)}`, { token })
      expect(res.status).toBe(404)
      expect(res.body.error.code).toBe('not_found')
    }
  })
})

describe('validation: a clear 4xx naming the field, and nothing stored', () => {
  const long = (n: number) => 'x'.repeat(n)
  const cases: Array<[string, unknown, string]> = [
    ['missing title', {}, 'title'],
    ['empty title', { title: '' }, 'title'],
    ['blank title', { title: '   ' }, 'title'],
    ['title too long', { title: long(201) }, 'title'],
    ['title not a string', { title: 42 }, 'title'],
    ['title with a NUL byte', { title: 'a\u0000b' }, 'title'],
    ['description too long', { title: 'ok', description: long(4001) }, 'description'],
    ['unknown priority', { title: 'ok', priority: 'urgent' }, 'priority'],
    ['priority wrong type', { title: 'ok', priority: 1 }, 'priority'],
    ['due date not a date', { title: 'ok', due_date: 'tomorrow' }, 'due_date'],
    ['due date impossible', { title: 'ok', due_date: '2026-02-30T10:00:00Z' }, 'due_date'],
    ['due day impossible', { title: 'ok', due_date: '2026-02-30' }, 'due_date'],
    ['due day not padded', { title: 'ok', due_date: '2026-2-3' }, 'due_date'],
    ['due date a number', { title: 'ok', due_date: 1700000000 }, 'due_date'],
    ['bad recurrence', { title: 'ok', recurrence: 'sometimes' }, 'recurrence'],
    ['rrule with unknown part', { title: 'ok', recurrence: 'FREQ=DAILY;FOO=1' }, 'recurrence'],
    ['rrule without FREQ', { title: 'ok', recurrence: 'INTERVAL=2' }, 'recurrence'],
    ['rrule with a bad interval', { title: 'ok', recurrence: 'FREQ=DAILY;INTERVAL=0' }, 'recurrence'],
    ['rrule with count and until', { title: 'ok', recurrence: 'FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z' }, 'recurrence'],
    ['bad recurrence_from', { title: 'ok', recurrence_from: 'whenever' }, 'recurrence_from'],
    ['tags not an array', { title: 'ok', tags: 'a,b' }, 'tags'],
    ['too many tags', { title: 'ok', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
    ['tag too long', { title: 'ok', tags: [long(33)] }, 'tags'],
    ['tag with a comma', { title: 'ok', tags: ['a,b'] }, 'tags'],
    ['empty tag', { title: 'ok', tags: [' '] }, 'tags'],
    ['tag not a string', { title: 'ok', tags: [1] }, 'tags'],
    ['unknown field', { title: 'ok', colour: 'red' }, 'colour'],
    ['status on create', { title: 'ok', status: 'completed' }, 'status'],
    ['body is an array', [{ title: 'ok' }], 'body'],
  ]
  for (const [name, body, field] of cases) {
    test(`create: ${name} → 400 naming ${field}`, async () => {
      const before = await t.call('GET', '/api/v1/tasks?limit=1', { token })
      const res = await t.call('POST', '/api/v1/tasks', { token, body })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.field).toBe(field)
      expect(res.body.error.message.length).toBeGreaterThan(5)
      const after = await t.call('GET', '/api/v1/tasks?limit=1', { token })
      expect(after.body.total).toBe(before.body.total)
    })
  }

  test('update: the same rules apply, and a rejected PATCH changes nothing', async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Stable', tags: ['keep'] } })
    for (const [body, field] of [
      [{ title: '' }, 'title'],
      [{ title: 'New', tags: ['ok', long(40)] }, 'tags'],
      [{ status: 'done' }, 'status'],
      [{}, 'body'],
      [{ id: 'x' }, 'id'],
      [{ priority: 'high', due_date: 'soon' }, 'due_date'],
    ] as const) {
      const res = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body })
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe(field)
    }
    const after = await t.call('GET', `/api/v1/tasks/${task.id}`, { token })
    expect(after.body).toEqual(task)
  })

  test('malformed JSON answers 400 invalid_json naming the body', async () => {
    const res = await t.call('POST', '/api/v1/tasks', { token, raw: '{"title": "unclosed' })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'invalid_json', field: 'body' })
  })

  test('a body over 1 MB answers 413', async () => {
    const res = await t.call('POST', '/api/v1/tasks', { token, raw: JSON.stringify({ title: 'big', description: 'x'.repeat(1_100_000) }) })
    expect(res.status).toBe(413)
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', field: 'body' })
  })

  test('a body that is not JSON is refused with a 4xx naming the body', async () => {
    const res = await t.call('POST', '/api/v1/tasks', { token, raw: 'title=hello', headers: { 'content-type': 'text/plain' } })
    expect(res.status).toBe(400)
    expect(res.body.error.field).toBe('body')
  })

  test('the longest valid values are accepted (limits are inclusive, counted in characters)', async () => {
    const res = await t.call('POST', '/api/v1/tasks', {
      token,
      body: {
        title: '✓'.repeat(200),
        description: 'é'.repeat(4000),
        tags: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(32, 'z')),
        recurrence: 'RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2',
      },
    })
    expect(res.status).toBe(201)
    expect(res.body.recurrence).toBe('FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2')
  })
})
