// The filter language on every face: GET /api/v1/tasks?filter=, MCP find_tasks, and saved filters (REST), for a user in New York.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { testApp, type TestApp } from './helpers/app'
import { mcpClient } from './helpers/mcp'
import { browser, csrfOf } from './helpers/web'

// Wednesday 2 December 2026, 22:30 in New York (03:30 UTC on Thursday): today is still Wednesday there.
const NOW = new Date('2026-12-03T03:30:00Z')

let t: TestApp
let token: string
let other: string
let mcp: Client

const TASKS = [
  { title: 'Pay rent', due_date: '2026-12-01T09:00', priority: 'high', tags: ['home'] },
  { title: 'Standup', due_date: '2026-12-02T23:00', priority: 'medium', tags: ['work'], recurrence: 'DAILY' },
  { title: 'Dentist', due_date: '2026-12-03', priority: 'low', tags: ['health'] },
  { title: 'Quarterly report', due_date: '2026-12-20T17:00', priority: 'high', tags: ['work', 'waiting'] },
  { title: 'Read a book', priority: 'low', tags: ['home'] },
  { title: 'Old invoice', due_date: '2026-11-20T10:00', priority: 'medium', tags: ['work'], done: true },
]

beforeAll(async () => {
  t = await testApp({ clock: () => NOW })
  ;({ token } = await t.signUp(undefined, { timezone: 'America/New_York' }))
  for (const { done, ...task } of TASKS) {
    const created = await t.call('POST', '/api/v1/tasks', { token, body: task })
    expect(created.status).toBe(201)
    if (done) expect((await t.call('POST', `/api/v1/tasks/${created.body.id}/complete`, { token })).status).toBe(200)
  }
  ;({ token: other } = await t.signUp(undefined, { timezone: 'America/New_York' }))
  await t.call('POST', '/api/v1/tasks', { token: other, body: { title: "Someone else's rent", due_date: '2026-12-01T09:00', priority: 'high', tags: ['home'] } })
  const { body: api } = await t.call('POST', '/api/v1/tokens', { token, body: { name: 'mcp' } })
  mcp = await mcpClient(t, api.token, 'filters-test')
}, 120_000)
afterAll(async () => {
  await mcp?.close()
  await t.dispose()
})

/** The user's Inbox. */
const inbox = async (as: string): Promise<string> => (await t.call('GET', '/api/v1/projects', { token: as })).body.items.find((p: { is_inbox: boolean }) => p.is_inbox).id

/** The titles GET /api/v1/tasks answers for `query`, sorted by due date. */
async function listed(query: Record<string, string>, as = token): Promise<string[]> {
  const res = await t.call('GET', `/api/v1/tasks?${new URLSearchParams({ sort: 'due_date', ...query })}`, { token: as })
  expect(res.status).toBe(200)
  return (res.body.items as Array<{ title: string }>).map((task) => task.title)
}

describe('GET /api/v1/tasks?filter=', () => {
  const cases: Array<[string, string[]]> = [
    ['today', ['Standup']],
    ['tomorrow', ['Dentist']],
    ['overdue', ['Pay rent']],
    ['overdue | p1', ['Pay rent', 'Quarterly report']],
    ['#work & !#waiting', ['Standup']],
    ['(today | tomorrow) & !recurring', ['Dentist']],
    ['no date', ['Read a book']],
    ['p3 | p4', ['Dentist', 'Read a book']],
    ['due before: today', ['Pay rent']],
    ['due after: +7d', ['Quarterly report']],
    ['due after: 2026-12-02 & due before: 2026-12-21', ['Dentist', 'Quarterly report']],
    ['search: REPORT', ['Quarterly report']],
    ['completed', ['Old invoice']],
    ['completed | open & #home', ['Old invoice', 'Pay rent', 'Read a book']],
    ['recurring', ['Standup']],
  ]
  for (const [filter, titles] of cases) {
    test(`${filter} → ${titles.join(', ') || 'nothing'}`, async () => expect(await listed({ filter })).toEqual(titles))
  }

  test('combines with the other parameters; a status parameter replaces the filter\'s default of open tasks', async () => {
    expect(await listed({ filter: '#work', priority: 'high' })).toEqual(['Quarterly report'])
    expect(await listed({ filter: '#work', status: 'completed' })).toEqual(['Old invoice'])
    expect(await listed({ filter: '#work', status: 'pending,completed' })).toEqual(['Old invoice', 'Standup', 'Quarterly report'])
    expect(await listed({ filter: 'p1', search: 'rent' })).toEqual(['Pay rent'])
  })

  test('@project matches the project by name, whatever its case, quoted when it has spaces; never another user\'s', async () => {
    const make = async (as: string, name: string) => (await t.call('POST', '/api/v1/projects', { token: as, body: { name } })).body.id as string
    const garden = await make(token, 'Home & Garden')
    const work = await make(token, 'Work stuff')
    const theirs = await make(other, 'Secret')
    const move = async (title: string, project_id: string, as = token) => {
      const [task] = (await t.call('GET', `/api/v1/tasks?${new URLSearchParams({ search: title })}`, { token: as })).body.items
      expect((await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token: as, body: { project_id } })).status).toBe(200)
    }
    await move('Read a book', garden)
    await move('Quarterly report', work)
    await move("Someone else's rent", theirs, other)
    expect(await listed({ filter: '@project:"home & garden"' })).toEqual(['Read a book'])
    expect(await listed({ filter: 'project:"WORK STUFF" | @project:"Home & Garden"' })).toEqual(['Quarterly report', 'Read a book'])
    expect(await listed({ filter: '@project:Inbox & #work' })).toEqual(['Standup'])
    expect(await listed({ filter: '!@project:Inbox' })).toEqual(['Quarterly report', 'Read a book'])
    // Bob's project name means nothing in Alice's filter, and the other way round.
    expect(await listed({ filter: '@project:Secret' })).toEqual([])
    expect(await listed({ filter: '@project:"Work stuff" | @project:"Home & Garden"' }, other)).toEqual([])
    expect(await listed({ filter: '@project:Secret' }, other)).toEqual(["Someone else's rent"])
    // A saved filter may name a project; it shows the project's tasks when used.
    const saved = await t.call('POST', '/api/v1/filters', { token, body: { name: 'Garden', query: '@project:"Home & Garden"' } })
    expect(saved.status).toBe(201)
    expect(await listed({ filter: saved.body.query })).toEqual(['Read a book'])
    expect((await t.call('DELETE', `/api/v1/filters/${saved.body.id}`, { token })).status).toBe(204)
    for (const [title, id, as] of [['Read a book', await inbox(token), token], ['Quarterly report', await inbox(token), token], ["Someone else's rent", await inbox(other), other]] as const) await move(title, id, as)
  })

  test('another user\'s tasks never match', async () => {
    expect(await listed({ filter: 'overdue' }, other)).toEqual(["Someone else's rent"])
  })

  test('a malformed filter is a 400 naming filter and the column of the error', async () => {
    const res = await t.call('GET', `/api/v1/tasks?${new URLSearchParams({ filter: 'today & (p1 | ' })}`, { token })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'filter', position: 14 })
    expect(res.body.error.message).toContain('expected a term at column 14')
    const long = await t.call('GET', `/api/v1/tasks?${new URLSearchParams({ filter: 'p1 | '.repeat(200) })}`, { token })
    expect(long.status).toBe(400)
    expect(long.body.error).toMatchObject({ field: 'filter' })
    const project = await t.call('GET', `/api/v1/tasks?${new URLSearchParams({ filter: 'p1 & @project:"Work' })}`, { token })
    expect(project.status).toBe(400)
    expect(project.body.error).toMatchObject({ field: 'filter', position: 15 })
    expect(project.body.error.message).toContain('expected a closing "')
  })

  test('days out of range are a 400 naming the field, never a 500: the filter\'s last day, and the due_date bounds', async () => {
    const farthest = await t.call('GET', `/api/v1/tasks?${new URLSearchParams({ filter: 'due after: 9999-12-31' })}`, { token })
    expect(farthest.status).toBe(400)
    expect(farthest.body.error).toMatchObject({ field: 'filter', position: 12 })
    // The widest offsets a filter takes still name days a timestamp holds.
    expect(await listed({ filter: 'due before: -9999w | due after: +9999w | due after: 9999-12-30' })).toEqual([])
    // In New York the end of 9999-12-31 is already the year 10000 in UTC.
    const bounds: Array<[string, string]> = [['due_date_to', '9999-12-31'], ['due_date_from', '9999-12-31T23:00:00-05:00']]
    for (const [field, value] of bounds) {
      const res = await t.call('GET', `/api/v1/tasks?${new URLSearchParams([[field, value]])}`, { token })
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe(field)
    }
    const found = await find({ filter: 'due after: 9999-12-31' })
    expect(found.isError).toBe(true)
    expect(found.content[0]!.text).toContain('past the last day a filter can name')
  })

  test('OpenAPI lists the filter parameter and the error position', async () => {
    const { body: doc } = await t.call('GET', '/openapi/json')
    const list = doc.paths['/api/v1/tasks'].get
    const filter = list.parameters.find((p: { name: string }) => p.name === 'filter')
    expect(filter).toMatchObject({ in: 'query', required: false })
    expect(filter.schema.description).toContain('docs/filters.md')
    expect(JSON.stringify(list.responses['400'])).toContain('position')
  })
})

type ToolResult = { isError?: boolean; structuredContent?: { items: Array<{ title: string }> }; content: Array<{ text?: string }> }
const find = async (args: Record<string, unknown>) => (await mcp.callTool({ name: 'find_tasks', arguments: args })) as ToolResult

describe('MCP find_tasks', () => {
  test('takes the same language, soonest due first', async () => {
    const found = await find({ filter: '(overdue | today) & !#home' })
    expect(found.isError).toBeFalsy()
    expect(found.structuredContent!.items.map((task) => task.title)).toEqual(['Standup'])
    expect((await find({ filter: 'completed | p1' })).structuredContent!.items.map((task) => task.title)).toEqual(['Old invoice', 'Pay rent', 'Quarterly report'])
  })

  test('a malformed filter is a tool error naming the column', async () => {
    const found = await find({ filter: 'today | | p1' })
    expect(found.isError).toBe(true)
    expect(found.content[0]!.text).toContain('filter: expected a term before "|" at column 9')
  })

  test('its description teaches the operators', async () => {
    const { tools } = await mcp.listTools()
    const tool = tools.find((x) => x.name === 'find_tasks')!
    for (const part of ['| (or)', '! (not)', 'due before:', 'search:']) expect(tool.description).toContain(part)
  })
})

describe('saved filters: /api/v1/filters', () => {
  const save = (body: unknown, as = token) => t.call('POST', '/api/v1/filters', { token: as, body })

  test('saved at the end of the list, read back in order, and their query lists the tasks', async () => {
    const first = await save({ name: 'Focus', query: '(today | overdue) & p1' })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ name: 'Focus', query: '(today | overdue) & p1', position: 1 })
    const second = await save({ name: '  Work, not waiting ', query: '#work & !#waiting' })
    expect(second.body).toMatchObject({ name: 'Work, not waiting', position: 2 })
    const { body: list } = await t.call('GET', '/api/v1/filters', { token })
    expect(list.items.map((f: { name: string }) => f.name)).toEqual(['Focus', 'Work, not waiting'])
    expect(await listed({ filter: list.items[0].query })).toEqual(['Pay rent'])
    expect((await t.call('GET', `/api/v1/filters/${second.body.id}`, { token })).body).toEqual(second.body)
  })

  test('a malformed query is refused when saved, naming query and the column', async () => {
    const res = await save({ name: 'Broken', query: 'today & (p1' })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'query', position: 12 })
    expect(res.body.error.message).toContain('query: expected ")"')
    const patched = await t.call('PATCH', `/api/v1/filters/${(await save({ name: 'Fine', query: 'p2' })).body.id}`, { token, body: { query: 'p2 &&' } })
    expect(patched.status).toBe(400)
    expect(patched.body.error).toMatchObject({ field: 'query', position: 5 })
    for (const body of [{ name: '', query: 'p1' }, { name: 'x'.repeat(61), query: 'p1' }, { name: 'No query' }, { name: 'Extra', query: 'p1', colour: 'red' }]) {
      const refused = await save(body)
      expect(refused.status).toBe(400)
    }
    expect((await save({ name: 'Long', query: 'p1 | '.repeat(120) + 'p1' })).body.error.field).toBe('query')
    // 300 emoji are 300 characters to the schema, the database and the parser alike.
    const emoji = 'search: ' + '🧾'.repeat(300)
    const receipts = await save({ name: 'Receipts', query: emoji })
    expect(receipts.status).toBe(201)
    expect((await t.call('DELETE', `/api/v1/filters/${receipts.body.id}`, { token })).status).toBe(204)
    expect(await listed({ filter: emoji })).toEqual([])
    expect((await find({ filter: emoji })).isError).toBeFalsy()
    const farthest = await save({ name: 'Far', query: 'due after: 9999-12-31' })
    expect(farthest.status).toBe(400)
    expect(farthest.body.error).toMatchObject({ field: 'query', position: 12 })
  })

  test('a name is used once per user, whatever its case', async () => {
    const res = await save({ name: 'FOCUS', query: 'p1' })
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'conflict', field: 'name' })
    expect((await save({ name: 'Focus', query: 'p1' }, other)).status).toBe(201)
  })

  test('renamed, rewritten and moved; the others shift; deleting closes the gap', async () => {
    const names = async () => ((await t.call('GET', '/api/v1/filters', { token })).body.items as Array<{ name: string; position: number }>).map((f) => `${f.position}:${f.name}`)
    const { body: list } = await t.call('GET', '/api/v1/filters', { token })
    const fine = list.items.find((f: { name: string }) => f.name === 'Fine')
    const moved = await t.call('PATCH', `/api/v1/filters/${fine.id}`, { token, body: { name: 'Medium', query: 'p2 & !no date', position: 1 } })
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({ name: 'Medium', query: 'p2 & !no date', position: 1 })
    expect(await names()).toEqual(['1:Medium', '2:Focus', '3:Work, not waiting'])
    await t.call('PATCH', `/api/v1/filters/${fine.id}`, { token, body: { position: 99 } })
    expect(await names()).toEqual(['1:Focus', '2:Work, not waiting', '3:Medium'])
    expect((await t.call('PATCH', `/api/v1/filters/${fine.id}`, { token, body: {} })).status).toBe(400)
    expect((await t.call('PATCH', `/api/v1/filters/${fine.id}`, { token, body: { position: 0 } })).body.error.field).toBe('position')
    const focus = list.items.find((f: { name: string }) => f.name === 'Focus')
    expect((await t.call('DELETE', `/api/v1/filters/${focus.id}`, { token })).status).toBe(204)
    expect(await names()).toEqual(['1:Work, not waiting', '2:Medium'])
    expect((await t.call('GET', `/api/v1/filters/${focus.id}`, { token })).status).toBe(404)
  })

  test('moves and deletes at once leave positions 1..n, each once, in one order', async () => {
    const { token: racer } = await t.signUp()
    for (let round = 0; round < 5; round++) {
      const made = []
      for (let i = 0; i < 8; i++) made.push((await save({ name: `r${round}-${i}`, query: 'p1' }, racer)).body.id as string)
      const edits = made.map((id, i) =>
        i % 3 === 0
          ? t.call('DELETE', `/api/v1/filters/${id}`, { token: racer })
          : t.call('PATCH', `/api/v1/filters/${id}`, { token: racer, body: { position: ((i * 5) % 8) + 1 } }),
      )
      for (const res of await Promise.all(edits)) expect(res.status).toBeLessThan(300)
      const { body } = await t.call('GET', '/api/v1/filters', { token: racer })
      expect(body.items.map((f: { position: number }) => f.position)).toEqual(body.items.map((_: unknown, i: number) => i + 1))
    }
  })

  test('each user sees only their own', async () => {
    const { body } = await t.call('GET', '/api/v1/filters', { token: other })
    expect(body.items.map((f: { name: string }) => f.name)).toEqual(['Focus'])
  })
})

describe('saved views on the task list page', () => {
  test('a filter in the URL lists its tasks and offers to save it; saved, it is a view that opens the list filtered', async () => {
    const page = await browser(t, 'GET', `/tasks?${new URLSearchParams({ filter: 'overdue | #health' })}`, { session: token })
    expect(page.status).toBe(200)
    expect(page.text).toContain('Pay rent')
    expect(page.text).toContain('Dentist')
    expect(page.text).not.toContain('Standup')
    expect(page.text).toContain('Save this filter as a view')
    const saved = await browser(t, 'POST', '/tasks/views', { session: token, form: { _csrf: csrfOf(page.text), name: 'Catch up', query: 'overdue | #health' } })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`/tasks?${new URLSearchParams({ filter: 'overdue | #health' })}`)
    const list = await browser(t, 'GET', '/tasks', { session: token })
    expect(list.text).toContain('aria-label="Saved views"')
    expect(list.text).toContain(`href="/tasks?filter=overdue+%7C+%23health"`)
    expect(list.text).toContain('Catch up')
    const opened = await browser(t, 'GET', '/tasks?filter=overdue+%7C+%23health', { session: token })
    expect(opened.text).toContain('aria-current="page"')
    expect(opened.text).not.toContain('Save this filter as a view')
  })

  test('a view that names a status lists what the API lists; a status the URL names still narrows it', async () => {
    const titlesOn = async (query: Record<string, string>) => {
      const page = await browser(t, 'GET', `/tasks?${new URLSearchParams(query)}`, { session: token })
      expect(page.status).toBe(200)
      return TASKS.map((task) => task.title).filter((title) => page.text.includes(`>${title}<`)).sort()
    }
    expect(await titlesOn({ filter: 'search: invoice & completed' })).toEqual(await listed({ filter: 'search: invoice & completed' }))
    expect(await titlesOn({ filter: 'search: invoice & completed' })).toEqual(['Old invoice'])
    // The filter says which tasks, so no status tab claims the list; with a status in the URL, that tab does.
    const completedView = await browser(t, 'GET', `/tasks?${new URLSearchParams({ filter: 'search: invoice & completed' })}`, { session: token })
    expect(completedView.text).not.toContain('aria-current="true"><span>Open</span>')
    const narrowed = await browser(t, 'GET', `/tasks?${new URLSearchParams({ filter: 'completed | #home', status: 'completed' })}`, { session: token })
    expect(narrowed.text).toContain('aria-current="true"><span>Completed</span>')
    expect((await browser(t, 'GET', '/tasks?filter=%23work', { session: token })).text).toContain('aria-current="true"><span>Open</span>')
    expect(await titlesOn({ filter: 'completed | open & #home' })).toEqual(['Old invoice', 'Pay rent', 'Read a book'])
    expect(await titlesOn({ filter: 'completed | #home', status: 'pending' })).toEqual(['Pay rent', 'Read a book'])
    expect(await titlesOn({ filter: '#work' })).toEqual(['Quarterly report', 'Standup'])
  })

  test('a malformed filter shows the whole list and says where it goes wrong', async () => {
    const page = await browser(t, 'GET', `/tasks?${new URLSearchParams({ filter: 'p1 &' })}`, { session: token })
    expect(page.status).toBe(400)
    expect(page.text).toContain('filter: expected a term at column 5')
    expect(page.text).toContain('Standup')
  })

  test('saving a malformed query or a taken name answers the form with the reason', async () => {
    const page = await browser(t, 'GET', '/tasks', { session: token })
    const htmx = { 'hx-request': 'true' }
    const bad = await browser(t, 'POST', '/tasks/views', { session: token, headers: htmx, form: { _csrf: csrfOf(page.text), name: 'Bad', query: 'p1 | (' } })
    expect(bad.status).toBe(422)
    expect(bad.text).toContain('query: expected a term at column 7')
    const taken = await browser(t, 'POST', '/tasks/views', { session: token, headers: htmx, form: { _csrf: csrfOf(page.text), name: 'catch up', query: 'p1' } })
    expect(taken.status).toBe(422)
    expect(taken.text).toContain('already have a saved filter named')
  })
})
