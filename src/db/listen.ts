// A LISTEN that knows when it has gone deaf, and listens again until it hears: a ping of its own goes through the
// channel each beat and must come back.
import { sql } from 'drizzle-orm'
import type { Database } from './client'

export interface ChannelHandlers {
  /** A NOTIFY's payload on the channel (never one of the watch's own pings). */
  onNotify(payload: string): void
  /**
   * The LISTEN is in place: at first, each time a lost one is re-established, and when pings come back after a gap.
   * What was announced while it was not never arrived.
   */
  onUp(): void
  /** Pings stopped coming back: notices may be missed until `onUp`. */
  onDown(): void
}

/** What a watch answers: stop it (the LISTEN ends, the beat stops). */
export interface ChannelWatch {
  stop(): Promise<void>
}

/** Beats in a row without a ping back before the watch says it is down and listens again (one slow ping is not a gap). */
export const MISSED_BEATS = 2
/** The longest wait between two attempts to listen again. */
export const RELISTEN_MAX_MS = 30_000

/**
 * Listens on `channel` and checks every `heartbeatMs` that notices still reach this process. A LISTEN can be lost
 * without a word (a reconnect that fails to listen again), so a ping (`p:<watch id>:<n>`, never handed to
 * `onNotify`) goes out each beat; when none has come back for `MISSED_BEATS` beats, `onDown` is called and the watch
 * drops its LISTEN and listens again, backing off to `RELISTEN_MAX_MS`, until a ping comes back (`onUp`). A first
 * LISTEN that fails is retried the same way: the watch never gives up, and resolves once it has tried once.
 * Payloads that start with `p:` are reserved for these pings.
 */
export async function watchChannel(database: Pick<Database, 'listen' | 'db'>, channel: string, handlers: ChannelHandlers, heartbeatMs: number): Promise<ChannelWatch> {
  const id = crypto.randomUUID()
  const prefix = `p:${id}:`
  const maxBackoff = Math.max(1, Math.round(RELISTEN_MAX_MS / heartbeatMs))
  let up = false
  /** Down because pings stopped coming back: a LISTEN said to be in place is believed once a ping comes back. */
  let deaf = false
  let stopped = false
  let sent = 0
  let seen = 0
  let seenAtBeat = 0
  let missed = 0
  let beats = 0
  let retryAt = 0
  let backoff = 1
  let unlisten: (() => Promise<void>) | undefined
  let attaching = false

  const goUp = () => {
    up = true
    deaf = false
    handlers.onUp()
  }
  const ping = async () => {
    sent += 1
    try {
      await database.db.execute(sql`select pg_notify(${channel}, ${prefix + sent})`)
    } catch {
      // The database is away: the next beat finds the ping missing.
    }
  }
  const onPayload = (payload: string) => {
    if (!payload.startsWith('p:')) return handlers.onNotify(payload)
    // Our own ping back: notices arrive. Another process's ping says nothing about our LISTEN.
    if (!payload.startsWith(prefix)) return
    seen = Math.max(seen, Number(payload.slice(prefix.length)) || 0)
    backoff = 1
    if (!up && !stopped) goUp()
  }
  // In place (again): a ping lost in the gap is not a missed beat. After a deaf spell, a ping must confirm it.
  const onListen = () => {
    if (stopped) return
    seen = sent
    seenAtBeat = seen
    missed = 0
    if (deaf) void ping()
    else goUp()
  }
  const attach = async () => {
    if (attaching || stopped) return
    attaching = true
    try {
      const done = await database.listen(channel, onPayload, onListen)
      if (stopped) await done().catch(() => {})
      else unlisten = done
    } catch {
      retryAt = beats + backoff
      backoff = Math.min(backoff * 2, maxBackoff)
    } finally {
      attaching = false
    }
  }
  const relisten = async () => {
    const old = unlisten
    unlisten = undefined
    retryAt = beats + backoff
    backoff = Math.min(backoff * 2, maxBackoff)
    await old?.().catch(() => {})
    await attach()
  }

  const beat = setInterval(() => {
    beats += 1
    if (!unlisten) {
      if (beats >= retryAt) void attach()
      return
    }
    // A ping came back since the last beat (even a late one), or the last one is back: notices arrive.
    missed = seen === sent || seen > seenAtBeat ? 0 : missed + 1
    seenAtBeat = seen
    if (missed >= MISSED_BEATS) {
      if (up) {
        up = false
        deaf = true
        handlers.onDown()
      }
      if (beats >= retryAt) {
        void relisten()
        return
      }
    }
    void ping()
  }, heartbeatMs)
  beat.unref?.()
  await attach()
  return {
    async stop() {
      stopped = true
      clearInterval(beat)
      await unlisten?.().catch(() => {})
      unlisten = undefined
    },
  }
}
