// Idempotency-Key handling: the first result of a mutating request is stored with its effect and replayed on retry.
import { and, eq, lt } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError, invalid } from '../../lib/errors'
import { isUniqueViolation } from '../../lib/db-errors'
import { idempotencyKeys } from './schema'

/** How long a key is remembered. */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000
const KEY = /^[\x21-\x7e]{1,255}$/

export interface Outcome<T> {
  status: number
  body: T
}

async function stored(db: Db, userId: string, key: string, requestHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
  if (!row) return undefined
  if (row.createdAt.getTime() < now.getTime() - KEY_TTL_MS) {
    await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
    return undefined
  }
  if (row.requestHash !== requestHash) {
    throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request', 'Idempotency-Key')
  }
  // JSON has no `undefined`: a stored empty body (204) comes back as null, and goes out empty again.
  return { status: row.statusCode, body: row.response ?? undefined }
}

/**
 * Runs `run` once per (user, key). The key row is written in the same transaction as the effect,
 * so a retry (even a concurrent one) gets the first outcome back instead of a second effect.
 * Without a key, `run` simply runs.
 */
export async function idempotent<T>(
  deps: { db: Db; clock: () => Date },
  userId: string,
  key: string | undefined | null,
  requestHash: string,
  run: (db: Db) => Promise<Outcome<T>>,
): Promise<Outcome<T> & { replayed: boolean }> {
  if (key === undefined || key === null) return { ...(await run(deps.db)), replayed: false }
  if (!KEY.test(key)) throw invalid('Idempotency-Key', 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is ideal)')
  const now = deps.clock()
  const previous = await stored(deps.db, userId, key, requestHash, now)
  if (previous) return { ...(previous as Outcome<T>), replayed: true }
  try {
    const outcome = await deps.db.transaction(async (tx) => {
      const result = await run(tx)
      await tx.insert(idempotencyKeys).values({
        userId,
        key,
        requestHash,
        statusCode: result.status,
        response: result.body ?? null,
        createdAt: now,
      })
      return result
    })
    return { ...outcome, replayed: false }
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    // A concurrent request with the same key committed first: answer with its outcome.
    const winner = await stored(deps.db, userId, key, requestHash, now)
    if (!winner) throw error
    return { ...(winner as Outcome<T>), replayed: true }
  }
}

/** Forgets keys older than the TTL. */
export async function pruneIdempotencyKeys(db: Db, now: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - KEY_TTL_MS)))
}
