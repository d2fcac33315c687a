// One-time flashes for post/redirect/get: a page puts a value for its session, redirects, and the next GET
// takes it (shows it once). Sealed with AES-256-GCM under a key derived from the session secret: the database
// holds the session's hash only, so a database reader cannot open a flash; the browser's cookie can.
import { and, eq, inArray, lt } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { hashSecret } from '../../lib/secrets'
import { sessionFlashes, sessions } from './schema'

/** How long a flash waits for the GET that shows it: a redirect follows at once, so a minute is plenty. */
export const FLASH_TTL_MS = 60_000

export type FlashKind = 'api-token'

const keyOf = (sessionSecret: string) =>
  crypto.subtle.importKey('raw', new Uint8Array(new Bun.CryptoHasher('sha256').update(`flash:${sessionSecret}`).digest()), 'AES-GCM', false, ['encrypt', 'decrypt'])

async function seal(sessionSecret: string, kind: FlashKind, value: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  // The kind is authenticated too: a flash cannot be replayed as another kind.
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(kind) }, await keyOf(sessionSecret), new TextEncoder().encode(value))
  return `${Buffer.from(iv).toString('base64url')}.${Buffer.from(data).toString('base64url')}`
}

async function open(sessionSecret: string, kind: FlashKind, sealed: string): Promise<string | undefined> {
  const [iv, data] = sealed.split('.')
  if (!iv || !data) return undefined
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(Buffer.from(iv, 'base64url')), additionalData: new TextEncoder().encode(kind) },
      await keyOf(sessionSecret),
      new Uint8Array(Buffer.from(data, 'base64url')),
    )
    return new TextDecoder().decode(plain)
  } catch {
    return undefined
  }
}

const sessionIdOf = (db: Db, sessionSecret: string) => db.select({ id: sessions.id }).from(sessions).where(eq(sessions.tokenHash, hashSecret(sessionSecret)))

/** Keeps `value` for the session's next `takeFlash(kind)`, replacing one not yet shown. */
export async function putFlash(db: Db, sessionSecret: string, kind: FlashKind, value: string, now: Date): Promise<void> {
  const [session] = await sessionIdOf(db, sessionSecret)
  if (!session) return
  const row = { sessionId: session.id, kind, sealed: await seal(sessionSecret, kind, value), expiresAt: new Date(now.getTime() + FLASH_TTL_MS) }
  await db
    .insert(sessionFlashes)
    .values(row)
    .onConflictDoUpdate({ target: [sessionFlashes.sessionId, sessionFlashes.kind], set: { sealed: row.sealed, expiresAt: row.expiresAt } })
}

/** The session's flash of `kind`, deleted as it is read (so it shows once), or undefined (none, or expired). */
export async function takeFlash(db: Db, sessionSecret: string, kind: FlashKind, now: Date): Promise<string | undefined> {
  const [row] = await db
    .delete(sessionFlashes)
    .where(and(eq(sessionFlashes.kind, kind), inArray(sessionFlashes.sessionId, sessionIdOf(db, sessionSecret))))
    .returning({ sealed: sessionFlashes.sealed, expiresAt: sessionFlashes.expiresAt })
  if (!row || !(row.expiresAt.getTime() > now.getTime())) return undefined
  return open(sessionSecret, kind, row.sealed)
}

/** Deletes flashes no GET came for (housekeeping). */
export const pruneFlashes = (db: Db, now: Date) => db.delete(sessionFlashes).where(lt(sessionFlashes.expiresAt, now))

