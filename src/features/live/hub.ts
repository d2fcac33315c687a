// Live updates, the receiving side: this replica's open event streams, told what changed through one LISTEN (docs/architecture.md, "Live updates").
import type { Database } from '../../db/client'
import { watchChannel, type ChannelWatch } from '../../db/listen'
import type { Logger } from '../../lib/log'
import type { LiveObserver } from '../../lib/metrics'
import { TOKEN_REVOKED_CHANNEL } from '../auth/token-cache'
import { LIVE_CHANNEL, LIVE_KINDS, parseChange, type LiveKind } from '../../events/live-notice'

export interface LiveLimits {
  /** Open streams one user may hold on this replica (tabs); past it, 429. */
  perUser: number
  /** Open streams on this replica; past it, 503. */
  max: number
  /** The least time between two events on one stream: changes in between are coalesced into the next. */
  minGapMs: number
  /** How often an idle stream gets a comment line, so proxies keep it and a dead peer is found. */
  heartbeatMs: number
  /** How often the LISTENs check that notices still arrive (`watchChannel`). */
  listenBeatMs: number
  /** After a gap in the notices, the time over which the open streams' refresh-everything events are spread. */
  refreshSpreadMs: number
}

export const LIVE_LIMITS: LiveLimits = { perUser: 10, max: 2_000, minGapMs: 200, heartbeatMs: 25_000, listenBeatMs: 5_000, refreshSpreadMs: 3_000 }

/** One open stream. Its state is bounded: the kinds still to send (at most three) and when it last sent. */
interface Stream {
  /** Named to the page in the first event; its requests send it back (`LIVE_STREAM_HEADER`). */
  id: string
  userId: string
  credentialId: string
  pending: Set<LiveKind>
  lastSent: number
  /** After a gap, the refresh-everything event waits until then (a moment picked at random per stream). */
  heldUntil: number
  timer: ReturnType<typeof setTimeout> | undefined
  controller: ReadableStreamDefaultController<Uint8Array>
  /** The heartbeat found it not reading; a second time in a row closes it. */
  stalled: boolean
  closed: boolean
}

export type Opened = { stream: ReadableStream<Uint8Array> } | { refused: 'user' | 'replica' | 'down' }

const encoder = new TextEncoder()

/**
 * The streams open on this replica, by user. A notice `<kind>:<user>` marks that user's streams; each stream sends
 * one `change` event naming the kinds that changed, at most every `minGapMs`, and never queues more than a couple
 * of chunks for a client that is not reading (what it misses stays a flag and goes in the next event).
 */
export class LiveHub {
  private readonly byUser = new Map<string, Set<Stream>>()
  private count = 0
  private listening = false
  private draining = false
  private watches: ChannelWatch[] = []
  private heartbeat: ReturnType<typeof setInterval> | undefined
  /** Settles once `listen` has tried. */
  ready: Promise<void> = Promise.resolve()

  constructor(
    readonly limits: LiveLimits = LIVE_LIMITS,
    private readonly observer?: LiveObserver,
  ) {}

  /**
   * Listens for changes (and for revocations, which close a credential's or a user's streams). The LISTENs retry by
   * themselves (`watchChannel`): live is on while both hear, and each time it goes off the open streams are closed,
   * so their pages know they may be stale and reconnect (refused until it is back, then refreshed in full).
   */
  async listen(database: Pick<Database, 'listen' | 'db'>, log?: Logger): Promise<void> {
    const hears = { live: false, revocations: false }
    let paused = false
    const heard = (which: keyof typeof hears, now: boolean) => {
      const was = this.listening
      hears[which] = now
      this.listening = hears.live && hears.revocations
      if (was && !this.listening) {
        paused = true
        log?.warn('live updates paused until change notices arrive again; open streams closed', { channel: which })
        this.closeWhere(() => true)
      }
      if (paused && this.listening) {
        paused = false
        log?.info('live updates resumed')
      }
      // In place, or back after a gap (a reconnect, pings lost): what changed meanwhile was not heard.
      if (now && which === 'live') this.refreshEveryone()
    }
    const watch = (channel: string, which: keyof typeof hears, onNotify: (payload: string) => void) =>
      watchChannel(database, channel, { onNotify, onUp: () => heard(which, true), onDown: () => heard(which, false) }, this.limits.listenBeatMs)
    // Both at once: while the database is away, each first try takes up to its connect timeout.
    const watches = await Promise.allSettled([
      watch(LIVE_CHANNEL, 'live', (payload) => {
        const change = parseChange(payload)
        if (change) this.mark(change.userId, [change.kind], change.origin)
      }),
      watch(TOKEN_REVOKED_CHANNEL, 'revocations', (payload) => {
        if (payload.startsWith('c:')) this.closeWhere((s) => s.credentialId === payload.slice(2))
        else if (payload.startsWith('u:')) this.closeWhere((s) => s.userId === payload.slice(2))
      }),
    ])
    for (const w of watches) if (w.status === 'fulfilled') this.watches.push(w.value)
    const failed = watches.find((w) => w.status === 'rejected')
    if (failed) {
      // Not a failed LISTEN (a watch retries those): nothing half set up keeps running.
      this.listening = false
      await this.stopWatches()
      log?.warn('live updates off: cannot watch for changes', { error: failed.reason as Error })
      return
    }
    if (this.draining) return this.stopWatches()
    this.heartbeat = setInterval(() => this.beat(), this.limits.heartbeatMs)
    this.heartbeat.unref?.()
  }

  /** Opens a stream for `user`, closed when `signal` aborts; or says why not. */
  open(user: { id: string; credentialId: string }, signal: AbortSignal): Opened {
    const refused = !this.listening || this.draining ? 'down' : this.size(user.id) >= this.limits.perUser ? 'user' : this.count >= this.limits.max ? 'replica' : undefined
    if (refused) {
      this.observer?.refused(refused)
      return { refused }
    }
    let stream!: Stream
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          stream = { id: crypto.randomUUID(), userId: user.id, credentialId: user.credentialId, pending: new Set(), lastSent: 0, heldUntil: 0, timer: undefined, controller, stalled: false, closed: false }
          const set = this.byUser.get(user.id) ?? new Set()
          set.add(stream)
          this.byUser.set(user.id, set)
          this.count += 1
          this.observer?.streams(1)
          // The reconnection delay EventSource uses after a lost stream, and the stream's name for the page.
          controller.enqueue(encoder.encode(`retry: 1000\nevent: hello\ndata: ${stream.id}\n\n`))
        },
        // The client read what was queued: a change held back for it goes now.
        pull: () => this.flush(stream),
        cancel: () => this.remove(stream),
      },
      { highWaterMark: 2 },
    )
    signal.addEventListener('abort', () => this.close(stream), { once: true })
    return { stream: body }
  }

  /** Marks `userId`'s streams (but the one named `origin`, whose page made the change): each sends the kinds in its next event. */
  mark(userId: string, kinds: readonly LiveKind[], origin?: string): void {
    for (const stream of this.byUser.get(userId) ?? []) {
      if (stream.id === origin) continue
      for (const kind of kinds) stream.pending.add(kind)
      if (!stream.timer) this.flush(stream)
    }
  }

  /** Open streams on this replica (all users, or one). */
  size(userId?: string): number {
    return userId === undefined ? this.count : (this.byUser.get(userId)?.size ?? 0)
  }

  /** Refuses new streams and closes the open ones (shutdown: a stream would hold the server's drain). */
  async stop(): Promise<void> {
    this.draining = true
    clearInterval(this.heartbeat)
    this.closeWhere(() => true)
    await this.stopWatches()
  }

  private async stopWatches(): Promise<void> {
    const watches = this.watches
    this.watches = []
    await Promise.all(watches.map((w) => w.stop()))
  }

  /** Every open stream sends every kind once, each at a random moment within `refreshSpreadMs`, so pages do not all refetch at once. */
  private refreshEveryone(): void {
    for (const set of this.byUser.values()) {
      for (const stream of set) {
        for (const kind of LIVE_KINDS) stream.pending.add(kind)
        stream.heldUntil = performance.now() + Math.random() * this.limits.refreshSpreadMs
        clearTimeout(stream.timer)
        this.flush(stream)
      }
    }
  }

  /** Sends the pending kinds if the gap since the last event has passed and the client is reading; else waits for that. */
  private flush(stream: Stream): void {
    if (!stream || stream.closed) return
    stream.timer = undefined
    if (stream.pending.size === 0) return
    const wait = Math.max(stream.lastSent + this.limits.minGapMs, stream.heldUntil) - performance.now()
    if (wait > 0) {
      stream.timer = setTimeout(() => this.flush(stream), wait)
      return
    }
    // Not reading: the flags stay set, and `pull` sends them when it reads again.
    if ((stream.controller.desiredSize ?? 0) <= 0) return
    const kinds = [...stream.pending].join(' ')
    stream.pending.clear()
    stream.lastSent = performance.now()
    this.write(stream, `event: change\ndata: ${kinds}\n\n`)
    this.observer?.sent()
  }

  private beat(): void {
    for (const set of this.byUser.values()) {
      for (const stream of set) {
        if ((stream.controller.desiredSize ?? 0) > 0) {
          stream.stalled = false
          this.write(stream, ': keep-alive\n\n')
        } else if (stream.stalled) this.close(stream)
        else stream.stalled = true
      }
    }
  }

  private write(stream: Stream, text: string): void {
    try {
      stream.controller.enqueue(encoder.encode(text))
    } catch {
      this.remove(stream)
    }
  }

  private closeWhere(which: (stream: Stream) => boolean): void {
    for (const set of [...this.byUser.values()]) for (const stream of [...set]) if (which(stream)) this.close(stream)
  }

  private close(stream: Stream): void {
    if (!stream || stream.closed) return
    this.remove(stream)
    try {
      stream.controller.close()
    } catch {
      // Already closed by the other side.
    }
  }

  private remove(stream: Stream): void {
    if (!stream || stream.closed) return
    stream.closed = true
    clearTimeout(stream.timer)
    const set = this.byUser.get(stream.userId)
    set?.delete(stream)
    if (set && set.size === 0) this.byUser.delete(stream.userId)
    this.count -= 1
    this.observer?.streams(-1)
  }
}

const hubs = new WeakMap<Database, LiveHub>()

/** The replica's live hub for `deps.database`, listening from its first use (one per database handle). */
export function liveHubOf(deps: { database: Database; log?: Logger; metrics?: { live: LiveObserver } }): LiveHub {
  let hub = hubs.get(deps.database)
  if (!hub) {
    hubs.set(deps.database, (hub = new LiveHub(LIVE_LIMITS, deps.metrics?.live)))
    hub.ready = hub.listen(deps.database, deps.log)
  }
  return hub
}

/** Stops the replica's hub for `database`, if a page ever opened one (shutdown). */
export async function stopLive(database: Database): Promise<void> {
  await hubs.get(database)?.stop()
}
