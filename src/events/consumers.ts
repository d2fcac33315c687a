// Consumers of events: each applies an event at most once, its idempotency key written in the same transaction as its effect.
import type { Db } from '../db/client'
import type { CloudEvent, EventData, Topic } from './envelope'
import { processedEvents } from './schema'

export interface Consumer {
  /** Stable name: part of the idempotency key (consumer, event id). */
  name: string
  topics: Topic[]
  /** Event types it acts on; others are acknowledged untouched. */
  types: string[]
  handle(tx: Db, event: CloudEvent<EventData>, now: Date): Promise<void>
}

/**
 * Applies `event` through `consumer` exactly once: a redelivery (even a concurrent one) finds the
 * key already written and does nothing. Returns false for a duplicate.
 */
export async function consumeOnce(db: Db, consumer: Consumer, event: CloudEvent<EventData>, now: Date): Promise<boolean> {
  if (!consumer.types.includes(event.type)) return true
  return db.transaction(async (tx) => {
    const fresh = await tx
      .insert(processedEvents)
      .values({ consumer: consumer.name, eventId: event.id, processedAt: now })
      .onConflictDoNothing()
      .returning({ eventId: processedEvents.eventId })
    if (fresh.length === 0) return false
    await consumer.handle(tx, event, now)
    return true
  })
}
