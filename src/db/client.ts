// Opens the database: PostgreSQL when DATABASE_URL is set (postgres.js, or Bun's built-in client), embedded PGlite
// (with pg_trgm and btree_gin) otherwise.
import { mkdirSync } from 'node:fs'
import { SQL as BunSQL } from 'bun'
import { sql, type SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzleBunSql } from 'drizzle-orm/bun-sql'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import type { DatabaseDriver } from './drivers'
import type { DatabaseObserver } from '../lib/metrics'
import { tracingEnabled } from '../lib/tracing'
import { instrumentPglite, instrumentPostgres, preparePostgres } from './instrument'
import { postgresListener } from './listener'
import { postgresFixLoaded } from './postgres-fix'

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
  /** Which client talks to PostgreSQL ('pglite' for the embedded database). */
  driver: DatabaseDriver | 'pglite'
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  /**
   * Calls `onNotify` with each NOTIFY's payload on `channel` (delivered when the notifying transaction commits), and
   * `onListen` once the LISTEN is in place and again each time a lost listening connection is re-established. Throws
   * if it cannot listen now; calling it again (after the returned unlisten) tries again.
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
  /** The PostgreSQL client (default postgres-js); ignored for PGlite. */
  driver?: DatabaseDriver
  /**
   * Named server-side prepared statements, planned once per connection (default true). Off only behind a pooler
   * that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  prepare?: boolean
  /** Told of every query and transaction (metrics); each query is also a span when tracing is on. */
  observer?: DatabaseObserver
}

/** Queries are wrapped only when someone listens: metrics, or spans (tracing on before the database opens). */
const watched = (options: DatabaseOptions) => Boolean(options.observer) || tracingEnabled()

/** Opens a connection pool (postgres.js) or an embedded database (PGlite). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return options.driver === 'bun-sql' ? openBunSql(options, options.url) : openPostgresJs(options, options.url)
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  // Loaded only when used: a cluster (DATABASE_URL) never loads the embedded database.
  const [{ PGlite }, { pg_trgm }, { btree_gin }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/btree_gin'),
  ])
  const client = await PGlite.create(options.dataDir, { extensions: { pg_trgm, btree_gin } })
  options.observer?.poolMax(1)
  const db = drizzlePglite(watched(options) ? instrumentPglite(client, options.observer) : client) as unknown as Db
  return {
    db,
    kind: 'pglite',
    driver: 'pglite',
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

const encodeJson = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

/**
 * Startup settings of every pooled connection. A prepared statement may otherwise switch to a generic plan after five
 * runs, one made without its values: for a search that plan walks all of a user's tasks testing ILIKE, as it would
 * for a common word, even when the trigram index finds the one rare match at once (14 ms instead of 0.1 at 10,000
 * tasks). Planned for its values each time, a statement still skips parsing and the extra round trip. Without
 * prepared statements (DATABASE_PREPARE=false, behind PgBouncer, which refuses startup settings it does not know)
 * every statement is planned for its values anyway, so nothing is sent.
 */
export const sessionSettings = (prepare: boolean) => (prepare ? { plan_cache_mode: 'force_custom_plan' } : undefined)

/**
 * How long a connection lost with an error waits before it connects again, given how many such losses the pool has
 * had since its last good connection: a tenth of a second doubling to at most one, with jitter. postgres.js's own
 * wait grows by threefold to 20 s, and a query given to a connection waits it out: after a 1.5 s database cut,
 * with every pooled connection refused a few times meanwhile, requests failed for 15 to 25 s more.
 */
export const reconnectDelaySeconds = (retries: number) => Math.min(0.1 * 2 ** retries, 1) * (0.5 + Math.random() / 2)

function postgresJs(url: string, max: number, prepare = true, extra: Partial<postgres.Options<{}>> = {}) {
  assertPostgresFixed()
  // Fail fast instead of hanging when the server is gone, and be back soon after it returns.
  return postgres(url, { max, prepare, onnotice: () => {}, connect_timeout: 5, idle_timeout: 60, backoff: reconnectDelaySeconds, connection: sessionSettings(prepare), ...extra })
}

/** LISTEN through a connection of its own, which listens again after a lost connection (`postgresListener`). */
const listenerFor = (url: string) => postgresListener((extra) => postgresJs(url, 1, false, extra))

/** postgres.js; drizzle asks it for a one-off statement unless told otherwise, so every query is made a prepared one. */
function openPostgresJs(options: DatabaseOptions, url: string): Database {
  const poolMax = options.poolMax ?? 10
  const prepare = options.prepare ?? true
  const client = preparePostgres(postgresJs(url, poolMax, prepare), prepare)
  options.observer?.poolMax(poolMax)
  const db = drizzlePostgres(watched(options) ? instrumentPostgres(client, options.observer) : client) as unknown as Db
  // drizzle leaves json parameters to the caller as strings; our jsonb columns hand over the value (db/jsonb.ts).
  for (const oid of [114, 3802]) client.options.serializers[oid] = encodeJson
  const listener = listenerFor(url)
  return {
    db,
    kind: 'postgres',
    driver: 'postgres-js',
    ping: async () => void (await client`select 1`),
    listen: listener.listen,
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), listener.end()])
    },
  }
}

/** Bun's built-in client (it prepares every statement itself). It has no LISTEN: notifications come as for postgres.js. */
function openBunSql(options: DatabaseOptions, url: string): Database {
  const poolMax = options.poolMax ?? 10
  const prepare = options.prepare ?? true
  const client = new BunSQL({ url, max: poolMax, idleTimeout: 60, connectionTimeout: 5, prepare, connection: sessionSettings(prepare) })
  options.observer?.poolMax(poolMax)
  const db = drizzleBunSql({ client: watched(options) ? instrumentPostgres(client, options.observer) : client }) as unknown as Db
  const listener = listenerFor(url)
  return {
    db,
    kind: 'postgres',
    driver: 'bun-sql',
    ping: async () => void (await client`select 1`),
    listen: listener.listen,
    close: async () => {
      await Promise.all([client.close({ timeout: 5 }), listener.end()])
    },
  }
}

/**
 * Refuses a postgres.js loaded without src/db/postgres-fix.ts: after a database restart its pool would go on with
 * most connections dead. Bun loads the fix through bunfig.toml's preload, read from the directory Bun starts in.
 */
export function assertPostgresFixed(): void {
  if (!postgresFixLoaded()) {
    throw new Error('postgres.js was loaded without its fix (src/db/postgres-fix.ts): start Bun from the repository, whose bunfig.toml preloads it, or run the bundle from `npm run build`')
  }
}
