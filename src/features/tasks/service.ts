// Task use cases: every face (REST, htmx, MCP, agent) calls these; each change runs in one transaction.
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { notFound } from '../../lib/errors'
import { newId } from '../../lib/secrets'
import { listTasks, parseListQuery, type TaskPage } from './list'
import { parseCreateTask, parseUpdateTask, toTaskView, type TaskView } from './model'
import { tasks, type Task } from './schema'

export interface TaskDeps {
  db: Db
  clock: () => Date
}

/** Who is acting: every query is scoped to this user; their zone reads wall-clock input. */
export interface Actor {
  id: string
  timezone: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Another user's task and a malformed id both read as "not found": ids reveal nothing. */
async function findOwned(db: Db, actor: Actor, id: string, lock = false): Promise<Task> {
  if (!UUID.test(id)) throw notFound('task')
  const query = db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, actor.id)))
  const [task] = lock ? await query.for('update') : await query
  if (!task) throw notFound('task')
  return task
}

/** Creates a task for the actor from unvalidated input. */
export async function createTask(deps: TaskDeps, actor: Actor, input: unknown): Promise<TaskView> {
  const fields = parseCreateTask(input, actor.timezone)
  const now = deps.clock()
  const [task] = await deps.db.transaction(async (tx) =>
    tx
      .insert(tasks)
      .values({ id: newId(), userId: actor.id, ...fields, createdAt: now, updatedAt: now })
      .returning(),
  )
  return toTaskView(task!)
}

/** One task of the actor's. */
export async function getTask(deps: TaskDeps, actor: Actor, id: string): Promise<TaskView> {
  return toTaskView(await findOwned(deps.db, actor, id))
}

/** A page of the actor's tasks; `params` are list parameters as strings (see LIST_PARAMS). */
export async function findTasks(deps: TaskDeps, actor: Actor, params: Record<string, string | undefined>): Promise<TaskPage> {
  return listTasks(deps.db, actor.id, parseListQuery(params, actor.timezone))
}

function statusChange(status: 'pending' | 'completed', current: Task, now: Date) {
  if (status === current.status) return {}
  return { status, completedAt: status === 'completed' ? now : null }
}

/** Partial update: only the fields sent change. `status` may be sent too (same as complete/reopen). */
export async function updateTask(deps: TaskDeps, actor: Actor, id: string, input: unknown): Promise<TaskView> {
  const { status, ...fields } = parseUpdateTask(input, actor.timezone)
  return deps.db.transaction(async (tx) => {
    const current = await findOwned(tx, actor, id, true)
    const now = deps.clock()
    const [task] = await tx
      .update(tasks)
      .set({ ...fields, ...(status ? statusChange(status, current, now) : {}), updatedAt: now })
      .where(eq(tasks.id, current.id))
      .returning()
    return toTaskView(task!)
  })
}

async function setStatus(deps: TaskDeps, actor: Actor, id: string, status: 'pending' | 'completed'): Promise<TaskView> {
  return deps.db.transaction(async (tx) => {
    const current = await findOwned(tx, actor, id, true)
    // Completing a completed task (or reopening a pending one) changes nothing: safe to retry.
    if (current.status === status) return toTaskView(current)
    const now = deps.clock()
    const [task] = await tx
      .update(tasks)
      .set({ ...statusChange(status, current, now), updatedAt: now })
      .where(eq(tasks.id, current.id))
      .returning()
    return toTaskView(task!)
  })
}

/** Marks the task completed (no change if it already is). */
export const completeTask = (deps: TaskDeps, actor: Actor, id: string) => setStatus(deps, actor, id, 'completed')

/** Marks the task pending again (no change if it already is). */
export const reopenTask = (deps: TaskDeps, actor: Actor, id: string) => setStatus(deps, actor, id, 'pending')

/** Deletes the task; returns what it was. */
export async function deleteTask(deps: TaskDeps, actor: Actor, id: string): Promise<TaskView> {
  return deps.db.transaction(async (tx) => {
    const current = await findOwned(tx, actor, id, true)
    await tx.delete(tasks).where(eq(tasks.id, current.id))
    return toTaskView(current)
  })
}
