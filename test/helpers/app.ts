// An app over a fresh database, driven in-process through app.handle, with small request helpers.
import { createApp, eventDelivery, type App } from '../../src/app'
import type { Database } from '../../src/db/client'
import { loadEnv } from '../../src/env'
import type { DeliveryOutcome, EventDelivery } from '../../src/events/delivery'
import { startEvents, type EventRuntime } from '../../src/events/runtime'
import { metricsApp } from '../../src/features/ops/metrics'
import { LocalScheduler } from '../../src/features/reminders/scheduler'
import type { PasswordHasher } from '../../src/features/auth/passwords'
import { createLogger } from '../../src/lib/log'
import { createMetrics, type Metrics } from '../../src/lib/metrics'
import { testDatabase } from './db'

export interface Answer<T = any> {
  status: number
  headers: Headers
  body: T
  text: string
}

export interface CallOptions {
  token?: string
  body?: unknown
  /** Sent as is (for malformed bodies); wins over `body`. */
  raw?: string
  headers?: Record<string, string>
}

export interface TestApp {
  app: App
  /** The local reminder scheduler, when the app was built with `events: true`. */
  scheduler?: LocalScheduler
  /** The event runtime, when the app was built with `events: true`. */
  events?: EventRuntime
  /** Publishes every pending event now (and waits for the consumers). */
  drain(): Promise<void>
  database: Database
  /** The scratch database's URL, on PostgreSQL (undefined on PGlite). */
  databaseUrl: string | undefined
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>
  /** The instruments the app, its relay and its scheduler report to (GET /metrics). */
  metrics: Metrics
  /** The metrics listener's app (what METRICS_PORT serves), driven in-process. */
  metricsApp: ReturnType<typeof metricsApp>
  /** GET /metrics from the metrics listener: status, content type and the exposition text. */
  scrape(): Promise<Answer<undefined>>
  /** The app's event delivery, as the in-process bus calls it (no HTTP route takes events without a sidecar). */
  delivery: EventDelivery
  /** Delivers `body` to the subscriber at `route` (e.g. /events/task-events) as the in-process bus would. */
  deliver(route: string, body: unknown): Promise<DeliveryOutcome>
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>
  /** Signs up a new user (unique email unless given), logs in, and returns their session token. */
  signUp(email?: string, extra?: Record<string, unknown>): Promise<{ token: string; user: { id: string; email: string; timezone: string } }>
  dispose(): Promise<void>
}

let counter = 0
export const PASSWORD = 'correct horse battery'

export async function testApp(
  options: { env?: Record<string, string>; clock?: () => Date; events?: boolean; passwords?: PasswordHasher } = {},
): Promise<TestApp> {
  const metrics = createMetrics()
  const { database, url: databaseUrl, dispose } = await testDatabase({ observer: metrics.database })
  const logs: Array<Record<string, unknown>> = []
    const log = createLogger('debug', (line) => {
    logs.push(JSON.parse(line))
  })
  const env = loadEnv({ LOG_LEVEL: 'debug', TRUST_PROXY: 'true', ...options.env })
  const scheduler = options.events ? new LocalScheduler({ database, log, clock: options.clock, onFired: metrics.reminders.fired }) : undefined
  const deps = { env, database, log, clock: options.clock, scheduler, metrics, passwords: options.passwords }
  const app = createApp(deps)
  const metricsServer = metricsApp(deps, metrics)
  const delivery = eventDelivery(deps)
  const events = options.events ? await startEvents({ env, database, log, metrics, delivery: env.daprHttpPort ? undefined : delivery }) : undefined
  await scheduler?.start()

  async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    let body: string | undefined
    if (opts.raw !== undefined) body = opts.raw
    else if (opts.body !== undefined) body = JSON.stringify(opts.body)
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json'
    }
    const res = await app.handle(new Request(`http://localhost${path}`, { method, headers, body }))
    const text = await res.text()
    // The request's log line is written just after the response; let it land before asserting on logs.
    await new Promise((resolve) => setImmediate(resolve))
    let parsed: unknown = undefined
    if (text && res.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text)
    return { status: res.status, headers: res.headers, body: parsed as T, text }
  }

  async function signUp(email?: string, extra: Record<string, unknown> = {}) {
    counter += 1
    const address = email ?? `user${counter}-${crypto.randomUUID().slice(0, 8)}@example.com`
    // Each sign-up comes from its own address, as different people's would; signing up does not sign in.
    const headers = { 'x-forwarded-for': `198.51.100.${counter % 250}` }
    const res = await call('POST', '/api/v1/auth/signup', { body: { email: address, password: PASSWORD, ...extra }, headers })
    if (res.status !== 202) throw new Error(`sign-up failed: ${res.status} ${res.text}`)
    const login = await call('POST', '/api/v1/auth/login', { body: { email: address, password: PASSWORD }, headers })
    if (login.status !== 200) throw new Error(`log-in after sign-up failed: ${login.status} ${login.text}`)
    const signed = login.body as { token: string; user: { id: string; email: string; timezone: string } }
    return { token: signed.token, user: signed.user }
  }

  async function scrape(): Promise<Answer<undefined>> {
    const res = await metricsServer.handle(new Request('http://localhost/metrics'))
    return { status: res.status, headers: res.headers, body: undefined, text: await res.text() }
  }

  return {
    app,
    database,
    databaseUrl,
    logs,
    metrics,
    metricsApp: metricsServer,
    scrape,
    delivery,
    deliver: (route, body) => delivery.deliver(route, body),
    call,
    signUp,
    events,
    scheduler,
    drain: async () => {
      if (!events) throw new Error('testApp was built without events')
      await events.relay.drain()
    },
    dispose: async () => {
      await scheduler?.stop()
      await events?.stop()
      await dispose()
    },
  }
}
