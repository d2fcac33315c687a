// Liveness and readiness for orchestrators: /healthz (the process answers) and /readyz (the database answers).
import { Elysia, t } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { outboxBacklog } from '../../events/relay'

export interface Readiness {
  /** Set when shutdown begins, so the load balancer drains us before we stop. */
  draining: boolean
}

const READY_TIMEOUT_MS = 2000

export const opsRoutes = (deps: AppDeps, readiness: Readiness) =>
  new Elysia({ name: 'ops-routes', seed: seedOf(deps), detail: { tags: ['Operations'] } })
    .get('/healthz', () => ({ status: 'ok' as const }), {
      response: t.Object({ status: t.Literal('ok') }),
      detail: { summary: 'Liveness: the process is up', security: [] },
    })
    .get(
      '/readyz',
      async ({ status }) => {
        if (readiness.draining) return status(503, { status: 'draining', checks: { database: 'skipped' } })
        const ping = deps.database.ping().then(
          () => 'ok' as const,
          () => 'unreachable' as const,
        )
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, READY_TIMEOUT_MS, 'timeout'))
        const database = await Promise.race([ping, timeout])
        if (database !== 'ok') return status(503, { status: 'unavailable', checks: { database } })
        // Reported, not failed on: a backlog means the bus is slow or down, and this replica can still serve.
        const backlog = await outboxBacklog(deps.database)
        return { status: 'ready', checks: { database, outbox: { pending: backlog.pending, oldest_age_seconds: Math.round(backlog.oldestAgeSeconds) } } }
      },
      {
        response: {
          200: t.Object({
            status: t.String(),
            checks: t.Object({
              database: t.String(),
              outbox: t.Optional(t.Object({ pending: t.Integer(), oldest_age_seconds: t.Integer() }, { description: 'Events not yet published' })),
            }),
          }),
          503: t.Object({ status: t.String(), checks: t.Object({ database: t.String() }) }),
        },
        detail: { summary: 'Readiness: the database answers (503 while it does not, or while draining)', security: [] },
      },
    )
