// Two buses, one contract: Dapr pub/sub when a sidecar is configured, else an in-process bus that hands
// the same CloudEvents to the same delivery the sidecar's routes call, with Dapr's answer semantics.
import type { Logger } from '../lib/log'
import { excerpt, type SidecarClient } from '../lib/sidecar'
import { traceHeaders, tracingEnabled, unsampledTraceparent } from '../lib/tracing'
import type { DeliveryOutcome, EventDelivery, Subscription } from './delivery'
import type { CloudEvent } from './envelope'

export interface EventBus {
  readonly kind: 'dapr' | 'in-process'
  /** Publishes one event; throws when it was not taken, and the relay retries it later. */
  publish(topic: string, event: CloudEvent, partitionKey: string): Promise<void>
}

export interface DaprBusOptions {
  sidecar: SidecarClient
  pubsubName: string
}

/**
 * Publishes through the sidecar with our own CloudEvent (its id stays ours), the task id as the Kafka
 * key, and the publish span's W3C `traceparent` as a header (the sidecar client sends it): the sidecar
 * overwrites the envelope's `traceparent` with the trace context of the publish call.
 */
export function daprBus(options: DaprBusOptions): EventBus {
  const pubsub = encodeURIComponent(options.pubsubName)
  return {
    kind: 'dapr',
    async publish(topic, event, partitionKey) {
      const path = `/v1.0/publish/${pubsub}/${encodeURIComponent(topic)}?metadata.partitionKey=${encodeURIComponent(partitionKey)}`
      const res = await options.sidecar.call(path, { method: 'POST', json: event, contentType: 'application/cloudevents+json' })
      // Throws on any answer but 2xx (403 scoping, 404 unknown pubsub, 500 broker): the relay retries.
      if (!res.ok) throw new Error(`publishing to ${topic} answered ${res.status}: ${await excerpt(res)}`)
    },
  }
}

export interface InProcessBusOptions {
  /** The app's event delivery: called directly, as the sidecar would call its routes, with no HTTP route involved. */
  delivery: EventDelivery
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
  const subscriptions = options.delivery.subscriptions()

  async function deliverOnce(sub: Subscription, event: CloudEvent): Promise<'done' | 'retry' | 'drop' | 'fail'> {
    // As the sidecar does: the publish call's trace context replaces the envelope's. An event no trace
    // follows goes as not sampled, so its consumers start no trace of their own.
    const current = traceHeaders()
    const trace = current.traceparent || !tracingEnabled() ? current : { traceparent: unsampledTraceparent() }
    // A copy through JSON, as over the wire: a consumer never shares objects with the relay.
    const body: unknown = JSON.parse(JSON.stringify({ ...event, ...trace, topic: sub.topic, pubsubname: sub.pubsubname }))
    let outcome: DeliveryOutcome
    try {
      outcome = await options.delivery.deliver(sub.route, body)
    } catch (error) {
      options.log.error('event delivery failed', { event_id: event.id, route: sub.route, error: error as Error })
      return 'fail'
    }
    if (outcome === 'SUCCESS') return 'done'
    if (outcome === 'RETRY') return 'retry'
    if (outcome === 'DROP' || outcome === 'NO_ROUTE') return 'drop'
    return 'fail'
  }

  async function publish(topic: string, event: CloudEvent): Promise<void> {
    const subs = subscriptions.filter((s) => s.topic === topic)
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
