// REST routes for tasks under /api/v1/tasks: thin wrappers that parse, call one service, and shape the answer.
import { Elysia, t } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { sha256 } from '../../lib/secrets'
import { authGuard } from '../auth/guard'
import type { AuthUser } from '../auth/service'
import { idempotent, type Outcome } from '../idempotency/service'
import { DEFAULT_ORDER, LIMIT_DEFAULT, LIMIT_MAX, SEARCH_MAX } from './list'
import {
  DESCRIPTION_MAX,
  PRIORITIES,
  RECURRENCE_FROM,
  RECURRENCE_MAX,
  STATUSES,
  TAG_MAX,
  TAGS_MAX,
  TITLE_MAX,
} from './model'
import { completeTask, createTask, deleteTask, findTasks, getTask, reopenTask, updateTask, type TaskDeps } from './service'
import { ErrorBody } from '../../lib/api-schemas'

/** A string enum without a schema default (Elysia would otherwise fill absent fields with the first value). */
const enumOf = <const T extends readonly [string, ...string[]]>(field: string, values: T, description: string) => {
  const schema = t.UnionEnum(values, { error: `${field} must be one of ${values.join(', ')}`, description })
  delete (schema as { default?: unknown }).default
  return schema
}

const Task = t.Object({
  id: t.String({ format: 'uuid' }),
  title: t.String(),
  description: t.String(),
  status: enumOf('status', STATUSES, 'pending or completed'),
  priority: enumOf('priority', PRIORITIES, 'high, medium or low'),
  due_date: t.Nullable(t.String({ format: 'date-time', description: 'UTC' })),
  recurrence: t.Nullable(t.String({ description: 'DAILY, WEEKLY, MONTHLY or an RRULE body such as FREQ=WEEKLY;BYDAY=MO,WE' })),
  recurrence_from: enumOf('recurrence_from', RECURRENCE_FROM, 'next due date counts from the due date or the completion date'),
  tags: t.Array(t.String()),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
  completed_at: t.Nullable(t.String({ format: 'date-time' })),
})

const title = t.String({ maxLength: TITLE_MAX * 4, error: `title must be 1 to ${TITLE_MAX} characters`, description: `1 to ${TITLE_MAX} characters` })
/** The fields create and PATCH share; all optional (the services apply the defaults). */
const optionalFields = {
  description: t.Optional(t.Nullable(t.String({ maxLength: DESCRIPTION_MAX * 4, error: `description must be at most ${DESCRIPTION_MAX} characters`, description: `at most ${DESCRIPTION_MAX} characters` }))),
  priority: t.Optional(enumOf('priority', PRIORITIES, 'default medium')),
  due_date: t.Optional(t.Nullable(t.String({ maxLength: 64, error: 'due_date must be an ISO 8601 date-time string or null', description: 'ISO 8601 date-time; without an offset it is read in your time zone' }))),
  recurrence: t.Optional(t.Nullable(t.String({ maxLength: RECURRENCE_MAX * 2, error: 'recurrence must be a string or null', description: 'DAILY, WEEKLY, MONTHLY or an RFC 5545 RRULE (FREQ=...)' }))),
  recurrence_from: t.Optional(enumOf('recurrence_from', RECURRENCE_FROM, 'due (default) or completion')),
  tags: t.Optional(t.Nullable(t.Array(t.String({ maxLength: TAG_MAX * 4, error: `each tag must be at most ${TAG_MAX} characters` }), {
    maxItems: TAGS_MAX * 4,
    error: 'tags must be an array of strings',
    description: `up to ${TAGS_MAX} tags, each up to ${TAG_MAX} characters; lower-cased and de-duplicated`,
  }))),
}
const CreateBody = t.Object({ title, ...optionalFields }, { additionalProperties: false })
const UpdateBody = t.Object(
  { title: t.Optional(title), ...optionalFields, status: t.Optional(enumOf('status', STATUSES, 'same as complete / reopen')) },
  { additionalProperties: false },
)
const ListQuery = t.Object(
  {
    search: t.Optional(t.String({ description: `Keywords (all must match) in title or description, case-insensitive; at most ${SEARCH_MAX} characters` })),
    status: t.Optional(t.String({ description: 'pending or completed (comma-separated for several)' })),
    priority: t.Optional(t.String({ description: 'high, medium or low (comma-separated for several)' })),
    tags: t.Optional(t.String({ description: 'Comma-separated; a task matches if it has any of them' })),
    due_date_from: t.Optional(t.String({ description: 'Date or date-time (inclusive); a date starts at midnight in your time zone' })),
    due_date_to: t.Optional(t.String({ description: 'Date or date-time (inclusive); a date covers that whole day' })),
    sort: t.Optional(t.String({ description: 'created_at (default), due_date, priority or title' })),
    order: t.Optional(t.String({ description: `asc or desc; defaults: ${Object.entries(DEFAULT_ORDER).map(([k, v]) => `${k} ${v}`).join(', ')}. Tasks without a due date sort last either way` })),
    limit: t.Optional(t.String({ description: `1 to ${LIMIT_MAX}, default ${LIMIT_DEFAULT}` })),
    cursor: t.Optional(t.String({ description: 'next_cursor from the previous page' })),
  },
  { additionalProperties: false },
)
const Page = t.Object({ items: t.Array(Task), total: t.Integer(), total_is_exact: t.Boolean(), next_cursor: t.Nullable(t.String()) })
const IdempotencyHeaders = t.Object({
  'idempotency-key': t.Optional(t.String({ description: 'Retrying with the same key returns the first result instead of repeating the change' })),
}, { additionalProperties: true })
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody }

export const taskRoutes = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }

  /** Runs a change once per Idempotency-Key and answers with its (possibly replayed) outcome. */
  const change = async <T>(
    ctx: { user: AuthUser; request: Request; body?: unknown; set: { status?: unknown; headers: Record<string, unknown> } },
    run: (d: TaskDeps) => Promise<Outcome<T>>,
  ): Promise<T> => {
    const { request, user, set } = ctx
    const path = new URL(request.url).pathname
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
      response: { 200: Page, ...errors },
      detail: { summary: 'List, search, filter and sort tasks', description: 'Paged with an opaque cursor. `total` counts matches exactly up to 1,000; above that it is 1000 with `total_is_exact: false`.' },
    })
    .post('', (ctx) => change(ctx, async (d) => ({ status: 201, body: await createTask(d, ctx.user, ctx.body) })), {
      auth: true,
      body: CreateBody,
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
      body: UpdateBody,
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
      detail: { summary: 'Delete a task' },
    })
    .post('/:id/complete', (ctx) => change(ctx, async (d) => ({ status: 200, body: await completeTask(d, ctx.user, ctx.params.id) })), {
      auth: true,
      headers: IdempotencyHeaders,
      response: { 200: Task, ...errors },
      detail: { summary: 'Mark a task completed (no change if it already is)' },
    })
    .post('/:id/reopen', (ctx) => change(ctx, async (d) => ({ status: 200, body: await reopenTask(d, ctx.user, ctx.params.id) })), {
      auth: true,
      headers: IdempotencyHeaders,
      response: { 200: Task, ...errors },
      detail: { summary: 'Mark a task pending again (no change if it already is)' },
    })
}

