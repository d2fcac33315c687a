// The outbox relay: publishes pending events in order per task, woken on commit, retried with backoff, safe in several replicas.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'
import type { Logger } from '../lib/log'
import { contextFrom, inSpan, SpanKind } from '../lib/tracing'
import type { EventBus } from './bus'
import type { CloudEvent } from './envelope'
import { OUTBOX_CHANNEL } from './outbox'
import { watchChannel, type ChannelWatch } from '../db/listen'
import { isConnectionError } from '../lib/db-errors'
import { withinTime } from '../lib/within-time'

export interface RelayOptions {
  database: Database
  bus: EventBus
  log: Logger
  /** Events claimed per round. */
  batchSize?: number
  /** How long a claim holds before another replica may take the event over. */
  leaseSeconds?: number
  /** A safety sweep, for expired leases and a missed wake-up. */
  pollMs?: number
  /** How often the commit LISTEN checks that notices still arrive, and how soon a failed one is tried again (`watchChannel`). */
  listenBeatMs?: number
  /** Told of each publish attempt (metrics). */
  onPublish?: (topic: string, ok: boolean) => void
}

interface Claimed {
  id: string
  seq: number | string
  topic: string
  partition_key: string
  event: CloudEvent
  attempts: number
}

export interface Backlog {
  pending: number
  oldestAgeSeconds: number
}

/** Pending events and the age of the oldest, for /readyz and metrics. */
export async function outboxBacklog(database: Database): Promise<Backlog> {
  const [row] = await queryRows<{ pending: number | string; oldest: number | string | null }>(
    database.db,
    sql`select count(*) as pending, extract(epoch from now() - min(created_at)) as oldest
        from outbox_events where published_at is null`,
  )
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Math.max(0, Number(row?.oldest ?? 0)) }
}

export class Relay {
  private readonly batchSize: number
  private readonly leaseSeconds: number
  private readonly pollMs: number
  private running: Promise<void> | undefined
  private again = false
  private stopped = true
  private watch: ChannelWatch | undefined
  private poll: ReturnType<typeof setInterval> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  /** This relay's name on the leases it takes. */
  private readonly owner = crypto.randomUUID()
  /** A round failed: what it had claimed (as far as it knows, or not) is still leased to this relay. */
  private holdsLostRows = false

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 100
    this.leaseSeconds = options.leaseSeconds ?? 30
    this.pollMs = options.pollMs ?? 5000
  }

  /**
   * Listens for commits and publishes what is already pending (events left by a previous run too). A LISTEN that
   * fails (the database down at start) or goes deaf later is listened again by the watch, and the relay catches up
   * when it is back; meanwhile the sweep publishes, only later.
   */
  async start(): Promise<void> {
    this.stopped = false
    const wake = () => this.wake()
    this.watch = await watchChannel(this.options.database, OUTBOX_CHANNEL, { onNotify: wake, onUp: wake, onDown: () => {} }, this.options.listenBeatMs ?? 5000)
    this.poll = setInterval(() => this.wake(), this.pollMs)
    this.poll.unref?.()
    this.wake()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.poll)
    clearTimeout(this.retryTimer)
    await this.watch?.stop().catch(() => {})
    await this.running
  }

  /** Publishes soon; calls while a round runs make it go round once more. */
  wake(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.loop().finally(() => {
      this.running = undefined
    })
  }

  /**
   * Publishes until no event is waiting to go out now, including ones another round (or replica)
   * is publishing at this moment; events backing off after a failure are left for later.
   */
  async drain(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      await this.running
      if ((await this.round()) > 0) continue
      const [row] = await queryRows<{ n: number | string }>(
        this.options.database.db,
        sql`select count(*) as n from outbox_events where published_at is null and next_attempt_at <= now()`,
      )
      if (Number(row?.n ?? 0) === 0 || Date.now() > deadline) return
      await Bun.sleep(5)
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      try {
        // A round longer than the lease is moot (its rows may be taken over), and one stuck on the driver must not
        // stop the relay for good: it is given up and the next round starts.
        if ((await withinTime(this.round(), this.leaseSeconds * 1000, 'outbox relay round')) > 0) this.again = true
      } catch (error) {
        this.holdsLostRows = true
        this.options.log.warn('outbox relay round failed', { error: error as Error })
        this.scheduleRetry(1000)
        return
      }
    } while (this.again && !this.stopped)
  }

  private scheduleRetry(ms: number): void {
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => this.wake(), Math.max(10, ms))
    this.retryTimer.unref?.()
  }

  /**
   * One round: claim the oldest publishable event of each task (an event waits while an earlier
   * one of its task is unpublished), publish them, and mark each published or due for a retry.
   * Returns how many were published.
   */
  private async round(): Promise<number> {
    const { db } = this.options.database
    if (this.holdsLostRows) await this.releaseLostRows()
    const claimed = await queryRows<Claimed>(
      db,
      sql`update outbox_events set lease_until = now() + make_interval(secs => ${this.leaseSeconds}), lease_owner = ${this.owner}, attempts = attempts + 1
          where id in (
            select o.id from outbox_events o
            where o.published_at is null and o.next_attempt_at <= now()
              and (o.lease_until is null or o.lease_until < now())
              and not exists (
                select 1 from outbox_events p
                where p.partition_key = o.partition_key and p.published_at is null and p.seq < o.seq)
            order by o.seq
            limit ${this.batchSize}
            for update skip locked)
          returning id, seq, topic, partition_key, event, attempts`,
    )
    if (claimed.length === 0) return 0
    claimed.sort((a, b) => Number(a.seq) - Number(b.seq))
    // One event per task in a round, so publishing them side by side keeps each task's order.
    const settled = await Promise.allSettled(
      claimed.map(async (row) => {
        try {
          // A producer span in the trace of the change that wrote the event.
          await inSpan(
            `publish ${row.topic}`,
            {
              kind: SpanKind.PRODUCER,
              parent: contextFrom(row.event),
              attributes: { 'messaging.system': 'dapr', 'messaging.destination.name': row.topic, 'messaging.message.id': row.id, 'cloudevents.event_type': row.event.type },
            },
            () => this.options.bus.publish(row.topic, row.event, row.partition_key),
          )
          this.options.onPublish?.(row.topic, true)
          await db.execute(sql`update outbox_events set published_at = now(), lease_until = null, lease_owner = null, last_error = null where id = ${row.id}`)
          return true
        } catch (error) {
          this.options.onPublish?.(row.topic, false)
          // Backoff spares a broker or a consumer that keeps refusing; the database dropping out under the in-process
          // consumers is no fault of the event's, so it is retried in a second however often it failed before.
          const delay = isConnectionError(error) ? 1 : Math.min(60, 0.5 * 2 ** Math.min(row.attempts - 1, 8))
          const message = error instanceof Error ? error.message : String(error)
          this.options.log.warn('publish failed; will retry', { event_id: row.id, topic: row.topic, attempts: row.attempts, retry_in_s: delay, error: message.slice(0, 300) })
          await db.execute(
            sql`update outbox_events set lease_until = null, lease_owner = null, last_error = ${message.slice(0, 1000)},
                next_attempt_at = now() + make_interval(secs => ${delay}) where id = ${row.id}`,
          )
          this.scheduleRetry(delay * 1000)
          return false
        }
      }),
    )
    // Every row has had its go before the round fails, so none is still publishing when its lease is given back.
    const failed = settled.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
    return settled.filter((r) => r.status === 'fulfilled' && r.value).length
  }

  /**
   * Gives back the rows this relay still holds after a round the database cut short: rows it published but could
   * not mark, and rows whose claim committed while its answer was lost. They go out at this round, not when their
   * lease runs out (30 s of events held back after a blip). One published but not marked goes out again: delivery
   * is at least once, and consumers take each event once.
   */
  private async releaseLostRows(): Promise<void> {
    await this.options.database.db.execute(
      sql`update outbox_events set lease_until = null, lease_owner = null
          where lease_owner = ${this.owner} and published_at is null and lease_until is not null`,
    )
    this.holdsLostRows = false
  }
}
