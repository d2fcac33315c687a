// GET /metrics in the Prometheus text format, on a listener of its own (METRICS_PORT): the process's instruments
// (lib/metrics.ts) and the outbox backlog, read from the database at scrape time so every replica reports the shared outbox.
import { Elysia } from 'elysia'
import { Gauge } from 'prom-client'
import { seedOf, type AppOptions } from '../../context'
import { outboxBacklog, type Backlog } from '../../events/relay'
import type { Metrics } from '../../lib/metrics'

function watchOutbox(deps: AppOptions, { registry }: Metrics): void {
  if (registry.getSingleMetric('todo_outbox_pending_events')) return
  // A scrape collects both gauges at once: they share one query.
  let reading: Promise<Backlog> | undefined
  const backlog = () =>
    (reading ??= outboxBacklog(deps.database).finally(() => {
      reading = undefined
    }))
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
}

/**
 * The metrics listener's app: GET /metrics and nothing else. It is never part of createApp, so the app's
 * port (and the Ingress in front of it) cannot serve it; src/index.ts listens on METRICS_HOST:METRICS_PORT.
 */
export const metricsApp = (deps: AppOptions, metrics: Metrics) => {
  watchOutbox(deps, metrics)
  return new Elysia({ name: 'metrics-app', seed: seedOf(deps) }).get(
    '/metrics',
    async () => new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }),
  )
}
