// Periodic clean-up of expired rows: sessions and their flashes, rate-limit windows, idempotency keys, the undo trash, old events.
import { lt } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { deadLetters, outboxEvents, processedEvents } from '../../events/schema'
import type { Logger } from '../../lib/log'
import { pruneFlashes } from '../auth/flash'
import { rateLimits, sessions } from '../auth/schema'
import { pruneIdempotencyKeys } from '../idempotency/service'
import { deletedTasks } from '../tasks/schema'
import { TRASH_MS } from '../tasks/service'

const EVERY_MS = 60 * 60 * 1000
const DAY = 24 * 60 * 60 * 1000

/** Deletes what has expired as of `now`. */
export async function sweep(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now))
  await pruneFlashes(db, now)
  await db.delete(rateLimits).where(lt(rateLimits.windowStartedAt, new Date(now.getTime() - 24 * 60 * 60 * 1000)))
  await pruneIdempotencyKeys(db, now)
  await db.delete(deletedTasks).where(lt(deletedTasks.deletedAt, new Date(now.getTime() - TRASH_MS)))
  // Published events are kept a week for inspection; idempotency keys outlive any redelivery (Kafka keeps a week).
  await db.delete(outboxEvents).where(lt(outboxEvents.publishedAt, new Date(now.getTime() - 7 * DAY)))
  await db.delete(processedEvents).where(lt(processedEvents.processedAt, new Date(now.getTime() - 14 * DAY)))
  await db.delete(deadLetters).where(lt(deadLetters.receivedAt, new Date(now.getTime() - 30 * DAY)))
}

/** Runs `sweep` hourly (every replica may; the deletes are idempotent). */
export function startHousekeeping({ db, log }: { db: Db; log: Logger }) {
  const timer = setInterval(() => {
    sweep(db, new Date()).catch((error) => log.warn('housekeeping failed', { error: error as Error }))
  }, EVERY_MS)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
