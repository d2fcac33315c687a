// What the Dapr sidecar (or the in-process bus) talks to: GET /dapr/subscribe and the POST /events/* delivery routes.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../context'
import { isConnectionError } from '../lib/db-errors'
import { newId } from '../lib/secrets'
import { contextFrom, inSpan, SpanKind } from '../lib/tracing'
import { consumeOnce, type Consumer } from './consumers'
import { ALL_TOPICS, DEAD_LETTER_ROUTE, deadLetterTopic, readCloudEvent, routeOf } from './envelope'
import { deadLetters } from './schema'

export interface EventRouteOptions {
  pubsubName: string
  /** When set, every call must carry it as `dapr-api-token` (the sidecar sends APP_API_TOKEN so). */
  appApiToken?: string
  consumers: Consumer[]
  /** Told of each delivery's answer, per topic. */
  onDelivery?: (topic: string, status: 'SUCCESS' | 'RETRY' | 'DROP') => void
  /** Told of each dead letter, by the topic the event was first published to. */
  onDeadLetter?: (topic: string) => void
}

/** The subscriptions the app declares: each topic with its dead-letter topic, and the dead-letter topics themselves. */
export function subscriptions(pubsubName: string) {
  return [
    ...ALL_TOPICS.map((topic) => ({ pubsubname: pubsubName, topic, route: routeOf(topic), deadLetterTopic: deadLetterTopic(topic) })),
    ...ALL_TOPICS.map((topic) => ({ pubsubname: pubsubName, topic: deadLetterTopic(topic), route: DEAD_LETTER_ROUTE })),
  ]
}

const SUCCESS = { status: 'SUCCESS' } as const
const RETRY = { status: 'RETRY' } as const
const DROP = { status: 'DROP' } as const

export const eventRoutes = (deps: AppDeps, options: EventRouteOptions) => {
  const clock = deps.clock ?? (() => new Date())
  const db = deps.database.db
  return new Elysia({ name: 'event-routes', seed: seedOf(deps), detail: { tags: ['Events (Dapr)'] } })
    .onBeforeHandle(({ request, status }) => {
      if (!options.appApiToken) return
      const path = new URL(request.url).pathname
      if (path !== '/dapr/subscribe' && !path.startsWith('/events/')) return
      if (request.headers.get('dapr-api-token') !== options.appApiToken) {
        return status(401, { error: { code: 'unauthorized', message: 'dapr-api-token missing or wrong' } })
      }
    })
    .get('/dapr/subscribe', () => subscriptions(options.pubsubName), {
      detail: { summary: 'The topics this app subscribes to, for the Dapr sidecar' },
    })
    .post(
      DEAD_LETTER_ROUTE,
      async ({ body }) => {
        // A plain copy: a form body arrives as an object without a prototype, which the insert cannot take.
        const event = (typeof body === 'object' && body !== null ? { ...body } : { raw: String(body) }) as Record<string, unknown>
        await db.insert(deadLetters).values({
          id: newId(),
          topic: typeof event.topic === 'string' ? event.topic : 'unknown',
          eventId: typeof event.id === 'string' ? event.id : null,
          eventType: typeof event.type === 'string' ? event.type : null,
          event,
          receivedAt: clock(),
        })
        deps.log.warn('dead letter recorded', { event_id: event.id, topic: event.topic, type: event.type })
        const topic = ALL_TOPICS.find((t) => event.topic === deadLetterTopic(t))
        options.onDeadLetter?.(topic ?? 'unknown')
        return SUCCESS
      },
      { detail: { summary: 'Records an event that could not be delivered (all .dlq topics)' } },
    )
    .post(
      '/events/:topic',
      async ({ params, body, status }) => {
        const topic = ALL_TOPICS.find((t) => routeOf(t) === `/events/${params.topic}`)
        if (!topic) return status(404, { error: { code: 'not_found', message: 'No such topic route' } })
        const event = readCloudEvent(body)
        if (!event) {
          const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined
          deps.log.warn('malformed event dropped', { event_id: typeof id === 'string' ? id.slice(0, 200) : null, topic })
          options.onDelivery?.(topic, 'DROP')
          return DROP
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
          return SUCCESS
        } catch (error) {
          options.onDelivery?.(topic, 'RETRY')
          if (isConnectionError(error)) {
            deps.log.warn('event will be retried: database unavailable', { event_id: event.id, topic })
            return RETRY
          }
          deps.log.error('event consumer failed', { event_id: event.id, topic, type: event.type, error: error as Error })
          return status(500, { status: 'RETRY' })
        }
      },
      { detail: { summary: 'Delivers one CloudEvent; answers SUCCESS, RETRY or DROP as Dapr expects' } },
    )
}
