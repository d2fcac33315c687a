// The projects migration's second half: the data moved in small transactions after the schema change has committed,
// so the tasks table is never locked for longer than one batch. Run under the migration lock on every start; a no-op
// once tasks.project_id is NOT NULL, which is the last step.
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from './client'

/** Tasks moved per transaction: each batch holds its rows' locks only for its own short update. */
export const BACKFILL_BATCH = 5_000

/** Whether the backfill has finished (tasks.project_id is NOT NULL). */
async function finished(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ done: boolean }>(db, sql`
    select attnotnull as done from pg_attribute where attrelid = 'tasks'::regclass and attname = 'project_id'`)
  return row?.done ?? true
}

/**
 * Finishes the projects migration (0019_projects made the column, the Inboxes and the trigger that fills new rows):
 * moves the remaining tasks into their owners' Inboxes batch by batch, builds the per-project indexes (concurrently on
 * PostgreSQL, so writes go on), validates the foreign key without blocking, and only then sets NOT NULL, which a
 * validated check makes a catalogue change rather than a scan. `concurrent` is false on PGlite, which has one session.
 */
export async function backfillProjects(db: Db, concurrent: boolean): Promise<void> {
  if (await finished(db)) return
  // Walked in id order from where the last batch stopped, so each batch reads only its own rows off the primary key.
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const [batch] = await queryRows<{ last: string | null }>(db, sql`
      with batch as (select id from tasks where id > ${after}::uuid order by id limit ${BACKFILL_BATCH}),
      moved as (
        update tasks set project_id = projects.id from projects, batch
        where tasks.id = batch.id and tasks.project_id is null and projects.user_id = tasks.user_id and projects.is_inbox
      )
      select max(id::text) as last from batch`)
    if (!batch?.last) break
    after = batch.last
  }
  const how = sql.raw(concurrent ? 'concurrently if not exists' : 'if not exists')
  // A concurrent build that failed part-way leaves an invalid index under its name: drop it, to build it again.
  const broken = await queryRows<{ name: string }>(db, sql`
    select c.relname as name from pg_index as i join pg_class as c on c.oid = i.indexrelid
    where i.indrelid = 'tasks'::regclass and not i.indisvalid and c.relname in ('tasks_project_created_idx', 'tasks_project_open_due_idx')`)
  for (const { name } of broken) await db.execute(sql`drop index ${sql.identifier(name)}`)
  await db.execute(sql`create index ${how} "tasks_project_created_idx" on "tasks" using btree ("project_id", "created_at", "id")`)
  await db.execute(sql`create index ${how} "tasks_project_open_due_idx" on "tasks" using btree ("project_id", "due_date", "id") where "tasks"."status" = 'pending'`)
  await db.execute(sql`alter table "tasks" validate constraint "tasks_project_id_projects_id_fk"`)
  await db.execute(sql`alter table "tasks" drop constraint if exists "tasks_project_id_not_null"`)
  await db.execute(sql`alter table "tasks" add constraint "tasks_project_id_not_null" check ("project_id" is not null) not valid`)
  await db.execute(sql`alter table "tasks" validate constraint "tasks_project_id_not_null"`)
  await db.execute(sql`alter table "tasks" alter column "project_id" set not null`)
  await db.execute(sql`alter table "tasks" drop constraint "tasks_project_id_not_null"`)
}
