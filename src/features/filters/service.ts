// Saved filters: a user's named filters, kept in their order; a query is parsed when saved, so a stored one always reads.
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { uniqueOr } from '../../lib/db-errors'
import { AppError, notFound } from '../../lib/errors'
import { lockKind, reserveQuota, type QuotaDeps } from '../../lib/quotas'
import { newId, UUID } from '../../lib/secrets'
import type { Actor } from '../auth/user'
import { parseFilter } from '../tasks/filter-parse'
import { toSavedFilterView, type CreateSavedFilter, type SavedFilterView, type UpdateSavedFilter } from './model'
import { savedFilters, type SavedFilter } from './schema'

export interface SavedFilterDeps extends QuotaDeps {
  db: Db
  clock: () => Date
}

const mine = (actor: Actor) => eq(savedFilters.userId, actor.id)

/** The name is taken: a 409 naming it. */
const nameTaken = (name: string) => new AppError('conflict', `you already have a saved filter named "${name}"`, 'name')

/** Runs a write, turning the unique name's refusal into nameTaken. */
const naming = <T>(name: string | undefined, write: () => Promise<T>): Promise<T> => uniqueOr(name === undefined ? undefined : () => nameTaken(name), write)

async function ordered(db: Db, actor: Actor): Promise<SavedFilter[]> {
  return db.select().from(savedFilters).where(mine(actor)).orderBy(asc(savedFilters.position), asc(savedFilters.id))
}

/** One of the actor's saved filters; another user's id (or a malformed one) reads as not found. */
async function owned(db: Db, actor: Actor, id: string): Promise<SavedFilter> {
  if (!UUID.test(id)) throw notFound('saved filter')
  const [row] = await db.select().from(savedFilters).where(and(eq(savedFilters.id, id), mine(actor)))
  if (!row) throw notFound('saved filter')
  return row
}

/** Writes positions 1..n in the order given, where they changed. */
async function renumber(db: Db, rows: SavedFilter[]): Promise<void> {
  for (const [i, row] of rows.entries()) {
    if (row.position !== i + 1) await db.update(savedFilters).set({ position: i + 1 }).where(eq(savedFilters.id, row.id))
  }
}

/** The actor's saved filters, in their order. */
export async function listSavedFilters(deps: Pick<SavedFilterDeps, 'db'>, actor: Actor): Promise<SavedFilterView[]> {
  return (await ordered(deps.db, actor)).map(toSavedFilterView)
}

/** One of the actor's saved filters. */
export async function getSavedFilter(deps: Pick<SavedFilterDeps, 'db'>, actor: Actor, id: string): Promise<SavedFilterView> {
  return toSavedFilterView(await owned(deps.db, actor, id))
}

/** Saves a filter at the end of the actor's list; a malformed query is a 400 naming query and its column. */
export async function createSavedFilter(deps: SavedFilterDeps, actor: Actor, input: CreateSavedFilter): Promise<SavedFilterView> {
  parseFilter(input.query, 'query')
  return naming(input.name, () =>
    deps.db.transaction(async (tx) => {
      await reserveQuota(tx, 'savedFilters', actor.id, deps.quotas.savedFilters, sql`select 1 from ${savedFilters} where ${mine(actor)}`)
      const [last] = await tx.select({ n: sql<number>`coalesce(max(${savedFilters.position}), 0)`.mapWith(Number) }).from(savedFilters).where(mine(actor))
      const now = deps.clock()
      const [row] = await tx
        .insert(savedFilters)
        .values({ id: newId(), userId: actor.id, name: input.name, query: input.query, position: (last?.n ?? 0) + 1, createdAt: now, updatedAt: now })
        .returning()
      return toSavedFilterView(row!)
    }),
  )
}

/** Renames, rewrites or moves one of the actor's saved filters (only the fields sent change); under the lock adds take, so positions stay 1..n. */
export async function updateSavedFilter(deps: SavedFilterDeps, actor: Actor, id: string, input: UpdateSavedFilter): Promise<SavedFilterView> {
  if (input.query !== undefined) parseFilter(input.query, 'query')
  if (input.name === undefined && input.query === undefined && input.position === undefined) {
    throw new AppError('validation_failed', 'nothing to update: send at least one of name, query, position', 'body')
  }
  return naming(input.name, () =>
    deps.db.transaction(async (tx) => {
      await lockKind(tx, 'savedFilters', actor.id)
      const current = await owned(tx, actor, id)
      const [row] = await tx
        .update(savedFilters)
        .set({ ...(input.name !== undefined ? { name: input.name } : {}), ...(input.query !== undefined ? { query: input.query } : {}), updatedAt: deps.clock() })
        .where(eq(savedFilters.id, current.id))
        .returning()
      if (input.position === undefined) return toSavedFilterView(row!)
      const others = (await ordered(tx, actor)).filter((other) => other.id !== current.id)
      const at = Math.min(input.position, others.length + 1) - 1
      await renumber(tx, [...others.slice(0, at), row!, ...others.slice(at)])
      return toSavedFilterView({ ...row!, position: at + 1 })
    }),
  )
}

/** Deletes one of the actor's saved filters; the ones after it move up. */
export async function deleteSavedFilter(deps: Pick<SavedFilterDeps, 'db'>, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockKind(tx, 'savedFilters', actor.id)
    const current = await owned(tx, actor, id)
    await tx.delete(savedFilters).where(eq(savedFilters.id, current.id))
    await renumber(tx, await ordered(tx, actor))
  })
}
