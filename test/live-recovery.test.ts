// Live updates recover by themselves: a lost or failed LISTEN is listened again, open pages are told they may be
// stale (their stream ends) and catch up once it is back, and one slow ping or a re-established LISTEN does not make
// every page refetch twice.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../src/db/client'
import { watchChannel } from '../src/db/listen'
import { announceChange, LIVE_CHANNEL } from '../src/events/live-notice'
import { TOKEN_REVOKED_CHANNEL } from '../src/features/auth/token-cache'
import { LiveHub, type LiveLimits } from '../src/features/live/hub'
import { testApp, type TestApp } from './helpers/app'
import { need, requires } from './helpers/requires'
import { CuttableProxy } from './helpers/proxy'
import { until } from './helpers/wait'

let t: TestApp

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.dispose())

const limits: LiveLimits = { perUser: 10, max: 100, minGapMs: 0, heartbeatMs: 60_000, listenBeatMs: 100, refreshSpreadMs: 0 }

interface Watched {
  /** The kinds each `change` event named, in order, and when it came. */
  events: Array<{ kinds: string[]; at: number }>
  ended: boolean
  close(): void
}

/** Opens a stream on `hub` for `userId` and reads its `change` events in the background; throws if refused. */
function watch(hub: LiveHub, userId: string): Watched {
  const abort = new AbortController()
  const opened = hub.open({ id: userId, credentialId: crypto.randomUUID() }, abort.signal)
  if (!('stream' in opened)) throw new Error(`refused: ${opened.refused}`)
  const watched: Watched = { events: [], ended: false, close: () => abort.abort() }
  const reader = opened.stream.getReader()
  const decoder = new TextDecoder()
  void (async () => {
    let buffer = ''
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        buffer += decoder.decode(next.value, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end).split('\n')
          buffer = buffer.slice(end + 2)
          if (block.includes('event: change')) watched.events.push({ kinds: block.find((l) => l.startsWith('data: '))!.slice(6).split(' ').sort(), at: performance.now() })
        }
      }
    } catch {
      // Aborted by the test.
    }
    watched.ended = true
  })()
  return watched
}

const everything = ['notifications', 'reminders', 'tasks']

/** Whether `hub` takes a stream now (the stream is let go at once). */
function takes(hub: LiveHub): boolean {
  const abort = new AbortController()
  const opened = hub.open({ id: 'probe', credentialId: 'c' }, abort.signal)
  abort.abort()
  return !('refused' in opened)
}

/**
 * A test double of the database's LISTEN and ping (the real database cannot stage these faults on cue): a LISTEN on
 * a channel named in `failing` throws; pings come back after `pingDelayMs`; `relisten()` says a lost LISTEN was
 * re-established, as the listener does after a reconnect (losing the pings on their way, if asked). `pings` counts each channel's pings.
 */
function listenDouble(options: { failing?: string[]; pingDelayMs?: number } = {}) {
  const listeners = new Map<string, { onNotify(payload: string): void; onListen?(): void }>()
  const pings = new Map<string, number>()
  /** Bumped when a LISTEN is re-established: pings on their way before it are lost. */
  let connection = 0
  const database = {
    listen: async (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => {
      if (options.failing?.includes(channel)) throw new Error(`cannot listen on ${channel}`)
      listeners.set(channel, { onNotify, onListen })
      onListen?.()
      return async () => void listeners.delete(channel)
    },
    db: {
      execute: async (query: { queryChunks: unknown[] }) => {
        const [channel, payload] = query.queryChunks.filter((c): c is string => typeof c === 'string')
        pings.set(channel!, (pings.get(channel!) ?? 0) + 1)
        const on = connection
        setTimeout(() => on === connection && listeners.get(channel!)?.onNotify(payload!), options.pingDelayMs ?? 0)
        return []
      },
    },
  }
  return {
    database: database as unknown as Parameters<LiveHub['listen']>[0],
    pings,
    relisten: (lose: { losePings?: boolean } = {}) => {
      if (lose.losePings) connection += 1
      listeners.get(LIVE_CHANNEL)?.onListen?.()
    },
  }
}

describe('the hub, when its LISTEN fails or flaps (a test double of the database)', () => {
  test('a LISTEN that cannot be set up leaves nothing running after stop', async () => {
    const double = listenDouble({ failing: [TOKEN_REVOKED_CHANNEL] })
    const hub = new LiveHub(limits)
    await hub.listen(double.database)
    await until('the live channel to be pinged', () => (double.pings.get(LIVE_CHANNEL) ?? 0) > 0)
    await hub.stop()
    const after = double.pings.get(LIVE_CHANNEL)
    // A watch of our own on the same beat: once it has pinged five times, the stopped hub would have too.
    const control = await watchChannel(double.database, 'control', { onNotify: () => {}, onUp: () => {}, onDown: () => {} }, limits.listenBeatMs)
    await until('five beats', () => (double.pings.get('control') ?? 0) >= 5)
    await control.stop()
    expect(double.pings.get(LIVE_CHANNEL)).toBe(after!)
  })

  test('pings slower than a beat do not pause live updates', async () => {
    const double = listenDouble({ pingDelayMs: limits.listenBeatMs * 1.5 })
    const hub = new LiveHub(limits)
    await hub.listen(double.database)
    const stream = watch(hub, 'slow-pings')
    await until('ten beats of slow pings', () => (double.pings.get(LIVE_CHANNEL) ?? 0) >= 10)
    expect(takes(hub)).toBe(true)
    expect(stream.ended).toBe(false)
    expect(stream.events).toEqual([])
    stream.close()
    await hub.stop()
  })

  test('a LISTEN re-established after a reconnect refreshes every page once: the ping lost with the old one is no missed beat', async () => {
    const double = listenDouble({ pingDelayMs: limits.listenBeatMs / 2 })
    const hub = new LiveHub(limits)
    await hub.listen(double.database)
    const stream = watch(hub, 'relisten')
    // Just after a ping went out, the connection is lost (with the ping) and the LISTEN re-established.
    const first = (double.pings.get(LIVE_CHANNEL) ?? 0) + 1
    await until('a ping on its way', () => (double.pings.get(LIVE_CHANNEL) ?? 0) >= first, { everyMs: 1 })
    double.relisten({ losePings: true })
    await until('ten more beats', () => double.pings.get(LIVE_CHANNEL)! >= first + 10)
    expect(stream.events.map((e) => e.kinds)).toEqual([everything])
    expect(stream.ended).toBe(false)
    expect(takes(hub)).toBe(true)
    stream.close()
    await hub.stop()
  })

  test('after a gap the pages’ refreshes are spread out, not all at once', async () => {
    const double = listenDouble()
    const hub = new LiveHub({ ...limits, refreshSpreadMs: 1_000 })
    await hub.listen(double.database)
    const streams = Array.from({ length: 20 }, (_, i) => watch(hub, `spread-${i}`))
    double.relisten()
    await until('every page to be told', () => streams.every((s) => s.events.length === 1))
    const times = streams.map((s) => s.events[0]!.at)
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(100)
    for (const s of streams) expect(s.events[0]!.kinds).toEqual(everything)
    for (const s of streams) s.close()
    await hub.stop()
  })
})

const pg = requires('live updates over a real PostgreSQL losing its LISTEN', need.postgres)

pg.describe('the hub, when PostgreSQL drops its LISTEN', () => {
  const user = crypto.randomUUID()
  const announce = () => t.database.db.transaction((tx) => announceChange(tx, user, 'tasks'))

  pg.test('the LISTEN connection killed: the open page is told to refresh everything, then hears changes again', async () => {
    const hub = new LiveHub(limits)
    await hub.listen(t.database)
    const stream = watch(hub, user)
    const killed = await t.database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
    )
    expect([...(killed as unknown as unknown[])].length).toBeGreaterThan(0)
    await until('the refresh after the gap', () => stream.events.length >= 1, { timeoutMs: 10_000 })
    expect(stream.events[0]!.kinds).toEqual(everything)
    await announce()
    await until('the change after the gap', () => stream.events.length >= 2, { timeoutMs: 10_000 })
    expect(stream.events[1]!.kinds).toEqual(['tasks'])
    stream.close()
    await hub.stop()
  })

  pg.test('down at the first LISTEN and then for longer than the connect timeout: pages are told, and live updates come back without a restart', async () => {
    const real = new URL(t.databaseUrl!)
    const proxy = new CuttableProxy({ host: real.hostname, port: Number(real.port || 5432) })
    await proxy.up()
    await proxy.down()
    const viaProxy = new URL(real)
    viaProxy.port = String(proxy.port)
    const database = await openDatabase({ url: viaProxy.toString(), poolMax: 2 })
    const hub = new LiveHub(limits)
    try {
      const down = performance.now()
      await hub.listen(database)
      expect(takes(hub)).toBe(false)
      await until('an outage past the connect timeout (5 s)', () => performance.now() - down > 6_000, { timeoutMs: 10_000, everyMs: 200 })
      expect(takes(hub)).toBe(false)
      await proxy.up()
      await until('live updates to start once the database answers', () => takes(hub), { timeoutMs: 15_000 })
      const before = watch(hub, user)
      await announce()
      await until('a change to arrive', () => before.events.length >= 1, { timeoutMs: 10_000 })

      await proxy.down()
      const cut = performance.now()
      await until('the open page to be told it may be stale (its stream ends)', () => before.ended, { timeoutMs: 10_000 })
      expect(takes(hub)).toBe(false)
      await until('an outage past the connect timeout (5 s)', () => performance.now() - cut > 6_000, { timeoutMs: 10_000, everyMs: 200 })
      await proxy.up()
      await until('live updates to be back', () => takes(hub), { timeoutMs: 40_000 })
      const after = watch(hub, user)
      await announce()
      await until('a change after the outage to arrive', () => after.events.some((e) => e.kinds.includes('tasks')), { timeoutMs: 10_000 })
      after.close()
    } finally {
      await hub.stop()
      await proxy.down()
      await database.close()
    }
  }, 90_000)
})
