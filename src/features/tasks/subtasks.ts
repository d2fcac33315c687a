// Subtasks: where a task may hang (the parent's chain, the depth limit, no cycles), a task's subtree, and its subtasks' progress.
import { and, count, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError, invalid } from '../../lib/errors'
import { UUID } from '../../lib/secrets'
import type { Actor } from '../auth/user'
import { writerIn } from '../projects/access'
import { visibleTo } from './owned'
import { SUBTASK_LEVELS, type SubtaskProgress, type TaskRead, type TaskView } from './model'
import { tasks, type Task } from './schema'

export const NO_SUBTASKS: SubtaskProgress = { total: 0, done: 0 }

/** The parent a request names is unknown, or one the actor cannot see: ids reveal nothing, so both read as not found. */
const parentNotFound = () => new AppError('not_found', 'parent task not found', 'parent_id')

/** One of the user's tasks by id (`userId` is the tree's owner), locked against changes (a move, a delete) until the transaction ends when `lock`. */
async function userTask(tx: Db, userId: string, id: string, lock: boolean): Promise<Task | undefined> {
  const query = tx.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
  const [task] = lock ? await query.for('share') : await query
  return task
}

/**
 * The chain from `parentId` up to its top-level task, locked for share from the top down: completing and deleting lock
 * a task, then its subtasks, so locking upwards could deadlock with them. A chain that changed between the read and
 * the locks (a move committed meanwhile) is refused as a conflict to retry.
 */
async function lockedChain(tx: Db, userId: string, parentId: string): Promise<Task[]> {
  const read: Task[] = []
  for (let up: string | null = parentId; up && read.length <= SUBTASK_LEVELS; ) {
    const task = await userTask(tx, userId, up, false)
    if (!task) break
    read.push(task)
    up = task.parentId
  }
  const locked: Task[] = []
  for (const task of [...read].reverse()) {
    const held = await userTask(tx, userId, task.id, true)
    if (!held || held.parentId !== task.parentId) throw new AppError('conflict', 'the parent task moved meanwhile: try again', 'parent_id')
    locked.unshift(held)
  }
  return locked
}

/**
 * Locks the ancestors of task `id` (for share, from the top down) before the task itself is locked: a move locks its
 * task's tree in the order completing and deleting lock it. Returns the parent it saw, for `sameParent`.
 */
export async function lockAncestors(tx: Db, actor: Actor, id: string): Promise<string | null> {
  const [task] = UUID.test(id) ? await tx.select({ parentId: tasks.parentId, userId: tasks.userId }).from(tasks).where(and(eq(tasks.id, id), visibleTo(actor.id))) : []
  if (task?.parentId) await lockedChain(tx, task.userId, task.parentId)
  return task?.parentId ?? null
}

/** Refuses a move whose task changed parent between `lockAncestors` and its own lock: the locks then guard the wrong chain. */
export function sameParent(current: Task, seen: string | null): void {
  if (current.parentId !== seen) throw new AppError('conflict', 'the task moved meanwhile: try again', 'parent_id')
}

/**
 * The descendants of `rootIds` level by level (children, then grandchildren), locked for update when `lock`. A
 * subtask is always in its parent's project (placement.ts), so the caller's check of the roots covers them. The
 * depth limit bounds the walk, so even a damaged chain cannot make it loop.
 */
export async function descendants(tx: Db, rootIds: readonly string[], lock = false): Promise<Task[][]> {
  const levels: Task[][] = []
  let ids = [...rootIds]
  for (let level = 1; level < SUBTASK_LEVELS && ids.length > 0; level++) {
    const query = tx.select().from(tasks).where(inArray(tasks.parentId, ids))
    const rows = lock ? await query.for('update') : await query
    if (rows.length === 0) break
    levels.push(rows)
    ids = rows.map((row) => row.id)
  }
  return levels
}

/**
 * Checks `parentId` as the parent of `moving` (absent for a new task) and returns it: a task the actor may change (a
 * viewer's is a 403, one they cannot see not found), not the task itself nor one of its subtasks, and with room below it for the task and its own subtree within
 * SUBTASK_LEVELS (`movingLevels`, when the subtree is not in the table). The parent's chain stays locked (for share),
 * so a concurrent move or delete cannot undo the check.
 */
export async function checkParent(tx: Db, actor: Actor, parentId: string, moving?: Task, movingLevels?: number): Promise<Task> {
  if (!UUID.test(parentId)) throw parentNotFound()
  const [seen] = await tx.select({ userId: tasks.userId, projectId: tasks.projectId }).from(tasks).where(and(eq(tasks.id, parentId), visibleTo(actor.id)))
  if (!seen) throw parentNotFound()
  const chain = await lockedChain(tx, seen.userId, parentId)
  const parent = chain[0]
  if (!parent) throw parentNotFound()
  if (!(await writerIn(tx, actor.id, { id: parent.projectId, userId: parent.userId }, 'parent_id'))) throw parentNotFound()
  if (moving && chain.some((task) => task.id === moving.id)) {
    throw invalid('parent_id', 'a task cannot become a subtask of itself or of one of its own subtasks')
  }
  const levelsOfMoving = movingLevels ?? (moving ? 1 + (await descendants(tx, [moving.id])).length : 1)
  if (chain.length + levelsOfMoving > SUBTASK_LEVELS) {
    throw invalid(
      'parent_id',
      `subtasks nest at most ${SUBTASK_LEVELS} levels deep (a task, its subtask and a sub-subtask); under this parent the task${levelsOfMoving > 1 ? ' and its subtasks' : ''} would reach level ${chain.length + levelsOfMoving}`,
    )
  }
  return parent
}

/** Whether one of the task's ancestors is a completed repeating task: that one's next instance carries a copy of this task. */
export async function underCompletedSeries(tx: Db, task: Task): Promise<boolean> {
  let up = task.parentId
  for (let level = 1; up && level < SUBTASK_LEVELS; level++) {
    const [ancestor] = await tx.select().from(tasks).where(and(eq(tasks.id, up), eq(tasks.userId, task.userId)))
    if (!ancestor) return false
    if (ancestor.recurrence && ancestor.status === 'completed') return true
    up = ancestor.parentId
  }
  return false
}

/** The progress of each task's direct subtasks, for every id of `ids`, in one grouped query. */
export async function progressOf(db: Db, ids: readonly string[]): Promise<Map<string, SubtaskProgress>> {
  const byParent = new Map<string, SubtaskProgress>()
  if (ids.length === 0) return byParent
  const rows = await db
    .select({ parentId: tasks.parentId, total: count(), done: sql<number>`count(*) filter (where ${tasks.status} = 'completed')`.mapWith(Number) })
    .from(tasks)
    .where(inArray(tasks.parentId, [...ids]))
    .groupBy(tasks.parentId)
  for (const row of rows) byParent.set(row.parentId!, { total: row.total, done: row.done })
  return byParent
}

/** Task views with their subtasks' progress, read in one query. */
export async function withProgress(db: Db, views: readonly TaskView[]): Promise<TaskRead[]> {
  const progress = await progressOf(db, views.map((view) => view.id))
  return views.map((view) => ({ ...view, subtasks: progress.get(view.id) ?? NO_SUBTASKS }))
}

/** One task view with its subtasks' progress. */
export const readOne = async (db: Db, view: TaskView): Promise<TaskRead> => (await withProgress(db, [view]))[0]!
