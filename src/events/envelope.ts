// The event contract: CloudEvents 1.0 envelopes, topics and types, as README "Events" states them.

export const TOPICS = {
  taskEvents: 'todo.task-events',
  taskUpdates: 'todo.task-updates',
  reminders: 'todo.reminders',
} as const
export type Topic = (typeof TOPICS)[keyof typeof TOPICS]
export const ALL_TOPICS: Topic[] = Object.values(TOPICS)
export const deadLetterTopic = (topic: Topic) => `${topic}.dlq`

/** The route each topic is delivered to: `todo.task-events` → `/events/task-events`. */
export const routeOf = (topic: Topic) => `/events/${topic.replace(/^todo\./, '')}`
export const DEAD_LETTER_ROUTE = '/events/dead-letter'

export const TASK_EVENT_TYPES = ['task.created', 'task.updated', 'task.completed', 'task.deleted'] as const
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number]

/** Where each event type goes: updates have their own topic. */
export function topicOf(type: string): Topic {
  if (type === 'task.updated') return TOPICS.taskUpdates
  if (type.startsWith('reminder.')) return TOPICS.reminders
  return TOPICS.taskEvents
}

export const EVENT_SOURCE = 'todo-chatbot'

export interface CloudEvent<T = Record<string, unknown>> {
  specversion: '1.0'
  id: string
  source: string
  type: string
  subject?: string
  time: string
  datacontenttype: 'application/json'
  data: T
  /** Set by Dapr on delivery. */
  topic?: string
  pubsubname?: string
  /** W3C trace context (the distributed-tracing extension): the change's, and on delivery the publisher's. */
  traceparent?: string
  tracestate?: string
}

/** What every event's data carries, whatever else its type adds. */
export interface EventData {
  event_id: string
  user_id: string
  task_id: string
  occurred_at: string
  [key: string]: unknown
}

export function cloudEvent<T extends EventData>(type: string, data: T): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: data.event_id,
    source: EVENT_SOURCE,
    type,
    subject: data.task_id,
    time: data.occurred_at,
    datacontenttype: 'application/json',
    data,
  }
}

/** Reads a delivered CloudEvent; null when it is not one of ours (a poison message). */
export function readCloudEvent(body: unknown): CloudEvent<EventData> | null {
  if (typeof body !== 'object' || body === null) return null
  const e = body as Partial<CloudEvent<EventData>>
  const d = e.data as Partial<EventData> | undefined
  const ok =
    e.specversion === '1.0' && typeof e.id === 'string' && e.id.length > 0 && e.id.length <= 200 &&
    typeof e.type === 'string' && typeof d === 'object' && d !== null &&
    typeof d.user_id === 'string' && typeof d.task_id === 'string' && typeof d.occurred_at === 'string'
  return ok ? (e as CloudEvent<EventData>) : null
}
