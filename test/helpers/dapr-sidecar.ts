// A double of the Dapr sidecar's pub/sub and secrets HTTP contracts, for what the real daprd (test/helpers/runtime.ts)
// cannot stage here and for in-process suites that only need a sidecar to exist: a secret store that forbids a
// secret, components that never become ready, a sidecar that goes away on cue. The contract is docs/dapr.md; where
// this double and the real runtime differ, the runtime suites (test/runtime-*.test.ts) are the reference.
//
// App → sidecar: POST /v1.0/publish/<pubsub>/<topic> (204; 404 unknown pubsub; our CloudEvent kept as is
// for application/cloudevents+json, wrapped otherwise; metadata.partitionKey from the query), plus the
// health endpoints and GET /v1.0/metadata. Sidecar → app: reads GET /dapr/subscribe once at start,
// delivers each event with Content-Type application/cloudevents+json, in order per partition key;
// 2xx SUCCESS (or no status) is done, 2xx RETRY and any non-2xx but 404 are retried, 2xx DROP and 404
// drop; a drop or the last failure goes to the subscription's deadLetterTopic. Tracing as the sidecar's
// FromCloudEvent: the envelope's traceparent/traceid/tracestate are replaced by the publish call's trace
// context (a child of its `traceparent` header, else a new trace), and each delivery carries it as a header.
//
// Jobs: POST and DELETE /v1.0-alpha1/jobs/<name> answer 204 and nothing ever fires (a scheduler that loses
// every trigger); the real Jobs API is exercised in test/runtime-jobs.test.ts.
//
// Secrets: GET /v1.0/secrets/<store>/<name> answers 200 with the secret's whole key → value map, 401
// ERR_SECRET_STORE_NOT_FOUND for an unknown store, 403 ERR_SECRET_PERMISSION_DENIED when the store's
// allowedSecrets scoping leaves the name out, 500 ERR_SECRET_GET for an unknown secret. Health as the
// real sidecar: /v1.0/healthz/outbound is 204 once components are ready; /v1.0/healthz stays 500 until
// the app has answered GET /dapr/subscribe (so an app that waits on it before listening never starts).
import type { Server } from 'bun'
import type { Database } from '../../src/db/client'
import { loadEnv } from '../../src/env'
import { outboxBacklog } from '../../src/events/relay'
import { startEvents } from '../../src/events/runtime'
import type { Logger } from '../../src/lib/log'
import { until } from './wait'

const hex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('')

/** The sidecar's own span for a call: a child of an incoming W3C `traceparent` (same trace), else a new trace. */
function sidecarSpan(incoming: string | null): string {
  const parent = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(incoming ?? '')
  return parent ? `00-${parent[1]}-${hex(8)}-${parent[2]}` : `00-${hex(16)}-${hex(8)}-01`
}

export interface Subscription {
  pubsubname: string
  topic: string
  route: string
  deadLetterTopic?: string
}

export interface Published {
  pubsub: string
  topic: string
  partitionKey: string | null
  contentType: string
  event: Record<string, unknown>
  at: number
}

export interface Delivery {
  topic: string
  route: string
  eventId: string
  attempt: number
  status: number
  answer: string | undefined
  at: number
}

export interface SidecarOptions {
  /** The app's base URL, e.g. http://127.0.0.1:3000. */
  appUrl: string
  pubsubs?: string[]
  /** Sent to the app as dapr-api-token (the sidecar's APP_API_TOKEN). */
  appApiToken?: string
  /** Deliveries tried before an event is dead-lettered (Dapr's default resiliency: 3). */
  maxAttempts?: number
  retryDelayMs?: number
  port?: number
  /** Secret stores: store → secret name → key → value. */
  secretStores?: Record<string, Record<string, Record<string, string>>>
  /** The secret store component's allowedSecrets scoping (all names when unset). */
  allowedSecrets?: string[]
  /** Components (and so /v1.0/healthz/outbound) become ready this long after listen(). */
  componentsReadyAfterMs?: number
}

export class DaprSidecarDouble {
  readonly published: Published[] = []
  readonly deliveries: Delivery[] = []
  /** Events sent on to a dead-letter topic: the original topic, the reason and the event. */
  readonly deadLettered: Array<{ from: string; to: string; eventId: string; reason: string }> = []
  private server: Server<undefined> | undefined
  private subscriptions: Subscription[] = []
  /** Per (topic, partition key): delivery in order, like a Kafka partition. */
  private readonly partitions = new Map<string, Promise<void>>()
  private pending = 0
  port = 0
  /** Every request the app made to the sidecar, as "METHOD /path". */
  readonly requests: string[] = []
  private componentsReadyAt = 0
  private appReady = false

  constructor(private readonly options: SidecarOptions) {}

  /** Starts listening (again, on the same port after a stop) and reads the app's subscriptions. */
  async start(): Promise<void> {
    if (!this.server) this.listen()
    const res = await fetch(`${this.options.appUrl}/dapr/subscribe`, { headers: this.appHeaders({}) })
    if (!res.ok) throw new Error(`GET /dapr/subscribe answered ${res.status}`)
    this.subscriptions = (await res.json()) as Subscription[]
    this.appReady = true
  }

  /** Listens without reaching the app yet, as a sidecar does while the app is still starting. */
  listen(): void {
    this.server = Bun.serve({ port: this.port || this.options.port || 0, hostname: '127.0.0.1', fetch: (req) => this.handle(req) })
    this.port = this.server.port!
    this.componentsReadyAt = Date.now() + (this.options.componentsReadyAfterMs ?? 0)
  }

  /** Changes a secret's value in the store (a rotation). */
  setSecret(store: string, name: string, key: string, value: string): void {
    const stores = (this.options.secretStores ??= {})
    ;((stores[store] ??= {})[name] ??= {})[key] = value
  }

  /** An outage: connections are refused until start() again. Deliveries already queued still finish. */
  async stop(): Promise<void> {
    await this.server?.stop(true)
    this.server = undefined
  }

  /** Resolves when every queued delivery is done. */
  async idle(): Promise<void> {
    await until('the double to finish its deliveries', () => this.pending === 0, { everyMs: 5, detail: () => `${this.pending} deliveries in flight` })
  }

  /** Puts an event on a topic as if another producer had (e.g. a poison message). */
  inject(topic: string, event: Record<string, unknown>, partitionKey = 'injected'): void {
    this.route(topic, event, partitionKey)
  }

  private handleSecret(store: string, name: string): Response {
    const secrets = this.options.secretStores?.[store]
    if (!secrets) return Response.json({ errorCode: 'ERR_SECRET_STORE_NOT_FOUND', message: `failed finding secret store with key ${store}` }, { status: 401 })
    if (this.options.allowedSecrets && !this.options.allowedSecrets.includes(name)) {
      return Response.json({ errorCode: 'ERR_SECRET_PERMISSION_DENIED', message: `access denied by policy to get "${name}" from "${store}"` }, { status: 403 })
    }
    const values = secrets[name]
    if (!values) return Response.json({ errorCode: 'ERR_SECRET_GET', message: `failed getting secret with key ${name} from secret store ${store}: secrets "${name}" not found` }, { status: 500 })
    return Response.json(values)
  }

  private appHeaders(extra: Record<string, string>): Record<string, string> {
    return { ...extra, ...(this.options.appApiToken ? { 'dapr-api-token': this.options.appApiToken } : {}) }
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url)
    this.requests.push(`${req.method} ${url.pathname}`)
    if (req.method === 'GET' && url.pathname === '/v1.0/healthz/outbound') return new Response(null, { status: Date.now() >= this.componentsReadyAt ? 204 : 500 })
    if (req.method === 'GET' && url.pathname === '/v1.0/healthz') return new Response(null, { status: this.appReady ? 204 : 500 })
    const secret = /^\/v1\.0\/secrets\/([^/]+)\/([^/]+)$/.exec(url.pathname)
    if (req.method === 'GET' && secret) return this.handleSecret(decodeURIComponent(secret[1]!), decodeURIComponent(secret[2]!))
    if (req.method === 'GET' && url.pathname === '/v1.0/metadata') {
      return Response.json({ id: 'todo-chatbot', runtimeVersion: '1.17.0-double', components: (this.options.pubsubs ?? ['pubsub-kafka']).map((name) => ({ name, type: 'pubsub.kafka', version: 'v1' })) })
    }
    // Jobs are taken and never fired: the fault of a scheduler that loses its triggers (the app's sweep fires them).
    if (/^\/v1\.0-alpha1\/jobs\/[^/]+$/.test(url.pathname) && (req.method === 'POST' || req.method === 'DELETE')) return new Response(null, { status: 204 })
    const publish = /^\/v1\.0\/publish\/([^/]+)\/([^/]+)$/.exec(url.pathname)
    if (req.method === 'POST' && publish) {
      const [, pubsub, topic] = publish as unknown as [string, string, string]
      if (!(this.options.pubsubs ?? ['pubsub-kafka']).includes(pubsub)) {
        return Response.json({ errorCode: 'ERR_PUBSUB_NOT_FOUND', message: `pubsub ${pubsub} not found` }, { status: 404 })
      }
      const contentType = (req.headers.get('content-type') ?? '').split(';')[0]!.trim()
      let body: unknown
      try {
        body = JSON.parse(await req.text())
      } catch {
        return Response.json({ errorCode: 'ERR_PUBSUB_CLOUD_EVENTS_SER', message: 'body is not JSON' }, { status: 400 })
      }
      // application/cloudevents+json: the app's envelope is used as is; plain JSON is wrapped.
      const event: Record<string, unknown> =
        contentType === 'application/cloudevents+json'
          ? (body as Record<string, unknown>)
          : { specversion: '1.0', id: crypto.randomUUID(), source: 'todo-chatbot', type: 'com.dapr.event.sent', datacontenttype: 'application/json', data: body }
      const traceparent = sidecarSpan(req.headers.get('traceparent'))
      Object.assign(event, { traceid: traceparent, traceparent, tracestate: req.headers.get('tracestate') ?? '' })
      const partitionKey = url.searchParams.get('metadata.partitionKey')
      this.published.push({ pubsub, topic, partitionKey, contentType, event, at: performance.now() })
      this.route(topic, event, partitionKey ?? String(event.id))
      return new Response(null, { status: 204 })
    }
    return new Response('not found', { status: 404 })
  }

  private route(topic: string, event: Record<string, unknown>, partitionKey: string): void {
    for (const sub of this.subscriptions.filter((s) => s.topic === topic)) {
      const key = `${topic}|${partitionKey}`
      this.pending++
      const previous = this.partitions.get(key) ?? Promise.resolve()
      const next = previous.then(() => this.deliver(sub, event)).finally(() => this.pending--)
      this.partitions.set(key, next)
    }
  }

  private async deliver(sub: Subscription, event: Record<string, unknown>): Promise<void> {
    const max = this.options.maxAttempts ?? 3
    let reason = 'dropped'
    for (let attempt = 1; attempt <= max; attempt++) {
      let status = 0
      let answer: string | undefined
      try {
        const res = await fetch(`${this.options.appUrl}${sub.route}`, {
          method: 'POST',
          headers: this.appHeaders({ 'content-type': 'application/cloudevents+json', traceparent: String(event.traceparent) }),
          body: JSON.stringify({ ...event, topic: sub.topic, pubsubname: sub.pubsubname }),
        })
        status = res.status
        const text = await res.text()
        if (status >= 200 && status < 300) {
          try {
            answer = text ? ((JSON.parse(text) as { status?: string }).status ?? 'SUCCESS') : 'SUCCESS'
          } catch {
            answer = 'SUCCESS'
          }
        }
      } catch {
        status = 0
      }
      this.deliveries.push({ topic: sub.topic, route: sub.route, eventId: String(event.id), attempt, status, answer, at: performance.now() })
      if (status >= 200 && status < 300 && answer !== 'RETRY' && answer !== 'DROP') return
      if ((status >= 200 && status < 300 && answer === 'DROP') || status === 404) {
        reason = status === 404 ? '404' : 'DROP'
        break
      }
      reason = status === 0 ? 'unreachable' : answer === 'RETRY' ? 'RETRY' : `status ${status}`
      if (attempt < max) await Bun.sleep(this.options.retryDelayMs ?? 50)
    }
    if (sub.deadLetterTopic) {
      this.deadLettered.push({ from: sub.topic, to: sub.deadLetterTopic, eventId: String(event.id), reason })
      this.route(sub.deadLetterTopic, event, String(event.id))
    }
  }
}

/** The app token the doubles send and the apps beside them expect (APP_API_TOKEN). */
export const APP_TOKEN = `app-token-${crypto.randomUUID()}`

/** The settings of an app beside a sidecar on `port`: its Dapr routes exist, behind APP_TOKEN. */
export const sidecarEnv = (port: number): Record<string, string> => ({ DAPR_HTTP_PORT: String(port), APP_API_TOKEN: APP_TOKEN, PUBSUB_NAME: 'pubsub-kafka' })

/** The app's event runtime pointed at a sidecar (double) on `port`: the Dapr bus, never in-process delivery. */
export function startDaprEvents(database: Database, log: Logger, port: number) {
  return startEvents({ env: loadEnv(sidecarEnv(port)), database, log })
}

/**
 * Waits until the outbox is empty and the double has nothing in flight (a delivery can write new events).
 * With `relay`, publishes pending events now instead of waiting for its next wake-up.
 */
export async function settle(database: Database, sidecar: DaprSidecarDouble, options: { relay?: { drain(): Promise<void> }; timeoutMs?: number } = {}) {
  let pending = 0
  await until('the outbox to empty', async () => {
    await options.relay?.drain()
    await sidecar.idle()
    return ({ pending } = await outboxBacklog(database)).pending === 0
  }, { timeoutMs: options.timeoutMs ?? 15_000, detail: () => `${pending} events still pending` })
}
