// A fix to postgres.js (3.4.9), applied as Bun loads its source: by the preload named in bunfig.toml when the app,
// its tests and benches run from the repository, and by the bundler when `npm run build` makes the image's bundle.
//
// The first defect (porsager/postgres#1066, #1154, #1208; fixes proposed upstream, none released): a connection
// buffers a small write for the next tick. When PostgreSQL drops the connection, `closed()` cancels that tick but
// leaves its handle set, and a later write (a transaction's ROLLBACK, say) onto the socket it has just nulled throws
// a TypeError no caller can catch. Either way the handle stays set, so the connection never again flushes what it
// buffers: each reconnect sends nothing, times out after connect_timeout, and tries again, for good. After a
// database restart nine of ten pooled connections were dead that way, and stayed dead (docs/architecture.md,
// "Database outages").
//
// A second (porsager/postgres#1192, #1205, #1223): a new connection first asks for the array types, and drops the
// promise of that query; lost then (a database going away as the pool reconnects), it rejects with no one to hear
// it, and an unhandled rejection ends the process.
//
// Three changes: `closed()` clears the buffered write along with its tick; a write with no socket settles the
// connection's queries with CONNECTION_CLOSED (a connection error: the request answers 503) instead of throwing; and
// the array-types query's failure is held (the connection has already failed, or goes on to its first query).
// Each change names the exact source it replaces; if postgres.js no longer has it (an upgrade), loading fails loudly
// here, so whoever upgrades checks whether the defect is fixed upstream and drops this file.
import type { BunPlugin } from 'bun'

interface Change {
  why: string
  find: string
  replace: string
}

const changes: Change[] = [
  {
    why: 'a write with no socket settles the queries instead of throwing',
    find: `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`,
    replace: `  function nextWrite(fn) {
    if (!socket) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`,
  },
  {
    why: 'closing drops the buffered write and its tick, so the next connection flushes again',
    find: `    incomings = null
    clearImmediate(nextWriteTimer)
    socket.removeListener('data', data)`,
    replace: `    incomings = null
    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
    socket.removeListener('data', data)`,
  },
  {
    why: 'a connection lost while it fetches array types does not reject a promise nobody holds',
    find: `        initial.reserve && (initial = null)
        return fetchArrayTypes()`,
    replace: `        initial.reserve && (initial = null)
        return fetchArrayTypes().catch(() => {})`,
  },
]

/** postgres.js's connection module, in each of its builds (ESM, CommonJS, Workers). */
export const CONNECTION_MODULE = /[\\/]node_modules[\\/]postgres[\\/](?:cjs[\\/]|cf[\\/])?src[\\/]connection\.js$/

/** Set by the fixed module as it loads: `openDatabase` refuses a postgres.js loaded without the fix. */
const FIXED = Symbol.for('todo-chatbot.postgres-fix')

export const postgresFixLoaded = () => (globalThis as Record<symbol, unknown>)[FIXED] === true

/** The module's source with the fix; throws, naming the change, when the source is not the one it was written for. */
export function fixConnectionSource(source: string, path: string): string {
  let fixed = `${source}\nglobalThis[Symbol.for('todo-chatbot.postgres-fix')] = true\n`
  for (const change of changes) {
    const at = fixed.indexOf(change.find)
    if (at < 0 || fixed.indexOf(change.find, at + 1) >= 0) {
      throw new Error(`${path}: postgres.js is not the version src/db/postgres-fix.ts was written for (${change.why}); check whether the defects it names are fixed upstream and drop the fix, or adapt it`)
    }
    fixed = fixed.slice(0, at) + change.replace + fixed.slice(at + change.find.length)
  }
  return fixed
}

/** The plugin, for the runtime (Bun.plugin) and the bundler (Bun.build) alike; `onFixed` hears of each module fixed. */
export function postgresFix(onFixed?: (path: string) => void): BunPlugin {
  return {
    name: 'postgres.js closed-connection fix',
    setup(build) {
      build.onLoad({ filter: CONNECTION_MODULE }, async ({ path }) => {
        const contents = fixConnectionSource(await Bun.file(path).text(), path)
        onFixed?.(path)
        return { contents, loader: 'js' }
      })
    },
  }
}
