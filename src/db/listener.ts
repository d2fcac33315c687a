// LISTEN on PostgreSQL through one connection of its own, which can always be asked to listen again.
import postgres from 'postgres'

interface Handler {
  onNotify(payload: string): void
  onListen?(): void
}

export type Listen = (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => Promise<() => Promise<void>>

/**
 * A LISTEN connection, opened on the first listen. Unlike postgres.js's own `listen`, which keeps a failed
 * re-listen's rejected promise and so stays deaf for good after an outage longer than its connect timeout, each
 * call sends `LISTEN` again (reconnecting if the connection is gone), and a lost connection listens again on every
 * channel at once, saying so through `onListen`. A failure there is left to the caller's watch (`watchChannel`),
 * which calls `listen` again until its pings come back.
 */
export function postgresListener(open: (extra: Partial<postgres.Options<{}>>) => postgres.Sql): { listen: Listen; end(): Promise<void> } {
  const channels = new Map<string, Set<Handler>>()
  let sql: postgres.Sql | undefined
  /** A lost connection's re-listen still under way: another loss meanwhile does not queue a second. */
  let relistening = false
  /** Closed for good: a late listen (a watch retrying as the process stops) is refused, not a new connection. */
  let ended = false
  const quoted = (channel: string) => `"${channel.replaceAll('"', '""')}"`
  const listenOn = async (channel: string) => {
    await connection().unsafe(`listen ${quoted(channel)}`)
    for (const handler of channels.get(channel) ?? []) handler.onListen?.()
  }
  const connection = () =>
    (sql ??= open({
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      onclose: () => {
        if (relistening) return
        relistening = true
        void Promise.allSettled([...channels.keys()].map(listenOn)).finally(() => (relistening = false))
      },
      // Not in postgres.js's option types, but what its connections call with each NOTIFY.
      ...({ onnotify: (channel: string, payload: string) => channels.get(channel)?.forEach((h) => h.onNotify(payload)) } as object),
    }))
  return {
    async listen(channel, onNotify, onListen) {
      if (ended) throw new Error('the listener is closed')
      const handler: Handler = { onNotify }
      const set = channels.get(channel) ?? new Set()
      channels.set(channel, set.add(handler))
      const unlisten = async () => {
        set.delete(handler)
        if (set.size > 0 || channels.get(channel) !== set) return
        channels.delete(channel)
        await connection()
          .unsafe(`unlisten ${quoted(channel)}`)
          .catch(() => {})
      }
      try {
        await connection().unsafe(`listen ${quoted(channel)}`)
      } catch (error) {
        set.delete(handler)
        if (set.size === 0 && channels.get(channel) === set) channels.delete(channel)
        throw error
      }
      handler.onListen = onListen
      onListen?.()
      return unlisten
    },
    end: async () => {
      // Closing is no loss to make up for: nothing listens again.
      ended = true
      channels.clear()
      const closing = sql
      sql = undefined
      await closing?.end({ timeout: 5 })
    },
  }
}
