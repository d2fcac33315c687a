// The MCP server through the SDK's own Client over Streamable HTTP: tools, results, errors, auth and isolation.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createApp } from '../src/app'
import { loadEnv } from '../src/env'
import { createLogger } from '../src/lib/log'
import { testDatabase, type TestDatabase } from './helpers/db'
import { signUpOverHttp } from './helpers/server'

let storage: TestDatabase
let url: string
let stop: () => Promise<void>
let alice: Client
let aliceToken: string

async function connect(token: string | undefined): Promise<Client> {
  const client = new Client({ name: 'todo-chatbot-tests', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  })
  await client.connect(transport)
  return client
}

type Result = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> }
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as Result

beforeAll(async () => {
  storage = await testDatabase()
  const app = createApp({ env: loadEnv({}), database: storage.database, log: createLogger('silent') }).listen({ port: 0, hostname: '127.0.0.1' })
  url = `http://127.0.0.1:${app.server!.port}`
  stop = async () => void (await app.stop(true))
  aliceToken = await signUpOverHttp(url, 'alice-mcp@example.com')
  // Desktop MCP clients use a personal API token.
  const created = await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${aliceToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'mcp' }) })
  aliceToken = ((await created.json()) as { token: string }).token
  alice = await connect(aliceToken)
})
afterAll(async () => {
  await alice.close()
  await stop()
  await storage.dispose()
})

describe('tools/list', () => {
  test('every tool, each with a description, typed and described input, an output schema and all four annotations', async () => {
    const { tools } = await alice.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['add_project', 'add_task', 'add_tasks', 'answer_invitation', 'cancel_reminder', 'complete_task', 'complete_tasks', 'delete_project', 'delete_task', 'find_tasks', 'get_task', 'leave_project', 'list_invitations', 'list_project_members', 'list_projects', 'list_reminders', 'list_tasks', 'reopen_task', 'restore_task', 'set_reminder', 'share_project', 'unshare_project', 'update_project', 'update_task'],
    )
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(30)
      expect(tool.inputSchema.type).toBe('object')
      expect(tool.outputSchema?.type).toBe('object')
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof tool.annotations?.[hint]).toBe('boolean')
      }
      // Every parameter says what it is: a description, or at least its allowed values.
      const undescribed = Object.entries(tool.inputSchema.properties ?? {})
        .filter(([, prop]) => !(prop as { description?: string }).description && !(prop as { enum?: unknown }).enum)
        .map(([name]) => `${tool.name}.${name}`)
      expect(undescribed).toEqual([])
    }
    expect(tools.find((t) => t.name === 'list_tasks')!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false })
    expect(tools.find((t) => t.name === 'delete_task')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true })
  })

  test('the tool schemas are as deliberately designed (snapshot)', async () => {
    const { tools } = await alice.listTools()
    const faces = tools
      .map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema, annotations: t.annotations }))
      .sort((a, b) => a.name.localeCompare(b.name))
    expect(faces).toMatchSnapshot()
  })
})

describe('tools/call', () => {
  test('add, list, get, update, complete, reopen and delete a task, with structured results', async () => {
    const added = await call(alice, 'add_task', { title: 'Call mum', priority: 'high', due_date: '2030-05-01T17:00:00Z', tags: ['Family'] })
    expect(added.isError).toBeFalsy()
    const task = added.structuredContent
    expect(task).toMatchObject({ title: 'Call mum', priority: 'high', due_date: '2030-05-01T17:00:00.000Z', tags: ['family'], status: 'pending' })
    expect(JSON.parse(added.content[0]!.text!)).toEqual(task)

    await call(alice, 'add_task', { title: 'Buy milk', tags: ['errands'] })
    const listed = await call(alice, 'list_tasks', { search: 'mum', tags: ['family'], sort: 'due_date' })
    expect(listed.structuredContent).toMatchObject({ total: 1, next_cursor: null })
    expect(listed.structuredContent.items[0].id).toBe(task.id)
    const page = await call(alice, 'list_tasks', { limit: 1 })
    expect(page.structuredContent.items).toHaveLength(1)
    expect(typeof page.structuredContent.next_cursor).toBe('string')
    const next = await call(alice, 'list_tasks', { limit: 1, cursor: page.structuredContent.next_cursor })
    expect(next.structuredContent.items[0].id).not.toBe(page.structuredContent.items[0].id)

    expect((await call(alice, 'get_task', { task_id: task.id })).structuredContent).toEqual(task)
    expect((await call(alice, 'update_task', { task_id: task.id, priority: 'low', due_date: null })).structuredContent).toMatchObject({ priority: 'low', due_date: null })
    expect((await call(alice, 'complete_task', { task_id: task.id })).structuredContent.status).toBe('completed')
    expect((await call(alice, 'reopen_task', { task_id: task.id })).structuredContent.status).toBe('pending')
    expect((await call(alice, 'delete_task', { task_id: task.id })).structuredContent.id).toBe(task.id)
    expect((await call(alice, 'get_task', { task_id: task.id })).isError).toBe(true)
  })

  test('add_task with a day alone makes an all-day task; update_task with a date-time makes it timed', async () => {
    const added = await call(alice, 'add_task', { title: 'Pay the rent', due_date: '2030-05-04' })
    expect(added.isError).toBeFalsy()
    // Alice's zone is UTC: the day starts at midnight UTC.
    expect(added.structuredContent).toMatchObject({ all_day: true, due_day: '2030-05-04', due_date: '2030-05-04T00:00:00.000Z' })
    const timed = await call(alice, 'update_task', { task_id: added.structuredContent.id, due_date: '2030-05-04T10:00' })
    expect(timed.structuredContent).toMatchObject({ all_day: false, due_day: null, due_date: '2030-05-04T10:00:00.000Z' })
    const { tools } = await alice.listTools()
    expect(tools.find((tool) => tool.name === 'add_task')!.description).toContain('give the day alone (2026-12-05)')
  })

  test('set, list and cancel reminders', async () => {
    const { structuredContent: task } = await call(alice, 'add_task', { title: 'Dentist', due_date: '2030-06-01T09:00:00Z' })
    const set = await call(alice, 'set_reminder', { task_id: task.id, lead: '1d' })
    expect(set.structuredContent).toMatchObject({ task_id: task.id, lead: '1d', remind_at: '2030-05-31T09:00:00.000Z', status: 'pending' })
    const list = await call(alice, 'list_reminders', { task_id: task.id })
    expect(list.structuredContent.items.map((r: { id: string }) => r.id)).toEqual([set.structuredContent.id])
    expect((await call(alice, 'list_reminders', {})).structuredContent.total).toBeGreaterThanOrEqual(1)
    expect((await call(alice, 'cancel_reminder', { reminder_id: set.structuredContent.id })).structuredContent.status).toBe('cancelled')
  })

  test('validation errors come back as isError results a model can correct its call from', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['add_task', { title: '' }, 'title'],
      ['add_task', { title: 'x', priority: 'urgent' }, 'priority'],
      ['add_task', { title: 'x', due_date: 'next tuesday' }, 'due_date'],
      ['add_task', { title: 'x', due_date: '2026-02-30' }, 'due_date'],
      ['add_task', { title: 'x', recurrence: 'sometimes' }, 'recurrence'],
      ['add_task', { title: 'x', colour: 'red' }, 'colour'],
      ['list_tasks', { limit: 1000 }, 'limit'],
      ['get_task', { task_id: '01a21411-f90e-7312-a232-e906d2a38306' }, 'list_tasks'],
      ['set_reminder', { task_id: 'nope', lead: '15m' }, 'list_tasks'],
    ]
    for (const [tool, args, mention] of cases) {
      const res = await call(alice, tool, args)
      expect(res.isError).toBe(true)
      expect(res.content[0]!.text!).toContain(mention)
    }
  })
})

describe('auth and isolation', () => {
  test('a missing or bad token is refused with 401 and WWW-Authenticate', async () => {
    for (const headers of [{}, { authorization: 'Bearer tct_nope' }] as Array<Record<string, string>>) {
      const res = await fetch(`${url}/mcp`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toContain('Bearer')
    }
    await expect(connect(undefined)).rejects.toThrow()
  })

  test("one user's token never reaches another user's tasks", async () => {
    const { structuredContent: task } = await call(alice, 'add_task', { title: 'Alice only, via MCP' })
    const bob = await connect(await signUpOverHttp(url, 'bob-mcp@example.com'))
    try {
      for (const [tool, args] of [
        ['get_task', { task_id: task.id }],
        ['update_task', { task_id: task.id, title: 'hijacked' }],
        ['complete_task', { task_id: task.id }],
        ['delete_task', { task_id: task.id }],
        ['set_reminder', { task_id: task.id, remind_at: '2031-01-01T00:00:00Z' }],
      ] as const) {
        const res = await call(bob, tool, args)
        expect(res.isError).toBe(true)
        expect(res.content[0]!.text).toContain('not found')
      }
      const list = await call(bob, 'list_tasks', { search: 'Alice' })
      expect(list.structuredContent.total).toBe(0)
      expect((await call(alice, 'get_task', { task_id: task.id })).structuredContent.title).toBe('Alice only, via MCP')
    } finally {
      await bob.close()
    }
  })
})

describe('stdio, for desktop MCP clients', () => {
  test('`npm run mcp:stdio` bridges a desktop client to the server with the token from the environment', async () => {
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js')
    const client = new Client({ name: 'desktop', version: '1.0.0' })
    await client.connect(
      new StdioClientTransport({
        command: 'npm',
        args: ['run', '--silent', 'mcp:stdio'],
        env: { ...(process.env as Record<string, string>), TODO_CHATBOT_URL: url, TODO_CHATBOT_TOKEN: aliceToken },
        stderr: 'pipe',
      }),
    )
    try {
      expect((await client.listTools()).tools).toHaveLength(24)
      const added = (await client.callTool({ name: 'add_task', arguments: { title: 'From the desktop' } })) as Result
      expect(added.structuredContent).toMatchObject({ title: 'From the desktop', status: 'pending' })
      expect(((await call(alice, 'list_tasks', { search: 'desktop' })).structuredContent as { total: number }).total).toBe(1)
    } finally {
      await client.close()
    }
  }, 30_000)

  test('without a token it stops at once, naming the variable', () => {
    const run = Bun.spawnSync(['npm', 'run', '--silent', 'mcp:stdio'], { env: { ...process.env, TODO_CHATBOT_TOKEN: '' }, stderr: 'pipe', stdin: 'ignore' })
    expect(run.exitCode).toBe(2)
    expect(run.stderr.toString()).toContain('TODO_CHATBOT_TOKEN')
  })
})

test('MCP calls are rate-limited per user with a clear 429', async () => {
  const { testApp } = await import('./helpers/app')
  const limited = await testApp({ env: { MCP_CALLS_PER_MINUTE: '3' } })
  try {
    const { token } = await limited.signUp()
    const rpc = () =>
      limited.app.handle(
        new Request('http://localhost/mcp', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        }),
      )
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await rpc()).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const res = await rpc()
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Too many MCP calls')
  } finally {
    await limited.dispose()
  }
})

test('MCP calls are counted per JSON-RPC message: a batch spends one call per message, and a batch past the cap is refused', async () => {
  const { testApp } = await import('./helpers/app')
  const limited = await testApp({ env: { MCP_CALLS_PER_MINUTE: '5' } })
  try {
    const { token } = await limited.signUp()
    let id = 0
    const addTask = () => ({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'add_task', arguments: { title: `Batch task ${id}`, description: 'x'.repeat(4000) } } })
    const batch = (size: number) =>
      limited.app.handle(
        new Request('http://localhost/mcp', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify(Array.from({ length: size }, addTask)),
        }),
      )
    const tasks = async () => (await limited.call<{ total: number }>('GET', '/api/v1/tasks', { token })).body.total

    const first = await batch(4)
    expect(first.status).toBe(200)
    expect(((await first.json()) as unknown[]).length).toBe(4)
    expect(await tasks()).toBe(4)
    // Two more would make six calls in the minute: the whole batch is refused, nothing is created.
    const over = await batch(2)
    expect(over.status).toBe(429)
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await over.json()) as { error: { message: string } }).error.message).toContain('Too many MCP calls')
    expect(await tasks()).toBe(4)
    expect((await batch(1)).status).toBe(200)
    expect(await tasks()).toBe(5)

    // A batch larger than the cap is a JSON-RPC "Invalid Request" with a 400, before any of it runs.
    const other = await limited.signUp()
    const huge = await limited.app.handle(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(Array.from({ length: 100 }, addTask)),
      }),
    )
    expect(huge.status).toBe(400)
    expect(await huge.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600, message: expect.stringContaining('at most 5 messages') } })
    expect((await limited.call<{ total: number }>('GET', '/api/v1/tasks', { token: other.token })).body.total).toBe(0)
  } finally {
    await limited.dispose()
  }
})
