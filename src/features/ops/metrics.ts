// GET /metrics in the Prometheus text format (prom-client): for now the outbox backlog; more come with observability.
import { Elysia } from 'elysia'
import { Gauge, Registry } from 'prom-client'
import { seedOf, type AppDeps } from '../../context'
import { outboxBacklog } from '../../events/relay'

/** A registry per app (tests build several apps in one process). */
export function createMetrics(deps: AppDeps) {
  const registry = new Registry()
  // Read at scrape time from the database, so every replica reports the shared outbox.
  const backlog = () => outboxBacklog(deps.database)
  new Gauge({
    name: 'todo_outbox_pending_events',
    help: 'Events written to the outbox and not yet published.',
    registers: [registry],
    async collect() {
      this.set((await backlog()).pending)
    },
  })
  new Gauge({
    name: 'todo_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest unpublished event (0 when none is pending).',
    registers: [registry],
    async collect() {
      this.set((await backlog()).oldestAgeSeconds)
    },
  })
  return registry
}

export const metricsRoutes = (deps: AppDeps) => {
  const registry = createMetrics(deps)
  return new Elysia({ name: 'metrics-routes', seed: seedOf(deps), detail: { tags: ['Operations'] } }).get(
    '/metrics',
    async () => new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }),
    { detail: { summary: 'Prometheus metrics', security: [] } },
  )
}
