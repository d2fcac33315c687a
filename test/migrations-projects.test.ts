// The projects migration on a database that already has data: every existing task moves into its owner's Inbox, and an
// app version from before projects keeps working during a rolling deploy. On PostgreSQL with 200,000 tasks (timed).
import { afterAll, expect, test } from 'bun:test'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { openDatabase, type Database } from '../src/db/client'
import { MIGRATIONS_FOLDER, runMigrations } from '../src/db/migrate'
import { adminUrl, createScratchDatabase, rows } from './helpers/db'

const PROJECTS_MIGRATION = '0019_projects'
// 2,000 users with 100 tasks each on PostgreSQL; a small set on in-memory PGlite, which checks the same logic.
const USERS = adminUrl ? 2_000 : 50
const TASKS_PER_USER = 100

const cleanups: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

/** A copy of migrations/ that stops just before the projects migration. */
function migrationsBeforeProjects(): string {
  const dir = mkdtempSync(join(tmpdir(), 'todo-migrations-'))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true })
  const journalPath = join(dir, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> }
  const cut = journal.entries.findIndex((entry) => entry.tag === PROJECTS_MIGRATION)
  expect(cut).toBeGreaterThan(0)
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }))
  return dir
}

async function migrateTo(database: Database, url: string | undefined, folder: string): Promise<void> {
  if (!url) return migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder })
  const client = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: folder })
  } finally {
    await client.end()
  }
}

/** A fresh database (a scratch one on PostgreSQL, else in-memory PGlite) migrated up to just before the projects migration. */
async function databaseBeforeProjects(): Promise<{ database: Database; url: string | undefined }> {
  let url: string | undefined
  let database: Database
  if (adminUrl) {
    const scratch = await createScratchDatabase()
    cleanups.push(scratch.drop)
    url = scratch.url
    database = await openDatabase({ url, poolMax: 2 })
  } else {
    database = await openDatabase({})
  }
  cleanups.push(() => database.close())
  await migrateTo(database, url, migrationsBeforeProjects())
  return { database, url }
}

const count = async (database: Database, query: ReturnType<typeof sql>) => Number((await rows<{ n: number | string }>(database, query))[0]!.n)

test(`existing tasks (${USERS * TASKS_PER_USER}) move into each owner's Inbox, and inserts that name no project still work`, async () => {
  const { database, url } = await databaseBeforeProjects()

  // Seeded in SQL: users, then their tasks (some completed, some due), as an app from before projects left them.
  await database.db.execute(sql`
    insert into users (id, email, password_hash)
    select gen_random_uuid(), 'user' || i || '@example.com', 'x' from generate_series(1, ${USERS}) as i`)
  await database.db.execute(sql`
    insert into tasks (id, user_id, title, status, completed_at, due_date)
    select gen_random_uuid(), u.id, 'task ' || g,
      case when g % 4 = 0 then 'completed'::task_status else 'pending'::task_status end,
      case when g % 4 = 0 then now() end,
      case when g % 3 = 0 then now() + (g || ' hours')::interval end
    from users as u, generate_series(1, ${TASKS_PER_USER}) as g`)
  expect(await count(database, sql`select count(*) as n from tasks`)).toBe(USERS * TASKS_PER_USER)

  // Meanwhile the running app reads and adds tasks: on PostgreSQL, a reader and a writer on their own connections time
  // each call, which shows how long the migration ever blocks the table.
  const [probe] = await rows<{ id: string }>(database, sql`select id from users limit 1`)
  let migrating = true
  let slowest = 0
  let calls = 0
  const traffic = url
    ? (async () => {
        const app = postgres(url, { max: 2, onnotice: () => {} })
        while (migrating) {
          const at = performance.now()
          await Promise.all([
            app`select count(*) from tasks where user_id = ${probe!.id}`,
            app`insert into tasks (id, user_id, title) values (gen_random_uuid(), ${probe!.id}, 'added during the migration')`,
          ])
          slowest = Math.max(slowest, performance.now() - at)
          calls++
        }
        await app.end()
      })()
    : Promise.resolve()
  const started = performance.now()
  await runMigrations(database, url)
  const ms = Math.round(performance.now() - started)
  migrating = false
  await traffic
  console.log(
    `projects migration: ${USERS * TASKS_PER_USER} tasks of ${USERS} users moved into their Inboxes in ${ms} ms (${url ? 'PostgreSQL' : 'PGlite'})` +
      (url ? `; ${calls} read+insert pairs ran meanwhile, the slowest took ${Math.round(slowest)} ms` : ''),
  )
  const added = await count(database, sql`select count(*) as n from tasks where title = 'added during the migration'`)
  expect(added).toBe(calls)

  expect(await count(database, sql`select count(*) as n from projects where is_inbox`)).toBe(USERS)
  expect(await count(database, sql`select count(*) as n from projects`)).toBe(USERS)
  const inInbox = await count(database, sql`
    select count(*) as n from tasks join projects on projects.id = tasks.project_id
    where projects.user_id = tasks.user_id and projects.is_inbox`)
  expect(inInbox).toBe(USERS * TASKS_PER_USER + added)
  expect(await count(database, sql`select count(*) as n from tasks where project_id is null`)).toBe(0)
  const [indexes] = await rows<{ n: number | string }>(database, sql`
    select count(*) as n from pg_index join pg_class on pg_class.oid = pg_index.indexrelid
    where pg_class.relname in ('tasks_project_created_idx', 'tasks_project_open_due_idx', 'tasks_parent_idx') and pg_index.indisvalid`)
  expect(Number(indexes!.n)).toBe(3)
  // The foreign keys added NOT VALID in the schema's transaction are validated after it.
  const keys = await rows<{ conname: string; convalidated: boolean }>(database, sql`
    select conname, convalidated from pg_constraint where conname in ('tasks_project_id_projects_id_fk', 'tasks_parent_id_tasks_id_fk') order by conname`)
  expect(keys).toEqual([
    { conname: 'tasks_parent_id_tasks_id_fk', convalidated: true },
    { conname: 'tasks_project_id_projects_id_fk', convalidated: true },
  ])
  const [column] = await rows<{ is_nullable: string }>(database, sql`select is_nullable from information_schema.columns where table_name = 'tasks' and column_name = 'project_id'`)
  expect(column!.is_nullable).toBe('NO')

  // An app version from before projects, still running during the deploy: its task insert names no project and
  // lands in the Inbox; an account it signed up (no Inbox) gets one with its first task.
  const [someone] = await rows<{ id: string; inbox: string }>(database, sql`select users.id, projects.id as inbox from users join projects on projects.user_id = users.id limit 1`)
  await database.db.execute(sql`insert into tasks (id, user_id, title) values (gen_random_uuid(), ${someone!.id}, 'from the old app')`)
  const [old] = await rows<{ project_id: string }>(database, sql`select project_id from tasks where title = 'from the old app'`)
  expect(old!.project_id).toBe(someone!.inbox)
  const newcomer = crypto.randomUUID()
  await database.db.execute(sql`insert into users (id, email, password_hash) values (${newcomer}, 'newcomer@example.com', 'x')`)
  await database.db.execute(sql`insert into tasks (id, user_id, title) values (gen_random_uuid(), ${newcomer}, 'first task')`)
  const [placed] = await rows<{ name: string; is_inbox: boolean; owner: string }>(database, sql`
    select projects.name, projects.is_inbox, projects.user_id as owner from tasks join projects on projects.id = tasks.project_id where tasks.title = 'first task'`)
  expect(placed).toEqual({ name: 'Inbox', is_inbox: true, owner: newcomer })
}, 120_000)

test('an account whose tasks have no Inbox to move to (made by an older app while the schema committed) gets one, and the start completes', async () => {
  const { database, url } = await databaseBeforeProjects()
  const owner = crypto.randomUUID()
  await database.db.execute(sql`insert into users (id, email, password_hash) values (${owner}, 'late@example.com', 'x')`)
  await database.db.execute(sql`insert into tasks (id, user_id, title) select gen_random_uuid(), ${owner}, 'task ' || g from generate_series(1, 3) as g`)
  // The schema's half alone (as if the data's half had not run yet), then the account loses the Inbox it was given:
  // the state a user and tasks made by the old app between the Inbox insert and the commit leave behind.
  await migrateTo(database, url, MIGRATIONS_FOLDER)
  await database.db.execute(sql`delete from projects where user_id = ${owner}`)
  await runMigrations(database, url)
  const placed = await rows<{ name: string; n: number | string }>(database, sql`
    select projects.name, count(*) as n from tasks join projects on projects.id = tasks.project_id where tasks.user_id = ${owner} group by projects.name`)
  expect(placed.map((p) => [p.name, Number(p.n)])).toEqual([['Inbox', 3]])
}, 60_000)
