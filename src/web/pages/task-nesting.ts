// Indent and outdent from a task's row (its Subtasks menu, Ctrl+] and Ctrl+[): the task moves under the task above it or
// one level up, by the same update the REST API's PATCH parent_id makes (docs/ui.md, "Subtasks").
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { invalid } from '../../lib/errors'
import { redirect } from '../../lib/htmx'
import { parseWith } from '../../lib/validation'
import { UpdateTaskInput } from '../../features/tasks/model'
import { getTask, updateTask, type TaskDeps } from '../../features/tasks/service'
import { ToastPartial } from '../../../views/layout'
import { backOf, first, type Form } from '../forms'
import { respond } from '../respond'
import { webSession } from '../session'

export const taskNestingPages = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  return new Elysia({ name: 'task-nesting-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .post(
      '/tasks/:id/indent',
      // Indent (the Subtasks menu, Ctrl+]): the task becomes a subtask of the task above it at its level, which the row
      // names, in the task's own project; the service checks the rest (depth, cycles). The list reloads with the task in its new place.
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const target = first(form.parent_id)?.trim()
        if (!target) {
          const task = await getTask(taskDeps, user, params.id)
          throw invalid('parent_id', `"${task.title}" has no task above it at its level to become a subtask of`)
        }
        const [current, parent] = await Promise.all([getTask(taskDeps, user, params.id), getTask(taskDeps, user, target)])
        // On the list of all tasks the task above may be another project's: an indent never moves a task between projects.
        if (parent.project_id !== current.project_id) {
          throw invalid('parent_id', `"${current.title}" and "${parent.title}" are in different projects: move "${current.title}" into its project first, then indent it`)
        }
        const task = await updateTask(taskDeps, user, params.id, parseWith(UpdateTaskInput, { parent_id: target }))
        return respond(request, {
          htmx: () => ({ html: ToastPartial({ message: `"${task.title}" is now a subtask of "${parent.title}".`, csrf }), headers: { 'hx-trigger': 'tasks-changed' } }),
          plain: () => redirect(request, backOf(form)),
        })
      },
      { page: true },
    )
    .post(
      '/tasks/:id/outdent',
      // Outdent (the Subtasks menu, Ctrl+[): the task moves one level up, beside its parent, under its parent's parent.
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const current = await getTask(taskDeps, user, params.id)
        if (!current.parent_id) throw invalid('parent_id', `"${current.title}" is already a top-level task`)
        const parent = await getTask(taskDeps, user, current.parent_id)
        const task = await updateTask(taskDeps, user, params.id, parseWith(UpdateTaskInput, { parent_id: parent.parent_id }))
        const above = parent.parent_id ? await getTask(taskDeps, user, parent.parent_id) : undefined
        const message = above ? `"${task.title}" is now a subtask of "${above.title}".` : `"${task.title}" is now a top-level task.`
        return respond(request, { htmx: () => ({ html: ToastPartial({ message, csrf }), headers: { 'hx-trigger': 'tasks-changed' } }), plain: () => redirect(request, backOf(form)) })
      },
      { page: true },
    )
}
