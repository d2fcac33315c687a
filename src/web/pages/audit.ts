// The audit trail in the browser: GET /audit (all activity) and /audit?task_id= (one task's history); a deleted
// task still in the trash can be restored from it.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { listAudit } from '../../features/audit/service'
import { inTrash } from '../../features/tasks/service'
import { respond } from '../respond'
import { webSession } from '../session'
import { AuditPage } from '../../../views/audit'

export const auditPages = (deps: AppDeps) =>
  new Elysia({ name: 'audit-pages', seed: seedOf(deps), detail: { hide: true } }).use(webSession(deps)).get(
    '/audit',
    async ({ request, user, csrf, query }) => {
      const params: Record<string, string> = {}
      for (const key of ['task_id', 'cursor'] as const) if (query[key]) params[key] = query[key]
      const page = await listAudit(deps.database.db, user.id, { ...params, limit: '50' })
      const trash = await inTrash({ db: deps.database.db, clock: deps.clock }, user, page.items.filter((e) => e.action === 'deleted').map((e) => e.task_id))
      return respond(request, (nonce) => ({
        html: AuditPage({
          nonce,
          csrf,
          userId: user.id,
          email: user.email,
          timezone: user.timezone,
          now: deps.clock(),
          entries: page.items,
          nextCursor: page.next_cursor,
          taskId: params.task_id,
          trash,
        }),
      }))
    },
    { page: true },
  )
