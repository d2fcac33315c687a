// Task tools: add (one or a batch), list (search, filter, sort, page), find (a filter language), get, update, complete (one or a batch), reopen, delete, restore.
import { z } from 'zod'
import { FILTER_HELP, FILTER_MAX } from '../../features/tasks/filter'
import { completeTasks, completeWithSubtasks, createTask, createTasks, deleteTask, findTasks, findTasksByFilter, getTask, reopenTask, restoreTasks, updateTask } from '../../features/tasks/service'
import { notFound } from '../../lib/errors'
import { UUID } from '../../lib/secrets'
import { ORDERS, SEARCH_MAX, SORTS } from '../../features/tasks/list-query'
import { ChildrenChoiceField, PRIORITIES, STATUSES, SUBTASK_LEVELS, TAGS_MAX, TaskPageSchema, TaskReadSchema, Title, TITLE_MAX } from '../../features/tasks/model'
import { pagingArgs } from '../../lib/paging'
import { taskFields, taskShape } from '../schemas'
import { defineTool, READ_ONLY, WRITES } from '../tool'
import { projectArg, withProjectId } from './projects'

const childrenChoice = ChildrenChoiceField.optional().describe('Only for a task with open subtasks: "complete" completes them too, "keep" leaves them open')

const taskId = { task_id: z.string().describe('The id of one of the user\'s tasks (from add_task or list_tasks)') }

export const addTask = defineTool({
  name: 'add_task',
  title: 'Add a task',
  description:
    `Creates a task for the user. Only title is required. Give due_date as an ISO 8601 date-time; without an offset it is read in the user's time zone (the system prompt says which). For a task due on a day with no time, give the day alone (2026-12-05): the task is all-day (all_day true, due_day 2026-12-05). To add a subtask, give parent_id, the id of the task it belongs to (at most ${SUBTASK_LEVELS} levels in all). Returns the created task with its id.`,
  input: { title: Title, ...taskFields, ...projectArg('The project to put it in; default the Inbox (a subtask goes in its parent\'s)') },
  output: taskShape,
  annotations: WRITES,
  run: async (ctx, args) => createTask(ctx, ctx.user, await withProjectId(ctx, args)),
})

/** Sort, order and paging as the list tools take them; `first` is the sort when none is given. */
const listing = (first: (typeof SORTS)[number]) => ({
  sort: z.enum(SORTS).optional().describe(`Default ${first}`),
  order: z.enum(ORDERS).optional().describe('Defaults: created_at desc, due_date asc (no due date last), priority desc (high first), title asc'),
  ...pagingArgs,
})

/** The list service reads parameters as a query string's: the limit as text. */
const limitParam = (limit: number | undefined) => (limit !== undefined ? { limit: String(limit) } : {})

/** Most tasks one add_tasks or complete_tasks call takes. */
export const BATCH_TASKS_MAX = 25

export const addTasks = defineTool({
  name: 'add_tasks',
  title: 'Add several tasks',
  description:
    `Creates 1 to ${BATCH_TASKS_MAX} tasks in one call, all or nothing: each item takes the same fields as add_task (only title is required; a day alone such as 2026-12-05 makes it all-day). If any item is invalid, the error names it as tasks[index].field (from 0) and no task is added. Returns the created tasks in the order given.`,
  input: {
    tasks: z
      .array(z.object({ title: Title, ...taskFields, ...projectArg('The project to put it in; default the Inbox') }).strict())
      .min(1)
      .max(BATCH_TASKS_MAX)
      .describe(`1 to ${BATCH_TASKS_MAX} tasks, each with the fields of add_task`),
  },
  output: { tasks: z.array(TaskReadSchema) },
  annotations: WRITES,
  run: async (ctx, { tasks }) => {
    const inputs = []
    for (const task of tasks) inputs.push(await withProjectId(ctx, task))
    return { tasks: await createTasks(ctx, ctx.user, inputs) }
  },
})

export const listTasks = defineTool({
  name: 'list_tasks',
  title: 'List, search and filter tasks',
  description:
    'Lists the user\'s tasks, subtasks included, newest first unless sorted otherwise. Filters combine (AND). Each task shows parent_id and subtasks { total, done }, the progress of its direct subtasks. Returns { items, total, total_is_exact, next_cursor }: total is exact up to 1,000, above that 1000 with total_is_exact false; pass next_cursor back as cursor for the next page, with the same sort and order.',
  input: {
    search: z.string().max(SEARCH_MAX).optional().describe('Keywords that must all appear in the title or description (case-insensitive)'),
    status: z.enum(STATUSES).optional().describe('Only pending or only completed tasks'),
    priority: z.enum(PRIORITIES).optional().describe('Only tasks of this priority'),
    tags: z.array(z.string()).max(TAGS_MAX).optional().describe('Tasks with any of these tags'),
    due_date_from: z.string().optional().describe('Inclusive; a date (2026-12-01) starts at midnight in the user\'s zone'),
    due_date_to: z.string().optional().describe('Inclusive; a date covers that whole day'),
    ...projectArg('Only tasks in this project'),
    parent_id: z.string().optional().describe('Only the direct subtasks of this task (its id)'),
    top_level: z.boolean().optional().describe('true: only top-level tasks (no parent). Cannot be combined with parent_id'),
    ...listing('created_at'),
  },
  output: TaskPageSchema.shape,
  annotations: READ_ONLY,
  run: async (ctx, { tags, limit, top_level, ...args }) =>
    findTasks(ctx, ctx.user, {
      ...(await withProjectId(ctx, args)),
      ...(top_level !== undefined ? { top_level: String(top_level) } : {}),
      ...(tags ? { tags: tags.join(',') } : {}),
      ...limitParam(limit),
    }),
})

export const findTasksTool = defineTool({
  name: 'find_tasks',
  title: 'Find tasks by a filter and a due range',
  description:
    `Finds the user's tasks with a filter and/or a due range, soonest due first unless sorted otherwise. ${FILTER_HELP} A malformed filter is refused naming the column where it goes wrong. due_from and due_to take a day (2026-12-01, the whole day in the user's zone) or a date-time (read in the user's zone without an offset); both ends are inclusive. Each task shows parent_id and subtasks { total, done }. Returns { items, total, total_is_exact, next_cursor } like list_tasks.`,
  input: {
    // The parser bounds it, counting characters as people do (an emoji is one), with the column it stops at.
    filter: z.string().meta({ maxLength: FILTER_MAX }).optional().describe('Terms joined by & (and), | (or), ! (not) and parentheses, e.g. "today & p1", "overdue | #work", "due before: +7d & !#waiting"; without it, open tasks'),
    due_from: z.string().optional().describe('Due on or after: a day (2026-12-01) or a date-time'),
    due_to: z.string().optional().describe('Due on or before: a day (its end) or a date-time'),
    ...projectArg('Only tasks in this project (the same as @project: in the filter)'),
    ...listing('due_date'),
  },
  output: TaskPageSchema.shape,
  annotations: READ_ONLY,
  run: async (ctx, { limit, sort, ...args }) =>
    findTasksByFilter(ctx, ctx.user, { ...(await withProjectId(ctx, args)), sort: sort ?? 'due_date', ...limitParam(limit) }),
})

export const getTaskTool = defineTool({
  name: 'get_task',
  title: 'Get one task',
  description: 'Returns one of the user\'s tasks by id.',
  input: taskId,
  output: taskShape,
  annotations: READ_ONLY,
  run: (ctx, { task_id }) => getTask(ctx, ctx.user, task_id),
})

export const updateTaskTool = defineTool({
  name: 'update_task',
  title: 'Change a task',
  description: 'Changes only the fields given; null clears due_date or recurrence. A due_date that is a day alone (2026-12-05) makes the task all-day; a date-time makes it timed again. parent_id moves the task, with its subtasks, under another task (null: to the top level). Use complete_task or reopen_task to change the status.',
  input: { ...taskId, title: Title.optional().describe(`A new title, 1 to ${TITLE_MAX} characters`), ...taskFields, ...projectArg('Move the task, with its subtasks, to this project (not an archived one); a subtask moves only with its parent, or with parent_id null') },
  output: taskShape,
  annotations: { ...WRITES, idempotentHint: true },
  run: async (ctx, { task_id, ...changes }) => updateTask(ctx, ctx.user, task_id, await withProjectId(ctx, changes)),
})

export const completeTaskTool = defineTool({
  name: 'complete_task',
  title: 'Complete a task',
  description:
    'Marks a task completed (no change if it already is). A repeating task gets its next instance, with fresh open copies of its subtasks. If the task has open subtasks, children is required: ask the user whether to complete them too ("complete") or leave them open ("keep"); without it the call fails saying how many are open.',
  input: { ...taskId, children: childrenChoice },
  output: { ...taskShape, completed_subtasks: z.array(z.string()).describe('The ids of the open subtasks completed with it (children "complete"); empty otherwise') },
  annotations: { ...WRITES, idempotentHint: true },
  run: (ctx, { task_id, children }) => completeWithSubtasks(ctx, ctx.user, task_id, children),
})

export const completeTasksTool = defineTool({
  name: 'complete_tasks',
  title: 'Complete several tasks',
  description:
    `Marks up to ${BATCH_TASKS_MAX} tasks completed in one call. Returns completed (the ids it completed, then those of open subtasks it completed with their parents when children is "complete") and failed (each id with a reason: not_found, already_completed, or open_subtasks: the task has open subtasks not in the batch and children was not given). Repeating tasks get their next instance.`,
  input: {
    task_ids: z.array(z.string()).min(1).max(BATCH_TASKS_MAX).describe(`1 to ${BATCH_TASKS_MAX} task ids (from find_tasks or list_tasks)`),
    children: childrenChoice,
  },
  output: {
    completed: z.array(z.string()).describe('The ids completed by this call'),
    failed: z.array(z.object({ id: z.string(), reason: z.enum(['not_found', 'already_completed', 'open_subtasks']) })).describe('The ids not completed, and why'),
  },
  annotations: { ...WRITES, idempotentHint: true },
  run: async (ctx, { task_ids, children }) => {
    const { completed, failed } = await completeTasks(ctx, ctx.user, task_ids, children, 'task_ids')
    return { completed: completed.map((task) => task.id), failed }
  },
})

export const reopenTaskTool = defineTool({
  name: 'reopen_task',
  title: 'Reopen a task',
  description: 'Marks a completed task pending again (no change if it already is).',
  input: taskId,
  output: taskShape,
  annotations: { ...WRITES, idempotentHint: true },
  run: (ctx, { task_id }) => reopenTask(ctx, ctx.user, task_id),
})

export const deleteTaskTool = defineTool({
  name: 'delete_task',
  title: 'Delete a task',
  description: 'Deletes one task by id, with its subtasks, and returns it as it was. It stays in the trash for 30 days, to be restored (restore_task, or Activity in the web UI). Ask the user before deleting more than one task.',
  input: taskId,
  output: taskShape,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  run: (ctx, { task_id }) => deleteTask(ctx, ctx.user, task_id),
})

export const restoreTaskTool = defineTool({
  name: 'restore_task',
  title: 'Restore a deleted task',
  description:
    'Brings back a task the user deleted within the last 30 days, exactly as it was (same id and fields) with the subtasks deleted with it, from the copy the server kept. Only the user\'s own deleted tasks can be restored.',
  input: { task_id: z.string().describe('The id of a task the user deleted (from delete_task)') },
  output: taskShape,
  annotations: WRITES,
  run: async (ctx, { task_id }) => {
    // The snapshot is the server's own, found by id among this user's deletions: nothing the caller sends is trusted.
    if (!UUID.test(task_id)) throw notFound('deleted task')
    const [restored] = await restoreTasks(ctx, ctx.user, [task_id], 'task_id')
    if (!restored) throw notFound('deleted task')
    return restored
  },
})
