// The batch tools, find_tasks' filter language, idempotency keys, the server's instructions and the plan-my-day
// prompt, through the SDK's own Client over Streamable HTTP, as users in New York at a fixed time.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { inArray } from 'drizzle-orm'
import { createApp } from '../src/app'
import { loadEnv } from '../src/env'
import { outboxEvents } from '../src/events/schema'
import { createLogger } from '../src/lib/log'
import { testDatabase, type TestDatabase } from './helpers/db'

// Wednesday 15 May 2030, 10:00 in New York (14:00 UTC): the week runs Monday 13 to Sunday 19.
const NOW = new Date('2030-05-15T14:00:00Z')

let storage: TestDatabase
let url: string
let stop: () => Promise<void>
const clients: Client[] = []

async function signUp(email: string): Promise<Client> {
  // Each sign-up comes from its own address, as different people's would (the clock stands still, so limits never reset).
  const headers = { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${clients.length + 1}` }
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
  expect((await post('/api/v1/auth/signup', { email, password: 'correct horse battery', timezone: 'America/New_York' })).status).toBe(202)
  const { token } = (await (await post('/api/v1/auth/login', { email, password: 'correct horse battery' })).json()) as { token: string }
  const client = new Client({ name: 'todo-chatbot-tests', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))
  clients.push(client)
  return client
}

type Result = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> }
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as Result
/** A call that has to succeed: its structured result. */
const ok = async (client: Client, name: string, args: Record<string, unknown> = {}) => {
  const result = await call(client, name, args)
  if (result.isError) throw new Error(`${name} failed: ${result.content[0]?.text}`)
  return result.structuredContent
}
const titles = (page: { items: Array<{ title: string }> }) => page.items.map((task) => task.title)
const total = async (client: Client) => (await ok(client, 'list_tasks', {})).total as number

beforeAll(async () => {
  storage = await testDatabase()
  const app = createApp({ env: loadEnv({ TRUST_PROXY: 'true', TASKS_PER_USER: '30' }), database: storage.database, log: createLogger('silent'), clock: () => NOW }).listen({ port: 0, hostname: '127.0.0.1' })
  url = `http://127.0.0.1:${app.server!.port}`
  stop = async () => void (await app.stop(true))
})
afterAll(async () => {
  for (const client of clients) await client.close()
  await stop()
  await storage.dispose()
})

describe('add_tasks', () => {
  test('adds every task in one call, in order, each with its event', async () => {
    const alice = await signUp('alice-batch@example.com')
    const { tasks } = await ok(alice, 'add_tasks', {
      tasks: [
        { title: 'Buy milk', tags: ['Errands'] },
        { title: 'Pay rent', due_date: '2030-05-20', priority: 'high' },
        { title: 'Stand-up', due_date: '2030-05-16T09:30', recurrence: 'daily' },
      ],
    })
    expect(tasks.map((task: { title: string }) => task.title)).toEqual(['Buy milk', 'Pay rent', 'Stand-up'])
    expect(tasks[0]).toMatchObject({ tags: ['errands'], status: 'pending' })
    expect(tasks[1]).toMatchObject({ all_day: true, due_day: '2030-05-20', priority: 'high' })
    // 09:30 in New York in May is 13:30 UTC.
    expect(tasks[2]).toMatchObject({ due_date: '2030-05-16T13:30:00.000Z', recurrence: 'DAILY' })
    expect(await total(alice)).toBe(3)
    const ids = tasks.map((task: { id: string }) => task.id)
    const events = await storage.database.db.select().from(outboxEvents).where(inArray(outboxEvents.partitionKey, ids))
    expect(events.map((event) => [event.type, event.partitionKey]).sort()).toEqual(ids.map((id: string) => ['task.created', id]).sort())
  })

  test('one bad item is named by index and field, and nothing of the call is added', async () => {
    const alice = await signUp('alice-batch-bad@example.com')
    const bad = await call(alice, 'add_tasks', { tasks: [{ title: 'Fine' }, { title: 'Also fine' }, { title: 'Broken', due_date: 'next tuesday' }] })
    expect(bad.isError).toBe(true)
    expect(bad.content[0]!.text).toContain('tasks[2].due_date')
    const unknown = await call(alice, 'add_tasks', { tasks: [{ title: 'Fine', colour: 'red' }] })
    expect(unknown.isError).toBe(true)
    expect(unknown.content[0]!.text).toContain('colour')
    const tooMany = await call(alice, 'add_tasks', { tasks: Array.from({ length: 26 }, (_, i) => ({ title: `Task ${i}` })) })
    expect(tooMany.isError).toBe(true)
    expect(tooMany.content[0]!.text).toContain('tasks')
    expect((await call(alice, 'add_tasks', { tasks: [] })).isError).toBe(true)
    expect(await total(alice)).toBe(0)
  })

  test('a batch that would pass the task quota adds none of its tasks', async () => {
    const alice = await signUp('alice-batch-quota@example.com')
    const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ title: `Task ${from + i}` }))
    expect((await ok(alice, 'add_tasks', { tasks: batch(25, 0) })).tasks).toHaveLength(25)
    // The quota is 30 tasks: 6 more do not fit, and none of them is added.
    const over = await call(alice, 'add_tasks', { tasks: batch(6, 25) })
    expect(over.isError).toBe(true)
    expect(over.content[0]!.text).toContain('tasks')
    expect(await total(alice)).toBe(25)
    expect((await ok(alice, 'add_tasks', { tasks: batch(5, 25) })).tasks).toHaveLength(5)
    expect(await total(alice)).toBe(30)
  })
})

describe('complete_tasks', () => {
  test('reports what it completed and why the others failed; another user\'s id is "not found" and untouched', async () => {
    const alice = await signUp('alice-complete@example.com')
    const bob = await signUp('bob-complete@example.com')
    const { tasks } = await ok(alice, 'add_tasks', { tasks: [{ title: 'One' }, { title: 'Two' }, { title: 'Three' }] })
    const [one, two, three] = tasks.map((task: { id: string }) => task.id)
    await ok(alice, 'complete_task', { task_id: three })
    const bobs = await ok(bob, 'add_task', { title: "Bob's" })
    const result = await ok(alice, 'complete_tasks', { task_ids: [one, two, three, bobs.id, 'nope', one] })
    expect(result.completed.sort()).toEqual([one, two].sort())
    expect(result.failed).toEqual([
      { id: three, reason: 'already_completed' },
      { id: bobs.id, reason: 'not_found' },
      { id: 'nope', reason: 'not_found' },
    ])
    expect((await ok(alice, 'get_task', { task_id: one })).status).toBe('completed')
    expect(await ok(bob, 'get_task', { task_id: bobs.id })).toEqual(bobs)
    const tooMany = await call(alice, 'complete_tasks', { task_ids: Array.from({ length: 26 }, () => one) })
    expect(tooMany.isError).toBe(true)
    expect(tooMany.content[0]!.text).toContain('task_ids')
  })
})

describe('find_tasks', () => {
  let alice: Client
  beforeAll(async () => {
    alice = await signUp('alice-find@example.com')
    const bob = await signUp('bob-find@example.com')
    await ok(bob, 'add_task', { title: "Bob's today", due_date: '2030-05-15T12:00', priority: 'high', tags: ['work'] })
    const { tasks } = await ok(alice, 'add_tasks', {
      tasks: [
        { title: 'Overdue report', due_date: '2030-05-14T15:00', priority: 'high', tags: ['work'] },
        { title: 'Call the bank', due_date: '2030-05-15', priority: 'high', tags: ['work', 'money'] },
        // 23:30 in New York is 03:30 UTC the next day: still today for Alice.
        { title: 'Late stretch', due_date: '2030-05-15T23:30', priority: 'low' },
        { title: 'Friday gym', due_date: '2030-05-17T18:00', tags: ['health'] },
        { title: 'Plan next week', due_date: '2030-05-21' },
        { title: 'Read a book', tags: ['home'] },
        { title: 'Done this morning', due_date: '2030-05-15T08:00', tags: ['work'] },
      ],
    })
    await ok(alice, 'complete_task', { task_id: tasks[6].id })
  })

  test('the filter terms, alone and combined with &, read in the user\'s zone; pending tasks unless "completed"', async () => {
    const cases: Array<[string, string[]]> = [
      ['overdue', ['Overdue report']],
      ['today', ['Call the bank', 'Late stretch']],
      ['TODAY & p1', ['Call the bank']],
      ['this week', ['Overdue report', 'Call the bank', 'Late stretch', 'Friday gym']],
      ['no date', ['Read a book']],
      ['p1', ['Overdue report', 'Call the bank']],
      ['priority:low', ['Late stretch']],
      ['#work', ['Overdue report', 'Call the bank']],
      ['#work & #money', ['Call the bank']],
      ['#work & #health', []],
      ['completed', ['Done this morning']],
      ['completed & #work & today', ['Done this morning']],
      ['search:read book', ['Read a book']],
      ['this week & search:gym', ['Friday gym']],
      ['p1 & p3', []],
      ['overdue & completed', []],
      ['no date & today', []],
      ['tomorrow', []],
      ['overdue | #health', ['Overdue report', 'Friday gym']],
      ['!#work & due before: +7d', ['Late stretch', 'Friday gym', 'Plan next week']],
      ['(completed | open) & #work & !overdue', ['Call the bank', 'Done this morning']],
    ]
    for (const [filter, expected] of cases) {
      expect({ filter, found: titles(await ok(alice, 'find_tasks', { filter })) }).toEqual({ filter, found: expected })
    }
    // Without a filter: every pending task, soonest due first, no date last.
    expect(titles(await ok(alice, 'find_tasks', {}))).toEqual(['Overdue report', 'Call the bank', 'Late stretch', 'Friday gym', 'Plan next week', 'Read a book'])
  })

  test('a due range of days or instants, read in the user\'s zone, and narrowed further by the filter', async () => {
    expect(titles(await ok(alice, 'find_tasks', { due_from: '2030-05-15', due_to: '2030-05-17' }))).toEqual(['Call the bank', 'Late stretch', 'Friday gym'])
    expect(titles(await ok(alice, 'find_tasks', { due_from: '2030-05-15', due_to: '2030-05-15T12:00' }))).toEqual(['Call the bank'])
    expect(titles(await ok(alice, 'find_tasks', { due_from: '2030-05-16', filter: 'this week' }))).toEqual(['Friday gym'])
    expect(titles(await ok(alice, 'find_tasks', { due_to: '2030-05-16T03:30:00Z', filter: 'p3' }))).toEqual(['Late stretch'])
    const paged = await ok(alice, 'find_tasks', { filter: 'this week', limit: 2 })
    expect(titles(paged)).toEqual(['Overdue report', 'Call the bank'])
    expect(paged.total).toBe(4)
    expect(titles(await ok(alice, 'find_tasks', { filter: 'this week', limit: 2, cursor: paged.next_cursor }))).toEqual(['Late stretch', 'Friday gym'])
  })

  test('a bad filter or range is a tool error naming the argument, the term and its column', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ filter: 'someday' }, ['filter', '"someday"', 'column 1']],
      [{ filter: 'today & p9' }, ['filter', '"p9"', 'column 9']],
      [{ filter: 'priority:urgent' }, ['filter', '"priority:urgent"']],
      [{ filter: 'today &' }, ['filter', 'expected a term', 'column 8']],
      [{ filter: '#two words' }, ['filter', 'expected & or |', 'column 6']],
      [{ filter: 'search:' }, ['filter', 'search: needs words']],
      [{ due_from: 'soon' }, ['due_from']],
      [{ due_from: '2030-05-20', due_to: '2030-05-10' }, ['due_from']],
    ]
    for (const [args, mentions] of cases) {
      const result = await call(alice, 'find_tasks', args)
      expect(result.isError).toBe(true)
      for (const mention of mentions) expect(result.content[0]!.text).toContain(mention)
    }
  })
})

test('update_task with a new due date keeps a repeating task\'s recurrence', async () => {
  const alice = await signUp('alice-reschedule@example.com')
  const task = await ok(alice, 'add_task', { title: 'Water plants', due_date: '2030-05-15T09:00', recurrence: 'FREQ=WEEKLY;BYDAY=WE' })
  const moved = await ok(alice, 'update_task', { task_id: task.id, due_date: '2030-05-22T18:00' })
  expect(moved).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=WE', due_date: '2030-05-22T22:00:00.000Z' })
  const allDay = await ok(alice, 'update_task', { task_id: task.id, due_date: '2030-05-29' })
  expect(allDay).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=WE', all_day: true, due_day: '2030-05-29' })
  expect(await ok(alice, 'get_task', { task_id: task.id })).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=WE', due_day: '2030-05-29' })
})

describe('idempotency keys', () => {
  test('a repeated write with the same key and arguments returns the first result and changes nothing again', async () => {
    const alice = await signUp('alice-idem@example.com')
    const first = await ok(alice, 'add_task', { title: 'Buy bread', idempotency_key: 'add-bread-1' })
    expect(await ok(alice, 'add_task', { title: 'Buy bread', idempotency_key: 'add-bread-1' })).toEqual(first)
    expect(await total(alice)).toBe(1)

    const batch = await ok(alice, 'add_tasks', { tasks: [{ title: 'A' }, { title: 'B' }], idempotency_key: 'batch 1 (any text)' })
    expect(await ok(alice, 'add_tasks', { tasks: [{ title: 'A' }, { title: 'B' }], idempotency_key: 'batch 1 (any text)' })).toEqual(batch)
    expect(await total(alice)).toBe(3)

    // The replay answers as the first call did, not "already completed".
    const ids = batch.tasks.map((task: { id: string }) => task.id)
    const done = await ok(alice, 'complete_tasks', { task_ids: ids, idempotency_key: 'done-ab' })
    expect(done).toEqual({ completed: ids, failed: [] })
    expect(await ok(alice, 'complete_tasks', { task_ids: ids, idempotency_key: 'done-ab' })).toEqual(done)

    const deleted = await ok(alice, 'delete_task', { task_id: first.id, idempotency_key: 'del-bread' })
    expect(await ok(alice, 'delete_task', { task_id: first.id, idempotency_key: 'del-bread' })).toEqual(deleted)
    expect((await call(alice, 'delete_task', { task_id: first.id })).isError).toBe(true)

    const renamed = await ok(alice, 'update_task', { task_id: ids[0], title: 'A2', idempotency_key: 'rename' })
    await ok(alice, 'update_task', { task_id: ids[0], title: 'A3' })
    expect(await ok(alice, 'update_task', { task_id: ids[0], title: 'A2', idempotency_key: 'rename' })).toEqual(renamed)
    expect((await ok(alice, 'get_task', { task_id: ids[0] })).title).toBe('A3')

    const withDue = await ok(alice, 'add_task', { title: 'Dentist', due_date: '2030-06-01T09:00' })
    const reminder = await ok(alice, 'set_reminder', { task_id: withDue.id, lead: '1h', idempotency_key: 'remind-dentist' })
    expect(await ok(alice, 'set_reminder', { task_id: withDue.id, lead: '1h', idempotency_key: 'remind-dentist' })).toEqual(reminder)
    expect((await ok(alice, 'list_reminders', { task_id: withDue.id })).items).toHaveLength(1)
  })

  test('the same key with other arguments, or for another tool, is a tool error naming idempotency_key', async () => {
    const alice = await signUp('alice-idem-reuse@example.com')
    await ok(alice, 'add_task', { title: 'Buy bread', idempotency_key: 'k1' })
    for (const [tool, args] of [
      ['add_task', { title: 'Buy cheese', idempotency_key: 'k1' }],
      ['add_tasks', { tasks: [{ title: 'Buy bread' }], idempotency_key: 'k1' }],
    ] as const) {
      const reused = await call(alice, tool, args)
      expect(reused.isError).toBe(true)
      expect(reused.content[0]!.text).toContain('idempotency_key')
    }
    expect(await total(alice)).toBe(1)
    for (const key of ['', 'x'.repeat(101)]) {
      const bad = await call(alice, 'add_task', { title: 'Buy bread', idempotency_key: key })
      expect(bad.isError).toBe(true)
      expect(bad.content[0]!.text).toContain('idempotency_key')
    }
    // Reading changes nothing: read-only tools take no key.
    const read = await call(alice, 'list_tasks', { idempotency_key: 'k2' })
    expect(read.isError).toBe(true)
    expect(read.content[0]!.text).toContain('idempotency_key')
  })

  test('keys are per user: the same key from another user is a change of their own', async () => {
    const alice = await signUp('alice-idem-scope@example.com')
    const bob = await signUp('bob-idem-scope@example.com')
    const hers = await ok(alice, 'add_task', { title: 'Same words', idempotency_key: 'shared-key' })
    const his = await ok(bob, 'add_task', { title: 'Same words', idempotency_key: 'shared-key' })
    expect(his.id).not.toBe(hers.id)
    expect(await total(bob)).toBe(1)
    expect(await total(alice)).toBe(1)
  })

  test('a failed write stores nothing: the same key can be used once the call is fixed', async () => {
    const alice = await signUp('alice-idem-fail@example.com')
    const missing = await call(alice, 'complete_task', { task_id: '01a21411-f90e-7312-a232-e906d2a38306', idempotency_key: 'try' })
    expect(missing.isError).toBe(true)
    const task = await ok(alice, 'add_task', { title: 'Real' })
    expect((await ok(alice, 'complete_task', { task_id: task.id, idempotency_key: 'try' })).status).toBe('completed')
  })
})

describe('instructions and prompts', () => {
  test('initialize carries instructions: the zone, all-day days, the filter language, batching, keys, confirming bulk deletes', async () => {
    const alice = await signUp('alice-instructions@example.com')
    const instructions = alice.getInstructions()!
    for (const part of ['America/New_York', '"YYYY-MM-DD"', 'find_tasks', 'today & p1', 'add_tasks', 'idempotency_key', 'Confirm with the user before deleting more than one task']) {
      expect(instructions).toContain(part)
    }
  })

  test('plan-my-day is listed and asks for overdue and today\'s tasks through find_tasks, with an optional focus', async () => {
    const alice = await signUp('alice-prompt@example.com')
    const { prompts } = await alice.listPrompts()
    const plan = prompts.find((prompt) => prompt.name === 'plan-my-day')!
    expect(plan.description).toContain('today')
    expect(plan.arguments).toEqual([expect.objectContaining({ name: 'focus', required: false })])
    const plain = await alice.getPrompt({ name: 'plan-my-day' })
    expect(plain.messages).toHaveLength(1)
    const text = (plain.messages[0]!.content as { text: string }).text
    expect(plain.messages[0]!.role).toBe('user')
    for (const part of ['find_tasks', '"overdue"', '"today"', 'propose an order']) expect(text).toContain(part)
    expect(text).not.toContain('first where you can')
    const focused = await alice.getPrompt({ name: 'plan-my-day', arguments: { focus: 'the quarterly report' } })
    expect((focused.messages[0]!.content as { text: string }).text).toContain('"the quarterly report" first')
  })
})
