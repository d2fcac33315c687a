// Completing and reopening tasks: one or a batch, what becomes of open subtasks, and the next instance of a repeating task.
import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError } from '../../lib/errors'
import { UUID } from '../../lib/secrets'
import { traced } from '../../lib/tracing'
import type { Actor } from '../auth/user'
import { recordTaskChange } from './events'
import { toTaskView, type ChildrenChoice, type TaskRead } from './model'
import { tasks, type Task } from './schema'
import { countByOwner, editableTask, refuseViewed, reserveForOwners, writableBy, type TaskDeps } from './owned'
import { descendants, readOne, withProgress } from './subtasks'
import { lockOwnedMany } from './trash'

/**
 * Completing a repeating task makes its next instance (the recurrence consumer), with a copy of each of its subtasks:
 * there has to be room for all that `completing` will make in each owner's quota, or the completion is refused.
 */
export async function roomForSuccessors(tx: Db, deps: TaskDeps, completing: readonly Task[]): Promise<void> {
  const repeating = completing.filter((t) => t.status !== 'completed' && t.recurrence && !t.successorId)
  const adding = countByOwner(repeating)
  for (const [owner, n] of adding) {
    const copies = (await descendants(tx, repeating.filter((t) => t.userId === owner).map((t) => t.id))).flat().length
    adding.set(owner, n + copies)
  }
  await reserveForOwners(tx, deps, adding)
}

/** Completing a task with open subtasks needs a choice: the answer says how many and how to choose. */
export const openSubtasks = (n: number) =>
  new AppError(
    'conflict',
    `this task has ${n} open subtask${n === 1 ? '' : 's'}: send children "complete" to complete ${n === 1 ? 'it' : 'them'} too, or "keep" to leave ${n === 1 ? 'it' : 'them'} open`,
    'children',
    undefined,
    { open_subtasks: n },
  )

/**
 * The open subtasks (at any depth, locked) of those `roots` that are being completed, leaving out the roots
 * themselves: a batch that completes a parent and its children needs no choice for them.
 */
async function openBelow(tx: Db, actor: Actor, roots: readonly Task[]): Promise<Task[]> {
  const completing = roots.filter((t) => t.status === 'pending')
  if (completing.length === 0) return []
  const ids = new Set(roots.map((t) => t.id))
  return (await descendants(tx, completing.map((t) => t.id), true)).flat().filter((t) => t.status === 'pending' && !ids.has(t.id))
}

/**
 * What completing `roots` completes: the roots, and their open subtasks too when `children` is "complete". With open
 * subtasks and no choice, the completion is refused (409 naming children), so a client can offer the choice.
 */
export async function completionOf(tx: Db, actor: Actor, roots: readonly Task[], children?: ChildrenChoice): Promise<Task[]> {
  if (children === 'keep') return [...roots]
  const open = await openBelow(tx, actor, roots)
  if (open.length > 0 && !children) throw openSubtasks(open.length)
  return [...roots, ...open]
}

export function statusChange(status: 'pending' | 'completed', current: Task, now: Date) {
  if (status === current.status) return {}
  return { status, completedAt: status === 'completed' ? now : null }
}

/** Moves a locked task to `status` (no write if it is already there). */
async function applyStatus(tx: Db, actor: Actor, current: Task, status: 'pending' | 'completed', now: Date): Promise<Task> {
  if (current.status === status) return current
  const withdrawn = status === 'pending' && (await withdrawSuccessor(tx, actor, current, now))
  const [task] = await tx
    .update(tasks)
    .set({ ...statusChange(status, current, now), ...(withdrawn ? { successorId: null } : {}), updatedAt: now })
    .where(eq(tasks.id, current.id))
    .returning()
  await recordTaskChange(tx, now, actor, { before: current, after: task! })
  return task!
}

/** Completes locked tasks (the open subtasks `completionOf` chose) in the caller's transaction; returns them completed. */
export async function completeAll(tx: Db, actor: Actor, list: readonly Task[], now: Date): Promise<Task[]> {
  const completed: Task[] = []
  for (const task of list) completed.push(await applyStatus(tx, actor, task, 'completed', now))
  return completed
}

/**
 * Reopening a repeating task's instance takes back the next instance its completion made (with the copies of its
 * subtasks), as long as nobody has touched any of it (still open, never edited, no subtask added, not completed into
 * a successor of its own): undoing a completion leaves the series as it was. An instance someone has worked on stays,
 * and stays the series' next one, so completing this one again makes no second. Returns whether the successor went.
 */
export async function withdrawSuccessor(tx: Db, actor: Actor, current: Task, now: Date): Promise<boolean> {
  if (!current.successorId) return false
  const [next] = await tx.select().from(tasks).where(and(eq(tasks.id, current.successorId), eq(tasks.userId, current.userId))).for('update')
  if (!next) return true // Deleted since: the series has no next instance to keep.
  const subtree = [next, ...(await descendants(tx, [next.id], true)).flat()]
  const made = next.createdAt.getTime()
  const untouched = subtree.every((t) => t.status === 'pending' && !t.successorId && t.updatedAt.getTime() === made && t.createdAt.getTime() === made)
  if (!untouched) return false
  await tx.delete(tasks).where(inArray(tasks.id, subtree.map((t) => t.id)))
  for (const gone of subtree) await recordTaskChange(tx, now, actor, { before: gone })
  return true
}

const setStatus = traced('tasks.set_status', async function setStatus(
  deps: TaskDeps,
  actor: Actor,
  id: string,
  status: 'pending' | 'completed',
  children?: ChildrenChoice,
): Promise<TaskRead & { completed_subtasks: string[] }> {
  return deps.db.transaction(async (tx) => {
    // Completing a completed task (or reopening a pending one) changes nothing: safe to retry.
    const current = await editableTask(tx, actor, id, true)
    const now = deps.clock()
    let below: Task[] = []
    if (status === 'completed') {
      const open = (await completionOf(tx, actor, [current], children)).slice(1)
      await roomForSuccessors(tx, deps, [current, ...open])
      below = await completeAll(tx, actor, open, now)
    }
    const task = await readOne(tx, toTaskView(await applyStatus(tx, actor, current, status, now), actor.timezone))
    return { ...task, completed_subtasks: below.map((t) => t.id) }
  })
})

/**
 * Marks the task completed (no change if it already is). If it has open subtasks, `children` says whether to complete
 * them too ("complete") or leave them open ("keep"); without it the completion is refused with their count.
 */
export async function completeTask(deps: TaskDeps, actor: Actor, id: string, children?: ChildrenChoice): Promise<TaskRead> {
  const { completed_subtasks: _, ...task } = await setStatus(deps, actor, id, 'completed', children)
  return task
}

/** Completes the task as completeTask does, and says which of its open subtasks it completed too (for an undo). */
export const completeWithSubtasks = (deps: TaskDeps, actor: Actor, id: string, children?: ChildrenChoice) => setStatus(deps, actor, id, 'completed', children)

/** Marks the task pending again (no change if it already is); its subtasks stay as they are. */
export async function reopenTask(deps: TaskDeps, actor: Actor, id: string): Promise<TaskRead> {
  const { completed_subtasks: _, ...task } = await setStatus(deps, actor, id, 'pending')
  return task
}

/**
 * Completes or reopens several of the actor's tasks in one transaction; returns those that changed, the open subtasks
 * a completion completed too (`children` "complete") included, so an undo can reopen them all. Open subtasks as completeTask.
 */
export const setStatusMany = traced('tasks.set_status_many', async function setStatusMany(
  deps: TaskDeps,
  actor: Actor,
  ids: readonly string[],
  status: 'pending' | 'completed',
  children?: ChildrenChoice,
): Promise<TaskRead[]> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock()
    const locked = await lockOwnedMany(tx, actor, ids)
    const changing = locked.filter((t) => t.status !== status)
    let below: Task[] = []
    if (status === 'completed') {
      const open = (await completionOf(tx, actor, locked, children)).slice(locked.length)
      await roomForSuccessors(tx, deps, [...locked, ...open])
      below = await completeAll(tx, actor, open, now)
    }
    const changed: Task[] = []
    for (const current of changing) changed.push(await applyStatus(tx, actor, current, status, now))
    return withProgress(tx, [...changed, ...below].map((task) => toTaskView(task, actor.timezone)))
  })
})

/** Why one id of a batch completion was not completed. */
export type CompleteFailure = { id: string; reason: 'not_found' | 'already_completed' | 'open_subtasks' }

/**
 * Completes several tasks the actor may change in one transaction and says what became of each id: completed, or
 * failed because no such task has it (one they cannot see included: ids reveal nothing), it already was, or it has open
 * subtasks (outside the batch) and `children` makes no choice for them. Ids naming a task they only view refuse the
 * whole batch with a 403 naming `field`.
 */
export const completeTasks = traced('tasks.complete_many', async function completeTasks(
  deps: TaskDeps,
  actor: Actor,
  ids: readonly string[],
  children?: ChildrenChoice,
  field: string = 'ids',
): Promise<{ completed: TaskRead[]; failed: CompleteFailure[] }> {
  const wanted = [...new Set(ids)]
  const valid = wanted.filter((id) => UUID.test(id))
  return deps.db.transaction(async (tx) => {
    const now = deps.clock()
    await refuseViewed(tx, actor, valid, field)
    const locked = valid.length ? await tx.select().from(tasks).where(and(inArray(tasks.id, valid), writableBy(actor.id))).for('update') : []
    const byId = new Map(locked.map((task) => [task.id, task]))
    const blocked = new Set<string>()
    const below: Task[] = []
    for (const task of locked) {
      const open = children === 'keep' ? [] : await openBelow(tx, actor, [task])
      const outside = open.filter((t) => !byId.has(t.id))
      if (outside.length > 0 && !children) blocked.add(task.id)
      else below.push(...outside)
    }
    const extra = [...new Map(below.map((t) => [t.id, t])).values()]
    await roomForSuccessors(tx, deps, [...locked.filter((t) => !blocked.has(t.id)), ...extra])
    const alsoCompleted = await completeAll(tx, actor, extra, now)
    const completed: Task[] = []
    const failed: CompleteFailure[] = []
    for (const id of wanted) {
      const current = byId.get(id)
      if (!current) failed.push({ id, reason: 'not_found' })
      else if (current.status === 'completed') failed.push({ id, reason: 'already_completed' })
      else if (blocked.has(id)) failed.push({ id, reason: 'open_subtasks' })
      else completed.push(await applyStatus(tx, actor, current, 'completed', now))
    }
    // The open subtasks completed with their parents are completed by this call too: listed after the ids asked for.
    return { completed: await withProgress(tx, [...completed, ...alsoCompleted].map((task) => toTaskView(task, actor.timezone))), failed }
  })
})

/**
 * What completing the actor's tasks `ids` would ask about: those of them still open (another user's id, or an unknown
 * one, is simply not there; one the actor only views is a 403), and their open subtasks at any depth (parents before
 * their children) that the ids do not name themselves.
 */
export async function completionOffer(deps: TaskDeps, actor: Actor, ids: readonly string[]): Promise<{ tasks: Task[]; open: Task[] }> {
  const valid = [...new Set(ids.filter((id) => UUID.test(id)))]
  if (valid.length === 0) return { tasks: [], open: [] }
  await refuseViewed(deps.db, actor, valid)
  const named = new Set(valid)
  const roots = await deps.db
    .select()
    .from(tasks)
    .where(and(inArray(tasks.id, valid), writableBy(actor.id), eq(tasks.status, 'pending')))
  const below = (await descendants(deps.db, roots.map((t) => t.id))).flat()
  return { tasks: roots, open: below.filter((t) => t.status === 'pending' && !named.has(t.id)) }
}
