// Opens the database: postgres.js when DATABASE_URL is set, embedded PGlite (with pg_trgm) otherwise.
import { mkdirSync } from 'node:fs'
import { sql, type SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import type { DatabaseObserver } from '../lib/metrics'
import { tracingEnabled } from '../lib/tracing'
import { instrumentPglite, instrumentPostgres } from './instrument'

/**
 * The query interface every service takes; a transaction satisfies it too. Queries name their
 * tables (the features' `schema.ts`), so the client itself needs no schema and db/ imports no feature.
 */
export type Db = PgDatabase<PgQueryResultHKT>

/** Rows of a raw query, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] }
  return Array.isArray(result) ? result : result.rows
}

export interface Database {
  db: Db
  kind: 'postgres' | 'pglite'
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  /**
   * Calls `onNotify` with each NOTIFY's payload on `channel` (delivered when the notifying transaction commits), and
   * `onListen` once the LISTEN is in place and again each time a lost listening connection is re-established.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** postgres:// URL; absent means PGlite. */
  url?: string
  /** PGlite folder; absent (with no url) means an in-memory PGlite. */
  dataDir?: string
  poolMax?: number
  /** Told of every query and transaction (metrics); each query is also a span when tracing is on. */
  observer?: DatabaseObserver
}

/** Queries are wrapped only when someone listens: metrics, or spans (tracing on before the database opens). */
const watched = (options: DatabaseOptions) => Boolean(options.observer) || tracingEnabled()

/** Opens a connection pool (postgres.js) or an embedded database (PGlite). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const poolMax = options.poolMax ?? 10
    const client = postgres(options.url, {
      max: poolMax,
      onnotice: () => {},
      // Fail fast instead of hanging when the server is gone.
      connect_timeout: 5,
      idle_timeout: 60,
    })
    options.observer?.poolMax(poolMax)
    const db = drizzlePostgres(watched(options) ? instrumentPostgres(client, options.observer) : client) as unknown as Db
    return {
      db,
      kind: 'postgres',
      ping: async () => {
        await client`select 1`
      },
      listen: async (channel, onNotify, onListen) => {
        const { unlisten } = await client.listen(channel, (payload) => onNotify(payload), onListen)
        return unlisten
      },
      close: () => client.end({ timeout: 5 }),
    }
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  // Loaded only when used: a cluster (DATABASE_URL) never loads the embedded database.
  const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')])
  const client = await PGlite.create(options.dataDir, { extensions: { pg_trgm } })
  options.observer?.poolMax(1)
  const db = drizzlePglite(watched(options) ? instrumentPglite(client, options.observer) : client) as unknown as Db
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    // One embedded connection, never lost: the LISTEN is in place once, for good.
    listen: async (channel, onNotify, onListen) => {
      const unlisten = await client.listen(channel, (payload) => onNotify(payload))
      onListen?.()
      return async () => unlisten()
    },
    close: () => client.close(),
  }
}

/**
 * postgres.js (3.4.9 and before) can write to a connection it has just closed, from a timer: a TypeError no caller
 * can catch, which would end the process when PostgreSQL drops connections (porsager/postgres#1066, #1154, #1208;
 * fixes proposed, not released). The connection is already closed and its query rejected or left to the request
 * deadline, so the process may go on. Recognised narrowly: a TypeError writing to null, thrown in nextWrite.
 */
export function isPostgresClosedSocketWrite(error: unknown): boolean {
  // Bun says "null is not an object (evaluating 'socket.write')", V8 "Cannot read properties of null (reading
  // 'write')"; the bundle keeps function names (--keep-names), so the frame is nextWrite there too.
  return error instanceof TypeError && /\.write'\)|reading 'write'/.test(error.message) && /\bnextWrite\b/.test(error.stack ?? '')
}
