// The in-memory bearer cache: a cached hit costs no query, and log-out, revoke and expiry still refuse at once, on every replica.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createApp } from '../src/app'
import { openDatabase } from '../src/db/client'
import { loadEnv } from '../src/env'
import { TokenCache, tokenCacheOf } from '../src/features/auth/token-cache'
import { createLogger } from '../src/lib/log'
import { testApp, type TestApp } from './helpers/app'
import { testDatabase } from './helpers/db'
import { need, requires } from './helpers/requires'
import { until } from './helpers/wait'
import { browser, csrfOf } from './helpers/web'

let now = Date.parse('2026-11-25T12:00:00Z')
let t: TestApp

beforeAll(async () => {
  t = await testApp({ clock: () => new Date(now), env: { SESSION_TTL_DAYS: '1' } })
  await tokenCacheOf({ database: t.database, env: { authCacheTtlSeconds: 30 } }).ready
})
afterAll(() => t.dispose())

/** Queries the app has sent so far (the metrics observer counts every one). */
async function queries(): Promise<number> {
  const metric = await t.metrics.registry.getSingleMetric('todo_db_query_duration_seconds')!.get()
  return metric.values.filter((v) => (v as { metricName?: string }).metricName === 'todo_db_query_duration_seconds_count').reduce((sum, v) => sum + v.value, 0)
}

const mcp = (app: { handle(r: Request): Promise<Response> }, token: string) =>
  app.handle(
    new Request('http://localhost/mcp', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    }),
  )

async function apiToken(session: string): Promise<{ id: string; token: string }> {
  const res = await t.call<{ id: string; token: string }>('POST', '/api/v1/tokens', { token: session, body: { name: 'cache' } })
  expect(res.status).toBe(201)
  return res.body
}

describe('a cached bearer', () => {
  test('answers without a query: a session, and an API token whose use was recorded within the minute', async () => {
    const { token } = await t.signUp()
    const api = await apiToken(token)
    for (const bearer of [token, api.token]) {
      expect((await t.call('GET', '/api/v1/me', { token: bearer })).status).toBe(200)
      const before = await queries()
      expect((await t.call('GET', '/api/v1/me', { token: bearer })).status).toBe(200)
      expect(await queries()).toBe(before)
    }
  })

  test('never answers for another token: each bearer gets its own user', async () => {
    const alice = await t.signUp()
    const bob = await t.signUp()
    for (let i = 0; i < 2; i++) {
      expect((await t.call('GET', '/api/v1/me', { token: alice.token })).body.id).toBe(alice.user.id)
      expect((await t.call('GET', '/api/v1/me', { token: bob.token })).body.id).toBe(bob.user.id)
    }
  })

  test('a revoked API token is refused at once on REST and MCP, right after a cached hit', async () => {
    const { token } = await t.signUp()
    const api = await apiToken(token)
    expect((await t.call('GET', '/api/v1/tasks', { token: api.token })).status).toBe(200)
    expect((await mcp(t.app, api.token)).status).toBe(200)
    expect((await t.call('DELETE', `/api/v1/tokens/${api.id}`, { token })).status).toBe(204)
    expect((await t.call('GET', '/api/v1/tasks', { token: api.token })).status).toBe(401)
    expect((await mcp(t.app, api.token)).status).toBe(401)
  })

  test('a logged-out session is refused at once on REST, MCP and a page, right after a cached hit', async () => {
    const { token } = await t.signUp()
    expect((await t.call('GET', '/api/v1/tasks', { token })).status).toBe(200)
    expect((await mcp(t.app, token)).status).toBe(200)
    const page = await browser(t, 'GET', '/tasks', { session: token })
    expect(page.status).toBe(200)
    // Log out in the browser: the page's form, with its CSRF token.
    const out = await browser(t, 'POST', '/logout', { session: token, form: { _csrf: csrfOf(page.text) } })
    expect(out.status).toBeLessThan(400)
    expect((await t.call('GET', '/api/v1/tasks', { token })).status).toBe(401)
    expect((await mcp(t.app, token)).status).toBe(401)
    expect((await browser(t, 'GET', '/tasks', { session: token })).headers.get('location')).toStartWith('/login')
  })

  test('an expired session is refused while it is still cached', async () => {
    const { token } = await t.signUp()
    expect((await t.call('GET', '/api/v1/me', { token })).status).toBe(200)
    const start = now
    now += 86_400_000 + 1000
    try {
      expect((await t.call('GET', '/api/v1/me', { token })).status).toBe(401)
      expect((await mcp(t.app, token)).status).toBe(401)
      expect((await browser(t, 'GET', '/tasks', { session: token })).headers.get('location')).toStartWith('/login')
    } finally {
      now = start
    }
  })

  test('a new time zone shows at once (the cached user carried the old one)', async () => {
    const { token } = await t.signUp()
    expect((await t.call('GET', '/api/v1/me', { token })).body.timezone).toBe('UTC')
    expect((await t.call('PATCH', '/api/v1/me', { token, body: { timezone: 'Europe/Berlin' } })).status).toBe(200)
    expect((await t.call('GET', '/api/v1/me', { token })).body.timezone).toBe('Europe/Berlin')
  })
})

requires('the token cache across replicas', need.postgres).describe('two replicas on one PostgreSQL database', () => {
  test('revoking on one makes the other refuse on its next request', async () => {
    const { database, url, dispose } = await testDatabase()
    const other = await openDatabase({ url })
    const log = createLogger('silent')
    const env = loadEnv({ LOG_LEVEL: 'silent' })
    const one = createApp({ env, database, log })
    const two = createApp({ env, database: other, log })
    const call = (app: typeof one, method: string, path: string, token: string, body?: unknown) =>
      app.handle(new Request(`http://localhost/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }))
    try {
      await Promise.all([tokenCacheOf({ database, env }).ready, tokenCacheOf({ database: other, env }).ready])
      const email = `replica-${crypto.randomUUID()}@example.com`
      const form = { email, password: 'correct horse battery' }
      const headers = { 'content-type': 'application/json' }
      expect((await one.handle(new Request('http://localhost/api/v1/auth/signup', { method: 'POST', headers, body: JSON.stringify(form) }))).status).toBe(202)
      const login = await one.handle(new Request('http://localhost/api/v1/auth/login', { method: 'POST', headers, body: JSON.stringify(form) }))
      const { token: session } = (await login.json()) as { token: string }
      const api = (await (await call(one, 'POST', '/tokens', session, { name: 'replica' })).json()) as { id: string; token: string }

      /**
       * Asks replica two until it refuses. The deadline is a third of the cache's lifetime, so the entry cannot have
       * expired meanwhile: only the revocation's NOTIFY can have dropped it.
       */
      const refused = (token: string, what: string) =>
        until(`replica two to refuse the revoked ${what}`, async () => (await call(two, 'GET', '/tasks', token)).status === 401, { timeoutMs: (env.authCacheTtlSeconds * 1000) / 3, everyMs: 5 })
      // Both bearers are cached on replica two.
      for (const token of [session, api.token]) for (let i = 0; i < 2; i++) expect((await call(two, 'GET', '/tasks', token)).status).toBe(200)
      expect(tokenCacheOf({ database: other, env }).size).toBe(2)

      expect((await call(one, 'DELETE', `/tokens/${api.id}`, session)).status).toBe(204)
      await refused(api.token, 'API token')
      expect((await call(one, 'POST', '/auth/logout', session)).status).toBe(204)
      await refused(session, 'session')
    } finally {
      await other.close()
      await dispose()
    }
  })
})

/**
 * A test double of the database's LISTEN (the real one cannot stage these faults in place): while `failing`, a LISTEN
 * throws; once in place, its pings (`notices`) come back only while `passing`, as after a reconnect that failed to
 * listen again.
 */
function listenDouble(state: { failing: boolean; passing: boolean }) {
  let deliver: ((payload: string) => void) | undefined
  const notices: string[] = []
  const database = {
    listen: async (_channel: string, onNotify: (payload: string) => void, onListen?: () => void) => {
      if (state.failing) throw new Error('connection refused')
      deliver = onNotify
      onListen?.()
      return async () => {}
    },
    db: {
      execute: async (query: { queryChunks: unknown[] }) => {
        const payload = query.queryChunks.filter((c): c is string => typeof c === 'string')[1]
        if (payload) notices.push(payload)
        if (payload && state.passing) deliver?.(payload)
        return []
      },
    },
  } as unknown as Parameters<TokenCache['listen']>[0]
  return { database, notices }
}

const bearer = { user: { id: 'u', credentialId: 'c' } as never, expiresAt: null, lastUsedAt: null }

/** Waits until `cache` keeps what it is given again. */
const cachingResumes = (cache: TokenCache, what: string) =>
  until(what, () => {
    cache.set('hash', bearer, cache.stamp())
    return cache.get('hash') !== undefined
  }, { timeoutMs: 5_000, everyMs: 5 })

describe('when revocation notices stop arriving', () => {
  test('the cache empties and serves nothing until its own ping comes back through the channel', async () => {
    const state = { failing: false, passing: false }
    const { database, notices } = listenDouble(state)
    const cache = new TokenCache(60_000, 100, 20)
    await cache.listen(database)
    cache.set('hash', bearer, cache.stamp())
    expect(cache.get('hash')).toBeDefined()
    // Two beats without the first ping back: off, and emptied.
    await until('two beats without a ping back', () => notices.length >= 2 && cache.get('hash') === undefined, { timeoutMs: 5_000, everyMs: 5 })
    expect(notices.length).toBeGreaterThanOrEqual(2)
    expect(cache.get('hash')).toBeUndefined()
    cache.set('hash', bearer, cache.stamp())
    expect(cache.get('hash')).toBeUndefined()
    // Notices pass again: the next ping comes back and caching resumes.
    state.passing = true
    await cachingResumes(cache, 'a ping to come back and caching to resume')
    expect(cache.get('hash')).toBeDefined()
  })
})

describe('when the first LISTEN fails', () => {
  test('the cache stays off, listens again by itself, and caches once it hears', async () => {
    const state = { failing: true, passing: true }
    const cache = new TokenCache(60_000, 100, 20)
    await cache.listen(listenDouble(state).database)
    cache.set('hash', bearer, cache.stamp())
    expect(cache.get('hash')).toBeUndefined()
    state.failing = false
    await cachingResumes(cache, 'caching to start once the LISTEN is in place')
    expect(cache.get('hash')).toBeDefined()
  })
})
