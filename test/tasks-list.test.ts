// Listing: search, filters, sort and paging, checked against a known data set.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { dueEdges, dueGroupCounts } from '../src/features/tasks/due-groups'
import { parseListQuery } from '../src/features/tasks/list-query'
import { testApp, type TestApp } from './helpers/app'

let t: TestApp
let token: string
let userId: string
/** Task number (1-based, as in DATA) → id. */
const ids: string[] = []
const num = (id: string) => ids.indexOf(id) + 1

const DATA = [
  { title: 'Buy groceries', description: 'milk, eggs and bread', priority: 'medium', tags: ['home', 'shopping'], due_date: '2026-12-01T10:00:00Z' },
  { title: 'Pay electricity bill', priority: 'high', tags: ['home', 'finance'], due_date: '2026-11-28T09:00:00Z' },
  { title: 'Write quarterly report', description: 'Finance numbers for Q4', priority: 'high', tags: ['work'], due_date: '2026-12-15T17:00:00Z' },
  { title: 'Book dentist appointment', priority: 'low', tags: ['health'] },
  { title: 'Plan team offsite', description: 'Budget and venue', priority: 'medium', tags: ['work', 'planning'], due_date: '2026-12-01T15:00:00Z', done: true },
  { title: "Read 'Deep Work'", priority: 'low', done: true },
  { title: 'Renew passport', priority: 'high', tags: ['admin'], due_date: '2027-01-10T12:00:00Z' },
  { title: 'call plumber about the kitchen sink', priority: 'medium', tags: ['home'], due_date: '2026-11-30T08:00:00Z' },
  { title: 'Apple pie recipe', priority: 'low', tags: ['home', 'cooking'] },
  { title: 'budget review', description: 'monthly BUDGET', priority: 'medium', tags: ['finance'], due_date: '2026-12-01T10:00:00Z' },
  { title: 'Celebrate 100% done_deal', priority: 'low' },
]

beforeAll(async () => {
  // A clock that moves one second per reading, so creation order is unambiguous.
  let tick = Date.parse('2026-11-20T00:00:00Z')
  t = await testApp({ clock: () => new Date((tick += 1000)) })
  ;({ token, user: { id: userId } } = await t.signUp())
  for (const { done, ...task } of DATA) {
    const res = await t.call('POST', '/api/v1/tasks', { token, body: task })
    expect(res.status).toBe(201)
    ids.push(res.body.id)
    if (done) await t.call('POST', `/api/v1/tasks/${res.body.id}/complete`, { token })
  }
  // Another user's tasks must never show up in these lists.
  const other = (await t.signUp()).token
  for (const task of DATA) await t.call('POST', '/api/v1/tasks', { token: other, body: { ...task, done: undefined } })
})
afterAll(() => t.dispose())

async function list(query: string) {
  const res = await t.call('GET', `/api/v1/tasks${query ? `?${query}` : ''}`, { token })
  expect(res.status).toBe(200)
  return { nums: (res.body.items as Array<{ id: string }>).map((i) => num(i.id)), total: res.body.total as number, next: res.body.next_cursor as string | null }
}

describe('search', () => {
  const cases: Array<[string, number[]]> = [
    ['budget', [10, 5]],
    ['BUDGET', [10, 5]],
    ['milk bread', [1]],
    ['report finance', [3]],
    ['plumber sink', [8]],
    ['100%', [11]],
    ['%', [11]],
    ['_', [11]],
    ['deep work', [6]],
    ['nothing-like-this', []],
  ]
  for (const [search, expected] of cases) {
    test(`"${search}" finds ${expected.join(', ') || 'nothing'}`, async () => {
      const res = await list(`search=${encodeURIComponent(search)}`)
      expect(res.nums).toEqual(expected)
      expect(res.total).toBe(expected.length)
    })
  }
})

describe('filters', () => {
  const cases: Array<[string, number[]]> = [
    ['status=completed', [6, 5]],
    ['status=pending', [11, 10, 9, 8, 7, 4, 3, 2, 1]],
    ['priority=high', [7, 3, 2]],
    ['priority=high,low', [11, 9, 7, 6, 4, 3, 2]],
    ['tags=home', [9, 8, 2, 1]],
    ['tags=HOME', [9, 8, 2, 1]],
    ['tags=work,finance', [10, 5, 3, 2]],
    ['due_date_from=2026-12-01&due_date_to=2026-12-01', [10, 5, 1]],
    ['due_date_to=2026-12-01T10:00:00Z', [10, 8, 2, 1]],
    ['due_date_from=2026-12-02', [7, 3]],
    ['tags=home&status=pending&sort=due_date', [2, 8, 1, 9]],
    ['search=budget&status=pending', [10]],
    ['priority=medium&tags=finance,shopping&due_date_from=2026-11-01T00:00:00Z', [10, 1]],
  ]
  for (const [query, expected] of cases) {
    test(query, async () => {
      const res = await list(query)
      expect(res.nums).toEqual(expected)
      expect(res.total).toBe(expected.length)
    })
  }

  test('a bare date is a whole day in the user time zone', async () => {
    // 2026-12-01 in New York runs from 05:00Z to 04:59:59.999Z the next day.
    const ny = await t.signUp(undefined, { timezone: 'America/New_York' })
    for (const due of ['2026-12-01T04:59:00Z', '2026-12-01T05:00:00Z', '2026-12-02T04:59:59Z', '2026-12-02T05:00:00Z']) {
      await t.call('POST', '/api/v1/tasks', { token: ny.token, body: { title: due, due_date: due } })
    }
    const res = await t.call('GET', '/api/v1/tasks?due_date_from=2026-12-01&due_date_to=2026-12-01&sort=due_date', { token: ny.token })
    expect(res.body.items.map((i: { title: string }) => i.title)).toEqual(['2026-12-01T05:00:00Z', '2026-12-02T04:59:59Z'])
  })
})

describe('sort', () => {
  const cases: Array<[string, number[]]> = [
    ['', [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]],
    ['sort=created_at&order=asc', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
    ['sort=due_date', [2, 8, 1, 10, 5, 3, 7, 4, 6, 9, 11]],
    ['sort=due_date&order=desc', [7, 3, 5, 10, 1, 8, 2, 11, 9, 6, 4]],
    ['sort=priority', [7, 3, 2, 10, 8, 5, 1, 11, 9, 6, 4]],
    ['sort=priority&order=asc', [4, 6, 9, 11, 1, 5, 8, 10, 2, 3, 7]],
    ['sort=title', [9, 4, 10, 1, 8, 11, 2, 5, 6, 7, 3]],
    ['sort=title&order=desc', [3, 7, 6, 5, 2, 11, 8, 1, 10, 4, 9]],
  ]
  for (const [query, expected] of cases) {
    test(query || 'default: newest first', async () => {
      expect((await list(`${query}&limit=100`)).nums).toEqual(expected)
    })
  }
})

describe('due-date groups (the web list sorted by due date)', () => {
  const counts = async (zone: string, params: Record<string, string>) => {
    const now = new Date('2026-12-01T06:00:00Z')
    const query = parseListQuery({ status: 'pending', sort: 'due_date', ...params }, zone, now)
    const groups = await dueGroupCounts(t.database.db, { userId, shared: [] }, query, dueEdges(now, zone))
    return Object.fromEntries(Object.entries(groups).map(([group, n]) => [group, n.total]))
  }

  test("each group counted under the list's filters, by the user's day, and never another user's tasks", async () => {
    expect(await counts('UTC', {})).toEqual({ overdue: 2, today: 2, tomorrow: 0, later: 2, none: 3 })
    expect(await counts('UTC', { tags: 'home' })).toEqual({ overdue: 2, today: 1, tomorrow: 0, later: 0, none: 1 })
    expect(await counts('UTC', { search: 'budget' })).toEqual({ overdue: 0, today: 1, tomorrow: 0, later: 0, none: 0 })
    // At 22:00 on 30 November in Los Angeles, the plumber (00:00 there) is due today and 1 December is tomorrow.
    expect(await counts('America/Los_Angeles', {})).toEqual({ overdue: 1, today: 1, tomorrow: 2, later: 2, none: 3 })
  })
})

describe('paging', () => {
  const orders = ['sort=created_at', 'sort=created_at&order=asc', 'sort=due_date', 'sort=due_date&order=desc', 'sort=priority',
    'sort=priority&order=asc', 'sort=title', 'sort=title&order=desc', 'tags=home,work&sort=due_date', 'search=e&sort=priority']
  for (const query of orders) {
    test(`pages of 2 and 3 add up to the whole list: ${query}`, async () => {
      const whole = await list(`${query}&limit=100`)
      expect(whole.next).toBeNull()
      for (const size of [2, 3]) {
        const seen: number[] = []
        let cursor: string | null = null
        let pages = 0
        do {
          const page = await list(`${query}&limit=${size}${cursor ? `&cursor=${cursor}` : ''}`)
          expect(page.total).toBe(whole.total)
          expect(page.nums.length).toBeLessThanOrEqual(size)
          seen.push(...page.nums)
          cursor = page.next
          pages += 1
        } while (cursor && pages < 20)
        expect(seen).toEqual(whole.nums)
      }
    })
  }

  test('the default page size is 20 and the cursor survives new tasks arriving', async () => {
    const user = await t.signUp()
    for (let i = 0; i < 25; i++) await t.call('POST', '/api/v1/tasks', { token: user.token, body: { title: `item ${i}` } })
    const first = await t.call('GET', '/api/v1/tasks', { token: user.token })
    expect(first.body.items).toHaveLength(20)
    expect(first.body.total).toBe(25)
    await t.call('POST', '/api/v1/tasks', { token: user.token, body: { title: 'newest' } })
    const second = await t.call('GET', `/api/v1/tasks?cursor=${first.body.next_cursor}`, { token: user.token })
    expect(second.body.items.map((i: { title: string }) => i.title)).toEqual(['item 4', 'item 3', 'item 2', 'item 1', 'item 0'])
    expect(second.body.next_cursor).toBeNull()
  })
})

describe('bad parameters answer 400 naming the parameter', () => {
  const cases: Array<[string, string]> = [
    ['status=done', 'status'],
    ['priority=urgent', 'priority'],
    ['sort=colour', 'sort'],
    ['order=up', 'order'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['due_date_from=yesterday', 'due_date_from'],
    ['due_date_to=2026-13-01', 'due_date_to'],
    ['due_date_from=2026-12-02&due_date_to=2026-12-01', 'due_date_from'],
    ['tags=' + 'x'.repeat(40), 'tags'],
    ['search=' + 'x'.repeat(201), 'search'],
    ['cursor=garbage', 'cursor'],
    ['cursor=' + Buffer.from('{"s":"title","o":"asc","k":"a","id":"01a21411-f90e-7312-a232-e906d2a38306"}').toString('base64url'), 'cursor'],
    ['priorty=high', 'priorty'],
  ]
  for (const [query, field] of cases) {
    test(query.slice(0, 60), async () => {
      const res = await t.call('GET', `/api/v1/tasks?${query}`, { token })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.field).toBe(field)
    })
  }
})

describe('a forged cursor is a 400 naming cursor, never a 500, on every face', () => {
  const ID = '01a21411-f90e-7312-a232-e906d2a38306'
  const forge = (cursor: unknown) => Buffer.from(JSON.stringify(cursor)).toString('base64url')
  const forged: Array<[string, string]> = [
    ['a priority that is not one', `sort=priority&cursor=${forge({ s: 'priority', o: 'desc', k: 'urgent', id: ID })}`],
    ['an id of 36 dashes', `cursor=${forge({ s: 'created_at', o: 'desc', k: '2026-11-20T00:00:05.000000Z', id: '-'.repeat(36) })}`],
    ['an id of 36 hex digits without the dashes in place', `cursor=${forge({ s: 'created_at', o: 'desc', k: '2026-11-20T00:00:05.000000Z', id: 'a'.repeat(36) })}`],
    ['a created_at key that is not a time', `cursor=${forge({ s: 'created_at', o: 'desc', k: '2026-13-45T99:99:99.000000Z', id: ID })}`],
    ['a due_date key of year 99999', `sort=due_date&cursor=${forge({ s: 'due_date', o: 'asc', k: '99999-01-01T00:00:00.000000Z', id: ID })}`],
    ['a title key with a NUL', `sort=title&cursor=${forge({ s: 'title', o: 'asc', k: 'a\u0000b', id: ID })}`],
    ['a key of the wrong type', `sort=title&cursor=${forge({ s: 'title', o: 'asc', k: 5, id: ID })}`],
    ['an array', `cursor=${forge([1, 2])}`],
  ]
  for (const [what, query] of forged) {
    test(`REST: ${what}`, async () => {
      const res = await t.call('GET', `/api/v1/tasks?${query}`, { token })
      expect(res.status).toBe(400)
      expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'cursor' })
    })
  }

  test('the web list and MCP list_tasks refuse the same cursors as errors, not failures', async () => {
    for (const [, query] of forged) {
      const page = await t.app.handle(new Request(`http://localhost/tasks?${query}`, { headers: { cookie: `session=${token}`, accept: 'text/html', 'hx-request': 'true', 'hx-target': 'pager' } }))
      expect(page.status).toBe(400)
    }
    const params = new URLSearchParams(forged[0]![1])
    const mcp = await t.app.handle(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tasks', arguments: { sort: 'priority', cursor: params.get('cursor') } } }),
      }),
    )
    const result = ((await mcp.json()) as { result: { isError: boolean; content: Array<{ text: string }> } }).result
    expect(result.isError).toBe(true)
    expect(result.content[0]!.text).toContain('cursor')
  })

  test('reminders: a forged time or id in the cursor is a 400 naming cursor', async () => {
    for (const cursor of [{ at: '1', id: ID }, { at: '20000-01-01T00:00:00.000Z', id: ID }, { at: 'Tue, 01 Jan 2030 00:00:00', id: ID }, { at: '2030-01-01T00:00:00.000Z', id: '-'.repeat(36) }]) {
      const res = await t.call('GET', `/api/v1/reminders?cursor=${forge(cursor)}`, { token })
      expect({ cursor, status: res.status, field: res.body.error?.field }).toEqual({ cursor, status: 400, field: 'cursor' })
    }
  })

  test('audit: a cursor that is not an entry id is a 400 naming cursor', async () => {
    for (const cursor of ['-'.repeat(36), 'a'.repeat(36), 'garbage']) {
      const res = await t.call('GET', `/api/v1/audit?cursor=${cursor}`, { token })
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe('cursor')
    }
  })
})
