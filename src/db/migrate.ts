// Applies pending migrations from migrations/; safe to run twice and from replicas starting together.
import { appPath } from '../lib/paths'
import { sql } from 'drizzle-orm'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { backfillProjects, finishAuditActors, finishSubtasks } from './backfill-projects'
import { assertPostgresFixed, queryRows, type Database } from './client'

export const MIGRATIONS_FOLDER = appPath('migrations')

const pgliteRuns = new WeakMap<Database, Promise<void>>()

/** Arbitrary constant naming our advisory lock; every replica uses the same one. */
const MIGRATION_LOCK = 7_326_001
/** How often a replica waiting for the migration lock asks again. */
const LOCK_POLL_MS = 200

/**
 * Applies pending migrations, then the data moves that follow them in batches (backfill-projects.ts). On PostgreSQL a
 * session advisory lock, held on one dedicated connection, makes a second replica wait and then find nothing left to do.
 */
export async function runMigrations(database: Database, url?: string): Promise<void> {
  if (database.kind === 'pglite') {
    // PGlite belongs to one process, so an in-process queue is the lock.
    const previous = pgliteRuns.get(database) ?? Promise.resolve()
    const run = previous.then(async () => {
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER })
      await backfillProjects(database.db, false)
      await finishSubtasks(database.db, false)
      await finishAuditActors(database.db, false)
    })
    pgliteRuns.set(database, run.catch(() => {}))
    return run
  }
  if (!url) throw new Error('runMigrations needs the database URL for PostgreSQL')
  assertPostgresFixed()
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    const db = drizzlePostgres(client)
    // Polled rather than waited for inside a statement: a session waiting in a statement holds a snapshot, and the
    // lock holder's CREATE INDEX CONCURRENTLY waits for every older snapshot, so the two would wait for each other.
    for (;;) {
      const [row] = await queryRows<{ locked: boolean }>(db, sql`select pg_try_advisory_lock(${MIGRATION_LOCK}) as locked`)
      if (row?.locked) break
      await Bun.sleep(LOCK_POLL_MS)
    }
    try {
      await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER })
      // The lock is this connection's: if postgres.js reconnected meanwhile, the lock went with the old connection and
      // another replica may hold it now, so the run stops (and the next start begins again) rather than run beside it.
      const guard = async () => {
        const [held] = await queryRows<{ held: boolean }>(db, sql`
          select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted
            and ((classid::bigint << 32) | objid::bigint) = ${MIGRATION_LOCK} and objsubid = 1) as held`)
        if (!held?.held) throw new Error('the migration lock was lost with its connection: stopping; the next start runs what is left')
      }
      // Data moved after the schema's transaction, in batches, and indexes built concurrently, so no table stays locked.
      await backfillProjects(db, true, guard)
      await finishSubtasks(db, true, guard)
      await finishAuditActors(db, true, guard)
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`)
    }
  } finally {
    await client.end({ timeout: 5 })
  }
}
