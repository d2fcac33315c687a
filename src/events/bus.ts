// Two buses, one contract: Dapr pub/sub when a sidecar is configured, else an in-process bus that
// delivers the same CloudEvents to the same /events/* routes with Dapr's answer semantics.
import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr'
import type { Logger } from '../lib/log'
import { traceHeaders, tracingEnabled, unsampledTraceparent } from '../lib/tracing'
import type { CloudEvent } from './envelope'

export interface EventBus {
  readonly kind: 'dapr' | 'in-process'
  /** Publishes one event; throws when it was not taken, and the relay retries it later. */
  publish(topic: string, event: CloudEvent, partitionKey: string): Promise<void>
}

export interface DaprBusOptions {
  host: string
  port: number
  pubsubName: string
  apiToken?: string
}

/** The SDK's HTTP client: its `execute` is the call `pubsub.publish` makes, with headers we choose. */
interface SidecarHttp {
  execute(url: string, params: { method: string; body: unknown; headers: Record<string, string> }): Promise<unknown>
}

/**
 * Publishes through the sidecar with our own CloudEvent (its id stays ours), the task id as the Kafka
 * key, and the publish span's W3C `traceparent` as a header: the sidecar overwrites the envelope's
 * `traceparent` with the trace context of the publish call, and `pubsub.publish` cannot send one.
 */
export function daprBus(options: DaprBusOptions): EventBus {
  const client = new DaprClient({
    daprHost: options.host,
    daprPort: String(options.port),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    ...(options.apiToken ? { daprApiToken: options.apiToken } : {}),
    logger: { level: LogLevel.Error },
  })
  const http = client.daprClient as unknown as SidecarHttp
  const pubsub = encodeURIComponent(options.pubsubName)
  return {
    kind: 'dapr',
    async publish(topic, event, partitionKey) {
      // Throws on any answer but 2xx (403 scoping, 404 unknown pubsub, 500 broker): the relay retries.
      await http.execute(`/publish/${pubsub}/${encodeURIComponent(topic)}?metadata.partitionKey=${encodeURIComponent(partitionKey)}`, {
        method: 'POST',
        body: event,
        headers: { 'Content-Type': 'application/cloudevents+json', ...traceHeaders() },
      })
    },
  }
}

interface Subscription {
  pubsubname: string
  topic: string
  route: string
  deadLetterTopic?: string
}

export interface InProcessBusOptions {
  /** The app itself: requests go through its routes exactly as the sidecar's would. */
  deliver: (request: Request) => Promise<Response>
  pubsubName: string
  /** Sent as `dapr-api-token` when the app requires it (APP_API_TOKEN). */
  appApiToken?: string
  log: Logger
  /** Deliveries of one event tried before it is dead-lettered (Dapr's default resiliency: 3). */
  attempts?: number
  retryDelayMs?: number
}

export class DeliveryError extends Error {
  override name = 'DeliveryError'
}

/**
 * Delivers each published event to its subscriber before `publish` resolves, so the outbox row is
 * marked published only once the consumers have taken it. RETRY from the app means "transient"
 * (the database is down): publish fails and the relay tries again later. A failure that is not
 * RETRY is tried again a few times, then the event goes to its dead-letter topic, as Dapr does;
 * DROP or 404 dead-letters at once.
 */
export function inProcessBus(options: InProcessBusOptions): EventBus {
  const attempts = options.attempts ?? 3
  const pause = options.retryDelayMs ?? 100
  let subscriptions: Promise<Subscription[]> | undefined
  const headers = (extra: Record<string, string>) => ({
    ...extra,
    ...(options.appApiToken ? { 'dapr-api-token': options.appApiToken } : {}),
  })

  const load = () =>
    (subscriptions ??= options
      .deliver(new Request('http://localhost/dapr/subscribe', { headers: headers({}) }))
      .then(async (res) => {
        if (!res.ok) throw new Error(`GET /dapr/subscribe answered ${res.status}`)
        return (await res.json()) as Subscription[]
      })
      .catch((error) => {
        subscriptions = undefined
        throw error
      }))

  async function deliverOnce(sub: Subscription, event: CloudEvent): Promise<'done' | 'retry' | 'drop' | 'fail'> {
    // As the sidecar does: the publish call's trace context replaces the envelope's, and rides along as a
    // header. An event no trace follows goes as not sampled, so its consumers start no trace of their own.
    const current = traceHeaders()
    const trace = current.traceparent || !tracingEnabled() ? current : { traceparent: unsampledTraceparent() }
    const body = JSON.stringify({ ...event, ...trace, topic: sub.topic, pubsubname: sub.pubsubname })
    const res = await options.deliver(
      new Request(`http://localhost${sub.route}`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/cloudevents+json', ...trace }),
        body,
      }),
    )
    const text = await res.text()
    if (res.status === 404) return 'drop'
    if (res.status < 200 || res.status >= 300) return 'fail'
    let status = 'SUCCESS'
    try {
      status = text ? ((JSON.parse(text) as { status?: string }).status ?? 'SUCCESS') : 'SUCCESS'
    } catch {
      status = 'SUCCESS'
    }
    if (status === 'RETRY') return 'retry'
    if (status === 'DROP') return 'drop'
    return 'done'
  }

  async function publish(topic: string, event: CloudEvent): Promise<void> {
    const subs = (await load()).filter((s) => s.topic === topic)
    for (const sub of subs) {
      let outcome: Awaited<ReturnType<typeof deliverOnce>> = 'fail'
      for (let i = 0; i < attempts; i++) {
        outcome = await deliverOnce(sub, event)
        if (outcome !== 'fail') break
        if (i < attempts - 1) await Bun.sleep(pause * (i + 1))
      }
      if (outcome === 'retry') throw new DeliveryError(`${sub.route} asked to retry event ${event.id}`)
      if (outcome === 'drop' || outcome === 'fail') {
        options.log.warn('event dead-lettered', { event_id: event.id, topic, route: sub.route, outcome })
        if (sub.deadLetterTopic) await publish(sub.deadLetterTopic, event)
      }
    }
  }

  return { kind: 'in-process', publish: (topic, event) => publish(topic, event) }
}
