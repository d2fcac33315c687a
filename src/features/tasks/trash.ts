// Deleting tasks into the trash and restoring them: a task goes with its whole subtree, and comes back with it.
import { and, eq, gt, inArray, ne, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { invalid } from '../../lib/errors'
import { UUID } from '../../lib/secrets'
import { traced } from '../../lib/tracing'
import type { Actor } from '../auth/user'
import { recordTaskChange } from './events'
import { SUBTASK_LEVELS, toTaskView, type TaskRead } from './model'
import { deletedTasks, tasks, type Task, type TaskSnapshot } from './schema'
import { memberOf, projectOrInbox, writerIn } from '../projects/access'
import type { MemberRole } from '../projects/schema'
import { countByOwner, editableTask, refuseViewed, reserveForOwners, writableBy, type TaskDeps } from './owned'
import { checkParent, descendants, NO_SUBTASKS, withProgress } from './subtasks'

/** How long a deleted task stays in the trash, to be restored (Undo, restore_task, Activity). */
export const TRASH_DAYS = 30
export const TRASH_MS = TRASH_DAYS * 24 * 60 * 60 * 1000
export const BULK_MAX = 100

const snapshotOf = (t: Task): TaskSnapshot => ({
  ...t,
  dueDate: t.dueDate?.toISOString() ?? null,
  seriesAnchor: t.seriesAnchor?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
  completedAt: t.completedAt?.toISOString() ?? null,
})

const fromSnapshot = (s: TaskSnapshot): Task => ({
  ...s,
  // Snapshots taken before all-day tasks (or subtasks) existed have no allDay (or parentId).
  allDay: s.allDay ?? false,
  parentId: s.parentId ?? null,
  dueDate: s.dueDate ? new Date(s.dueDate) : null,
  seriesAnchor: s.seriesAnchor ? new Date(s.seriesAnchor) : null,
  createdAt: new Date(s.createdAt),
  updatedAt: new Date(s.updatedAt),
  completedAt: s.completedAt ? new Date(s.completedAt) : null,
})

/**
 * Deletes locked tasks and all their subtasks in one statement (the parent link is checked when it ends, so the order
 * is free), each with its task.deleted event and its copy in the trash. Returns every task deleted.
 */
export async function removeWithSubtrees(tx: Db, actor: Actor, roots: readonly Task[], now: Date): Promise<Task[]> {
  const below = (await descendants(tx, roots.map((t) => t.id), true)).flat()
  const all = [...new Map([...roots, ...below].map((t) => [t.id, t])).values()]
  if (all.length === 0) return []
  await tx.delete(tasks).where(inArray(tasks.id, all.map((t) => t.id)))
  for (const current of all) {
    await recordTaskChange(tx, now, actor, { before: current })
    // Kept for undo; a task deleted, restored and deleted again keeps its latest snapshot.
    await tx
      .insert(deletedTasks)
      .values({ taskId: current.id, userId: current.userId, snapshot: snapshotOf(current), deletedAt: now })
      .onConflictDoUpdate({ target: deletedTasks.taskId, set: { snapshot: snapshotOf(current), deletedAt: now } })
  }
  return all
}

/** Deletes the task with its subtasks; returns what it was. They can be restored together for a while (see restoreTasks). */
export const deleteTask = traced('tasks.delete', async function deleteTask(deps: TaskDeps, actor: Actor, id: string): Promise<TaskRead> {
  return deps.db.transaction(async (tx) => {
    const current = await editableTask(tx, actor, id, true)
    const removed = await removeWithSubtrees(tx, actor, [current], deps.clock())
    const children = removed.filter((t) => t.parentId === current.id)
    const done = children.filter((t) => t.status === 'completed').length
    return { ...toTaskView(current, actor.timezone), subtasks: children.length ? { total: children.length, done } : NO_SUBTASKS }
  })
})

export function checkIds(ids: readonly string[]): string[] {
  const valid = [...new Set(ids)].filter((id) => UUID.test(id))
  if (valid.length === 0) throw invalid('ids', 'select at least one task')
  if (valid.length > BULK_MAX) throw invalid('ids', `at most ${BULK_MAX} tasks at once`)
  return valid
}

/** The tasks among `ids` the actor may change, locked for this transaction: ids they cannot see are simply absent, one they only view refuses the batch (403). */
export async function lockOwnedMany(tx: Db, actor: Actor, ids: readonly string[]): Promise<Task[]> {
  const wanted = checkIds(ids)
  await refuseViewed(tx, actor, wanted)
  return tx
    .select()
    .from(tasks)
    .where(and(inArray(tasks.id, wanted), writableBy(actor.id)))
    .for('update')
}

/** Deletes several of the actor's tasks, with their subtasks, in one transaction; returns those chosen that were deleted. */
export const deleteMany = traced('tasks.delete_many', async function deleteMany(deps: TaskDeps, actor: Actor, ids: readonly string[]): Promise<TaskRead[]> {
  return deps.db.transaction(async (tx) => {
    const rows = await lockOwnedMany(tx, actor, ids)
    const views = await withProgress(tx, rows.map((row) => toTaskView(row, actor.timezone)))
    await removeWithSubtrees(tx, actor, rows, deps.clock())
    return views
  })
})

/**
 * The rows in the trash the actor may restore, deleted recently enough, and matching `which`: their own tasks, and
 * those of the projects they edit now (a member's undo of a delete in a shared project).
 */
const trashed = (deps: Pick<TaskDeps, 'clock'>, actor: Pick<Actor, 'id'>, which: SQL) =>
  and(which, or(eq(deletedTasks.userId, actor.id), inShared(actor, 'editor')), restorable(deps))

const trashedProject = sql<string>`(${deletedTasks.snapshot}->>'projectId')::uuid`
const inShared = (actor: Pick<Actor, 'id'>, role: MemberRole) => sql`${trashedProject} in ${memberOf(actor.id, role)}`
const restorable = (deps: Pick<TaskDeps, 'clock'>) => gt(deletedTasks.deletedAt, new Date(deps.clock().getTime() - TRASH_MS))

/** Restoring ids that name a deleted task of a project the actor views is refused as a whole, like changing one (a 403 naming `field`). */
async function refuseViewedTrash(tx: Db, deps: Pick<TaskDeps, 'clock'>, actor: Pick<Actor, 'id'>, ids: string[], field: string): Promise<void> {
  const [viewed] = await tx
    .select({ id: trashedProject, userId: deletedTasks.userId })
    .from(deletedTasks)
    .where(and(inArray(deletedTasks.taskId, ids), ne(deletedTasks.userId, actor.id), inShared(actor, 'viewer'), restorable(deps)))
    .limit(1)
  if (viewed) await writerIn(tx, actor.id, viewed, field)
}

/** Which of `ids` are the actor's tasks in the trash, restorable still. */
export async function inTrash(deps: Pick<TaskDeps, 'db' | 'clock'>, actor: Pick<Actor, 'id'>, ids: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)].filter((id) => UUID.test(id))
  if (wanted.length === 0) return new Set()
  const rows = await deps.db.select({ id: deletedTasks.taskId }).from(deletedTasks).where(trashed(deps, actor, inArray(deletedTasks.taskId, wanted)))
  return new Set(rows.map((r) => r.id))
}

type TrashRow = typeof deletedTasks.$inferSelect

/** Takes `ids` out of the trash with the subtasks deleted together with them (the same deletion, so the same moment). */
async function takeFromTrash(tx: Db, deps: TaskDeps, actor: Actor, ids: string[]): Promise<TrashRow[]> {
  const taken = await tx.delete(deletedTasks).where(trashed(deps, actor, inArray(deletedTasks.taskId, ids))).returning()
  for (let level = taken; level.length > 0; ) {
    const childOf = level.map((row) => and(sql`${deletedTasks.snapshot}->>'parentId' = ${row.taskId}`, eq(deletedTasks.deletedAt, row.deletedAt))!)
    level = await tx.delete(deletedTasks).where(trashed(deps, actor, or(...childOf)!)).returning()
    taken.push(...level)
  }
  return taken
}

/**
 * Where restored tasks go back to. A subtask restored with its parent stays under it, in its project. One restored
 * without it goes back under its parent if that is still there with room below it, in the parent's project; else to
 * the top level. A top-level task goes back to its project, or the Inbox if that has gone since (or the snapshot is
 * older than projects). The rows come back parents first.
 */
async function placeRestored(tx: Db, actor: Actor, rows: Task[], now: Date): Promise<Task[]> {
  const byId = new Map(rows.map((row) => [row.id, row]))
  const levelsOf = (row: Task, depth = 1): number =>
    depth > SUBTASK_LEVELS ? depth : Math.max(depth, ...rows.filter((r) => r.parentId === row.id).map((r) => levelsOf(r, depth + 1)))
  const roots = rows.filter((row) => !row.parentId || !byId.has(row.parentId))
  for (const row of roots) {
    const parent = row.parentId ? await checkParent(tx, actor, row.parentId, row, levelsOf(row)).catch(() => null) : null
    row.parentId = parent?.id ?? null
    const place = parent ? { projectId: parent.projectId, ownerId: parent.userId } : await projectOrInbox(tx, actor, row.projectId, now)
    row.projectId = place.projectId
    row.userId = place.ownerId
  }
  const placed: Task[] = [...roots]
  for (let i = 0; i < placed.length; i++) {
    for (const child of rows.filter((row) => row.parentId === placed[i]!.id)) placed.push({ ...child, projectId: placed[i]!.projectId, userId: placed[i]!.userId })
  }
  return placed
}

/**
 * Restores tasks the actor deleted, from the trash, with their ids and fields as they were, and the subtasks deleted
 * with them. A task whose parent is gone meanwhile (or has no room left below it) comes back at the top level.
 */
export const restoreTasks = traced('tasks.restore', async function restoreTasks(deps: TaskDeps, actor: Actor, ids: readonly string[], field: string = 'ids'): Promise<TaskRead[]> {
  const wanted = checkIds(ids)
  return deps.db.transaction(async (tx) => {
    await refuseViewedTrash(tx, deps, actor, wanted, field)
    const trash = await takeFromTrash(tx, deps, actor, wanted)
    const rows = await placeRestored(tx, actor, trash.map((row) => fromSnapshot(row.snapshot)), deps.clock())
    // Undoing a delete adds the tasks back: they need room in their owner's quota like new ones.
    await reserveForOwners(tx, deps, countByOwner(rows), field)
    const inserted = rows.length ? await tx.insert(tasks).values(rows).onConflictDoNothing().returning() : []
    for (const task of inserted) await recordTaskChange(tx, deps.clock(), actor, { after: task, cause: 'restore' })
    const asked = new Set(wanted)
    return withProgress(tx, inserted.filter((task) => asked.has(task.id)).map((task) => toTaskView(task, actor.timezone)))
  })
})
