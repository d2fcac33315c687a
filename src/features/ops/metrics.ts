// GET /metrics in the Prometheus text format (prom-client): HTTP requests by route template and status with
// latency, event deliveries by topic and answer, MCP tool calls by tool and outcome, and the outbox backlog. Labels stay bounded: route templates, never raw paths or user ids.
import { Elysia } from 'elysia'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
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
  const requests = new Counter({
    name: 'todo_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'todo_http_request_duration_seconds',
    help: 'HTTP request latency, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const observeRequest = ({ method, route, status, seconds }: { method: string; route: string; status: number; seconds: number }) => {
    requests.inc({ method, route, status: String(status) })
    duration.observe({ method, route }, seconds)
  }
  const deliveries = new Counter({
    name: 'todo_event_deliveries_total',
    help: 'Events delivered to this app, by topic and the answer given (SUCCESS, RETRY, DROP).',
    labelNames: ['topic', 'status'] as const,
    registers: [registry],
  })
  const toolCalls = new Counter({
    name: 'todo_mcp_tool_calls_total',
    help: 'MCP tool calls, by tool and outcome (ok, error: refused with a reason, failed: unexpected).',
    labelNames: ['tool', 'outcome'] as const,
    registers: [registry],
  })
  return {
    registry,
    observeRequest,
    observeDelivery: (topic: string, status: string) => deliveries.inc({ topic, status }),
    observeToolCall: (tool: string, outcome: string) => toolCalls.inc({ tool, outcome }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>

export const metricsRoutes = (deps: AppDeps, { registry }: Metrics) => {
  return new Elysia({ name: 'metrics-routes', seed: seedOf(deps), detail: { tags: ['Operations'] } }).get(
    '/metrics',
    async () => new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }),
    { detail: { summary: 'Prometheus metrics', security: [] } },
  )
}
