// Security across users and sessions: Bob's attempts on Alice's data on the routes the other suites leave out,
// sessions that end when they should, and the web log-in form's lock after repeated failures from one address.
// Shared projects, by role (owner, editor, viewer, ex-member, stranger) on every route: security-roles*.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { PASSWORD, testApp, type TestApp } from './helpers/app'
import { until } from './helpers/wait'
import { browser, csrfOf } from './helpers/web'

interface Person {
  token: string
  csrf: string
  email: string
}

let t: TestApp
let url: string
let alice: Person
let bob: Person

/** An id no task, token, reminder, notification or conversation has. */
const MISSING = '01a21411-0000-7000-8000-000000000000'

async function signedIn(app: TestApp): Promise<Person> {
  const { token, user } = await app.signUp()
  const page = await browser(app, 'GET', '/tasks', { session: token })
  return { token, csrf: csrfOf(page.text), email: user.email }
}

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'security-tests', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } })
  await client.connect(transport)
  return client
}

type ToolResult = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> }
const tool = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolResult

/** The session values a response sets (Set-Cookie: session=...), in order. */
const sessionCookies = (headers: Headers) =>
  headers
    .getSetCookie()
    .map((c) => /^session=([^;]*)/.exec(c)?.[1])
    .filter((v): v is string => v !== undefined)

beforeAll(async () => {
  t = await testApp({ events: true })
  const server = t.app.listen({ port: 0, hostname: '127.0.0.1' })
  url = `http://127.0.0.1:${server.server!.port}`
  alice = await signedIn(t)
  bob = await signedIn(t)
})
afterAll(async () => {
  await t.app.stop(true)
  await t.dispose()
})

describe('cross-user access: a 404, or for id lists the same answer as an unknown id, and nothing changes', () => {
  test("Bob marking Alice's notification read answers as for a missing id, and it stays unread", async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice cake', due_date: new Date(Date.now() + 3_600_000).toISOString() } })
    const reminder = await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: alice.token, body: { remind_at: new Date(Date.now() + 1000).toISOString() } })
    expect(reminder.status).toBe(201)
    await t.drain()
    await until("Alice's reminder to fire", async () => {
      await t.drain()
      return (await t.call('GET', '/api/v1/notifications', { token: alice.token })).body.unread === 1
    }, { timeoutMs: 5_000 })
    const before = await t.call('GET', '/api/v1/notifications', { token: alice.token })
    const notification = before.body.items[0]
    expect(notification).toMatchObject({ task_id: task.id, title: 'Alice cake', read: false })

    const foreign = await t.call('POST', '/api/v1/notifications/read', { token: bob.token, body: { ids: [notification.id] } })
    const missing = await t.call('POST', '/api/v1/notifications/read', { token: bob.token, body: { ids: [MISSING] } })
    const all = await t.call('POST', '/api/v1/notifications/read', { token: bob.token, body: {} })
    expect(foreign.status).toBe(missing.status)
    expect(foreign.text).toBe(missing.text)
    expect(all.status).toBe(204)

    const bobs = await t.call('GET', '/api/v1/notifications', { token: bob.token })
    expect(bobs.body).toEqual({ items: [], unread: 0 })
    const after = await t.call('GET', '/api/v1/notifications', { token: alice.token })
    expect(after.body.unread).toBe(1)
    expect(after.body.items).toEqual(before.body.items)
  })

  test("Bob's audit query for Alice's task shows none of its entries", async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice audited secret' } })
    await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token: alice.token, body: { priority: 'high' } })
    await t.drain()
    const mine = await t.call('GET', `/api/v1/audit?task_id=${task.id}`, { token: alice.token })
    expect(mine.status).toBe(200)
    expect(mine.body.total).toBe(2)

    const foreign = await t.call('GET', `/api/v1/audit?task_id=${task.id}`, { token: bob.token })
    const missing = await t.call('GET', `/api/v1/audit?task_id=${MISSING}`, { token: bob.token })
    expect(foreign.status).toBe(missing.status)
    expect(foreign.body).toEqual({ items: [], total: 0, total_is_exact: true, next_cursor: null })
    expect(foreign.text).not.toContain('Alice audited secret')
    const everything = await t.call('GET', '/api/v1/audit?limit=100', { token: bob.token })
    expect(everything.text).not.toContain(task.id)
  })

  test("Bob's bulk complete naming Alice's task answers as for a missing id, and her task stays pending", async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice bulk target' } })
    const foreign = await browser(t, 'POST', '/tasks/bulk', { session: bob.token, form: { action: 'complete', ids: [task.id], _csrf: bob.csrf } })
    const missing = await browser(t, 'POST', '/tasks/bulk', { session: bob.token, form: { action: 'complete', ids: [MISSING], _csrf: bob.csrf } })
    expect(foreign.status).toBe(missing.status)
    expect(foreign.headers.get('location')).toBe(missing.headers.get('location'))
    const htmx = await browser(t, 'POST', '/tasks/bulk', { session: bob.token, form: { action: 'complete', ids: [task.id] }, headers: { 'hx-request': 'true', 'x-csrf-token': bob.csrf } })
    expect(htmx.text).toContain('Completed 0 tasks.')
    expect(htmx.text).not.toContain('Alice bulk target')

    const after = await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })
    expect(after.status).toBe(200)
    expect(after.body).toEqual(task)
  })

  test("Bob restoring a task Alice deleted: it stays deleted, Bob gets no such task, and Alice can still restore it", async () => {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice binned plan' } })
    expect((await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token: alice.token })).status).toBe(204)

    const foreign = await browser(t, 'POST', '/tasks/restore', { session: bob.token, form: { ids: [task.id], _csrf: bob.csrf } })
    const missing = await browser(t, 'POST', '/tasks/restore', { session: bob.token, form: { ids: [MISSING], _csrf: bob.csrf } })
    expect(foreign.status).toBe(missing.status)
    const htmx = await browser(t, 'POST', '/tasks/restore', { session: bob.token, form: { ids: [task.id] }, headers: { 'hx-request': 'true', 'x-csrf-token': bob.csrf } })
    expect(htmx.text).toContain('Restored 0 tasks.')
    expect(htmx.text).not.toContain('Alice binned plan')

    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })).status).toBe(404)
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: bob.token })).status).toBe(404)
    expect((await t.call('GET', '/api/v1/tasks?limit=100', { token: bob.token })).text).not.toContain('Alice binned plan')
    // Alice's undo is intact: Bob's attempt did not consume it.
    const restored = await browser(t, 'POST', '/tasks/restore', { session: alice.token, form: { ids: [task.id], _csrf: alice.csrf } })
    expect(restored.status).toBe(303)
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })).body).toMatchObject({ id: task.id, title: 'Alice binned plan', status: 'pending' })
  })

  test("Bob revoking Alice's API token from the settings page answers 404 and the token still works", async () => {
    const created = await t.call('POST', '/api/v1/tokens', { token: alice.token, body: { name: 'alice cli' } })
    expect(created.status).toBe(201)
    for (const htmx of [false, true]) {
      const res = await browser(t, 'POST', `/settings/tokens/${created.body.id}/revoke`, {
        session: bob.token,
        form: { _csrf: bob.csrf },
        headers: htmx ? { 'hx-request': 'true' } : {},
      })
      expect(res.status).toBe(404)
      expect(res.text).not.toContain('alice cli')
    }
    expect((await t.call('GET', '/api/v1/me', { token: created.body.token })).status).toBe(200)
    const listed = await t.call('GET', '/api/v1/tokens', { token: alice.token })
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id)
  })

  test("Bob reading or continuing Alice's conversation on the chat page, form and stream answers 404", async () => {
    const started = await t.call('POST', '/api/v1/chat', { token: alice.token, body: { message: 'add buy milk' } })
    expect(started.status).toBe(200)
    const id = started.body.conversation_id as string
    const before = await t.call('GET', `/api/v1/chat/${id}`, { token: alice.token })
    expect(before.status).toBe(200)
    expect(JSON.stringify(before.body)).toContain('buy milk')

    const page = await browser(t, 'GET', `/chat?c=${id}`, { session: bob.token })
    const posted = await browser(t, 'POST', '/chat', { session: bob.token, form: { message: 'list', conversation_id: id, _csrf: bob.csrf } })
    const streamed = await browser(t, 'POST', '/chat/stream', { session: bob.token, form: { message: 'list', conversation_id: id }, headers: { 'x-csrf-token': bob.csrf } })
    const answers = { page: page.status, post: posted.status, stream: streamed.status }
    for (const res of [page, posted, streamed]) expect(res.text).not.toContain('buy milk')
    expect(answers).toEqual({ page: 404, post: 404, stream: 404 })

    const after = await t.call('GET', `/api/v1/chat/${id}`, { token: alice.token })
    expect(after.body).toEqual(before.body)
  })

  test("Bob's MCP calls on Alice's task and reminder answer not found and change nothing", async () => {
    const { body: done } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice finished thing' } })
    expect((await t.call('POST', `/api/v1/tasks/${done.id}/complete`, { token: alice.token })).body.status).toBe('completed')
    const { body: open } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice dentist', due_date: '2030-06-01T09:00:00Z' } })
    const { body: reminder } = await t.call('POST', `/api/v1/tasks/${open.id}/reminders`, { token: alice.token, body: { lead: '1d' } })
    await t.drain()
    const remindersBefore = await t.call('GET', `/api/v1/tasks/${open.id}/reminders`, { token: alice.token })
    expect(remindersBefore.body.items).toEqual([expect.objectContaining({ id: reminder.id, status: 'pending' })])

    const client = await connect(bob.token)
    try {
      for (const [name, args] of [
        ['reopen_task', { task_id: done.id }],
        ['cancel_reminder', { reminder_id: reminder.id }],
        ['list_reminders', { task_id: open.id }],
      ] as const) {
        const res = await tool(client, name, args)
        expect({ name, isError: res.isError }).toEqual({ name, isError: true })
        expect(res.content[0]!.text).toContain('not found')
        // Nothing of Alice's comes back: no title, no reminder.
        expect(JSON.stringify(res)).not.toContain('Alice')
        expect(res.structuredContent).toBeUndefined()
      }
    } finally {
      await client.close()
    }

    expect((await t.call('GET', `/api/v1/tasks/${done.id}`, { token: alice.token })).body.status).toBe('completed')
    const remindersAfter = await t.call('GET', `/api/v1/tasks/${open.id}/reminders`, { token: alice.token })
    expect(remindersAfter.body).toEqual(remindersBefore.body)
  })

  test("Bob's restore_task cannot bring back Alice's deleted task; Alice's own can", async () => {
    const { body: gone } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice deleted thing' } })
    expect((await t.call('DELETE', `/api/v1/tasks/${gone.id}`, { token: alice.token })).status).toBeLessThan(300)
    const bobs = await connect(bob.token)
    try {
      const res = await tool(bobs, 'restore_task', { task_id: gone.id })
      expect(res.isError).toBe(true)
      expect(res.content[0]!.text).toContain('not found')
      expect(JSON.stringify(res)).not.toContain('Alice')
    } finally {
      await bobs.close()
    }
    expect((await t.call('GET', `/api/v1/tasks/${gone.id}`, { token: alice.token })).status).toBe(404)
    expect((await t.call('GET', `/api/v1/tasks/${gone.id}`, { token: bob.token })).status).toBe(404)
    const alices = await connect(alice.token)
    try {
      expect((await tool(alices, 'restore_task', { task_id: gone.id })).structuredContent).toMatchObject({ id: gone.id, title: 'Alice deleted thing' })
    } finally {
      await alices.close()
    }
  })

  test("Bob can neither hang a task under Alice's nor read her subtasks through parent_id, on REST or MCP", async () => {
    const { body: parent } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice party' } })
    const { body: child } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice cake', parent_id: parent.id } })
    const { body: own } = await t.call('POST', '/api/v1/tasks', { token: bob.token, body: { title: 'Bob own' } })

    // Alice's task as a parent reads exactly like an unknown one.
    const attach = await t.call('POST', '/api/v1/tasks', { token: bob.token, body: { title: 'Bob sneaks in', parent_id: parent.id } })
    const unknown = await t.call('POST', '/api/v1/tasks', { token: bob.token, body: { title: 'Bob sneaks in', parent_id: MISSING } })
    expect(attach.status).toBe(404)
    expect(attach.text).toBe(unknown.text)
    const move = await t.call('PATCH', `/api/v1/tasks/${own.id}`, { token: bob.token, body: { parent_id: parent.id } })
    expect(move.status).toBe(404)
    expect(move.body.error.field).toBe('parent_id')
    // Nor can he move her subtask under his task, or out from under hers.
    expect((await t.call('PATCH', `/api/v1/tasks/${child.id}`, { token: bob.token, body: { parent_id: own.id } })).status).toBe(404)
    expect((await t.call('PATCH', `/api/v1/tasks/${child.id}`, { token: bob.token, body: { parent_id: null } })).status).toBe(404)
    const listed = await t.call('GET', `/api/v1/tasks?parent_id=${parent.id}`, { token: bob.token })
    expect(listed.status).toBe(200)
    expect(listed.body.items).toEqual([])

    const client = await connect(bob.token)
    try {
      const added = await tool(client, 'add_task', { title: 'Bob sneaks in', parent_id: parent.id })
      expect(added.isError).toBe(true)
      expect(added.content[0]!.text).toContain('not found')
      const children = await tool(client, 'list_tasks', { parent_id: parent.id })
      expect(children.structuredContent.items).toEqual([])
      expect(JSON.stringify(children)).not.toContain('Alice')
    } finally {
      await client.close()
    }
    const alices = await t.call('GET', `/api/v1/tasks?parent_id=${parent.id}`, { token: alice.token })
    expect(alices.body.items.map((task: { id: string }) => task.id)).toEqual([child.id])
    expect((await t.call('GET', `/api/v1/tasks/${parent.id}`, { token: alice.token })).body.subtasks).toEqual({ total: 1, done: 0 })
    expect((await t.call('GET', `/api/v1/tasks/${own.id}`, { token: bob.token })).body.parent_id).toBeNull()
  })
})

describe('sessions', () => {
  test('each web log-in issues a new session, different from the earlier ones', async () => {
    const { token, user } = await t.signUp()
    const values: string[] = []
    for (const ip of ['192.0.2.31', '192.0.2.32']) {
      const form = await browser(t, 'GET', '/login')
      expect(form.status).toBe(200)
      const cookie = form.headers.getSetCookie().find((c) => c.startsWith('csrf='))!.split(';')[0]!
      const res = await browser(t, 'POST', '/login', { form: { email: user.email, password: PASSWORD, _csrf: csrfOf(form.text) }, headers: { cookie, 'x-forwarded-for': ip } })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/tasks')
      const sessions = sessionCookies(res.headers)
      expect(sessions).toHaveLength(1)
      expect(sessions[0]).toStartWith('tcs_')
      values.push(decodeURIComponent(sessions[0]!))
    }
    expect(values[0]).not.toBe(values[1])
    expect(values).not.toContain(token)
    for (const value of values) expect((await t.call('GET', '/api/v1/me', { token: value })).body.email).toBe(user.email)
  })

  test('web log-out ends the session: the page sends to log-in and the API answers 401', async () => {
    const me = await signedIn(t)
    const other = await t.call('POST', '/api/v1/auth/login', { body: { email: me.email, password: PASSWORD }, headers: { 'x-forwarded-for': '192.0.2.41' } })
    expect(other.status).toBe(200)
    const out = await browser(t, 'POST', '/logout', { session: me.token, form: { _csrf: me.csrf } })
    expect(out.status).toBe(303)
    expect(out.headers.get('location')).toBe('/login')
    expect(sessionCookies(out.headers)).toEqual([''])

    const page = await browser(t, 'GET', '/tasks', { session: me.token })
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toStartWith('/login')
    // The live stream too (its isolation between users: test/live.test.ts).
    const live = await browser(t, 'GET', '/live', { session: me.token, headers: { accept: 'text/event-stream' } })
    expect(live.status).toBe(401)
    expect((await t.call('GET', '/api/v1/me', { token: me.token })).status).toBe(401)
    // Only that session ended.
    expect((await t.call('GET', '/api/v1/me', { token: other.body.token })).status).toBe(200)
  })

  test('a revoked API token stops working at once, on an open MCP connection, a new one and the REST API', async () => {
    const created = await t.call('POST', '/api/v1/tokens', { token: alice.token, body: { name: 'alice desktop' } })
    const value = created.body.token as string
    const client = await connect(value)
    try {
      expect((await tool(client, 'list_tasks', {})).isError).toBeFalsy()
      expect((await t.call('DELETE', `/api/v1/tokens/${created.body.id}`, { token: alice.token })).status).toBe(204)

      await expect(tool(client, 'list_tasks', {})).rejects.toThrow()
      await expect(connect(value)).rejects.toThrow()
      const raw = await fetch(`${url}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${value}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      })
      expect(raw.status).toBe(401)
    } finally {
      await client.close()
    }
    expect((await t.call('GET', '/api/v1/me', { token: value })).status).toBe(401)
  })
})

describe('imports', () => {
  const calendar = (uid: string, summary: string) => `BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:${uid}\nSUMMARY:${summary}\nEND:VTODO\nEND:VCALENDAR\n`

  test("Bob importing the file Alice imported makes Bob's own task and never touches, shows or counts hers", async () => {
    const file = calendar('shared-uid@example.org', 'Alice imported plan')
    expect((await t.call('POST', '/api/v1/import', { token: alice.token, body: { format: 'ics', file } })).body).toMatchObject({ created: 1, duplicates: 0 })
    const bobs = await t.call('POST', '/api/v1/import', { token: bob.token, body: { format: 'ics', file } })
    expect(bobs.body).toMatchObject({ created: 1, duplicates: 0 })
    const alices = (await t.call('GET', '/api/v1/tasks?search=Alice imported plan', { token: alice.token })).body.items
    const bobsTasks = (await t.call('GET', '/api/v1/tasks?search=Alice imported plan', { token: bob.token })).body.items
    expect(alices).toHaveLength(1)
    expect(bobsTasks).toHaveLength(1)
    expect(bobsTasks[0].id).not.toBe(alices[0].id)
  })

  test('without a token the API answers 401; the settings form without its CSRF token is refused and imports nothing', async () => {
    expect((await t.call('POST', '/api/v1/import', { body: { format: 'ics', file: calendar('x@y', 'Nobody') } })).status).toBe(401)
    const form = new FormData()
    form.set('format', 'ics')
    form.set('file', new File([calendar('forged@example.org', 'Forged import')], 'forged.ics'))
    const res = await t.app.handle(new Request('http://localhost/settings/import', { method: 'POST', headers: { cookie: `session=${bob.token}`, accept: 'text/html' }, body: form }))
    expect(res.status).toBe(403)
    expect((await t.call('GET', '/api/v1/tasks?search=Forged import', { token: bob.token })).body.items).toHaveLength(0)
  })
})

describe('saved filters', () => {
  test("Bob never sees, reads, changes or deletes Alice's saved filters, and his own filter never shows her tasks", async () => {
    const { body: saved } = await t.call('POST', '/api/v1/filters', { token: alice.token, body: { name: 'Alice only', query: '#private | p1' } })
    expect(saved.id).toBeString()
    expect((await t.call('GET', '/api/v1/filters', { token: bob.token })).body.items.map((f: { id: string }) => f.id)).not.toContain(saved.id)
    const calls: Array<[string, unknown?]> = [['GET'], ['PATCH', { name: 'Taken over' }], ['PATCH', { position: 1 }], ['DELETE']]
    for (const [method, body] of calls) {
      const res = await t.call(method, `/api/v1/filters/${saved.id}`, { token: bob.token, body })
      expect({ method, status: res.status }).toEqual({ method, status: 404 })
    }
    // The same name is Bob's to use: names are unique per user.
    expect((await t.call('POST', '/api/v1/filters', { token: bob.token, body: { name: 'Alice only', query: 'p1' } })).status).toBe(201)
    const after = await t.call('GET', `/api/v1/filters/${saved.id}`, { token: alice.token })
    expect(after.body).toMatchObject({ name: 'Alice only', query: '#private | p1', position: 1 })
    await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice private plan', tags: ['private'] } })
    const bobs = await t.call('GET', `/api/v1/tasks?${new URLSearchParams({ filter: '#private | !#private' })}`, { token: bob.token })
    expect(bobs.body.items.map((task: { title: string }) => task.title)).not.toContain('Alice private plan')
  })

  test('without a token every saved-filter route answers 401', async () => {
    for (const [method, path] of [['GET', '/api/v1/filters'], ['POST', '/api/v1/filters'], ['GET', `/api/v1/filters/${crypto.randomUUID()}`], ['PATCH', `/api/v1/filters/${crypto.randomUUID()}`], ['DELETE', `/api/v1/filters/${crypto.randomUUID()}`]] as const) {
      expect({ method, path, status: (await t.call(method, path, { body: method === 'POST' || method === 'PATCH' ? { name: 'x', query: 'p1' } : undefined })).status }).toEqual({ method, path, status: 401 })
    }
  })
})

describe('projects', () => {
  test("Bob never sees, reads, changes or deletes Alice's projects, nor puts a task in one or lists its tasks", async () => {
    const { body: project } = await t.call('POST', '/api/v1/projects', { token: alice.token, body: { name: 'Alice secret project' } })
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice secret task', project_id: project.id } })
    expect(task.project_id).toBe(project.id)
    const bobs = await t.call('GET', '/api/v1/projects?archived=true', { token: bob.token })
    expect(bobs.body.items.map((p: { id: string }) => p.id)).not.toContain(project.id)
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/projects/${project.id}`],
      ['PATCH', `/api/v1/projects/${project.id}`, { name: 'Taken over' }],
      ['PATCH', `/api/v1/projects/${project.id}`, { archived: true }],
      ['DELETE', `/api/v1/projects/${project.id}?tasks=delete`],
      ['DELETE', `/api/v1/projects/${project.id}?tasks=move`],
      ['DELETE', `/api/v1/projects/${project.id}`],
    ]
    for (const [method, path, body] of calls) {
      const res = await t.call(method, path, { token: bob.token, body })
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 })
    }
    // Bob cannot create a task in her project nor move his own there; listing by her project shows him nothing.
    const { body: own } = await t.call('POST', '/api/v1/tasks', { token: bob.token, body: { title: 'Bob task' } })
    expect((await t.call('POST', '/api/v1/tasks', { token: bob.token, body: { title: 'sneak in', project_id: project.id } })).status).toBe(400)
    expect((await t.call('PATCH', `/api/v1/tasks/${own.id}`, { token: bob.token, body: { project_id: project.id } })).status).toBe(400)
    expect((await t.call('GET', `/api/v1/tasks/${own.id}`, { token: bob.token })).body.project_id).not.toBe(project.id)
    const listed = await t.call('GET', `/api/v1/tasks?project_id=${project.id}&status=pending,completed`, { token: bob.token })
    expect(listed.body.items).toEqual([])
    // Nor through the filter language, his calendar feed with her project's id, or MCP by her project's name or id.
    const filtered = await t.call('GET', `/api/v1/tasks?${new URLSearchParams({ filter: '@project:"Alice secret project" | !@project:"Alice secret project"', status: 'pending,completed' })}`, { token: bob.token })
    expect(filtered.body.items.map((x: { title: string }) => x.title)).not.toContain('Alice secret task')
    const feedPage = await browser(t, 'POST', '/settings/calendar', { session: bob.token, form: { _csrf: bob.csrf } })
    const bobFeed = /<code class="token-value">(http[^<]+)\.ics<\/code>/.exec(feedPage.text)![1]!
    const feed = await t.app.handle(new Request(`${bobFeed}/${project.id}.ics`))
    expect(feed.status).toBe(404)
    expect(await feed.text()).not.toContain('Alice secret task')
    const client = await connect(bob.token)
    try {
      for (const ref of ['Alice secret project', project.id]) {
        for (const [name, args] of [['list_tasks', { project: ref }], ['find_tasks', { project: ref }], ['update_project', { project: ref, name: 'Mine' }], ['delete_project', { project: ref, tasks: 'delete' }], ['update_task', { task_id: own.id, project: ref }]] as const) {
          const res = await tool(client, name, args)
          expect({ name, ref, isError: res.isError }).toEqual({ name, ref, isError: true })
        }
      }
      expect((await tool(client, 'find_tasks', { filter: '@project:"Alice secret project"' })).structuredContent.items).toEqual([])
      expect((await tool(client, 'list_projects', { archived: true })).structuredContent.items.map((p: { id: string }) => p.id)).not.toContain(project.id)
    } finally {
      await client.close()
    }
    // Alice's project and task are as she left them.
    expect((await t.call('GET', `/api/v1/projects/${project.id}`, { token: alice.token })).body).toMatchObject({ name: 'Alice secret project', archived: false })
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })).body).toMatchObject({ title: 'Alice secret task', project_id: project.id })
  })

  test("Alice's project in any page URL or form of Bob's answers 404, and nothing of hers changes", async () => {
    const { body: project } = await t.call('POST', '/api/v1/projects', { token: alice.token, body: { name: 'Alice web project' } })
    await t.call('POST', '/api/v1/tasks', { token: alice.token, body: { title: 'Alice web task', project_id: project.id } })
    const { body: own } = await t.call('POST', '/api/v1/tasks', { token: bob.token, body: { title: 'Bob web task' } })
    const form = (fields: Record<string, string>) => ({ ...fields, _csrf: bob.csrf })
    const calls: Array<[string, string, Record<string, string>?]> = [
      ['GET', `/projects/${project.id}`],
      ['GET', `/projects/${project.id}?sort=due_date`],
      ['GET', `/tasks?project_id=${project.id}`],
      ['GET', `/projects/nav?current=${project.id}`],
      ['POST', '/tasks', form({ title: 'sneak in', project_id: project.id })],
      ['POST', `/tasks/${own.id}/move`, form({ project_id: project.id })],
      ['POST', `/tasks/${own.id}`, form({ title: 'Bob web task', project_id: project.id })],
      ['GET', `/projects/${project.id}/settings`],
      ['POST', `/projects/${project.id}`, form({ name: 'Taken over', color: 'red' })],
      ['POST', `/projects/${project.id}/archive`, form({ archived: 'true' })],
      ['POST', `/projects/${project.id}/delete`, form({ tasks: 'delete' })],
      ['POST', `/projects/${project.id}/delete`, form({ tasks: 'move' })],
      ['POST', `/projects/${project.id}/delete`, form({})],
      // The planner pages of one project, and their forms.
      ['GET', `/today?project=${project.id}`],
      ['GET', `/upcoming?project=${project.id}`],
      ['GET', `/calendar?project=${project.id}&month=2026-12`],
      ['GET', `/progress?project=${project.id}&days=7`],
      ['POST', '/today/add', form({ title: 'sneak in today', project: project.id })],
      ['POST', '/upcoming/add', form({ title: 'sneak in upcoming', project: project.id })],
      ['POST', '/today/move', form({ all: '1', to: 'today', project: project.id })],
      ['POST', '/upcoming/move', form({ id: own.id, date: '2099-01-01', project: project.id })],
      ['POST', '/upcoming/complete', form({ id: own.id, project: project.id })],
    ]
    for (const [method, path, fields] of calls) {
      for (const htmx of [false, true]) {
        const headers: Record<string, string> = htmx ? { 'hx-request': 'true', 'x-csrf-token': bob.csrf } : {}
        const res = await browser(t, method, path, { session: bob.token, form: fields, headers })
        expect({ method, path, htmx, status: res.status }).toEqual({ method, path, htmx, status: 404 })
        expect(res.text).not.toContain('Alice web')
      }
    }
    const listed = await t.call('GET', `/api/v1/tasks?project_id=${project.id}&status=pending,completed`, { token: alice.token })
    expect(listed.body.items.map((x: { title: string }) => x.title)).toEqual(['Alice web task'])
    expect((await t.call('GET', `/api/v1/tasks/${own.id}`, { token: bob.token })).body.project_id).not.toBe(project.id)
    expect((await t.call('GET', `/api/v1/projects/${project.id}`, { token: alice.token })).body).toMatchObject({ name: 'Alice web project', archived: false })
  })

  test('without a token every project route answers 401', async () => {
    const id = crypto.randomUUID()
    for (const [method, path] of [['GET', '/api/v1/projects'], ['POST', '/api/v1/projects'], ['GET', `/api/v1/projects/${id}`], ['PATCH', `/api/v1/projects/${id}`], ['DELETE', `/api/v1/projects/${id}`]] as const) {
      expect({ method, path, status: (await t.call(method, path, { body: method === 'POST' || method === 'PATCH' ? { name: 'x' } : undefined })).status }).toEqual({ method, path, status: 401 })
    }
  })
})

describe('brute force', () => {
  test('the web log-in answers 429 to the address that guessed 5 times, even with the right password, until its lock ends; the owner elsewhere gets in', async () => {
    let now = Date.parse('2026-11-25T12:00:00Z')
    const timed = await testApp({ clock: () => new Date(now) })
    try {
      const { user } = await timed.signUp()
      const form = await browser(timed, 'GET', '/login')
      const cookie = form.headers.getSetCookie().find((c) => c.startsWith('csrf='))!.split(';')[0]!
      const csrf = csrfOf(form.text)
      const attempt = (password: string, ip: string) =>
        browser(timed, 'POST', '/login', { form: { email: user.email, password, _csrf: csrf }, headers: { cookie, 'x-forwarded-for': ip } })

      const statuses: number[] = []
      for (let i = 0; i < 5; i++) statuses.push((await attempt(`guess number ${i}`, '203.0.113.60')).status)
      expect(statuses).toEqual([401, 401, 401, 401, 401])

      const sixth = await attempt('guess number 5', '203.0.113.60')
      expect(sixth.status).toBe(429)
      const right = await attempt(PASSWORD, '203.0.113.60')
      expect(right.status).toBe(429)
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(800)
      expect(sessionCookies(right.headers)).toEqual([])
      expect(right.text).toContain('Too many failed log-in attempts')

      // Meanwhile the owner, from their own address, signs in.
      const owner = await attempt(PASSWORD, '198.51.100.61')
      expect(owner.status).toBe(303)
      expect(sessionCookies(owner.headers)[0]).toStartWith('tcs_')

      // The guessing address stays locked until a minute before the window ends...
      now += 14 * 60_000
      expect((await attempt(PASSWORD, '203.0.113.60')).status).toBe(429)
      // ...and not after it.
      now += 60_000 + 1000
      const after = await attempt(PASSWORD, '203.0.113.60')
      expect(after.status).toBe(303)
      expect(sessionCookies(after.headers)[0]).toStartWith('tcs_')
    } finally {
      await timed.dispose()
    }
  })
})

describe('malformed ids: a 4xx on every face, never a 500', () => {
  // Each passed the loose /^[0-9a-f-]{36}$/ some routes used, and reached PostgreSQL's uuid cast.
  const MALFORMED = ['-'.repeat(36), 'a'.repeat(36), '0123456789abcdef0123456789abcdef----', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', 'not-an-id']

  test('REST routes answer 400 or 404 (and an id list treats them as unknown ids)', async () => {
    for (const id of MALFORMED) {
      const calls: Array<[string, string, unknown?]> = [
        ['GET', `/api/v1/tasks/${id}`],
        ['PATCH', `/api/v1/tasks/${id}`, { title: 'x' }],
        ['DELETE', `/api/v1/tasks/${id}`],
        ['POST', `/api/v1/tasks/${id}/complete`],
        ['POST', `/api/v1/tasks/${id}/reopen`],
        ['POST', `/api/v1/tasks/${id}/reminders`, { lead: '1h' }],
        ['GET', `/api/v1/tasks/${id}/reminders`],
        ['DELETE', `/api/v1/reminders/${id}`],
        ['DELETE', `/api/v1/tokens/${id}`],
        ['GET', `/api/v1/filters/${id}`],
        ['PATCH', `/api/v1/filters/${id}`, { name: 'x' }],
        ['DELETE', `/api/v1/filters/${id}`],
        ['GET', `/api/v1/chat/${id}`],
        ['POST', '/api/v1/chat', { message: 'hi', conversation_id: id }],
        ['GET', `/api/v1/audit?task_id=${id}`],
        ['GET', `/api/v1/audit?cursor=${id}`],
      ]
      for (const [method, path, body] of calls) {
        const res = await t.call(method, path, { token: alice.token, body })
        expect({ method, path, status: res.status, refused: res.status === 400 || res.status === 404 }).toMatchObject({ method, path, refused: true })
      }
      const read = await t.call('POST', '/api/v1/notifications/read', { token: alice.token, body: { ids: [id] } })
      expect({ id, status: read.status }).toEqual({ id, status: 204 })
      const job = await t.call('POST', `/job/reminder-${id}`, { body: id })
      expect({ id, status: job.status }).toEqual({ id, status: 404 })
    }
  })

  test('pages and forms answer 4xx, htmx or not', async () => {
    for (const id of MALFORMED) {
      for (const htmx of [false, true]) {
        const headers: Record<string, string> = htmx ? { 'hx-request': 'true' } : {}
        const form = { _csrf: alice.csrf }
        const calls: Array<[string, string, Record<string, string | string[]>?]> = [
          ['GET', `/tasks/${id}/item`],
          ['GET', `/tasks/${id}/edit`],
          ['POST', `/tasks/${id}`, { ...form, title: 'x' }],
          ['POST', `/tasks/${id}/toggle`, form],
          ['POST', `/tasks/${id}/delete`, form],
          ['POST', `/tasks/${id}/indent`, { ...form, parent_id: id }],
          ['POST', `/tasks/${id}/outdent`, form],
          ['POST', '/tasks', { ...form, title: 'x', parent_id: id }],
          ['GET', `/tasks/${id}/reminders`],
          ['POST', `/tasks/${id}/reminders`, { ...form, lead: '1h' }],
          ['POST', `/reminders/${id}/cancel`, form],
          ['POST', `/settings/tokens/${id}/revoke`, form],
          ['GET', `/chat?c=${id}`],
          ['GET', `/audit?task_id=${id}`],
          ['POST', '/tasks/restore', { ...form, ids: [id] }],
          ['POST', '/tasks/bulk', { ...form, action: 'complete', ids: [id] }],
        ]
        for (const [method, path, body] of calls) {
          const res = await browser(t, method, path, { session: alice.token, form: body, headers })
          expect({ method, path, htmx, status: res.status, refused: res.status === 400 || res.status === 404 }).toMatchObject({ method, path, htmx, refused: true })
        }
      }
    }
  })

  test('MCP tools refuse them as tool errors the model can act on', async () => {
    const client = await connect(alice.token)
    try {
      for (const id of MALFORMED) {
        for (const [name, args] of [
          ['get_task', { task_id: id }],
          ['update_task', { task_id: id, title: 'x' }],
          ['complete_task', { task_id: id }],
          ['reopen_task', { task_id: id }],
          ['delete_task', { task_id: id }],
          ['restore_task', { task_id: id }],
          ['set_reminder', { task_id: id, lead: '1h' }],
          ['list_reminders', { task_id: id }],
          ['cancel_reminder', { reminder_id: id }],
        ] as const) {
          const result = await tool(client, name, args)
          expect({ name, id, isError: result.isError, text: result.content[0]?.text }).toMatchObject({ name, id, isError: true, text: expect.not.stringContaining('unexpectedly') })
        }
      }
    } finally {
      await client.close()
    }
  })
})
