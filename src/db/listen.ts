// A LISTEN that knows when it has gone deaf: a ping of its own goes through the channel each beat and must come back.
import { sql } from 'drizzle-orm'
import type { Database } from './client'

export interface ChannelHandlers {
  /** A NOTIFY's payload on the channel (never one of the watch's own pings). */
  onNotify(payload: string): void
  /** The LISTEN is in place: at first, after postgres.js re-established a lost one, and when pings come back after a gap. What was announced while it was not never arrived. */
  onUp(): void
  /** A ping did not come back before the next beat: notices may be missed until `onUp`. */
  onDown(): void
}

/** What a watch answers: stop it (the LISTEN ends, the beat stops). */
export interface ChannelWatch {
  stop(): Promise<void>
}

/**
 * Listens on `channel` and checks every `heartbeatMs` that notices still reach this process. postgres.js can lose
 * a LISTEN without a word (a reconnect that fails to listen again), so a ping (`p:<watch id>:<n>`, never handed
 * to `onNotify`) must come back before the next beat, or `onDown` is called until one does. Payloads that start
 * with `p:` are reserved for these pings. Throws if the LISTEN cannot be set up at all.
 */
export async function watchChannel(database: Pick<Database, 'listen' | 'db'>, channel: string, handlers: ChannelHandlers, heartbeatMs: number): Promise<ChannelWatch> {
  const id = crypto.randomUUID()
  let up = false
  let sent = 0
  let seen = 0
  const unlisten = await database.listen(
    channel,
    (payload) => {
      if (!payload.startsWith('p:')) return handlers.onNotify(payload)
      // Our own ping back: notices arrive. Another process's ping says nothing about our LISTEN.
      if (payload !== `p:${id}:${sent}`) return
      seen = sent
      if (!up) {
        up = true
        handlers.onUp()
      }
    },
    () => {
      up = true
      handlers.onUp()
    },
  )
  const beat = setInterval(async () => {
    if (sent !== seen && up) {
      up = false
      handlers.onDown()
    }
    sent += 1
    try {
      await database.db.execute(sql`select pg_notify(${channel}, ${`p:${id}:${sent}`})`)
    } catch {
      // The database is away: the next beat finds the ping missing.
    }
  }, heartbeatMs)
  beat.unref?.()
  return {
    async stop() {
      clearInterval(beat)
      await unlisten().catch(() => {})
    },
  }
}
