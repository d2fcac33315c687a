// Per-user webhooks: fired reminders POSTed as signed JSON (HMAC-SHA256 over timestamp and body), retried with backoff.
import { eq, sql } from 'drizzle-orm'
import { queryRows, type Db, type Database } from '../../db/client'
import type { Logger } from '../../lib/log'
import { newId, newSecret } from '../../lib/secrets'
import { webhookDeliveries, webhooks } from './schema'
import { withinTime } from '../../lib/within-time'
import { pinTargets, RefusedTarget, systemResolve, type Resolve, type WebhookUrl } from './webhook-target'

export { parseWebhookUrl } from './webhook-target'

/** The longest one delivery pass may take before the next may start: the claims' lease. */
const PASS_LIMIT_MS = 60_000

export const SIGNATURE_HEADER = 'x-todo-signature'
export const TIMESTAMP_HEADER = 'x-todo-timestamp'
export const DELIVERY_HEADER = 'x-todo-delivery'
/** Tries before a delivery is given up (about a day of backoff). */
export const MAX_ATTEMPTS = 10

export async function getWebhook(db: Db, userId: string) {
  const [hook] = await db.select().from(webhooks).where(eq(webhooks.userId, userId))
  return hook
}

/** Sets (or changes) the user's webhook URL; a new one gets a fresh signing secret. */
export async function setWebhook(db: Db, userId: string, valid: WebhookUrl, now: Date) {
  const existing = await getWebhook(db, userId)
  const secret = existing?.secret ?? newSecret('whsec_')
  await db
    .insert(webhooks)
    .values({ userId, url: valid, secret, createdAt: now })
    .onConflictDoUpdate({ target: webhooks.userId, set: { url: valid } })
  return { url: valid, secret }
}

export async function removeWebhook(db: Db, userId: string): Promise<void> {
  await db.delete(webhooks).where(eq(webhooks.userId, userId))
}

/** Queues a POST of `payload` to the user's webhook (if any) inside the caller's transaction. */
export async function enqueueWebhook(tx: Db, userId: string, payload: Record<string, unknown>, now: Date): Promise<void> {
  const hook = await getWebhook(tx, userId)
  if (!hook) return
  await tx.insert(webhookDeliveries).values({ id: newId(), userId, url: hook.url, body: JSON.stringify(payload), nextAttemptAt: now, createdAt: now })
}

/** The signature a receiver recomputes: hex HMAC-SHA256 of `<timestamp>.<body>` with the secret. */
export function sign(secret: string, timestamp: string, body: string): string {
  return `v1=${new Bun.CryptoHasher('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

interface Claimed {
  id: string
  user_id: string
  url: string
  body: string
  attempts: number
}

/** Sends queued deliveries; several replicas can run it (claims are leased with SKIP LOCKED). */
export class WebhookSender {
  private timer: ReturnType<typeof setInterval> | undefined
  private running: Promise<number> | undefined

  constructor(
    private readonly options: {
      database: Database
      log: Logger
      /** WEBHOOK_ALLOW_PRIVATE: http and private addresses may be reached (a laptop, tests). */
      allowPrivate: boolean
      /** Looks a host name up once per delivery; the request then goes to the address checked. */
      resolve?: Resolve
      /** How a request goes out (Bun's fetch); tests watch what it is asked to connect to. */
      fetch?: (url: string, init: BunFetchRequestInit) => Promise<Response>
      /** Extra certificate authorities (PEM) to trust, e.g. a test's own. */
      ca?: string
      intervalMs?: number
      timeoutMs?: number
      baseDelaySeconds?: number
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run().catch((error) => this.options.log.warn('webhook delivery pass failed', { error: error as Error })), this.options.intervalMs ?? 2000)
    this.timer.unref?.()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    await this.running
  }

  /** One pass over what is due now; returns how many were delivered. */
  run(): Promise<number> {
    // Bounded, so a pass stuck on the database driver cannot stop deliveries for good (claims are leased).
    this.running ??= withinTime(this.pass(), PASS_LIMIT_MS, 'webhook delivery pass').finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async pass(): Promise<number> {
    const { db } = this.options.database
    const claimed = await queryRows<Claimed>(
      db,
      sql`update webhook_deliveries set lease_until = now() + interval '60 seconds', attempts = attempts + 1
          where id in (select id from webhook_deliveries
                       where delivered_at is null and failed_at is null and next_attempt_at <= now()
                         and (lease_until is null or lease_until < now())
                       order by next_attempt_at limit 50 for update skip locked)
          returning id, user_id, url, body, attempts`,
    )
    let delivered = 0
    await Promise.all(
      claimed.map(async (d) => {
        const [hook] = await db.select({ secret: webhooks.secret }).from(webhooks).where(eq(webhooks.userId, d.user_id))
        if (!hook) {
          await db.execute(sql`update webhook_deliveries set failed_at = now(), last_error = 'webhook removed' where id = ${d.id}`)
          return
        }
        const timestamp = String(Math.floor(Date.now() / 1000))
        let status: number | null = null
        let error: string | null = null
        try {
          status = await this.post(d.url, {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: sign(hook.secret, timestamp, d.body),
            [DELIVERY_HEADER]: d.id,
          }, d.body)
        } catch (e) {
          error = e instanceof Error ? e.message : String(e)
        }
        if (status !== null && status >= 200 && status < 300) {
          delivered++
          await db.execute(sql`update webhook_deliveries set delivered_at = now(), lease_until = null, last_status = ${status} where id = ${d.id}`)
          return
        }
        const giveUp = d.attempts >= MAX_ATTEMPTS
        const delay = Math.min(3600, (this.options.baseDelaySeconds ?? 30) * 2 ** (d.attempts - 1))
        this.options.log.warn('webhook delivery failed', { delivery_id: d.id, attempts: d.attempts, status, give_up: giveUp })
        await db.execute(
          sql`update webhook_deliveries set lease_until = null, last_status = ${status}, last_error = ${error?.slice(0, 500) ?? null},
              next_attempt_at = now() + make_interval(secs => ${delay}), failed_at = ${giveUp ? sql`now()` : sql`null`}
              where id = ${d.id}`,
        )
      }),
    )
    return delivered
  }

  /**
   * POSTs `body` to the webhook: its host is resolved once, every address checked, and the request goes to a
   * checked address with the original Host header and TLS name, so a second lookup (DNS rebinding) cannot send
   * it elsewhere. Redirects are not followed (a 3xx counts as a failure). Returns the status.
   */
  private async post(saved: string, headers: Record<string, string>, body: string): Promise<number> {
    const timeoutMs = this.options.timeoutMs ?? 10_000
    const signal = AbortSignal.timeout(timeoutMs)
    const targets = await withinTime(pinTargets(saved, this.options.allowPrivate, this.options.resolve ?? systemResolve), timeoutMs, 'webhook host lookup')
    const send = this.options.fetch ?? fetch
    let failure: unknown
    for (const target of targets) {
      try {
        const res = await send(target.url, {
          method: 'POST',
          headers: { ...headers, host: target.host },
          body,
          redirect: 'manual',
          signal,
          tls: { ...(target.serverName ? { serverName: target.serverName } : {}), ...(this.options.ca ? { ca: this.options.ca } : {}) },
        })
        // Only the status matters: the body is not read, so a receiver cannot make us hold an endless one.
        await res.body?.cancel()
        return res.status
      } catch (e) {
        if (signal.aborted) throw e
        failure = e
      }
    }
    throw failure instanceof Error ? failure : new RefusedTarget('webhook host could not be reached')
  }
}
