// The task list's changes to several tasks at once, from the selection bar and the toasts' undo: complete or delete the
// selected tasks (bulk), reopen them (undoing a completion) and restore them (undoing a delete). A batch naming a task
// the person only views is refused whole (docs/architecture.md, "Access").
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { AppError } from '../../lib/errors'
import { redirect } from '../../lib/htmx'
import { deleteMany, restoreTasks, setStatusMany, type TaskDeps } from '../../features/tasks/service'
import { ToastPartial } from '../../../views/layout'
import { all, backOf, first, type Form } from '../forms'
import { respond } from '../respond'
import { webSession } from '../session'
import { childrenChoice, orOffer } from './complete-offer'

/** A plain form post goes back to the list it came from. */
const back = (request: Request, form: Form) => () => redirect(request, backOf(form))

export const taskBatchPages = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  return new Elysia({ name: 'task-batch-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .post(
      '/tasks/restore',
      async ({ request, user, body }) => {
        const form = body as Form
        const restored = await restoreTasks(taskDeps, user, all(form.ids))
        const message = restored.length === 1 ? `Restored "${restored[0]!.title}".` : `Restored ${restored.length} tasks.`
        return respond(request, { htmx: () => ({ html: ToastPartial({ message, csrf: '' }), headers: { 'hx-trigger': 'tasks-changed' } }), plain: back(request, form) })
      },
      { page: true },
    )
    .post(
      '/tasks/reopen',
      async ({ request, user, body }) => {
        const form = body as Form
        const reopened = await setStatusMany(taskDeps, user, all(form.ids), 'pending')
        const message = reopened.length === 1 ? `Reopened "${reopened[0]!.title}".` : `Reopened ${reopened.length} tasks.`
        return respond(request, { htmx: () => ({ html: ToastPartial({ message, csrf: '' }), headers: { 'hx-trigger': 'tasks-changed' } }), plain: back(request, form) })
      },
      { page: true },
    )
    .post(
      '/tasks/bulk',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        const action = first(form.action)
        const ids = all(form.ids)
        let toast: JSX.Element
        if (action === 'complete') {
          // Selected tasks with open subtasks: the offer page asks whether to complete those too, and posts back here.
          const children = childrenChoice(form)
          return orOffer(request, ids, backOf(form), async () => {
            const changed = await setStatusMany(taskDeps, user, ids, 'completed', children)
            const message = `Completed ${changed.length} ${changed.length === 1 ? 'task' : 'tasks'}.`
            toast = ToastPartial({ message, undo: { action: 'reopen', ids: changed.map((t) => t.id) }, csrf })
            return respond(request, { htmx: () => ({ html: toast, headers: { 'hx-trigger': 'tasks-changed' } }), plain: back(request, form) })
          })
        } else if (action === 'delete') {
          const deleted = await deleteMany(taskDeps, user, ids)
          toast = ToastPartial({ message: `Deleted ${deleted.length} ${deleted.length === 1 ? 'task' : 'tasks'}.`, undo: { action: 'restore', ids: deleted.map((t) => t.id) }, csrf })
        } else {
          throw new AppError('validation_failed', 'action must be complete or delete', 'action')
        }
        return respond(request, { htmx: () => ({ html: toast, headers: { 'hx-trigger': 'tasks-changed' } }), plain: back(request, form) })
      },
      { page: true },
    )
}
