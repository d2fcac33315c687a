// The list's search is served by the trigram index, not a scan of every task (EXPLAIN on a seeded table).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../src/db/client'
import { listStatements, listTasks, matchCount } from '../src/features/tasks/list'
import { parseListQuery } from '../src/features/tasks/list-query'
import { projectListQuery } from '../src/features/projects/service'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { need, requires } from './helpers/requires'

/** Checks on PostgreSQL's own prepared statements (pg_prepared_statements, plan_cache_mode) and its drivers. */
const onPostgres = requires('the plans of prepared searches', need.postgres)
let t: TestApp
let userId: string
let userToken: string

beforeAll(async () => {
  t = await testApp()
  ;({ token: userToken, user: { id: userId } } = await t.signUp())
  const other = (await t.signUp()).user.id
  // The other user's 200 projects, which hold their tasks (this user's stay in the Inbox).
  await t.database.db.execute(sql`
    insert into projects (id, user_id, name, position) select gen_random_uuid(), ${other}::uuid, 'p' || i, i from generate_series(1, 200) as i`)
  // 200,000 tasks (100,000 per user, the scale the index must serve): a few hundred mention "invoice" (the kind of search people make); the rest are other words.
  await t.database.db.execute(sql`
    insert into tasks (id, user_id, project_id, title, description, tags)
    select gen_random_uuid(), case when i % 2 = 0 then ${userId}::uuid else ${other}::uuid end,
           case when i % 2 = 0 then null else (array(select id from projects where user_id = ${other}::uuid and not is_inbox order by position))[1 + i / 2 % 200] end,
           case when i % 499 = 0 then 'Send invoice ' || i else 'Task number ' || i || ' about gardening' end,
           'note ' || md5(i::text), array['t' || (i % 50)]
    from generate_series(1, 200000) as i`)
  await t.database.db.execute(sql`analyze tasks`)
}, 120_000)
afterAll(() => t.dispose())

async function plan(params: Record<string, string>, which: 'page' | 'total' = 'page'): Promise<string> {
  const query = parseListQuery(params, 'UTC', new Date())
  return explain(listStatements(t.database.db, { userId, shared: [] }, query)[which])
}

/** The plan of a statement, its parameters inlined. */
async function explain({ sql: text, params: values }: { sql: string; params: unknown[] }): Promise<string> {
  // EXPLAIN cannot take bind parameters through every driver: inline them as literals.
  const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`)
  const inlined = text.replace(/\$(\d+)/g, (_: string, n: string) => literal(values[Number(n) - 1]))
  const lines = await rows<Record<string, string>>(t.database, sql.raw(`explain ${inlined}`))
  return lines.map((l) => Object.values(l)[0]).join('\n')
}

test('a keyword search uses the trigram index, for the page and for the total', async () => {
  for (const which of ['page', 'total'] as const) {
    const text = await plan({ search: 'invoice' }, which)
    expect(text).toContain('tasks_user_search_idx')
    expect(text).not.toMatch(/Seq Scan on tasks/)
  }
})

test('the search finds exactly the matching tasks of this user', async () => {
  const query = parseListQuery({ search: 'invoice', limit: '100' }, 'UTC', new Date())
  const n = await matchCount(t.database.db, { userId, shared: [] }, query)
  // i % 499 == 0 and even i: multiples of 998 up to 200,000.
  expect(n).toBe(Math.floor(200000 / 998))
})

test("a tag filter takes the user's tags index, for the page's total too, never a full scan", async () => {
  // t7 is on 2,000 tasks, all of the other user's: this user's answer is none, found without reading theirs.
  const text = await plan({ tags: 't7' })
  expect(text).toContain('tasks_user_tags_idx')
  expect(text).not.toMatch(/Seq Scan on tasks/)
})

test("one project's list (newest first, or by due date) reads the project's index, for the page and its total", async () => {
  // 1,000 of this user's 100,000 tasks sit in one project; the rest stay in the Inbox.
  const { body: project } = await t.call('POST', '/api/v1/projects', { token: userToken, body: { name: 'Garden' } })
  await t.database.db.execute(sql`
    update tasks set project_id = ${project.id}::uuid
    where id in (select id from tasks where user_id = ${userId}::uuid order by id limit 1000)`)
  await t.database.db.execute(sql`analyze tasks`)
  for (const which of ['page', 'total'] as const) {
    const text = await plan({ project_id: project.id }, which)
    expect(text).toContain('tasks_project_created_idx')
    expect(text).not.toMatch(/Seq Scan on tasks/)
  }
  const query = parseListQuery({ project_id: project.id, limit: '100' }, 'UTC', new Date())
  expect(await matchCount(t.database.db, { userId, shared: [] }, query)).toBe(1000)
  // The sidebar's counts (open, overdue) read each project's open tasks off its index, never a scan of the table (the
  // other user's tasks sit in 200 projects, as in a database of many projects).
  const counts = await explain(projectListQuery(t.database.db, { id: userId, timezone: 'UTC' }, new Date()).toSQL())
  expect(counts).toContain('tasks_project_open_due_idx')
  expect(counts).not.toMatch(/Seq Scan on tasks/)
})

onPostgres.test('on PostgreSQL, a search run many times is still planned for its word, never by a generic plan', async () => {
  // 10,000 tasks of one user, each titled with one of 20 words (5% each); one of them also says "zephyr".
  const user = (await t.signUp()).user.id
  await t.database.db.execute(sql`
    insert into tasks (id, user_id, title, description, created_at)
    select gen_random_uuid(), ${user}::uuid, (array['alpha','bravo','cobalt','delta','ember','falcon','garnet','harbor','indigo','juniper',
           'kestrel','lumen','meadow','nectar','onyx','pepper','quartz','raven','saffron','tundra'])[1 + i % 20] || ' task ' || i
           || case when i = 4321 then ' zephyr' else '' end, '', timestamptz '2020-01-01' + i * interval '1 minute'
    from generate_series(1, 10000) as i`)
  await t.database.db.execute(sql`analyze tasks`)
  // One connection, so the statements the list prepared are the ones this session can see.
  const one = await openDatabase({ url: t.databaseUrl!, poolMax: 1 })
  try {
    // The common word first: its plans cost the most, so by the sixth run a generic plan (made without the word)
    // looks the better bargain, and the rare word would then walk all 10,000 tasks instead of taking the index.
    for (const search of [...Array(12).fill('harbor'), ...Array(12).fill('zephyr')]) {
      expect((await listTasks(one.db, { userId: user, shared: [] }, parseListQuery({ search }, 'UTC', new Date()))).items.length).toBeGreaterThan(0)
    }
    const [plans] = await rows<{ statements: number; generic: number; custom: number }>(
      { ...t.database, db: one.db },
      sql`select count(*)::int as statements, coalesce(sum(generic_plans), 0)::int as generic, coalesce(sum(custom_plans), 0)::int as custom
          from pg_prepared_statements where statement ilike '%ilike%'`,
    )
    // Two statements, the page and its count (a search counts beside its page), each planned for its word every time.
    expect(plans).toEqual({ statements: 2, generic: 0, custom: 48 })
  } finally {
    await one.close()
  }
}, 60_000)

onPostgres.test('on PostgreSQL, filters of many shapes leave no prepared statement behind; a plain list stays prepared', async () => {
  const user = (await t.signUp()).user.id
  const one = await openDatabase({ url: t.databaseUrl!, poolMax: 1 })
  try {
    // 300 filters, each of its own shape (so its own SQL text): a connection that kept each would hold 300 plans.
    const atoms = ['today', 'no date', 'recurring', '#t7', 'p1', 'overdue', 'search: invoice']
    for (let i = 0; i < 300; i++) {
      const terms = [...(i + atoms.length).toString(atoms.length)].map((digit) => atoms[Number.parseInt(digit, atoms.length)]!)
      const filter = terms.map((term, k) => (k === 0 ? term : `${k % 2 ? '|' : '&'} ${term}`)).join(' ')
      await listTasks(one.db, { userId: user, shared: [] }, parseListQuery({ filter, limit: '5' }, 'UTC', new Date()))
    }
    for (let i = 0; i < 3; i++) await listTasks(one.db, { userId: user, shared: [] }, parseListQuery({ search: 'invoice' }, 'UTC', new Date()))
    const kept = await rows<{ statement: string }>({ ...t.database, db: one.db }, sql`select statement from pg_prepared_statements where statement ilike '%from "tasks"%'`)
    // The plain search's page and its count, each prepared once and run three times.
    expect(kept).toHaveLength(2)
    for (const { statement } of kept) expect(statement).toContain('ilike')
  } finally {
    await one.close()
  }
}, 60_000)

onPostgres.test('on PostgreSQL, with prepared statements off (PgBouncer in transaction mode) lists work and nothing is prepared', async () => {
  for (const driver of ['postgres-js', 'bun-sql'] as const) {
    const one = await openDatabase({ url: t.databaseUrl!, poolMax: 1, driver, prepare: false })
    try {
      for (const search of ['invoice', 'invoice', 'gardening']) {
        expect((await listTasks(one.db, { userId, shared: [] }, parseListQuery({ search }, 'UTC', new Date()))).items.length, driver).toBeGreaterThan(0)
      }
      const [row] = await rows<{ n: number; mode: string }>(
        { ...t.database, db: one.db },
        sql`select (select count(*)::int from pg_prepared_statements) as n, current_setting('plan_cache_mode') as mode`,
      )
      expect(row, driver).toEqual({ n: 0, mode: 'auto' })
    } finally {
      await one.close()
    }
  }
})
