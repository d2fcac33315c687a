// Timing and spans for every query, under drizzle: postgres.js's `unsafe` (and each transaction's and
// savepoint's copy) or PGlite's `query`. Statement text only: bound parameters never reach a span or a metric.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { DatabaseObserver } from '../lib/metrics'
import { SpanKind, SpanStatusCode, trace, tracer, tracingEnabled } from '../lib/tracing'

/** `select`, `insert`, `update`, `delete`, `begin`… : a bounded label from the statement's first word. */
const KINDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback', 'savepoint', 'listen', 'unlisten'])
function operationOf(text: string): string {
  const word = /^\s*([a-z]+)/i.exec(text)?.[1]?.toLowerCase() ?? ''
  return KINDS.has(word) ? word : 'other'
}

/** A span for a query, only inside a sampled trace (a query of the relay's polling starts no trace of its own). */
function querySpan(operation: string, text: string) {
  if (!tracingEnabled() || !trace.getActiveSpan()?.isRecording()) return undefined
  return tracer.startSpan(operation.toUpperCase(), {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation.toUpperCase(), 'db.query.text': text.slice(0, 1000) },
  })
}

/** Watches one query from the moment it is awaited (postgres.js queries are lazy) until it settles. */
function watch<T>(start: () => Promise<T>, text: string, observer: DatabaseObserver | undefined): Promise<T> {
  const operation = operationOf(text)
  const span = querySpan(operation, text)
  const began = performance.now()
  observer?.inFlight(1)
  const done = (ok: boolean, error?: unknown) => {
    observer?.inFlight(-1)
    observer?.query(operation, (performance.now() - began) / 1000, ok)
    if (!ok) span?.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message.slice(0, 200) : undefined })
    span?.end()
  }
  return start().then(
    (value) => {
      done(true)
      return value
    },
    (error: unknown) => {
      done(false, error)
      throw error
    },
  )
}

type Thenable = { then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) => Promise<unknown> }

/** A postgres.js query whose first `then` (await, catch or finally all come through it) is watched. */
function watchLazy<Q extends Thenable>(query: Q, text: string, observer: DatabaseObserver | undefined): Q {
  const then = query.then.bind(query)
  let watched: Promise<unknown> | undefined
  query.then = (ok, fail) => (watched ??= watch(() => then(), text, observer)).then(ok, fail)
  return query
}

type Unsafe = (query: string, ...rest: unknown[]) => Thenable

interface PostgresLike {
  unsafe: Unsafe
  begin?: (...args: unknown[]) => Promise<unknown>
  savepoint?: (...args: unknown[]) => Promise<unknown>
}

/**
 * Replaces `unsafe` (what drizzle calls for every query) on a postgres.js or Bun SQL client and, as they open, on
 * its transactions and savepoints; `onTransaction` hears +1 as a transaction begins and -1 as it ends.
 */
function mapUnsafe<T extends object>(sql: T, map: (unsafe: Unsafe) => Unsafe, onTransaction?: (delta: 1 | -1) => void): T {
  const client = sql as unknown as PostgresLike
  client.unsafe = map(client.unsafe.bind(client))
  for (const key of ['begin', 'savepoint'] as const) {
    const original = client[key]?.bind(client)
    if (!original) continue
    client[key] = (...args: unknown[]) => {
      const fn = args.pop() as (tx: object) => unknown
      if (key === 'begin') onTransaction?.(1)
      const result = original(...args, (tx: object) => fn(mapUnsafe(tx, map, onTransaction)))
      return key === 'begin' ? result.finally(() => onTransaction?.(-1)) : result
    }
  }
  return sql
}

/** Instruments a postgres.js or Bun SQL client (and, as they open, its transactions and savepoints) in place. */
export function instrumentPostgres<T extends object>(sql: T, observer: DatabaseObserver | undefined): T {
  return mapUnsafe(sql, (unsafe) => (query, ...rest) => watchLazy(unsafe(query, ...rest), query, observer), (delta) => observer?.transaction(delta))
}

const oneOff = new AsyncLocalStorage<true>()

/**
 * Runs `run` with its statements sent unprepared: for SQL whose text is as varied as its input (a filter's shape),
 * which postgres.js would otherwise keep prepared on each connection, with no limit, in it and in PostgreSQL.
 */
export const unprepared = <T>(run: () => Promise<T>): Promise<T> => oneOff.run(true, run)

/**
 * Makes every `unsafe` call of a postgres.js client a named prepared statement, or none (`prepare` false, or inside
 * `unprepared`). drizzle passes `prepare: false` for any query not built with `.prepare()`, so without this
 * PostgreSQL would parse and plan every query of every request again.
 */
export function preparePostgres<T extends object>(sql: T, prepare: boolean): T {
  return mapUnsafe(sql, (unsafe) => (query, params, options) => unsafe(query, params, { ...(options as object | undefined), prepare: prepare && !oneOff.getStore() }))
}

interface PgliteLike {
  query: (text: string, ...rest: unknown[]) => Promise<unknown>
  transaction?: (fn: (tx: object) => Promise<unknown>) => Promise<unknown>
}

/** Instruments a PGlite client (and each transaction's handle) in place. */
export function instrumentPglite<T extends object>(db: T, observer: DatabaseObserver | undefined): T {
  const client = db as unknown as PgliteLike
  const query = client.query.bind(client)
  client.query = (text, ...rest) => watch(() => query(text, ...rest), text, observer)
  const transaction = client.transaction?.bind(client)
  if (transaction) {
    client.transaction = (fn) => {
      observer?.transaction(1)
      return transaction((tx) => fn(instrumentPglite(tx, observer))).finally(() => observer?.transaction(-1))
    }
  }
  return db
}
