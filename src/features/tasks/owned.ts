// What every task use case stands on: the deps they take, a task the actor may see or change, and the rows the task
// quota counts. Apart from service.ts so that the use cases it gathers (status.ts, trash.ts) can use them without a circle.
import { and, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { notFound } from '../../lib/errors'
import { reserveQuota, type QuotaDeps } from '../../lib/quotas'
import { UUID } from '../../lib/secrets'
import type { Actor } from '../auth/user'
import { memberOf, membershipsOf, writerIn } from '../projects/access'
import type { MemberRole } from '../projects/schema'
import { tasks, type Task } from './schema'

/** What reading tasks needs. */
export interface TaskReadDeps {
  db: Db
  clock: () => Date
}

/** What changing them needs too: adding a task (or completing a repeating one) checks the quota of the task's owner. */
export interface TaskDeps extends TaskReadDeps, QuotaDeps {}

const sharedWith = (userId: string, only?: MemberRole): SQL => sql`${tasks.projectId} in ${memberOf(userId, only)}`

/** The tasks a user may see: their own, and those of the projects shared with them (for lookups by id; lists use `TaskScope`). */
export const visibleTo = (userId: string): SQL => or(eq(tasks.userId, userId), sharedWith(userId))!

/** The tasks a user may change: their own, and those of the projects they edit. */
export const writableBy = (userId: string): SQL => or(eq(tasks.userId, userId), sharedWith(userId, 'editor'))!

/**
 * The tasks a list shows a user, found first (one small query) so that a user nobody shares with reads by the
 * user-led indexes as before: `shared` names the projects shared with them, if any.
 */
export interface TaskScope {
  userId: string
  shared: string[]
}

/** The actor's scope, read in the caller's transaction (a removal that committed is seen). */
export async function taskScope(db: Db, userId: string): Promise<TaskScope> {
  return { userId, shared: (await membershipsOf(db, userId)).map((m) => m.projectId) }
}

/** A scope's condition on tasks. */
export const inScope = (scope: TaskScope): SQL =>
  scope.shared.length === 0 ? eq(tasks.userId, scope.userId) : or(eq(tasks.userId, scope.userId), sql`${tasks.projectId} in ${scope.shared}`)!

/** A task the actor may see, by id, locked in `lock` mode when given. Another user's task that is not shared with them, and a malformed id, read as "not found": ids reveal nothing. */
export async function visibleTask(db: Db, actor: Pick<Actor, 'id'>, id: string, lock?: 'share' | 'update'): Promise<Task> {
  if (!UUID.test(id)) throw notFound('task')
  const query = db.select().from(tasks).where(and(eq(tasks.id, id), visibleTo(actor.id)))
  const [task] = lock ? await query.for(lock) : await query
  if (!task) throw notFound('task')
  return task
}

/**
 * A task the actor may change, locked for the transaction when `lock`: theirs, or in a project they edit. One they
 * only view is a 403 saying so; one they cannot see is not found. A member's membership is locked for share, so
 * removing them waits for this change and a removal that committed first is seen.
 */
export async function editableTask(db: Db, actor: Pick<Actor, 'id'>, id: string, lock = false): Promise<Task> {
  if (!UUID.test(id)) throw notFound('task')
  const query = db.select().from(tasks).where(and(eq(tasks.id, id), visibleTo(actor.id)))
  const [task] = lock ? await query.for('update') : await query
  if (!task) throw notFound('task')
  if (task.userId === actor.id) return task
  if (!(await writerIn(db, actor.id, { id: task.projectId, userId: task.userId }, 'id'))) throw notFound('task')
  return task
}

/**
 * A batch of task ids that names a task the actor only views (its project is shared with them as a viewer) is refused
 * as a whole, with the 403 one such task gets, naming `field`: nothing of the batch changes. Ids they cannot see at
 * all stay unknown ids. The viewer's membership is locked for share, as for one task's write.
 */
export async function refuseViewed(db: Db, actor: Pick<Actor, 'id'>, ids: readonly string[], field = 'ids'): Promise<void> {
  const valid = ids.filter((id) => UUID.test(id))
  if (valid.length === 0) return
  const [viewed] = await db
    .select({ id: tasks.projectId, userId: tasks.userId })
    .from(tasks)
    .where(and(inArray(tasks.id, valid), ne(tasks.userId, actor.id), sharedWith(actor.id, 'viewer')))
    .limit(1)
  if (viewed) await writerIn(db, actor.id, viewed, field)
}

/** The rows the task quota counts: all of the user's tasks, pending and completed (a shared project's count on its owner). */
export const ownTasks = (userId: string): SQL => sql`select 1 from ${tasks} where ${tasks.userId} = ${userId}`

/**
 * Reserves room in each owner's task quota for the tasks about to be added (owner → how many; a shared project's count
 * on its owner), owners in one fixed order so that two writers never take each other's quota rows in reverse.
 */
export async function reserveForOwners(tx: Db, deps: QuotaDeps, adding: ReadonlyMap<string, number>, field?: string): Promise<void> {
  for (const [owner, n] of [...adding].sort(([a], [b]) => a.localeCompare(b))) {
    await reserveQuota(tx, 'tasks', owner, deps.quotas.tasks, ownTasks(owner), n, field)
  }
}

/** How many of `rows` each owner has. */
export function countByOwner(rows: readonly { userId: string }[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const row of rows) counts.set(row.userId, (counts.get(row.userId) ?? 0) + 1)
  return counts
}
