// Tables of the event backbone: the outbox (written with each change), consumer idempotency keys, dead letters.
import { sql } from 'drizzle-orm'
import { bigserial, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { jsonb } from '../db/jsonb'
import type { CloudEvent } from './envelope'

export const outboxEvents = pgTable(
  'outbox_events',
  {
    /** The CloudEvent id: stable across publish retries, so consumers can deduplicate. */
    id: uuid('id').primaryKey(),
    /** Global write order; events of one partition key are published in this order. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    topic: text('topic').notNull(),
    type: text('type').notNull(),
    /** Kafka partition key (the task id): per-task ordering. */
    partitionKey: text('partition_key').notNull(),
    event: jsonb<CloudEvent>('event').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** A relay replica holds the row until then while it publishes; an expired lease is taken over. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** Which relay holds the lease (one id a process): after a round lost to the database, it gives back its own. */
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
  },
  (t) => [
    index('outbox_pending_idx').on(t.seq).where(sql`${t.publishedAt} is null`),
    index('outbox_pending_key_idx').on(t.partitionKey, t.seq).where(sql`${t.publishedAt} is null`),
    index('outbox_published_idx').on(t.publishedAt),
  ],
)

/** (consumer, event id) pairs already applied: written in the same transaction as the consumer's effect. */
export const processedEvents = pgTable(
  'processed_events',
  {
    consumer: text('consumer').notNull(),
    eventId: text('event_id').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] }), index('processed_events_at_idx').on(t.processedAt)],
)

/** Events a subscriber could not take, delivered to a `<topic>.dlq` topic: kept for inspection. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: uuid('id').primaryKey(),
    /** The dead-letter topic it arrived on, e.g. todo.task-events.dlq. */
    topic: text('topic').notNull(),
    eventId: text('event_id'),
    eventType: text('event_type'),
    event: jsonb('event').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dead_letters_received_idx').on(t.receivedAt)],
)
