// Resolved bearers (session and API tokens) kept in memory for a few seconds; every replica evicts on a NOTIFY at revoke.
import { sql } from 'drizzle-orm'
import type { Database, Db } from '../../db/client'
import { watchChannel } from '../../db/listen'
import type { Logger } from '../../lib/log'
import type { AuthUser } from './user'

/** The channel revocations are announced on; PostgreSQL delivers the NOTIFY only when the revoking transaction commits. */
export const TOKEN_REVOKED_CHANNEL = 'auth_revoked'

/** Entries kept at most; past it the least recently used go first. */
export const TOKEN_CACHE_MAX = 10_000

/** How often each process checks that revocation notices still reach it (a ping through the same channel, `src/db/listen.ts`). */
export const HEARTBEAT_MS = 5_000

/** What ends: one credential (a session's or an API token's row id), or everything a user holds (their account changed). */
export type Revoked = { credentialId: string } | { userId: string }

const payloadOf = (revoked: Revoked) => ('credentialId' in revoked ? `c:${revoked.credentialId}` : `u:${revoked.userId}`)

/** Announces a revocation to every replica, in the caller's transaction: it goes out when (and only if) the change commits. */
export async function announceRevoked(tx: Db, revoked: Revoked): Promise<void> {
  await tx.execute(sql`select pg_notify(${TOKEN_REVOKED_CHANNEL}, ${payloadOf(revoked)})`)
}

export interface CachedBearer {
  user: AuthUser
  /** When a session ends (checked on every hit); null for an API token. */
  expiresAt: Date | null
  /** An API token's last recorded use, so that cached hits write it at most once a minute. */
  lastUsedAt: Date | null
}

interface Entry extends CachedBearer {
  /** performance.now() past which the entry is not served. */
  freshUntil: number
}

/**
 * Resolved bearers keyed by the token's hash (never the token), for `ttlMs`. Entries are kept only while this process
 * listens for revocations: until the LISTEN is up, and after it is lost and re-established, the cache is empty.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>()
  private listening = false
  /** Bumped on every eviction: a lookup that started before one must not store what it read. */
  private generation = 0
  /** Settles once `listen` has tried (caching is on only if it succeeded). */
  ready: Promise<void> = Promise.resolve()
  constructor(
    private readonly ttlMs: number,
    private readonly max = TOKEN_CACHE_MAX,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  /** Listens for revocations on `database`; caching starts once the LISTEN is in place (which `watchChannel` retries until it is). */
  async listen(database: Pick<Database, 'listen' | 'db'>, log?: Logger): Promise<void> {
    if (this.ttlMs <= 0) return
    try {
      // Up once the LISTEN is in place, and again after a lost one is back (watchChannel): what was announced in
      // between never reached us, so nothing cached before may be trusted. Down while our pings do not come back.
      await watchChannel(
        database,
        TOKEN_REVOKED_CHANNEL,
        {
          onNotify: (payload) => this.onRevoked(payload),
          onUp: () => {
            this.clear()
            this.listening = true
          },
          onDown: () => {
            this.listening = false
            this.clear()
            log?.warn('token cache off until revocation notices arrive again')
          },
        },
        this.heartbeatMs,
      )
    } catch (error) {
      this.listening = false
      this.clear()
      log?.warn('token cache off: cannot listen for revocations', { error: error as Error })
    }
  }

  /** The stamp a lookup takes before it reads the database, to hand back to `set`. */
  stamp(): number {
    return this.generation
  }

  /** The cached bearer for `tokenHash`, if fresh. */
  get(tokenHash: string): CachedBearer | undefined {
    const entry = this.entries.get(tokenHash)
    if (!entry) return undefined
    if (!this.listening || entry.freshUntil <= performance.now()) {
      this.entries.delete(tokenHash)
      return undefined
    }
    // Most recently used last: the map's order is the eviction order.
    this.entries.delete(tokenHash)
    this.entries.set(tokenHash, entry)
    return entry
  }

  /** Keeps what a lookup read, unless something was revoked since it started (`stamp`). */
  set(tokenHash: string, bearer: CachedBearer, stamp: number): void {
    if (!this.listening || this.ttlMs <= 0 || stamp !== this.generation) return
    this.entries.delete(tokenHash)
    this.entries.set(tokenHash, { ...bearer, freshUntil: performance.now() + this.ttlMs })
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!)
  }

  /** Drops the entries a revocation names, in this process. */
  evict(revoked: Revoked): void {
    this.generation += 1
    for (const [hash, entry] of this.entries) {
      if ('credentialId' in revoked ? entry.user.credentialId === revoked.credentialId : entry.user.id === revoked.userId) this.entries.delete(hash)
    }
  }

  /** Drops everything. */
  clear(): void {
    this.generation += 1
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }

  private onRevoked(payload: string): void {
    if (payload.startsWith('c:')) this.evict({ credentialId: payload.slice(2) })
    else if (payload.startsWith('u:')) this.evict({ userId: payload.slice(2) })
    // Unknown: be safe.
    else this.clear()
  }
}

const caches = new WeakMap<Database, TokenCache>()

/** The process's token cache for `deps.database`, listening from its first use (one per database handle). */
export function tokenCacheOf(deps: { database: Database; env: { authCacheTtlSeconds: number }; log?: Logger }): TokenCache {
  let cache = caches.get(deps.database)
  if (!cache) {
    caches.set(deps.database, (cache = new TokenCache(deps.env.authCacheTtlSeconds * 1000)))
    cache.ready = cache.listen(deps.database, deps.log)
  }
  return cache
}
