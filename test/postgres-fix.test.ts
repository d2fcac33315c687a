// postgres.js with its fix (src/db/postgres-fix.ts), against the real PostgreSQL: a pool running transactions while
// every connection is dropped comes back whole once the database does, with no exception escaping.
import { afterAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import postgres from 'postgres'
import { postgresFixLoaded, fixConnectionSource } from '../src/db/postgres-fix'
import { reconnectDelaySeconds } from '../src/db/client'
import { adminUrl } from './helpers/db'
import { CuttableProxy } from './helpers/proxy'
import { need, requires } from './helpers/requires'
import { until } from './helpers/wait'

const cleanups: Array<() => Promise<unknown>> = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
})

/** A postgres.js pool to the test database through a proxy on `port`, reconnecting as the app's does. */
function poolThrough(port: number, max: number) {
  const viaProxy = new URL(adminUrl!)
  viaProxy.port = String(port)
  const sql = postgres(viaProxy.toString(), { max, connect_timeout: 5, backoff: reconnectDelaySeconds, onnotice: () => {} })
  cleanups.push(() => sql.end({ timeout: 1 }))
  return sql
}

/** What reaches the process's `event` handlers while the test runs. */
function heard(event: 'uncaughtException' | 'unhandledRejection'): unknown[] {
  const seen: unknown[] = []
  const listener = (error: unknown) => void seen.push(error)
  process.on(event, listener)
  cleanups.push(async () => void process.off(event, listener))
  return seen
}

test('the postgres.js Bun loads here is the fixed one (bunfig.toml preloads the fix)', () => {
  expect(postgresFixLoaded()).toBe(true)
})

test('the fix refuses a postgres.js it was not written for, naming what it looked for', () => {
  const source = readFileSync(join(import.meta.dir, '../node_modules/postgres/src/connection.js'), 'utf8')
  expect(fixConnectionSource(source, 'connection.js')).toContain('chunk = nextWriteTimer = null')
  const upgraded = source.replace('const x = socket.write(chunk, fn)', 'const x = socket?.write(chunk, fn)')
  expect(() => fixConnectionSource(upgraded, 'connection.js')).toThrow(/connection\.js: postgres\.js is not the version .*a write with no socket settles/)
})

test('a reconnect waits at most a second, however many connections were refused before', () => {
  for (const retries of [0, 1, 5, 50]) {
    const seconds = reconnectDelaySeconds(retries)
    expect(seconds).toBeGreaterThan(0)
    expect(seconds).toBeLessThanOrEqual(1)
  }
})

requires('postgres.js through a dropped database', need.postgres).describe('postgres.js through a dropped database', () => {
  test('transactions under way when every connection drops: no exception escapes, and after the database returns all ten connections serve again', async () => {
    const real = new URL(adminUrl!)
    const proxy = new CuttableProxy({ host: real.hostname, port: Number(real.port || 5432) })
    await proxy.up()
    cleanups.push(() => proxy.down())
    const sql = poolThrough(proxy.port, 10)
    const escaped = heard('uncaughtException')

    // Twelve clients, each a transaction after another (postgres.js writes ROLLBACK onto a failed one's connection).
    let running = true
    const clients = Array.from({ length: 12 }, async () => {
      while (running) {
        await sql
          .begin(async (tx) => {
            await tx`select pg_advisory_xact_lock(7, ${Math.floor(Math.random() * 1e6)})`
            await tx`select pg_sleep(0.005)`
          })
          .catch(() => Bun.sleep(20))
      }
    })
    await Bun.sleep(500)
    await proxy.down()
    // Down long enough for every connection to be refused a few times over: the length is the scenario.
    await Bun.sleep(1500)
    await proxy.up()
    running = false
    await Promise.all(clients)

    // Ten statements at once need all ten connections; a connection left dead would time out (CONNECT_TIMEOUT).
    let pids = new Set<number>()
    await until('ten connections to answer side by side', async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => sql`select pg_backend_pid() as pid, pg_sleep(0.2)`))
      pids = new Set(answers.map(([row]) => Number(row!.pid)))
      return pids.size === 10
    }, { timeoutMs: 15_000 })
    expect(pids.size).toBe(10)
    expect(escaped).toEqual([])
  }, 60_000)

  test('a connection lost while it asks for the array types: the query waiting on it is answered, and nothing escapes', async () => {
    // In front of PostgreSQL, a proxy that drops the first connection as it sends postgres.js's array-types query,
    // as a database going away while the pool reconnects does. Later connections pass.
    const real = new URL(adminUrl!)
    let cut = 0
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(real.port || 5432), real.hostname)
      const kill = () => (client.destroy(), upstream.destroy())
      client.on('error', kill).on('close', kill)
      upstream.on('error', kill).on('close', kill)
      client.on('data', (data) => {
        if (cut === 0 && data.includes('pg_catalog.pg_type')) {
          // Reset, not closed: the driver hears a socket error, as from a database host that went away.
          cut++
          upstream.destroy()
          return client.resetAndDestroy()
        }
        upstream.write(data)
      })
      upstream.pipe(client)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => proxy.close(resolve)))
    const sql = poolThrough((proxy.address() as net.AddressInfo).port, 1)
    const unhandled = heard('unhandledRejection')

    // The first query's connection is reset: the query fails as lost (the app answers that 503), and the next is answered.
    const first = await sql`select 1 as one`.then((rows) => Number(rows[0]!.one), (error: Error & { code?: string }) => error.code)
    expect(first).toBe('ECONNRESET')
    expect(cut).toBe(1)
    expect(Number((await sql`select 2 as two`)[0]!.two)).toBe(2)
    // A rejection nobody holds is reported on a later turn of the event loop.
    await Bun.sleep(100)
    expect(unhandled).toEqual([])
  }, 30_000)
})
