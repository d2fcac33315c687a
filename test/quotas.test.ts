// Per-user quotas on tasks, pending reminders and API tokens: one rule for every face, holding under parallel requests.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { browser, csrfOf } from './helpers/web'

let t: TestApp
beforeAll(async () => {
  t = await testApp({ events: true, env: { TASKS_PER_USER: '3', REMINDERS_PER_USER: '3', API_TOKENS_PER_USER: '2', MCP_CALLS_PER_MINUTE: '1000' } })
})
afterAll(async () => {
  await t.dispose()
})

const count = async (table: 'tasks' | 'api_tokens', userId: string) =>
  Number((await rows<{ n: string | number }>(t.database, sql`select count(*) as n from ${sql.identifier(table)} where user_id = ${userId}`))[0]!.n)

async function mcpCall(token: string, name: string, args: Record<string, unknown>) {
  const res = await t.app.handle(
    new Request('http://localhost/mcp', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    }),
  )
  return ((await res.json()) as { result: { isError?: boolean; content: Array<{ text: string }> } }).result
}

describe('tasks', () => {
  test('a full account gets a clear refusal on every face (REST 409, htmx fragment, MCP isError, the assistant says so) and nothing is added', async () => {
    const { token, user } = await t.signUp()
    for (let i = 0; i < 3; i++) expect((await t.call('POST', '/api/v1/tasks', { token, body: { title: `Task ${i}` } })).status).toBe(201)

    const rest = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'One too many' } })
    expect(rest.status).toBe(409)
    expect(rest.body).toEqual({ error: { code: 'quota_exceeded', message: 'An account may keep at most 3 tasks; delete some (completed ones too) first' } })

    const page = await browser(t, 'GET', '/tasks', { session: token })
    const htmx = await browser(t, 'POST', '/tasks', { session: token, form: { title: 'From the quick add', _csrf: csrfOf(page.text) }, headers: { 'hx-request': 'true' } })
    expect(htmx.status).toBe(409)
    expect(htmx.headers.get('content-type')).toContain('text/html')
    expect(htmx.text).toContain('An account may keep at most 3 tasks')

    const mcp = await mcpCall(token, 'add_task', { title: 'From MCP' })
    expect(mcp.isError).toBe(true)
    expect(mcp.content[0]!.text).toContain('at most 3 tasks')

    const chat = await t.call('POST', '/api/v1/chat', { token, body: { message: 'add buy milk tomorrow' } })
    expect(chat.status).toBe(200)
    expect(chat.body.reply).toContain('at most 3 tasks')

    expect(await count('tasks', user.id)).toBe(3)
  })

  test('parallel creates stop exactly at the quota', async () => {
    const { token, user } = await t.signUp()
    const statuses = await Promise.all(Array.from({ length: 24 }, (_, i) => t.call('POST', '/api/v1/tasks', { token, body: { title: `Racer ${i}` } }).then((r) => r.status)))
    expect(statuses.filter((s) => s === 201)).toHaveLength(3)
    expect(statuses.filter((s) => s === 409)).toHaveLength(21)
    expect(await count('tasks', user.id)).toBe(3)
  })

  test('restoring a deleted task and completing a repeating one need room too', async () => {
    const { token, user } = await t.signUp()
    const daily = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Water plants', due_date: '2030-01-01T08:00:00Z', recurrence: 'DAILY' } })).body
    const other = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Other' } })).body
    await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Third' } })
    // Full: completing the repeating task would make its next instance, a fourth task.
    const refused = await t.call('POST', `/api/v1/tasks/${daily.id}/complete`, { token })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('quota_exceeded')
    expect((await t.call('GET', `/api/v1/tasks/${daily.id}`, { token })).body.status).toBe('pending')

    // Delete one, take its place with a new task, then try to undo the delete.
    expect((await t.call('DELETE', `/api/v1/tasks/${other.id}`, { token })).status).toBe(204)
    await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Newcomer' } })
    const page = await browser(t, 'GET', '/tasks', { session: token })
    const restore = await browser(t, 'POST', '/tasks/restore', { session: token, form: { ids: other.id, _csrf: csrfOf(page.text) }, headers: { 'hx-request': 'true' } })
    expect(restore.status).toBe(409)
    expect(restore.text).toContain('at most 3 tasks')
    expect((await t.call('GET', `/api/v1/tasks/${other.id}`, { token })).status).toBe(404)

    // With room again, completing the repeating task makes exactly its next instance.
    const newcomer = (await t.call('GET', '/api/v1/tasks?search=Newcomer', { token })).body.items[0]
    await t.call('DELETE', `/api/v1/tasks/${newcomer.id}`, { token })
    expect((await t.call('POST', `/api/v1/tasks/${daily.id}/complete`, { token })).status).toBe(200)
    await t.drain()
    expect(await count('tasks', user.id)).toBe(3)
    expect((await t.call('GET', '/api/v1/tasks?search=Water&status=pending', { token })).body.total).toBe(1)
  })
})

describe('reminders', () => {
  const future = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString()

  test('pending reminders are capped per user across tasks, on REST and MCP, and under parallel requests', async () => {
    const { token } = await t.signUp()
    const a = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'A', due_date: future(48) } })).body
    const b = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'B', due_date: future(48) } })).body
    const statuses = await Promise.all(
      [a, b, a, b, a, b, a, b].map((task, i) => t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token, body: { remind_at: future(1 + i) } }).then((r) => r.status)),
    )
    expect(statuses.filter((s) => s === 201)).toHaveLength(3)
    expect(statuses.filter((s) => s === 409)).toHaveLength(5)
    const refused = await t.call('POST', `/api/v1/tasks/${a.id}/reminders`, { token, body: { lead: '1h' } })
    expect(refused.body).toEqual({ error: { code: 'quota_exceeded', message: 'An account may keep at most 3 pending reminders; cancel some first' } })
    const mcp = await mcpCall(token, 'set_reminder', { task_id: b.id, lead: '2h' })
    expect(mcp.isError).toBe(true)
    expect(mcp.content[0]!.text).toContain('at most 3 pending reminders')
    expect((await t.call('GET', '/api/v1/reminders', { token })).body.total).toBe(3)
  })

  test('reopening a task does not re-arm its reminders past the limit', async () => {
    const { token } = await t.signUp()
    const first = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'First', due_date: future(48) } })).body
    const second = (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Second', due_date: future(48) } })).body
    for (const lead of ['1h', '2h', '3h']) expect((await t.call('POST', `/api/v1/tasks/${first.id}/reminders`, { token, body: { lead } })).status).toBe(201)
    // Completing the task cancels its reminders, which frees the quota for another task's.
    await t.call('POST', `/api/v1/tasks/${first.id}/complete`, { token })
    await t.drain()
    for (const lead of ['1h', '2h', '3h']) expect((await t.call('POST', `/api/v1/tasks/${second.id}/reminders`, { token, body: { lead } })).status).toBe(201)
    await t.call('POST', `/api/v1/tasks/${first.id}/reopen`, { token })
    await t.drain()
    expect((await t.call('GET', '/api/v1/reminders', { token })).body.total).toBe(3)
    const firsts = (await t.call('GET', `/api/v1/tasks/${first.id}/reminders`, { token })).body.items as Array<{ status: string }>
    expect(firsts.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled'])
  })
})

describe('API tokens', () => {
  test('active tokens are capped per user, under parallel requests too; revoking one makes room', async () => {
    const { token, user } = await t.signUp()
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => t.call('POST', '/api/v1/tokens', { token, body: { name: `t${i}` } }).then((r) => r.status)))
    expect(statuses.filter((s) => s === 201)).toHaveLength(2)
    expect(statuses.filter((s) => s === 409)).toHaveLength(6)
    expect(await count('api_tokens', user.id)).toBe(2)
    const refused = await t.call('POST', '/api/v1/tokens', { token, body: { name: 'one more' } })
    expect(refused.body).toEqual({ error: { code: 'quota_exceeded', message: 'An account may keep at most 2 active API tokens; revoke one you no longer use first' } })
    const [first] = (await t.call('GET', '/api/v1/tokens', { token })).body.items
    expect((await t.call('DELETE', `/api/v1/tokens/${first.id}`, { token })).status).toBe(204)
    expect((await t.call('POST', '/api/v1/tokens', { token, body: { name: 'replacement' } })).status).toBe(201)
  })
})
