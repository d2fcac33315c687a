// Writing events: one outbox row per change, in the change's own transaction, and NOTIFYs on commit: the relay wakes, the owner's pages refresh.
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { liveNotice } from './live-notice'
import { traceHeaders } from '../lib/tracing'
import { cloudEvent, topicOf, type EventData } from './envelope'
import { outboxEvents } from './schema'

/** The channel the relay listens on; PostgreSQL delivers the NOTIFY only when the transaction commits. */
export const OUTBOX_CHANNEL = 'outbox_events'

/** Records an event in the outbox inside `tx` (which must be the transaction of the change itself). */
export async function recordEvent(tx: Db, type: string, data: EventData): Promise<void> {
  // The change's trace context travels with its event (CloudEvents distributed-tracing extension).
  const event = { ...cloudEvent(type, data), ...traceHeaders() }
  await tx.insert(outboxEvents).values({
    id: data.event_id,
    topic: topicOf(type),
    type,
    partitionKey: data.task_id,
    event,
  })
  // The relay wakes, and the owner's open pages refresh (docs/architecture.md, "Live updates"): one statement, both
  // delivered on commit only.
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, ''), ${liveNotice(data.user_id, type.startsWith('reminder.') ? 'reminders' : 'tasks')}`)
}
