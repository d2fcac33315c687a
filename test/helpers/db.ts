// A fresh, migrated database per test file: a throwaway PostgreSQL database when DATABASE_URL is set, in-memory PGlite otherwise.
import type { DatabaseObserver } from '../../src/lib/metrics'
import type { SQL } from 'drizzle-orm'
import postgres from 'postgres'
import { openDatabase, queryRows, type Database } from '../../src/db/client'
import { runMigrations } from '../../src/db/migrate'

export interface TestDatabase {
  database: Database
  /** The throwaway database's URL (PostgreSQL only). */
  url: string | undefined
  dispose(): Promise<void>
}

/** The server under test, if any: CI sets DATABASE_URL to a real PostgreSQL. */
export const adminUrl = process.env.DATABASE_URL || undefined

/** Creates an empty PostgreSQL database and returns its URL and a dropper. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!adminUrl) throw new Error('createScratchDatabase needs DATABASE_URL')
  const name = `t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} })
      await dropper.unsafe(`drop database if exists ${name} with (force)`)
      await dropper.end()
    },
  }
}

/** A migrated database for one test file. */
export async function testDatabase(options: { forcePglite?: boolean; observer?: DatabaseObserver } = {}): Promise<TestDatabase> {
  if (!adminUrl || options.forcePglite) {
    const database = await openDatabase({ observer: options.observer })
    await runMigrations(database)
    return { database, url: undefined, dispose: () => database.close() }
  }
  const scratch = await createScratchDatabase()
  // DATABASE_DRIVER=bun-sql runs the same suites over Bun's built-in client.
  const driver = process.env.DATABASE_DRIVER === 'bun-sql' ? 'bun-sql' : 'postgres-js'
  const database = await openDatabase({ url: scratch.url, poolMax: 10, driver, observer: options.observer })
  await runMigrations(database, scratch.url)
  return {
    database,
    url: scratch.url,
    dispose: async () => {
      await database.close()
      await scratch.drop()
    },
  }
}

/** Rows of a raw query on a test database. */
export const rows = <T>(database: Database, query: SQL): Promise<T[]> => queryRows<T>(database.db, query)
