// The list's search is served by the trigram index, not a scan of every task (EXPLAIN on a seeded table).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { listStatements, matchCount, parseListQuery } from '../src/features/tasks/list'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'

let t: TestApp
let userId: string

beforeAll(async () => {
  t = await testApp()
  userId = (await t.signUp()).user.id
  const other = (await t.signUp()).user.id
  // 200,000 tasks (100,000 per user, the scale the index must serve): a few hundred mention "invoice" (the kind of search people make); the rest are other words.
  await t.database.db.execute(sql`
    insert into tasks (id, user_id, title, description, tags)
    select gen_random_uuid(), case when i % 2 = 0 then ${userId}::uuid else ${other}::uuid end,
           case when i % 499 = 0 then 'Send invoice ' || i else 'Task number ' || i || ' about gardening' end,
           'note ' || md5(i::text), array['t' || (i % 50)]
    from generate_series(1, 200000) as i`)
  await t.database.db.execute(sql`analyze tasks`)
}, 120_000)
afterAll(() => t.dispose())

async function plan(params: Record<string, string>, which: 'page' | 'total' = 'page'): Promise<string> {
  const query = parseListQuery(params, 'UTC')
  const { sql: text, params: values } = listStatements(t.database.db, userId, query)[which]
  // EXPLAIN cannot take bind parameters through every driver: inline them as literals.
  const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`)
  const inlined = text.replace(/\$(\d+)/g, (_: string, n: string) => literal(values[Number(n) - 1]))
  const lines = await rows<Record<string, string>>(t.database, sql.raw(`explain ${inlined}`))
  return lines.map((l) => Object.values(l)[0]).join('\n')
}

test('a keyword search uses the trigram index, for the page and for the total', async () => {
  for (const which of ['page', 'total'] as const) {
    const text = await plan({ search: 'invoice' }, which)
    expect(text).toContain('tasks_search_idx')
    expect(text).not.toMatch(/Seq Scan on tasks/)
  }
})

test('the search finds exactly the matching tasks of this user', async () => {
  const query = parseListQuery({ search: 'invoice', limit: '100' }, 'UTC')
  const n = await matchCount(t.database.db, userId, query)
  // i % 499 == 0 and even i: multiples of 998 up to 200,000.
  expect(n).toBe(Math.floor(200000 / 998))
})

test('a tag filter uses the tags index or the per-user index, never a full scan', async () => {
  const text = await plan({ tags: 't7' })
  expect(text).not.toMatch(/Seq Scan on tasks/)
})
