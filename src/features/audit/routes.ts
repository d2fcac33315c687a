// REST route for the audit trail: GET /api/v1/audit, the caller's tasks and their shared projects' ones, filterable by task, paged.
import { Elysia, t } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { authGuard } from '../auth/guard'
import { listAudit } from './service'
import { ErrorBody } from '../../lib/api-schemas'
import { pagingQuery } from '../../lib/paging'

const Entry = t.Object({
  id: t.String({ format: 'uuid' }),
  task_id: t.String({ format: 'uuid' }),
  project_id: t.Nullable(t.String({ format: 'uuid', description: "The task's project at the time" })),
  actor_id: t.Nullable(t.String({ format: 'uuid', description: 'Who made the change; null when the app did (a repeating task\'s next instance)' })),
  actor_email: t.Nullable(t.String({ description: 'Their email; null when the app made the change or the account is gone' })),
  action: t.String({ description: 'created, updated, completed, reopened, deleted, restored or recurred' }),
  title: t.String(),
  changes: t.Array(t.String(), { description: 'The fields that changed (updates and completions)' }),
  before: t.Nullable(t.Any({ description: 'The task before the change' })),
  after: t.Nullable(t.Any({ description: 'The task after the change (null for a deletion)' })),
  occurred_at: t.String({ format: 'date-time' }),
})

export const auditRoutes = (deps: AppDeps) =>
  new Elysia({ name: 'audit-routes', prefix: '/api/v1', seed: seedOf(deps), detail: { tags: ['Audit'] } })
    .use(authGuard(deps))
    .get('/audit', ({ user, query }) => listAudit(deps.database.db, user.id, query), {
      auth: true,
      query: t.Object(
        {
          task_id: t.Optional(t.String({ description: 'Only this task' })),
          ...pagingQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: t.Object({ items: t.Array(Entry), total: t.Integer(), total_is_exact: t.Boolean(), next_cursor: t.Nullable(t.String()) }), 400: ErrorBody, 401: ErrorBody },
      detail: { summary: 'Who changed what and when, newest first (built from the task events): your tasks, and those of the projects shared with you' },
    })
