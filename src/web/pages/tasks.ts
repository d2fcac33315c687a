// The task workspace in the browser: full pages for plain requests, fragments for htmx, forms that post and redirect.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { redirect, safeLocalPath } from '../../lib/htmx'
import { backOf, first, withFormErrors, type Form } from '../forms'
import { quickAddInput, taskInput } from '../task-form'
import { parseTaskText } from '../../features/tasks/parse-text'
import { respond } from '../respond'
import { orOffer } from './complete-offer'
import { taskBatchPages } from './task-batch'
import { listParams, taskListData } from './task-list-data'
import { taskNestingPages } from './task-nesting'
import { Workspace, WorkspacePage } from '../../../views/tasks'
import { CountsPartial, MoreItems, TaskList } from '../../../views/task-list'
import { EditPage, QuickAdd, TaskEdit, type TaskFormValues } from '../../../views/task-forms'
import { TaskItem } from '../../../views/task-row'
import { placeParam, readPlace } from '../../../views/task-subtasks'
import { listUrl, paramsOfListUrl } from '../../../views/task-context'
import { ToastPartial } from '../../../views/layout'
import { QuickPreview } from '../../../views/quick-preview'
import { webSession } from '../session'
import type { AuthUser } from '../../features/auth/service'
import { listProjects } from '../../features/projects/service'
import { projectFor } from '../../features/projects/access'
import { notFound } from '../../lib/errors'
import { UUID } from '../../lib/secrets'
import { CreateTaskInput, UpdateTaskInput } from '../../features/tasks/model'
import { TASK_TEXT_MAX } from '../../features/tasks/limits'
import { parseWith } from '../../lib/validation'
import { completeTask, createTask, deleteTask, getTask, reopenTask, updateTask, type TaskDeps } from '../../features/tasks/service'

const formValues = (form: Form): TaskFormValues => ({
  title: first(form.title),
  description: first(form.description),
  priority: first(form.priority),
  due: first(form.due),
  due_time: first(form.due_time),
  recurrence: first(form.recurrence),
  rrule: first(form.rrule),
  recurrence_from: first(form.recurrence_from),
  tags: first(form.tags),
  project_id: first(form.project_id),
})


/** Tells the page that open counts changed (the sidebar's), when the answer does not reload the list itself. */
const COUNTS_CHANGED = { 'hx-trigger': 'counts-changed' }

/** The htmx target element's id (`HX-Target: section#task-list` → `task-list`). */
const targetOf = (request: Request) => request.headers.get('hx-target')?.split('#')[1]

export const taskPages = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  const now = () => taskDeps.clock()

  const { contextFor, contextWithProjects, loadList, placeFor, parentProgress, countsFor } = taskListData(taskDeps)

  /** The task list page for `params`: the whole page, or the part htmx targets (the list, the next page, the workspace). */
  async function listPage(request: Request, user: AuthUser, csrf: string, requested: Record<string, string>) {
    let params = requested
    let error: string | undefined
    const data = await withFormErrors(
      () => loadList(user, params),
      (failure) => {
        // A hand-edited URL or a mistyped filter: show the unfiltered list (of the same project) and say what was wrong.
        error = failure.message
        params = failure.field !== 'project_id' && requested.project_id ? { project_id: requested.project_id } : {}
        return loadList(user, params).then((data) => ({ ...data, error }))
      },
    )
    const ctx = { ...contextFor(user, csrf, params), projects: data.projects }
    const canonical = listUrl(ctx.query)
    const status = error ? 400 : 200
    return respond(request, {
      htmx: () => {
        const target = targetOf(request)
        if (target === 'pager') return { html: MoreItems({ ctx, data }) }
        const html = target === 'task-list' ? TaskList({ ctx, data }) : Workspace({ ctx, data })
        return { html, status, headers: { 'hx-push-url': canonical } }
      },
      plain: (nonce) => ({ html: WorkspacePage({ ctx, data, nonce, email: user.email }), status }),
    })
  }

  /**
   * A subtask from a row's Subtasks menu: its line read as the quick add reads one, under its parent. A refusal (a
   * parent already two levels deep) comes back as a toast; the list reloads with the subtask under its parent.
   */
  async function addSubtask(request: Request, user: AuthUser, csrf: string, form: Form) {
    const task = await createTask(taskDeps, user, parseWith(CreateTaskInput, quickAddInput(form, user.timezone, now())))
    const parent = await getTask(taskDeps, user, task.parent_id!)
    return respond(request, {
      htmx: () => ({ html: ToastPartial({ message: `Added "${task.title}" under "${parent.title}".`, csrf }), headers: { 'hx-trigger': 'tasks-changed' } }),
      plain: back(request, form),
    })
  }

  /** A form's project has to be the user's: another person's is not there (404), as in a URL. */
  async function ownProjectOf(user: AuthUser, form: Form) {
    const id = first(form.project_id)?.trim()
    if (id) await projectFor(taskDeps.db, user, id, 'read')
  }

  const paramsOfBack = (form: Form) => listParams(paramsOfListUrl(new URL(backOf(form), 'http://local.invalid')))

  /** A plain form post goes back to the list it came from. */
  const back = (request: Request, form: Form) => () => redirect(request, backOf(form))

  return new Elysia({ name: 'task-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .use(taskNestingPages(deps))
    .use(taskBatchPages(deps))
    .get('/', ({ request }) => redirect(request, '/tasks'))
    .get('/tasks', ({ request, user, csrf }) => listPage(request, user, csrf, listParams(new URL(request.url).searchParams)), { page: true })
    // One project's list: the task list with the project's tasks only, its add box adding there.
    .get('/projects/:id', ({ request, user, csrf, params }) => {
      if (!UUID.test(params.id)) throw notFound('project')
      return listPage(request, user, csrf, { ...listParams(new URL(request.url).searchParams), project_id: params.id })
    }, { page: true })
    .post(
      '/tasks',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        const ctx = contextFor(user, csrf, paramsOfBack(form))
        await ownProjectOf(user, form)
        if (first(form.parent_id)) return addSubtask(request, user, csrf, form)
        return withFormErrors(
          async () => {
            const input = parseWith(CreateTaskInput, quickAddInput(form, user.timezone, taskDeps.clock()))
            const task = await createTask(taskDeps, user, input)
            return respond(request, {
              // A fresh quick add; the list reloads itself with its own filters and sort; the toast is announced.
              htmx: () => ({ html: [QuickAdd({ ctx }), ToastPartial({ message: `Added "${task.title}".`, csrf })], headers: { 'hx-trigger': 'tasks-changed' } }),
              plain: back(request, form),
            })
          },
          (error) => {
            const quickAdd = { values: formValues(form), error }
            return respond(request, {
              htmx: () => ({ html: QuickAdd({ ctx, ...quickAdd }), status: 422 }),
              plain: async (nonce) => {
                const data = await loadList(user, ctx.params)
                return { html: WorkspacePage({ ctx, data, nonce, email: user.email, quickAdd }), status: 422 }
              },
            })
          },
        )
      },
      { page: true },
    )
    .get(
      '/tasks/quick-preview',
      // What quick add would save from the line typed so far; the box asks for it as it changes.
      ({ request, user }) => {
        const search = new URL(request.url).searchParams
        const text = (search.get('title') ?? search.get('text') ?? '').slice(0, TASK_TEXT_MAX).trim()
        const parsed = text ? parseTaskText(text, user.timezone, now()) : null
        return respond(request, () => ({ html: QuickPreview({ parsed, timezone: user.timezone, now: now() }) }))
      },
      { page: true },
    )
    .get(
      '/tasks/:id/item',
      async ({ request, user, csrf, params, query }) => {
        const task = await getTask(taskDeps, user, params.id)
        const ctx = await contextWithProjects(user, csrf, listParams(paramsOfListUrl(new URL(safeLocalPath(query.back, '/tasks'), 'http://local.invalid'))))
        const place = await placeFor(user, task, query.place)
        return respond(request, () => ({ html: TaskItem({ task, ctx, place }) }))
      },
      { page: true },
    )
    .get(
      '/tasks/:id/edit',
      async ({ request, user, csrf, params, query }) => {
        const task = await getTask(taskDeps, user, params.id)
        const back = safeLocalPath(query.back, '/tasks')
        const ctx = await contextWithProjects(user, csrf, listParams(paramsOfListUrl(new URL(back, 'http://local.invalid'))))
        return respond(request, {
          htmx: () => ({ html: TaskEdit({ task, ctx, place: placeParam(readPlace(query.place)) }) }),
          plain: (nonce) => ({ html: EditPage({ task, ctx, nonce, email: user.email }) }),
        })
      },
      { page: true },
    )
    .post(
      '/tasks/:id',
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        await ownProjectOf(user, form)
        const ctx = await contextWithProjects(user, csrf, paramsOfBack(form))
        return withFormErrors(
          async () => {
            const task = await updateTask(taskDeps, user, params.id, parseWith(UpdateTaskInput, taskInput(form, true)))
            // Saved into another project than the one listed: the row leaves this list (and the counts follow).
            const left = ctx.params.project_id !== undefined && task.project_id !== ctx.params.project_id
            const place = await placeFor(user, task, first(form.place))
            return respond(request, { htmx: () => (left ? { html: '', headers: { 'hx-trigger': 'tasks-changed' } } : { html: TaskItem({ task, ctx, place }), headers: COUNTS_CHANGED }), plain: back(request, form) })
          },
          async (error) => {
            const task = await getTask(taskDeps, user, params.id)
            const values = formValues(form)
            return respond(request, {
              htmx: () => ({ html: TaskEdit({ task, ctx, values, error, place: placeParam(readPlace(first(form.place))) }), status: 422 }),
              plain: (nonce) => ({ html: EditPage({ task, ctx, nonce, email: user.email, values, error }), status: 422 }),
            })
          },
        )
      },
      { page: true },
    )
    .post(
      '/tasks/:id/move',
      // The row's Move menu: the task goes to another of the user's projects; the list (and the sidebar) reload.
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        await ownProjectOf(user, form)
        const task = await updateTask(taskDeps, user, params.id, parseWith(UpdateTaskInput, { project_id: first(form.project_id) ?? '' }))
        const project = (await listProjects(taskDeps, user, { archived: true })).find((p) => p.id === task.project_id)
        return respond(request, {
          htmx: () => ({ html: ToastPartial({ message: `Moved "${task.title}" to ${project?.name ?? 'another project'}.`, csrf }), headers: { 'hx-trigger': 'tasks-changed' } }),
          plain: back(request, form),
        })
      },
      { page: true },
    )
    .post(
      '/tasks/:id/toggle',
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const current = await getTask(taskDeps, user, params.id)
        const completing = current.status !== 'completed'
        return orOffer(request, [params.id], backOf(form), async () => {
          const task = completing ? await completeTask(taskDeps, user, params.id) : await reopenTask(taskDeps, user, params.id)
          return respond(request, {
            htmx: async () => {
              const ctx = await contextWithProjects(user, csrf, paramsOfBack(form))
              const counts = await countsFor(user, ctx.params)
              // Completing is undone from the toast; reopening is its own undo.
              const toast = completing ? [ToastPartial({ message: `Completed "${task.title}".`, undo: { action: 'reopen', ids: [task.id] }, csrf })] : []
              const place = await placeFor(user, task, first(form.place))
              return { html: [TaskItem({ task, ctx, place }), CountsPartial({ ctx, counts }), ...(await parentProgress(user, task)), ...toast], headers: COUNTS_CHANGED }
            },
            plain: back(request, form),
          })
        })
      },
      { page: true },
    )
    .post(
      '/tasks/:id/delete',
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const task = await deleteTask(taskDeps, user, params.id)
        return respond(request, {
          htmx: async () => {
            const ctx = contextFor(user, csrf, paramsOfBack(form))
            const counts = await countsFor(user, ctx.params)
            const toast = ToastPartial({ message: `Deleted "${task.title}".`, undo: { action: 'restore', ids: [task.id] }, csrf })
            // Its subtasks went with it: the list reloads without them.
            const headers = task.subtasks.total > 0 ? { 'hx-trigger': 'tasks-changed' } : COUNTS_CHANGED
            return { html: [CountsPartial({ ctx, counts }), ...(await parentProgress(user, task)), toast], headers }
          },
          plain: back(request, form),
        })
      },
      { page: true },
    )
}
