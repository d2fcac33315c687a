// Hands delivered CloudEvents to the consumers and records dead letters: called by the sidecar's routes and by the in-process bus.
import type { AppDeps } from '../context'
import { isConnectionError } from '../lib/db-errors'
import { newId } from '../lib/secrets'
import { contextFrom, inSpan, SpanKind } from '../lib/tracing'
import { consumeOnce, type Consumer } from './consumers'
import { ALL_TOPICS, DEAD_LETTER_ROUTE, deadLetterTopic, readCloudEvent, routeOf, type Topic } from './envelope'
import { deadLetters } from './schema'

/** One subscription as Dapr reads it from GET /dapr/subscribe. */
export interface Subscription {
  pubsubname: string
  topic: string
  route: string
  deadLetterTopic?: string
}

/** The subscriptions the app declares: each topic with its dead-letter topic, and the dead-letter topics themselves. */
export function subscriptions(pubsubName: string): Subscription[] {
  return [
    ...ALL_TOPICS.map((topic) => ({ pubsubname: pubsubName, topic, route: routeOf(topic), deadLetterTopic: deadLetterTopic(topic) })),
    ...ALL_TOPICS.map((topic) => ({ pubsubname: pubsubName, topic: deadLetterTopic(topic), route: DEAD_LETTER_ROUTE })),
  ]
}

/**
 * What one delivery came to: Dapr's three answers, no subscriber at that route (HTTP 404, which Dapr
 * drops), or a consumer that failed unexpectedly (HTTP 500, which Dapr retries).
 */
export type DeliveryOutcome = 'SUCCESS' | 'RETRY' | 'DROP' | 'NO_ROUTE' | 'FAILED'

export interface EventDelivery {
  subscriptions(): Subscription[]
  /** Delivers one event (as parsed from the request body) to the subscriber at `route`. */
  deliver(route: string, body: unknown): Promise<DeliveryOutcome>
}

export interface EventDeliveryOptions {
  pubsubName: string
  consumers: Consumer[]
  /** Told of each delivery's answer, per topic. */
  onDelivery?: (topic: string, status: 'SUCCESS' | 'RETRY' | 'DROP') => void
  /** Told of each dead letter, by the topic the event was first published to. */
  onDeadLetter?: (topic: string) => void
}

/** Largest dead letter kept whole (bytes of its JSON); a larger one is kept as an excerpt with its size. */
export const DEAD_LETTER_MAX_BYTES = 64 * 1024
/** Longest topic, id or type copied into a dead letter's columns and log line. */
const FIELD_MAX = 200

const clip = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, FIELD_MAX) : null)

/** The first `max` bytes of `text` as UTF-8, never splitting a character. */
function headBytes(text: string, max: number): string {
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(max))
  return text.slice(0, read)
}

/** What is stored of a dead letter: the event itself, or past the cap an excerpt that says how large it was. */
export function storedDeadLetter(event: Record<string, unknown>): { stored: Record<string, unknown>; bytes: number; truncated: boolean } {
  const text = JSON.stringify(event)
  const bytes = Buffer.byteLength(text)
  if (bytes <= DEAD_LETTER_MAX_BYTES) return { stored: event, bytes, truncated: false }
  const stored = { truncated: true, original_bytes: bytes, id: clip(event.id), type: clip(event.type), topic: clip(event.topic), excerpt: headBytes(text, DEAD_LETTER_MAX_BYTES) }
  return { stored, bytes, truncated: true }
}

/**
 * The topic a dead letter was first published to. Dapr republishes the original message unchanged, so its `topic`
 * is still that topic; a `.dlq` topic name (as a publisher of its own might set it) maps back too.
 */
export function originTopic(topic: unknown): Topic | undefined {
  return ALL_TOPICS.find((t) => topic === t || topic === deadLetterTopic(t))
}

/** The delivery service: what a subscriber route does, without HTTP. */
export function eventDelivery(deps: AppDeps, options: EventDeliveryOptions): EventDelivery {
  const clock = deps.clock
  const db = deps.database.db

  async function recordDeadLetter(body: unknown): Promise<DeliveryOutcome> {
    // A plain copy: a form body arrives as an object without a prototype, which the insert cannot take.
    const event = (typeof body === 'object' && body !== null ? { ...body } : { raw: String(body) }) as Record<string, unknown>
    const { stored, bytes, truncated } = storedDeadLetter(event)
    const fields = { event_id: clip(event.id), topic: clip(event.topic), type: clip(event.type) }
    try {
      await db.insert(deadLetters).values({
        id: newId(),
        topic: fields.topic ?? 'unknown',
        eventId: fields.event_id,
        eventType: fields.type,
        event: stored,
        receivedAt: clock(),
      })
    } catch (error) {
      if (isConnectionError(error)) return 'RETRY'
      deps.log.error('dead letter not recorded', { ...fields, error: error as Error })
      return 'FAILED'
    }
    if (truncated) deps.log.warn('dead letter truncated', { ...fields, original_bytes: bytes, kept_bytes: DEAD_LETTER_MAX_BYTES })
    deps.log.warn('dead letter recorded', fields)
    options.onDeadLetter?.(originTopic(event.topic) ?? 'unknown')
    return 'SUCCESS'
  }

  async function deliverEvent(route: string, body: unknown): Promise<DeliveryOutcome> {
    const topic = ALL_TOPICS.find((t) => routeOf(t) === route)
    if (!topic) return 'NO_ROUTE'
    const event = readCloudEvent(body)
    if (!event) {
      const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined
      deps.log.warn('malformed event dropped', { event_id: clip(id), topic })
      options.onDelivery?.(topic, 'DROP')
      return 'DROP'
    }
    const consumers = options.consumers.filter((c) => c.topics.includes(topic))
    try {
      // The consumers continue the trace the event carries (the request that changed the task).
      await inSpan(
        `process ${topic}`,
        {
          kind: SpanKind.CONSUMER,
          parent: event.traceparent ? contextFrom(event) : undefined,
          attributes: { 'messaging.system': 'dapr', 'messaging.destination.name': topic, 'messaging.message.id': event.id, 'cloudevents.event_type': event.type },
        },
        async () => {
          for (const consumer of consumers) await consumeOnce(db, consumer, event, clock())
        },
      )
      options.onDelivery?.(topic, 'SUCCESS')
      return 'SUCCESS'
    } catch (error) {
      options.onDelivery?.(topic, 'RETRY')
      if (isConnectionError(error)) {
        deps.log.warn('event will be retried: database unavailable', { event_id: event.id, topic })
        return 'RETRY'
      }
      deps.log.error('event consumer failed', { event_id: event.id, topic, type: event.type, error: error as Error })
      return 'FAILED'
    }
  }

  return {
    subscriptions: () => subscriptions(options.pubsubName),
    deliver: (route, body) => (route === DEAD_LETTER_ROUTE ? recordDeadLetter(body) : deliverEvent(route, body)),
  }
}
