// Task use cases: every face (REST, htmx, MCP, agent) calls these; each change runs in one transaction.
import { and, eq, gt, inArray, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { invalid, notFound } from '../../lib/errors'
import { newId, UUID } from '../../lib/secrets'
import { listTasks, type TaskPage } from './list'
import { dueBound, parseListQuery } from './list-query'
import { dueDateIn, toTaskView, UpdateTaskInput, type CreateTask, type TaskView, type UpdateTask } from './model'
import type { Actor } from '../auth/user'
import { recordTaskChange } from './events'
import { seriesStart } from './recurrence'
import { deletedTasks, tasks, type Task, type TaskSnapshot } from './schema'
import { traced } from '../../lib/tracing'
import { reserveQuota, type QuotaDeps } from '../../lib/quotas'
import { projectOrInbox, taskProject } from '../projects/access'

/** What reading tasks needs. */
export interface TaskReadDeps {
  db: Db
  clock: () => Date
}

/** What changing them needs too: adding a task (or completing a repeating one) checks the user's quota. */
export interface TaskDeps extends TaskReadDeps, QuotaDeps {}

/** One of the actor's tasks, locked for the transaction when `lock`. Another user's task and a malformed id both read as "not found": ids reveal nothing. */
export async function ownedTask(db: Db, actor: Actor, id: string, lock = false): Promise<Task> {
  if (!UUID.test(id)) throw notFound('task')
  const query = db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, actor.id)))
  const [task] = lock ? await query.for('update') : await query
  if (!task) throw notFound('task')
  return task
}

/** The rows the task quota counts: all of the user's tasks, pending and completed. */
export const ownTasks = (userId: string): SQL => sql`select 1 from ${tasks} where ${tasks.userId} = ${userId}`

/**
 * Completing a repeating task makes its next instance (the recurrence consumer): there has to be room for
 * each one `completing` will make, or the completion is refused.
 */
async function roomForSuccessors(tx: Db, deps: TaskDeps, actor: Actor, completing: readonly Task[]): Promise<void> {
  const successors = completing.filter((t) => t.status !== 'completed' && t.recurrence && !t.successorId).length
  if (successors > 0) await reserveQuota(tx, 'tasks', actor.id, deps.quotas.tasks, ownTasks(actor.id), successors)
}

/**
 * Series bookkeeping for a task whose rule or due date is being set: a rule with no due date takes
 * its first date from the rule, and the series restarts at the (new) due date.
 */
function seriesFields(id: string, recurrence: string | null, dueDate: Date | null, seriesId: string | null, timeZone: string, now: Date) {
  if (!recurrence) return { dueDate, seriesId: null, seriesAnchor: null }
  const due = seriesStart(recurrence, dueDate, timeZone, now)
  return { dueDate: due, seriesId: seriesId ?? id, seriesAnchor: due }
}

/** The columns a create or update writes, from the fields sent (defaults are the caller's); a wall-clock due date is read in the actor's zone. */
function columnsOf(input: UpdateTask, timeZone: string) {
  const { status: _, project_id: __, ...fields } = input
  return {
    ...(fields.title !== undefined ? { title: fields.title } : {}),
    ...(fields.description !== undefined ? { description: fields.description ?? '' } : {}),
    ...(fields.priority !== undefined ? { priority: fields.priority } : {}),
    ...(fields.due_date !== undefined ? dueDateIn(fields.due_date, timeZone) : {}),
    ...(fields.recurrence !== undefined ? { recurrence: fields.recurrence } : {}),
    ...(fields.recurrence_from !== undefined ? { recurrenceFrom: fields.recurrence_from } : {}),
    ...(fields.tags !== undefined ? { tags: fields.tags ?? [] } : {}),
  }
}

/**
 * Inserts one new task and records its event, inside the caller's transaction (the quota is the caller's to reserve).
 * An import gives the id it has already keyed, and a task done elsewhere arrives completed (`completedAt`).
 */
async function insertTask(tx: Db, actor: Actor, input: CreateTask, now: Date, id = newId(), completedAt: Date | null = null): Promise<TaskView> {
  const fields = {
    description: '',
    priority: 'medium' as const,
    dueDate: null,
    allDay: false,
    recurrence: null,
    recurrenceFrom: 'due' as const,
    tags: [],
    ...columnsOf(input, actor.timezone),
    title: input.title,
    ...(completedAt ? { status: 'completed' as const, completedAt } : {}),
  }
  const series = seriesFields(id, fields.recurrence, fields.dueDate, null, actor.timezone, now)
  const projectId = await taskProject(tx, actor, input.project_id, now)
  const [task] = await tx
    .insert(tasks)
    .values({ id, userId: actor.id, projectId, ...fields, ...series, createdAt: now, updatedAt: now })
    .returning()
  await recordTaskChange(tx, now, actor.timezone, { after: task! })
  return toTaskView(task!, actor.timezone)
}

/** Creates a task for the actor from a parsed create request (model.ts `CreateTaskInput`). */
export const createTask = traced('tasks.create', async function createTask(deps: TaskDeps, actor: Actor, input: CreateTask): Promise<TaskView> {
  const now = deps.clock()
  return deps.db.transaction(async (tx) => {
    await reserveQuota(tx, 'tasks', actor.id, deps.quotas.tasks, ownTasks(actor.id))
    return insertTask(tx, actor, input, now)
  })
})

/** Creates several tasks in one transaction, all or none: the quota has to hold them all, and each records its event. */
export const createTasks = traced('tasks.create_many', async function createTasks(deps: TaskDeps, actor: Actor, inputs: readonly CreateTask[]): Promise<TaskView[]> {
  const now = deps.clock()
  return deps.db.transaction(async (tx) => {
    await reserveQuota(tx, 'tasks', actor.id, deps.quotas.tasks, ownTasks(actor.id), inputs.length, 'tasks')
    const created: TaskView[] = []
    for (const input of inputs) created.push(await insertTask(tx, actor, input, now))
    return created
  })
})

/** A task an import adds: its id chosen beforehand (the import keys it), completed when it was done at the source. */
export interface ImportedTask {
  id: string
  input: CreateTask
  completedAt: Date | null
}

/**
 * Adds imported tasks inside the caller's transaction (which also writes the import's keys): the quota has to hold
 * them all, and each records its task.created event like any new task. A task completed at the source is created
 * completed, so no next instance of its series is made.
 */
export async function addImportedTasks(tx: Db, deps: TaskDeps, actor: Actor, imported: readonly ImportedTask[]): Promise<TaskView[]> {
  if (imported.length === 0) return []
  await reserveQuota(tx, 'tasks', actor.id, deps.quotas.tasks, ownTasks(actor.id), imported.length, 'file')
  const now = deps.clock()
  const created: TaskView[] = []
  for (const task of imported) created.push(await insertTask(tx, actor, task.input, now, task.id, task.completedAt))
  return created
}

/** One task of the actor's. */
export const getTask = traced('tasks.get', async function getTask(deps: TaskReadDeps, actor: Actor, id: string): Promise<TaskView> {
  return toTaskView(await ownedTask(deps.db, actor, id), actor.timezone)
})

/** A page of the actor's tasks; `params` are list parameters as strings (see LIST_PARAMS). */
export const findTasks = traced('tasks.list', async function findTasks(deps: TaskReadDeps, actor: Actor, params: Record<string, string | undefined>): Promise<TaskPage> {
  return listTasks(deps.db, actor.id, parseListQuery(params, actor.timezone, deps.clock()))
})

/** find_tasks' parameters: a filter in its small language (filter.ts), a due range, and the list's own sort and paging. */
export interface FindParams {
  filter?: string
  project_id?: string
  due_from?: string
  due_to?: string
  sort?: string
  order?: string
  limit?: string
  cursor?: string
}

/** A page of the actor's tasks matching a filter and a due range: the list query, narrowed; open tasks unless the filter names a status. */
export const findTasksByFilter = traced('tasks.find', async function findTasksByFilter(deps: TaskReadDeps, actor: Actor, params: FindParams): Promise<TaskPage> {
  const { filter, due_from, due_to, ...listing } = params
  const zone = actor.timezone
  const query = parseListQuery(filter?.trim() ? { ...listing, filter } : { ...listing, status: 'pending' }, zone, deps.clock())
  if (due_from) query.dueFrom = dueBound('due_from', due_from, zone, false)
  if (due_to) query.dueTo = dueBound('due_to', due_to, zone, true)
  if (query.dueFrom && query.dueTo && query.dueFrom > query.dueTo) throw invalid('due_from', 'due_from must not be after due_to')
  return listTasks(deps.db, actor.id, query)
})

function statusChange(status: 'pending' | 'completed', current: Task, now: Date) {
  if (status === current.status) return {}
  return { status, completedAt: status === 'completed' ? now : null }
}

/** Partial update from a parsed request (model.ts `UpdateTaskInput`): only the fields sent change. `status` may be sent too (same as complete/reopen). */
export const updateTask = traced('tasks.update', async function updateTask(deps: TaskDeps, actor: Actor, id: string, input: UpdateTask): Promise<TaskView> {
  const { status } = input
  const fields = columnsOf(input, actor.timezone)
  if (status === undefined && input.project_id === undefined && Object.keys(fields).length === 0) {
    throw invalid('body', `nothing to update: send at least one of ${Object.keys(UpdateTaskInput.shape).join(', ')}`)
  }
  return deps.db.transaction(async (tx) => {
    const current = await ownedTask(tx, actor, id, true)
    if (status === 'completed') await roomForSuccessors(tx, deps, actor, [current])
    const now = deps.clock()
    const rescheduled = fields.recurrence !== undefined || fields.dueDate !== undefined
    const series = rescheduled
      ? seriesFields(current.id, fields.recurrence === undefined ? current.recurrence : fields.recurrence, fields.dueDate === undefined ? current.dueDate : fields.dueDate, current.seriesId, actor.timezone, now)
      : {}
    const withdrawn = status === 'pending' && current.status === 'completed' && (await withdrawSuccessor(tx, actor, current, now))
    const moved = input.project_id !== undefined && input.project_id !== current.projectId ? { projectId: await taskProject(tx, actor, input.project_id, now) } : {}
    const [task] = await tx
      .update(tasks)
      .set({ ...moved, ...fields, ...series, ...(status ? statusChange(status, current, now) : {}), ...(withdrawn ? { successorId: null } : {}), updatedAt: now })
      .where(eq(tasks.id, current.id))
      .returning()
    await recordTaskChange(tx, now, actor.timezone, { before: current, after: task! })
    return toTaskView(task!, actor.timezone)
  })
})

/** Moves a locked task to `status` (no write if it is already there). */
async function applyStatus(tx: Db, actor: Actor, current: Task, status: 'pending' | 'completed', now: Date): Promise<Task> {
  if (current.status === status) return current
  const withdrawn = status === 'pending' && (await withdrawSuccessor(tx, actor, current, now))
  const [task] = await tx
    .update(tasks)
    .set({ ...statusChange(status, current, now), ...(withdrawn ? { successorId: null } : {}), updatedAt: now })
    .where(eq(tasks.id, current.id))
    .returning()
  await recordTaskChange(tx, now, actor.timezone, { before: current, after: task! })
  return task!
}

/**
 * Reopening a repeating task's instance takes back the next instance its completion made, as long as nobody has
 * touched it (still open, never edited, not completed into a successor of its own): undoing a completion leaves the
 * series as it was. An instance someone has worked on stays, and stays the series' next one, so completing this
 * one again makes no second. Returns whether the successor went.
 */
async function withdrawSuccessor(tx: Db, actor: Actor, current: Task, now: Date): Promise<boolean> {
  if (!current.successorId) return false
  const [next] = await tx.select().from(tasks).where(and(eq(tasks.id, current.successorId), eq(tasks.userId, actor.id))).for('update')
  if (!next) return true // Deleted since: the series has no next instance to keep.
  const untouched = next.status === 'pending' && !next.successorId && next.updatedAt.getTime() === next.createdAt.getTime()
  if (!untouched) return false
  await tx.delete(tasks).where(eq(tasks.id, next.id))
  await recordTaskChange(tx, now, actor.timezone, { before: next })
  return true
}

const setStatus = traced('tasks.set_status', async function setStatus(deps: TaskDeps, actor: Actor, id: string, status: 'pending' | 'completed'): Promise<TaskView> {
  return deps.db.transaction(async (tx) => {
    // Completing a completed task (or reopening a pending one) changes nothing: safe to retry.
    const current = await ownedTask(tx, actor, id, true)
    if (status === 'completed') await roomForSuccessors(tx, deps, actor, [current])
    return toTaskView(await applyStatus(tx, actor, current, status, deps.clock()), actor.timezone)
  })
})

/** Marks the task completed (no change if it already is). */
export const completeTask = (deps: TaskDeps, actor: Actor, id: string) => setStatus(deps, actor, id, 'completed')

/** Marks the task pending again (no change if it already is). */
export const reopenTask = (deps: TaskDeps, actor: Actor, id: string) => setStatus(deps, actor, id, 'pending')

/** How long a deleted task stays in the trash, to be restored (Undo, restore_task, Activity). */
export const TRASH_DAYS = 30
export const TRASH_MS = TRASH_DAYS * 24 * 60 * 60 * 1000

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
  // Snapshots taken before all-day tasks existed have no allDay.
  allDay: s.allDay ?? false,
  dueDate: s.dueDate ? new Date(s.dueDate) : null,
  seriesAnchor: s.seriesAnchor ? new Date(s.seriesAnchor) : null,
  createdAt: new Date(s.createdAt),
  updatedAt: new Date(s.updatedAt),
  completedAt: s.completedAt ? new Date(s.completedAt) : null,
})

/** Deletes a locked task of the actor's with its event, keeping it in the trash to be restored. */
export async function removeOwned(tx: Db, actor: Actor, current: Task, now: Date): Promise<void> {
  await tx.delete(tasks).where(eq(tasks.id, current.id))
  await recordTaskChange(tx, now, actor.timezone, { before: current })
  // Kept for undo; a task deleted, restored and deleted again keeps its latest snapshot.
  await tx
    .insert(deletedTasks)
    .values({ taskId: current.id, userId: current.userId, snapshot: snapshotOf(current), deletedAt: now })
    .onConflictDoUpdate({ target: deletedTasks.taskId, set: { snapshot: snapshotOf(current), deletedAt: now } })
}

/** Deletes the task; returns what it was. It can be restored for a while (see restoreTasks). */
export const deleteTask = traced('tasks.delete', async function deleteTask(deps: TaskDeps, actor: Actor, id: string): Promise<TaskView> {
  return deps.db.transaction(async (tx) => {
    const current = await ownedTask(tx, actor, id, true)
    await removeOwned(tx, actor, current, deps.clock())
    return toTaskView(current, actor.timezone)
  })
})

function checkIds(ids: readonly string[]): string[] {
  const valid = [...new Set(ids)].filter((id) => UUID.test(id))
  if (valid.length === 0) throw invalid('ids', 'select at least one task')
  if (valid.length > BULK_MAX) throw invalid('ids', `at most ${BULK_MAX} tasks at once`)
  return valid
}

export const BULK_MAX = 100

/** The actor's tasks among `ids`, locked for this transaction; other users' ids are simply absent. */
async function lockOwnedMany(tx: Db, actor: Actor, ids: readonly string[]): Promise<Task[]> {
  return tx
    .select()
    .from(tasks)
    .where(and(inArray(tasks.id, checkIds(ids)), eq(tasks.userId, actor.id)))
    .for('update')
}

/** Completes or reopens several of the actor's tasks in one transaction; returns those that changed. */
export const setStatusMany = traced('tasks.set_status_many', async function setStatusMany(
  deps: TaskDeps,
  actor: Actor,
  ids: readonly string[],
  status: 'pending' | 'completed',
): Promise<TaskView[]> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock()
    const changed: TaskView[] = []
    const locked = await lockOwnedMany(tx, actor, ids)
    if (status === 'completed') await roomForSuccessors(tx, deps, actor, locked)
    for (const current of locked) {
      if (current.status !== status) changed.push(toTaskView(await applyStatus(tx, actor, current, status, now), actor.timezone))
    }
    return changed
  })
})

/** Why one id of a batch completion was not completed. */
export type CompleteFailure = { id: string; reason: 'not_found' | 'already_completed' }

/**
 * Completes several of the actor's tasks in one transaction and says what became of each id: completed, or
 * failed because no task of the actor's has it (another user's id included: ids reveal nothing) or it already was.
 */
export const completeTasks = traced('tasks.complete_many', async function completeTasks(
  deps: TaskDeps,
  actor: Actor,
  ids: readonly string[],
): Promise<{ completed: TaskView[]; failed: CompleteFailure[] }> {
  const wanted = [...new Set(ids)]
  const valid = wanted.filter((id) => UUID.test(id))
  return deps.db.transaction(async (tx) => {
    const now = deps.clock()
    const locked = valid.length ? await tx.select().from(tasks).where(and(inArray(tasks.id, valid), eq(tasks.userId, actor.id))).for('update') : []
    const byId = new Map(locked.map((task) => [task.id, task]))
    await roomForSuccessors(tx, deps, actor, locked)
    const completed: TaskView[] = []
    const failed: CompleteFailure[] = []
    for (const id of wanted) {
      const current = byId.get(id)
      if (!current) failed.push({ id, reason: 'not_found' })
      else if (current.status === 'completed') failed.push({ id, reason: 'already_completed' })
      else completed.push(toTaskView(await applyStatus(tx, actor, current, 'completed', now), actor.timezone))
    }
    return { completed, failed }
  })
})

/** Deletes several of the actor's tasks in one transaction; returns those deleted. */
export const deleteMany = traced('tasks.delete_many', async function deleteMany(deps: TaskDeps, actor: Actor, ids: readonly string[]): Promise<TaskView[]> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock()
    const rows = await lockOwnedMany(tx, actor, ids)
    for (const current of rows) await removeOwned(tx, actor, current, now)
    return rows.map((row) => toTaskView(row, actor.timezone))
  })
})

/** The actor's rows among `ids` in the trash, deleted recently enough to be restored. */
const trashed = (deps: Pick<TaskDeps, 'clock'>, actor: Pick<Actor, 'id'>, ids: string[]) =>
  and(inArray(deletedTasks.taskId, ids), eq(deletedTasks.userId, actor.id), gt(deletedTasks.deletedAt, new Date(deps.clock().getTime() - TRASH_MS)))

/** Which of `ids` are the actor's tasks in the trash, restorable still. */
export async function inTrash(deps: Pick<TaskDeps, 'db' | 'clock'>, actor: Pick<Actor, 'id'>, ids: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)].filter((id) => UUID.test(id))
  if (wanted.length === 0) return new Set()
  const rows = await deps.db.select({ id: deletedTasks.taskId }).from(deletedTasks).where(trashed(deps, actor, wanted))
  return new Set(rows.map((r) => r.id))
}

/** Restores tasks the actor deleted, from the trash, with their ids and fields as they were. */
export const restoreTasks = traced('tasks.restore', async function restoreTasks(deps: TaskDeps, actor: Actor, ids: readonly string[]): Promise<TaskView[]> {
  const wanted = checkIds(ids)
  return deps.db.transaction(async (tx) => {
    const trash = await tx.delete(deletedTasks).where(trashed(deps, actor, wanted)).returning()
    // Undoing a delete adds the tasks back: they need room like new ones.
    if (trash.length > 0) await reserveQuota(tx, 'tasks', actor.id, deps.quotas.tasks, ownTasks(actor.id), trash.length, 'ids')
    const restored: TaskView[] = []
    for (const row of trash) {
      const was = fromSnapshot(row.snapshot)
      // Back in its project, or in the Inbox if that has gone since (or the snapshot is older than projects).
      const projectId = await projectOrInbox(tx, actor.id, was.projectId, deps.clock())
      const [task] = await tx.insert(tasks).values({ ...was, projectId }).onConflictDoNothing().returning()
      if (!task) continue
      await recordTaskChange(tx, deps.clock(), actor.timezone, { after: task, cause: 'restore' })
      restored.push(toTaskView(task, actor.timezone))
    }
    return restored
  })
})
