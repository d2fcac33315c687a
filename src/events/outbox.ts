// Writing events: one outbox row per change, in the change's own transaction, and NOTIFYs on commit: the relay wakes, the pages of whoever sees the change refresh.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client'
import { liveNotice, liveNoticesTo } from './live-notice'
import { traceHeaders } from '../lib/tracing'
import { cloudEvent, topicOf, type EventData } from './envelope'
import { outboxEvents } from './schema'

/** The channel the relay listens on; PostgreSQL delivers the NOTIFY only when the transaction commits. */
export const OUTBOX_CHANNEL = 'outbox_events'

/**
 * Records an event in the outbox inside `tx` (which must be the transaction of the change itself). `audience`, when
 * given, is who hears of it live (a subquery of user ids: a shared project's people); else `data.user_id` alone.
 */
export async function recordEvent(tx: Db, type: string, data: EventData, audience?: SQL): Promise<void> {
  // The change's trace context travels with its event (CloudEvents distributed-tracing extension).
  const event = { ...cloudEvent(type, data), ...traceHeaders() }
  await tx.insert(outboxEvents).values({
    id: data.event_id,
    topic: topicOf(type),
    type,
    partitionKey: data.task_id,
    event,
  })
  // The relay wakes, and the open pages of whoever sees the change refresh (docs/architecture.md, "Live updates"): one
  // statement, every notice delivered on commit only.
  const kind = type.startsWith('reminder.') ? 'reminders' : 'tasks'
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, ''), ${audience ? liveNoticesTo(audience, kind) : liveNotice(data.user_id, kind)}`)
}
