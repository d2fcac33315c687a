// The task workspace in the browser: full pages for plain requests, fragments for htmx, forms that post and redirect.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { AppError } from '../../lib/errors'
import { isHtmx, redirect, safeLocalPath } from '../../lib/htmx'
import { parseTaskText } from '../../chat/parse'
import { withFormErrors } from '../forms'
import { htmlResponse, newNonce } from '../html'
import { EditPage, MoreItems, QuickAdd, TaskEdit, TaskItem, TaskList, Workspace, WorkspacePage, CountsPartial, type ListContext, type ListData, type TaskFormValues } from '../../../views/tasks'
import { ToastPartial } from '../../../views/layout'
import { webSession } from '../session'
import type { AuthUser } from '../../features/auth/service'
import { listTasks, statusCounts, topTags } from '../../features/tasks/list'
import { LIST_PARAMS, parseListQuery } from '../../features/tasks/list-query'
import { CreateTaskInput, UpdateTaskInput } from '../../features/tasks/model'
import { parseWith } from '../../lib/validation'
import {
  createTask,
  deleteMany,
  deleteTask,
  getTask,
  reopenTask,
  completeTask,
  restoreTasks,
  setStatusMany,
  updateTask,
  type TaskDeps,
} from '../../features/tasks/service'

type Form = Record<string, string | string[] | undefined>

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/**
 * A task form's strings in the shape of the task schema (model.ts), which then validates them as it does a REST
 * body. For an edit (`partial`), only the fields the form sent change.
 */
function taskInput(form: Form, partial: boolean): Record<string, unknown> {
  const sent = (...keys: string[]) => !partial || keys.some((k) => form[k] !== undefined)
  const input: Record<string, unknown> = {}
  if (sent('title')) input.title = first(form.title) ?? ''
  if (sent('description')) input.description = first(form.description) ?? ''
  if (sent('priority')) input.priority = first(form.priority) || 'medium'
  if (sent('due')) input.due_date = first(form.due) || null
  if (sent('recurrence', 'rrule')) {
    const preset = first(form.recurrence) ?? ''
    input.recurrence = (preset === 'CUSTOM' ? first(form.rrule) : preset) || null
  }
  if (sent('recurrence_from')) input.recurrence_from = first(form.recurrence_from) || 'due'
  if (sent('tags')) input.tags = (first(form.tags) ?? '').split(',').map((t) => t.trim()).filter(Boolean)
  return input
}

/**
 * A quick add reads its one line like the assistant does ("call mum tomorrow 5pm !high #family
 * every week"); fields set under "More options" win over what the line says.
 */
function quickAddInput(form: Form, timeZone: string, now: Date): Record<string, unknown> {
  const input = taskInput(form, false)
  const parsed = parseTaskText(String(input.title ?? ''), timeZone, now)
  if (!parsed.title) return input
  return {
    ...input,
    title: parsed.title,
    priority: first(form.priority) && first(form.priority) !== 'medium' ? input.priority : (parsed.priority ?? input.priority),
    due_date: input.due_date ?? parsed.due_date ?? null,
    recurrence: input.recurrence ?? parsed.recurrence ?? null,
    tags: [...new Set([...(parsed.tags ?? []), ...((input.tags as string[]) ?? [])])],
  }
}

const formValues = (form: Form): TaskFormValues => ({
  title: first(form.title),
  description: first(form.description),
  priority: first(form.priority),
  due: first(form.due),
  recurrence: first(form.recurrence),
  rrule: first(form.rrule),
  recurrence_from: first(form.recurrence_from),
  tags: first(form.tags),
})

/** The list parameters of a URL's query, keeping only known, non-empty ones, in a stable order. */
function listParams(search: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {}
  for (const key of LIST_PARAMS) {
    const value = search.get(key)?.trim()
    if (value) params[key] = value
  }
  return params
}

const queryOf = (params: Record<string, string>) => new URLSearchParams(params).toString()

/** The htmx target element's id (`HX-Target: section#task-list` → `task-list`). */
const targetOf = (request: Request) => request.headers.get('hx-target')?.split('#')[1]

export const taskPages = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  const now = () => taskDeps.clock()

  function contextFor(user: AuthUser, csrf: string, params: Record<string, string>): ListContext {
    const { cursor: _, ...withoutCursor } = params
    return { csrf, timezone: user.timezone, now: now(), params, query: queryOf(withoutCursor) }
  }

  async function loadList(user: AuthUser, params: Record<string, string>): Promise<ListData> {
    const query = parseListQuery(params, user.timezone)
    const [page, counts, tags] = await Promise.all([
      listTasks(taskDeps.db, user.id, query),
      statusCounts(taskDeps.db, user.id, query),
      topTags(taskDeps.db, user.id, 12),
    ])
    return { page, counts, topTags: tags }
  }

  /** Counts per status under the list's other filters (a bad filter in `back` counts everything). */
  async function countsFor(user: AuthUser, params: Record<string, string>) {
    let query
    try {
      query = parseListQuery(params, user.timezone)
    } catch {
      query = parseListQuery({}, user.timezone)
    }
    return statusCounts(taskDeps.db, user.id, query)
  }

  /** The list a form came from (its `back` field), so a plain post returns there. */
  const backOf = (form: Form) => safeLocalPath(first(form.back), '/tasks')
  const paramsOfBack = (form: Form) => listParams(new URL(backOf(form), 'http://local.invalid').searchParams)

  const page = (request: Request, body: string, status = 200, nonce = newNonce()) => htmlResponse(request, body, { nonce, status })
  const fragment = (request: Request, body: string, status = 200, headers: Record<string, string> = {}) =>
    htmlResponse(request, body, { nonce: newNonce(), status, headers })

  return new Elysia({ name: 'task-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get('/', ({ request }) => redirect(request, '/tasks'))
    .get(
      '/tasks',
      async ({ request, user, csrf }) => {
        let params = listParams(new URL(request.url).searchParams)
        let error: string | undefined
        const data = await withFormErrors(
          () => loadList(user, params),
          (failure) => {
            // A hand-edited URL with a bad filter: show the unfiltered list and say what was wrong.
            error = failure.message
            params = {}
            return loadList(user, params)
          },
        )
        const ctx = contextFor(user, csrf, params)
        const canonical = ctx.query ? `/tasks?${ctx.query}` : '/tasks'
        if (isHtmx(request)) {
          const target = targetOf(request)
          if (target === 'pager') return fragment(request, MoreItems({ ctx, page: data.page }) as string)
          const body = target === 'task-list' ? TaskList({ ctx, data }) : Workspace({ ctx, data })
          return fragment(request, body as string, error ? 400 : 200, { 'hx-push-url': canonical })
        }
        const nonce = newNonce()
        return page(request, (await WorkspacePage({ ctx, data, nonce, email: user.email, error })) as string, error ? 400 : 200, nonce)
      },
      { page: true },
    )
    .post(
      '/tasks',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        const ctx = contextFor(user, csrf, paramsOfBack(form))
        return withFormErrors(
          async () => {
            const input = parseWith(CreateTaskInput, quickAddInput(form, user.timezone, taskDeps.clock()))
            const task = await createTask(taskDeps, user, input)
            if (!isHtmx(request)) return redirect(request, backOf(form))
            // A fresh quick add; the list reloads itself with its own filters and sort; the toast is announced.
            const body = ((await QuickAdd({ ctx })) as string) + (await ToastPartial({ message: `Added "${task.title}".`, csrf }))
            return fragment(request, body, 200, { 'hx-trigger': 'tasks-changed' })
          },
          async (error) => {
            const quickAdd = { values: formValues(form), error }
            if (isHtmx(request)) return fragment(request, QuickAdd({ ctx, ...quickAdd }) as string, 422)
            const nonce = newNonce()
            const data = await loadList(user, ctx.params)
            return page(request, (await WorkspacePage({ ctx, data, nonce, email: user.email, quickAdd })) as string, 422, nonce)
          },
        )
      },
      { page: true },
    )
    .get(
      '/tasks/:id/item',
      async ({ request, user, csrf, params }) => {
        const task = await getTask(taskDeps, user, params.id)
        return fragment(request, TaskItem({ task, ctx: contextFor(user, csrf, {}) }) as string)
      },
      { page: true },
    )
    .get(
      '/tasks/:id/edit',
      async ({ request, user, csrf, params, query }) => {
        const task = await getTask(taskDeps, user, params.id)
        const back = safeLocalPath(query.back, '/tasks')
        const ctx = contextFor(user, csrf, listParams(new URL(back, 'http://local.invalid').searchParams))
        if (isHtmx(request)) return fragment(request, TaskEdit({ task, ctx }) as string)
        const nonce = newNonce()
        return page(request, EditPage({ task, ctx, nonce, email: user.email }) as string, 200, nonce)
      },
      { page: true },
    )
    .post(
      '/tasks/:id',
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const ctx = contextFor(user, csrf, paramsOfBack(form))
        return withFormErrors(
          async () => {
            const task = await updateTask(taskDeps, user, params.id, parseWith(UpdateTaskInput, taskInput(form, true)))
            if (!isHtmx(request)) return redirect(request, backOf(form))
            return fragment(request, TaskItem({ task, ctx }) as string)
          },
          async (error) => {
            const task = await getTask(taskDeps, user, params.id)
            const values = formValues(form)
            if (isHtmx(request)) return fragment(request, TaskEdit({ task, ctx, values, error }) as string, 422)
            const nonce = newNonce()
            return page(request, EditPage({ task, ctx, nonce, email: user.email, values, error }) as string, 422, nonce)
          },
        )
      },
      { page: true },
    )
    .post(
      '/tasks/:id/toggle',
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const current = await getTask(taskDeps, user, params.id)
        const task = current.status === 'completed' ? await reopenTask(taskDeps, user, params.id) : await completeTask(taskDeps, user, params.id)
        if (!isHtmx(request)) return redirect(request, backOf(form))
        const ctx = contextFor(user, csrf, paramsOfBack(form))
        const counts = await countsFor(user, ctx.params)
        return fragment(request, ((await TaskItem({ task, ctx })) as string) + (await CountsPartial({ ctx, counts })))
      },
      { page: true },
    )
    .post(
      '/tasks/:id/delete',
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const task = await deleteTask(taskDeps, user, params.id)
        if (!isHtmx(request)) return redirect(request, backOf(form))
        const ctx = contextFor(user, csrf, paramsOfBack(form))
        const counts = await countsFor(user, ctx.params)
        const toast = ToastPartial({ message: `Deleted "${task.title}".`, undoIds: [task.id], csrf })
        return fragment(request, ((await CountsPartial({ ctx, counts })) as string) + (await toast))
      },
      { page: true },
    )
    .post(
      '/tasks/restore',
      async ({ request, user, body }) => {
        const form = body as Form
        const restored = await restoreTasks(taskDeps, user, all(form.ids))
        if (!isHtmx(request)) return redirect(request, backOf(form))
        const message = restored.length === 1 ? `Restored "${restored[0]!.title}".` : `Restored ${restored.length} tasks.`
        return fragment(request, (await ToastPartial({ message, csrf: '' })) as string, 200, { 'hx-trigger': 'tasks-changed' })
      },
      { page: true },
    )
    .post(
      '/tasks/bulk',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        const action = first(form.action)
        const ids = all(form.ids)
        let toast: string
        if (action === 'complete') {
          const changed = await setStatusMany(taskDeps, user, ids, 'completed')
          toast = (await ToastPartial({ message: `Completed ${changed.length} ${changed.length === 1 ? 'task' : 'tasks'}.`, csrf })) as string
        } else if (action === 'delete') {
          const deleted = await deleteMany(taskDeps, user, ids)
          toast = (await ToastPartial({ message: `Deleted ${deleted.length} ${deleted.length === 1 ? 'task' : 'tasks'}.`, undoIds: deleted.map((t) => t.id), csrf })) as string
        } else {
          throw new AppError('validation_failed', 'action must be complete or delete', 'action')
        }
        if (!isHtmx(request)) return redirect(request, backOf(form))
        return fragment(request, toast, 200, { 'hx-trigger': 'tasks-changed' })
      },
      { page: true },
    )
}
