// REST routes for tasks under /api/v1/tasks: thin wrappers that parse, call one service, and shape the answer.
import { Elysia, t } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { sha256 } from '../../lib/secrets'
import { authGuard } from '../auth/guard'
import type { AuthUser } from '../auth/service'
import { idempotent, type Outcome } from '../idempotency/service'
import { pagingQuery } from '../../lib/paging'
import { DEFAULT_ORDER, PROJECT_IDS_MAX, SEARCH_MAX } from './list-query'
import { FILTER_MAX } from './filter'
import { ChildrenChoiceField, CHILDREN_CHOICES, CreateTaskInput, TaskPageSchema, TaskReadSchema as Task, UpdateTaskInput } from './model'
import { parseField } from '../../lib/validation'
import { completeTask, createTask, deleteTask, findTasks, getTask, reopenTask, updateTask, type TaskDeps } from './service'
import { ErrorBody } from '../../lib/api-schemas'

const ListQuery = t.Object(
  {
    search: t.Optional(t.String({ description: `Keywords (all must match) in title or description, case-insensitive; at most ${SEARCH_MAX} characters` })),
    status: t.Optional(t.String({ description: 'pending or completed (comma-separated for several)' })),
    priority: t.Optional(t.String({ description: 'high, medium or low (comma-separated for several)' })),
    tags: t.Optional(t.String({ description: 'Comma-separated; a task matches if it has any of them' })),
    project_id: t.Optional(t.String({ description: `Project ids (comma-separated, at most ${PROJECT_IDS_MAX}); a task matches if it is in any of them` })),
    due_date_from: t.Optional(t.String({ description: 'Date or date-time (inclusive); a date starts at midnight in your time zone' })),
    due_date_to: t.Optional(t.String({ description: 'Date or date-time (inclusive); a date covers that whole day' })),
    filter: t.Optional(t.String({ description: `The filter language (docs/filters.md), at most ${FILTER_MAX} characters, e.g. \`today & p1\`, \`overdue | #work\`, \`due before: +7d & !#waiting\`; combines with the other parameters (and). Without completed or open it shows open tasks, unless status is given. A malformed filter is a 400 whose error names field filter and the column (position, from 1) where it goes wrong` })),
    parent_id: t.Optional(t.String({ description: 'Only the direct subtasks of this task (its id). Another user\'s task, or an unknown one, has none' })),
    top_level: t.Optional(t.String({ description: 'true: only top-level tasks (no parent), as a list page shows them; false or absent: subtasks too. Cannot be combined with parent_id' })),
    sort: t.Optional(t.String({ description: 'created_at (default), due_date, priority or title' })),
    order: t.Optional(t.String({ description: `asc or desc; defaults: ${Object.entries(DEFAULT_ORDER).map(([k, v]) => `${k} ${v}`).join(', ')}. Tasks without a due date sort last either way` })),
    ...pagingQuery,
  },
  { additionalProperties: false },
)
const IdempotencyHeaders = t.Object({
  'idempotency-key': t.Optional(t.String({ description: 'Retrying with the same key returns the first result instead of repeating the change' })),
}, { additionalProperties: true })
const CompleteQuery = t.Object(
  {
    children: t.Optional(t.String({ description: `${CHILDREN_CHOICES.join(' or ')}: what becomes of the task's open subtasks, completed too or kept open. Needed when it has any: without it the answer is 409 with field children and open_subtasks, their count` })),
  },
  { additionalProperties: false },
)
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody }

export const taskRoutes = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }

  /** Runs a change once per Idempotency-Key and answers with its (possibly replayed) outcome. */
  const change = async <T>(
    ctx: { user: AuthUser; request: Request; body?: unknown; set: { status?: unknown; headers: Record<string, unknown> } },
    run: (d: TaskDeps) => Promise<Outcome<T>>,
  ): Promise<T> => {
    const { request, user, set } = ctx
    const url = new URL(request.url)
    const path = url.pathname + url.search
    const hash = sha256(`${request.method} ${path} ${JSON.stringify(ctx.body ?? null)}`)
    const outcome = await idempotent(taskDeps, user.id, request.headers.get('idempotency-key'), hash, (db) => run({ ...taskDeps, db }))
    set.status = outcome.status
    if (outcome.replayed) set.headers['idempotent-replayed'] = 'true'
    return outcome.body
  }

  return new Elysia({ name: 'task-routes', prefix: '/api/v1/tasks', seed: seedOf(deps), detail: { tags: ['Tasks'] } })
    .use(authGuard(deps))
    .get('', ({ user, query }) => findTasks(taskDeps, user, query), {
      auth: true,
      query: ListQuery,
      response: { 200: TaskPageSchema, ...errors },
      detail: { summary: 'List, search, filter and sort tasks', description: 'Paged with an opaque cursor. `total` counts matches exactly up to 1,000; above that it is 1000 with `total_is_exact: false`.' },
    })
    .post('', (ctx) => change(ctx, async (d) => ({ status: 201, body: await createTask(d, ctx.user, ctx.body) })), {
      auth: true,
      // JSON only: also what puts the body's schema in the OpenAPI document.
      parse: 'json',
      body: CreateTaskInput,
      headers: IdempotencyHeaders,
      response: { 201: Task, 200: Task, ...errors },
      detail: { summary: 'Create a task', description: 'At most TASKS_PER_USER (default 10,000) tasks, pending and completed, per account; past it, 409 quota_exceeded.' },
    })
    .get('/:id', ({ user, params }) => getTask(taskDeps, user, params.id), {
      auth: true,
      response: { 200: Task, ...errors },
      detail: { summary: 'Get one task' },
    })
    .patch('/:id', (ctx) => change(ctx, async (d) => ({ status: 200, body: await updateTask(d, ctx.user, ctx.params.id, ctx.body) })), {
      auth: true,
      parse: 'json',
      body: UpdateTaskInput,
      headers: IdempotencyHeaders,
      response: { 200: Task, ...errors },
      detail: { summary: 'Change some fields of a task', description: 'Only the fields sent change; null clears an optional field.' },
    })
    .delete('/:id', (ctx) => change(ctx, async (d) => {
      await deleteTask(d, ctx.user, ctx.params.id)
      return { status: 204, body: undefined }
    }), {
      auth: true,
      headers: IdempotencyHeaders,
      response: { 204: t.Undefined(), ...errors },
      detail: { summary: 'Delete a task', description: 'Its subtasks go with it, in one change; restoring it brings them all back.' },
    })
    .post('/:id/complete', (ctx) => change(ctx, async (d) => {
      const children = ctx.query.children === undefined ? undefined : parseField(ChildrenChoiceField, ctx.query.children, 'children')
      return { status: 200, body: await completeTask(d, ctx.user, ctx.params.id, children) }
    }), {
      auth: true,
      query: CompleteQuery,
      headers: IdempotencyHeaders,
      response: { 200: Task, ...errors },
      detail: {
        summary: 'Mark a task completed (no change if it already is)',
        description: 'A task with open subtasks needs `children`: `complete` completes them too, `keep` leaves them open. Without it the answer is 409 (`field: children`, `open_subtasks`: their count), so a client can offer the choice.',
      },
    })
    .post('/:id/reopen', (ctx) => change(ctx, async (d) => ({ status: 200, body: await reopenTask(d, ctx.user, ctx.params.id) })), {
      auth: true,
      headers: IdempotencyHeaders,
      response: { 200: Task, ...errors },
      detail: { summary: 'Mark a task pending again (no change if it already is)' },
    })
}

