// Applies pending migrations from migrations/; safe to run twice and from replicas starting together.
import { appPath } from '../lib/paths'
import { sql } from 'drizzle-orm'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { backfillProjects } from './backfill-projects'
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
      // Data moved after the schema's transaction, in batches, so that no table stays locked while it moves.
      await backfillProjects(db, true)
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`)
    }
  } finally {
    await client.end({ timeout: 5 })
  }
}
