// List totals are exact up to a cap and never cost a count of every match: REST, MCP, the web page and the plan.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { sql } from 'drizzle-orm'
import { TOTAL_CAP } from '../src/db/capped-count'
import { listStatements, matchCount } from '../src/features/tasks/list'
import { parseListQuery } from '../src/features/tasks/list-query'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { need, requires } from './helpers/requires'
import { browser } from './helpers/web'

let t: TestApp
let token: string
let userId: string
let server: { stop(): Promise<void>; url: string }
let mcp: Client

beforeAll(async () => {
  t = await testApp()
  const signed = await t.signUp()
  token = signed.token
  userId = signed.user.id
  // 1,100 tasks: every one says "chore", exactly 1,000 say "beta" and 50 say "gamma"; 40 are completed.
  await t.database.db.execute(sql`
    insert into tasks (id, user_id, title, description, status, completed_at, created_at)
    select gen_random_uuid(), ${userId}::uuid,
           'chore ' || i || case when i <= 1000 then ' beta' else '' end || case when i <= 50 then ' gamma' else '' end,
           '', case when i % 25 = 0 then 'completed'::task_status else 'pending'::task_status end,
           case when i % 25 = 0 then timestamptz '2026-11-02T00:00:00Z' end,
           timestamptz '2026-11-01T00:00:00Z' + i * interval '1 second'
    from generate_series(1, 1100) as i`)
  // Another user's matching tasks never count.
  const other = (await t.signUp()).user.id
  await t.database.db.execute(sql`
    insert into tasks (id, user_id, title, description) select gen_random_uuid(), ${other}::uuid, 'chore beta gamma ' || i, '' from generate_series(1, 20) as i`)
  const api = await t.call('POST', '/api/v1/tokens', { token, body: { name: 'mcp' } })
  const listening = t.app.listen({ port: 0, hostname: '127.0.0.1' })
  server = { url: `http://127.0.0.1:${listening.server!.port}`, stop: async () => void (await listening.stop(true)) }
  mcp = new Client({ name: 'totals-test', version: '1.0.0' })
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${api.body.token}` } } }))
}, 60_000)
afterAll(async () => {
  await mcp.close()
  await server.stop()
  await t.dispose()
})

const rest = async (query: string) => {
  const res = await t.call('GET', `/api/v1/tasks?${query}`, { token })
  expect(res.status).toBe(200)
  return res.body as { items: Array<{ id: string }>; total: number; total_is_exact: boolean; next_cursor: string | null }
}

describe('REST', () => {
  test('above the cap the total is 1000 and says it is not exact', async () => {
    expect(TOTAL_CAP).toBe(1000)
    expect(await rest('search=chore&limit=1')).toMatchObject({ total: 1000, total_is_exact: false })
    expect(await rest('limit=1')).toMatchObject({ total: 1000, total_is_exact: false })
  })

  test('up to the cap the total is exact, 1,000 included', async () => {
    expect(await rest('search=beta&limit=1')).toMatchObject({ total: 1000, total_is_exact: true })
    expect(await rest('search=gamma&limit=1')).toMatchObject({ total: 50, total_is_exact: true })
    expect(await rest('status=completed&limit=1')).toMatchObject({ total: 44, total_is_exact: true })
    expect(await rest('search=nothing-like-this')).toMatchObject({ items: [], total: 0, total_is_exact: true, next_cursor: null })
  })

  test('paging past the cap still yields every matching task exactly once', async () => {
    for (const sort of ['created_at', 'title']) {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page = await rest(`search=chore&sort=${sort}&limit=100${cursor ? `&cursor=${cursor}` : ''}`)
        expect(page).toMatchObject({ total: 1000, total_is_exact: false })
        seen.push(...page.items.map((i) => i.id))
        cursor = page.next_cursor
      } while (cursor)
      expect(seen.length).toBe(1100)
      expect(new Set(seen).size).toBe(1100)
    }
  })

  test('a page that comes back empty (its tasks deleted meanwhile) still says how many match', async () => {
    for (const n of [1, 2, 3]) expect((await t.call('POST', '/api/v1/tasks', { token, body: { title: `delta ${n}` } })).status).toBe(201)
    const first = await rest('search=delta&limit=2')
    expect(first).toMatchObject({ total: 3, total_is_exact: true })
    const [last] = (await rest(`search=delta&limit=2&cursor=${first.next_cursor}`)).items
    expect((await t.call('DELETE', `/api/v1/tasks/${last!.id}`, { token })).status).toBe(204)
    expect(await rest(`search=delta&limit=2&cursor=${first.next_cursor}`)).toEqual({ items: [], total: 2, total_is_exact: true, next_cursor: null })
  })
})

test('MCP list_tasks carries total_is_exact', async () => {
  const call = async (args: Record<string, unknown>) => ((await mcp.callTool({ name: 'list_tasks', arguments: args })) as { structuredContent: Record<string, unknown> }).structuredContent
  expect(await call({ search: 'chore', limit: 1 })).toMatchObject({ total: 1000, total_is_exact: false })
  expect(await call({ search: 'gamma', limit: 1 })).toMatchObject({ total: 50, total_is_exact: true })
})

test('the web page shows 1,000+ for a count past the cap, and exact counts as they are', async () => {
  const page = await browser(t, 'GET', '/tasks?search=chore', { session: token })
  expect(page.status).toBe(200)
  const counts = /<nav id="counts"[\s\S]*?<\/nav>/.exec(page.text)![0]
  const shown = [...counts.matchAll(/class="count">([^<]*)</g)].map((m) => m[1])
  // Open (1,056 match), Completed (44), All (1,100).
  expect(shown).toEqual(['1,000+', '44', '1,000+'])
  const exact = /<nav id="counts"[\s\S]*?<\/nav>/.exec((await browser(t, 'GET', '/tasks?search=gamma', { session: token })).text)![0]
  expect([...exact.matchAll(/class="count">([^<]*)</g)].map((m) => m[1])).toEqual(['48', '2', '50'])
})

interface PlanNode {
  'Node Type': string
  'Actual Rows': number
  'Actual Loops': number
  Plans?: PlanNode[]
  'Relation Name'?: string
}

requires('the plan of a capped count', need.postgres).test('on PostgreSQL, counting a common word reads at most cap + 1 matching rows', async () => {
  // 3,000 more tasks that all say "invoice", among 3,000 that do not.
  await t.database.db.execute(sql`
    insert into tasks (id, user_id, title, description)
    select gen_random_uuid(), ${userId}::uuid, case when i % 2 = 0 then 'Send invoice ' || i else 'Water the plants ' || i end, 'note ' || md5(i::text)
    from generate_series(1, 6000) as i`)
  await t.database.db.execute(sql`analyze tasks`)
  const query = parseListQuery({ search: 'invoice' }, 'UTC', new Date())
  const { sql: text, params } = listStatements(t.database.db, { userId, shared: [] }, query).total
  const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`)
  const inlined = text.replace(/\$(\d+)/g, (_: string, n: string) => literal(params[Number(n) - 1]))
  const [row] = await rows<Record<string, unknown>>(t.database, sql.raw(`explain (analyze, format json) ${inlined}`))
  const raw = Object.values(row!)[0]
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>
  // The count's input: whatever sits under the aggregate, through the limit, down to the scan of tasks.
  const aggregate = plan[0]!.Plan
  expect(aggregate['Node Type']).toBe('Aggregate')
  const scans: PlanNode[] = []
  const walk = (node: PlanNode) => {
    if (node['Relation Name'] === 'tasks') scans.push(node)
    node.Plans?.forEach(walk)
  }
  walk(aggregate)
  expect(scans.length).toBeGreaterThan(0)
  for (const scan of scans) expect(scan['Actual Rows'] * scan['Actual Loops']).toBeLessThanOrEqual(TOTAL_CAP + 1)
  // And the answer: 3,000 matches are more than the cap.
  expect(await matchCount(t.database.db, { userId, shared: [] }, query)).toBe(TOTAL_CAP + 1)
}, 60_000)
