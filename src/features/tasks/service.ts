// Task use cases: every face (REST, htmx, MCP, agent) calls these; each change runs in one transaction.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { invalid } from '../../lib/errors'
import { newId } from '../../lib/secrets'
import { completeAll, completionOf, roomForSuccessors, statusChange, withdrawSuccessor } from './status'
import { moveSubtree, placeMoved, placeNew, type NewPlace } from './placement'
import { descendants, lockAncestors, NO_SUBTASKS, readOne, sameParent } from './subtasks'
import { listTasks, type TaskPage } from './list'
import { dueBound, parseListQuery } from './list-query'
import { dueDateIn, toTaskView, UpdateTaskInput, type CreateTask, type TaskRead, type UpdateTask } from './model'
import type { Actor } from '../auth/user'
import { recordTaskChange } from './events'
import { seriesStart } from './recurrence'
import { tasks } from './schema'
import { countByOwner, editableTask, ownTasks, reserveForOwners, taskScope, visibleTask, type TaskDeps, type TaskReadDeps } from './owned'
import { traced } from '../../lib/tracing'
import { reserveQuota } from '../../lib/quotas'

export { editableTask, inScope, ownTasks, refuseViewed, taskScope, visibleTask, visibleTo, writableBy, type TaskDeps, type TaskReadDeps, type TaskScope } from './owned'

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
  const { status: _, children: _c, parent_id: _p, project_id: _j, ...fields } = input
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

/** The places of new tasks, checked, and room for them in each owner's quota (a shared project's tasks are its owner's). */
async function placeAll(tx: Db, deps: TaskDeps, actor: Actor, inputs: readonly CreateTask[], now: Date, field?: string): Promise<NewPlace[]> {
  const places: NewPlace[] = []
  for (const input of inputs) places.push(await placeNew(tx, actor, input, now))
  const perOwner = countByOwner(places)
  await reserveForOwners(tx, deps, perOwner, perOwner.size === 1 && inputs.length === 1 ? undefined : field)
  return places
}

/**
 * Inserts one new task at its checked place and records its event, inside the caller's transaction. An import gives
 * the id it has already keyed, and a task done elsewhere arrives completed (`completedAt`).
 */
async function insertTask(tx: Db, actor: Actor, input: CreateTask, place: NewPlace, now: Date, id = newId(), completedAt: Date | null = null): Promise<TaskRead> {
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
  const [task] = await tx
    .insert(tasks)
    .values({ id, ...place, ...fields, ...series, createdAt: now, updatedAt: now })
    .returning()
  await recordTaskChange(tx, now, actor, { after: task! })
  return { ...toTaskView(task!, actor.timezone), subtasks: NO_SUBTASKS }
}

/** Creates a task for the actor from a parsed create request (model.ts `CreateTaskInput`), in their project or one they edit. */
export const createTask = traced('tasks.create', async function createTask(deps: TaskDeps, actor: Actor, input: CreateTask): Promise<TaskRead> {
  const now = deps.clock()
  return deps.db.transaction(async (tx) => {
    const [place] = await placeAll(tx, deps, actor, [input], now)
    return insertTask(tx, actor, input, place!, now)
  })
})

/** Creates several tasks in one transaction, all or none: each owner's quota has to hold them all, and each records its event. */
export const createTasks = traced('tasks.create_many', async function createTasks(deps: TaskDeps, actor: Actor, inputs: readonly CreateTask[]): Promise<TaskRead[]> {
  const now = deps.clock()
  return deps.db.transaction(async (tx) => {
    const places = await placeAll(tx, deps, actor, inputs, now, 'tasks')
    const created: TaskRead[] = []
    for (const [i, input] of inputs.entries()) created.push(await insertTask(tx, actor, input, places[i]!, now))
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
export async function addImportedTasks(tx: Db, deps: TaskDeps, actor: Actor, imported: readonly ImportedTask[]): Promise<TaskRead[]> {
  if (imported.length === 0) return []
  const now = deps.clock()
  const places = await placeAll(tx, deps, actor, imported.map((task) => task.input), now, 'file')
  const created: TaskRead[] = []
  for (const [i, task] of imported.entries()) created.push(await insertTask(tx, actor, task.input, places[i]!, now, task.id, task.completedAt))
  return created
}

/** One task of the actor's. */
export const getTask = traced('tasks.get', async function getTask(deps: TaskReadDeps, actor: Actor, id: string): Promise<TaskRead> {
  return readOne(deps.db, toTaskView(await visibleTask(deps.db, actor, id), actor.timezone))
})

/** A page of the actor's tasks; `params` are list parameters as strings (see LIST_PARAMS). */
export const findTasks = traced('tasks.list', async function findTasks(deps: TaskReadDeps, actor: Actor, params: Record<string, string | undefined>): Promise<TaskPage> {
  return listTasks(deps.db, await taskScope(deps.db, actor.id), parseListQuery(params, actor.timezone, deps.clock()))
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
  return listTasks(deps.db, await taskScope(deps.db, actor.id), query)
})

/**
 * Partial update from a parsed request (model.ts `UpdateTaskInput`): only the fields sent change. `status` may be
 * sent too (same as complete/reopen, `children` as for completeTask); `parent_id` and `project_id` move the task with
 * its subtasks (placement.ts).
 */
export const updateTask = traced('tasks.update', async function updateTask(deps: TaskDeps, actor: Actor, id: string, input: UpdateTask): Promise<TaskRead> {
  const { status, children, parent_id, project_id } = input
  const fields = columnsOf(input, actor.timezone)
  if (status === undefined && parent_id === undefined && project_id === undefined && Object.keys(fields).length === 0) {
    throw invalid('body', `nothing to update: send at least one of ${Object.keys(UpdateTaskInput.shape).filter((k) => k !== 'children').join(', ')}`)
  }
  if (children !== undefined && status !== 'completed') throw invalid('children', 'children goes with status completed')
  return deps.db.transaction(async (tx) => {
    const moving = parent_id !== undefined || project_id !== undefined
    const seen = moving ? await lockAncestors(tx, actor, id) : null
    const current = await editableTask(tx, actor, id, true)
    if (moving) sameParent(current, seen)
    const now = deps.clock()
    const placed = await placeMoved(tx, actor, current, input, now)
    // A move into a project of another owner makes the task and its subtasks theirs: they need room in that quota.
    if (placed.userId) {
      const moved = 1 + (await descendants(tx, [current.id])).flat().length
      await reserveQuota(tx, 'tasks', placed.userId, deps.quotas.tasks, ownTasks(placed.userId), moved, 'project_id')
    }
    if (status === 'completed' && current.status !== 'completed') {
      const [, ...below] = await completionOf(tx, actor, [current], children)
      await roomForSuccessors(tx, deps, [current, ...below])
      await completeAll(tx, actor, below, now)
    }
    const rescheduled = fields.recurrence !== undefined || fields.dueDate !== undefined
    const series = rescheduled
      ? seriesFields(current.id, fields.recurrence === undefined ? current.recurrence : fields.recurrence, fields.dueDate === undefined ? current.dueDate : fields.dueDate, current.seriesId, actor.timezone, now)
      : {}
    const withdrawn = status === 'pending' && current.status === 'completed' && (await withdrawSuccessor(tx, actor, current, now))
    const [task] = await tx
      .update(tasks)
      .set({ ...fields, ...series, ...placed, ...(status ? statusChange(status, current, now) : {}), ...(withdrawn ? { successorId: null } : {}), updatedAt: now })
      .where(eq(tasks.id, current.id))
      .returning()
    await recordTaskChange(tx, now, actor, { before: current, after: task! })
    if (placed.projectId) await moveSubtree(tx, actor, task!, now)
    return readOne(tx, toTaskView(task!, actor.timezone))
  })
})

export { completeTask, completeTasks, completeWithSubtasks, completionOffer, reopenTask, setStatusMany, type CompleteFailure } from './status'
export { BULK_MAX, deleteMany, deleteTask, inTrash, restoreTasks, TRASH_DAYS, TRASH_MS } from './trash'
