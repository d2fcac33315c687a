// The second half of the migrations that change a large table (tasks, audit_log): what would lock it for a scan runs after
// the schema change has committed, in small transactions or concurrently, so the table is never locked for longer than one batch.
// Run under the migration lock on every start; each step is a no-op once done.
import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from './client'

/** Tasks moved per transaction: each batch holds its rows' locks only for its own short update. */
export const BACKFILL_BATCH = 5_000

/** Whether the backfill has finished (tasks.project_id is NOT NULL). */
async function finished(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ done: boolean }>(db, sql`
    select attnotnull as done from pg_attribute where attrelid = 'tasks'::regclass and attname = 'project_id'`)
  return row?.done ?? true
}

/** Called before each step: throws if the migration lock was lost (a dropped connection), so no second replica runs alongside. */
export type LockGuard = () => Promise<void>

/**
 * Builds an index on `table` if it is not there (concurrently on PostgreSQL, so writes go on). A concurrent build that
 * failed part-way leaves an invalid index under its name: it is dropped, to build it again.
 */
async function ensureIndex(db: Db, concurrent: boolean, name: string, definition: string, table = 'tasks'): Promise<void> {
  const broken = await queryRows<{ name: string }>(db, sql`
    select c.relname as name from pg_index as i join pg_class as c on c.oid = i.indexrelid
    where i.indrelid = ${table}::regclass and not i.indisvalid and c.relname = ${name}`)
  for (const index of broken) await db.execute(sql`drop index ${sql.identifier(index.name)}`)
  const how = sql.raw(concurrent ? 'concurrently if not exists' : 'if not exists')
  await db.execute(sql`create index ${how} ${sql.identifier(name)} on ${sql.identifier(table)} ${sql.raw(definition)}`)
}

/**
 * Runs `step` over `table` in batches of BACKFILL_BATCH rows walked in id order from where the last batch stopped, so
 * each batch reads only its own rows off the primary key and holds their locks only for its own short statement.
 * `step` gets the batch as a CTE named `batch` (its ids) and answers the statement that changes those rows.
 */
async function inBatches(db: Db, guard: LockGuard, table: string, step: SQL): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    await guard()
    const [batch] = await queryRows<{ last: string | null }>(db, sql`
      with batch as (select id from ${sql.identifier(table)} where id > ${after}::uuid order by id limit ${BACKFILL_BATCH}),
      changed as (${step})
      select max(id::text) as last from batch`)
    if (!batch?.last) break
    after = batch.last
  }
}

/**
 * Finishes the audit actor migration (0022_audit_actor added actor_id and project_id, empty): fills the entries from
 * before it batch by batch (every change then was its owner's, but a repeating task's next instance, which the app
 * made; the project is the one in the entry's task snapshot), then builds the members' index concurrently. The valid
 * index marks it done, so a later start does nothing; a run cut short goes on from the start, each batch a no-op where
 * done.
 */
export async function finishAuditActors(db: Db, concurrent: boolean, guard: LockGuard = async () => {}): Promise<void> {
  const [built] = await queryRows<{ valid: boolean }>(db, sql`
    select i.indisvalid as valid from pg_index as i join pg_class as c on c.oid = i.indexrelid where c.relname = 'audit_log_project_idx'`)
  if (built?.valid) return
  await inBatches(db, guard, 'audit_log', sql`
    update audit_log set
      actor_id = case when audit_log.action = 'recurred' then null else audit_log.user_id end,
      project_id = coalesce(audit_log.after ->> 'project_id', audit_log.before ->> 'project_id')::uuid
    from batch where audit_log.id = batch.id and audit_log.actor_id is null and audit_log.project_id is null`)
  await guard()
  await ensureIndex(db, concurrent, 'audit_log_project_idx', `using btree ("project_id", "id")`, 'audit_log')
}

/**
 * Finishes the subtasks migration (0020_subtasks added the column and its foreign key NOT VALID): builds the index of
 * subtasks and validates the key, which takes no lock that stops reads or writes. Both are no-ops once done.
 */
export async function finishSubtasks(db: Db, concurrent: boolean, guard: LockGuard = async () => {}): Promise<void> {
  await guard()
  await ensureIndex(db, concurrent, 'tasks_parent_idx', `using btree ("parent_id") where "tasks"."parent_id" is not null`)
  await guard()
  await db.execute(sql`alter table "tasks" validate constraint "tasks_parent_id_tasks_id_fk"`)
}

/**
 * Finishes the projects migration (0019_projects made the column, the Inboxes and the trigger that fills new rows):
 * moves the remaining tasks into their owners' Inboxes batch by batch, builds the per-project indexes (concurrently on
 * PostgreSQL, so writes go on), validates the foreign key without blocking, and only then sets NOT NULL, which a
 * validated check makes a catalogue change rather than a scan. `concurrent` is false on PGlite, which has one session.
 */
export async function backfillProjects(db: Db, concurrent: boolean, guard: LockGuard = async () => {}): Promise<void> {
  if (await finished(db)) return
  await guard()
  // An account that got tasks without an Inbox (made by an older app version while 0019 committed) gets one now, so
  // that every task has an Inbox to move to and the NOT NULL below cannot fail on every start.
  await db.execute(sql`
    insert into projects (id, user_id, name, is_inbox)
    select gen_random_uuid(), owners.user_id, 'Inbox', true from (select distinct user_id from tasks where project_id is null) as owners
    on conflict do nothing`)
  await inBatches(db, guard, 'tasks', sql`
    update tasks set project_id = projects.id from projects, batch
    where tasks.id = batch.id and tasks.project_id is null and projects.user_id = tasks.user_id and projects.is_inbox`)
  await guard()
  await ensureIndex(db, concurrent, 'tasks_project_created_idx', `using btree ("project_id", "created_at", "id")`)
  await guard()
  await ensureIndex(db, concurrent, 'tasks_project_open_due_idx', `using btree ("project_id", "due_date", "id") where "tasks"."status" = 'pending'`)
  await guard()
  await db.execute(sql`alter table "tasks" validate constraint "tasks_project_id_projects_id_fk"`)
  await db.execute(sql`alter table "tasks" drop constraint if exists "tasks_project_id_not_null"`)
  await db.execute(sql`alter table "tasks" add constraint "tasks_project_id_not_null" check ("project_id" is not null) not valid`)
  await db.execute(sql`alter table "tasks" validate constraint "tasks_project_id_not_null"`)
  await db.execute(sql`alter table "tasks" alter column "project_id" set not null`)
  await db.execute(sql`alter table "tasks" drop constraint "tasks_project_id_not_null"`)
}
