// createApp(deps): composes the feature plugins into one Elysia app, for the server and for tests alike.
import { Elysia } from 'elysia'
import pkg from '../package.json'
import { appDeps, type AppOptions } from './context'
import { eventDelivery as deliveryOf, type EventDelivery } from './events/delivery'
import { eventRoutes, sidecarRoutes } from './events/routes'
import { auditRoutes } from './features/audit/routes'
import { calendarRoutes } from './features/calendar/routes'
import { importRoutes } from './features/import/routes'
import { savedFilterRoutes } from './features/filters/routes'
import { projectRoutes } from './features/projects/routes'
import { sharingRoutes } from './features/projects/sharing-routes'
import { savedViewPages } from './web/pages/saved-views'
import { auditConsumer } from './features/audit/service'
import { authRoutes } from './features/auth/routes'
import { adminRoutes } from './features/ops/admin'
import { opsRoutes, type Readiness } from './features/ops/routes'
import { reminderDeliveryConsumer, reminderFollowConsumer, reminderJobsConsumer } from './features/reminders/consumers'
import { jobCallbackRoutes, reminderRoutes } from './features/reminders/routes'
import { countedScheduler } from './features/reminders/scheduler'
import type { ReminderScheduler } from './context'
import { withLiveOrigin } from './events/live-notice'
import { recurrenceConsumer } from './features/tasks/consumers'
import { taskRoutes } from './features/tasks/routes'
import { httpEdge } from './lib/http'
import { BODY_LIMIT } from './lib/edge/body-limits'
import { tracingEnabled } from './lib/tracing'
import { mcpRoutes } from './mcp/http'
import { chatRoutes } from './chat/routes'
import { openapiDocs } from './openapi'
import { assetRoutes } from './web/assets'
import { htmlError } from './web/errors'
import { accountPages } from './web/pages/account'
import { auditPages } from './web/pages/audit'
import { chatPages } from './web/pages/chat'
import { importPages } from './web/pages/import'
import { livePages } from './web/pages/live'
import { plannerPages } from './web/pages/planner'
import { reminderPages } from './web/pages/reminders'
import { taskPages } from './web/pages/tasks'
import { completeOfferPages } from './web/pages/complete-offer'
import { projectPages } from './web/pages/projects'
import { SECURITY_HEADERS } from './web/html'

export type { AppDeps, AppOptions } from './context'

/** For apps built without one (tests of other features): reminder jobs are not kept anywhere. */
const NO_SCHEDULER: ReminderScheduler = { kind: 'local', schedule: async () => {}, cancel: async () => {} }

/**
 * Where delivered events go: the consumers, counted in `deps.metrics`. The in-process bus calls it directly;
 * with a sidecar, createApp serves it on the sidecar's routes.
 */
export function eventDelivery(options: AppOptions): EventDelivery {
  const deps = appDeps(options)
  const metrics = deps.metrics
  return deliveryOf(deps, {
    pubsubName: deps.env.pubsubName,
    consumers: [auditConsumer, recurrenceConsumer(deps.env.quotas), reminderFollowConsumer(deps.env.quotas), reminderJobsConsumer(countedScheduler(deps.scheduler ?? NO_SCHEDULER, metrics?.reminders)), reminderDeliveryConsumer],
    onDelivery: metrics?.observeDelivery,
    onDeadLetter: metrics?.observeDeadLetter,
  })
}

/**
 * Builds the app. `readiness.draining` turns /readyz to 503 during shutdown. GET /metrics is not here: it has
 * a listener of its own (features/ops/metrics.ts), so whatever routes traffic to the app cannot reach it.
 */
export function createApp(options: AppOptions, readiness: Readiness = { draining: false }) {
  const deps = appDeps(options)
  const { metrics } = deps
  return new Elysia({ normalize: false, serve: { maxRequestBodySize: BODY_LIMIT + 64 * 1024 } })
    // A page's own change is not echoed to its live stream (docs/architecture.md, "Live updates").
    .wrap((handle, request) => ((...args: unknown[]) => withLiveOrigin(request, () => handle(...args))) as never)
    .use(httpEdge({ log: deps.log, htmlError, headers: SECURITY_HEADERS, onRequestDone: metrics.observeRequest, tracing: tracingEnabled(), requestTimeoutMs: deps.env.requestTimeoutMs }))
    .use(openapiDocs(pkg.version))
    .use(opsRoutes(deps, readiness))
    .use(adminRoutes(deps))
    .use(assetRoutes())
    .use(authRoutes(deps))
    .use(taskRoutes(deps))
    .use(auditRoutes(deps))
    .use(reminderRoutes(deps))
    .use(calendarRoutes(deps))
    .use(importRoutes(deps))
    .use(savedFilterRoutes(deps))
    .use(projectRoutes(deps))
    .use(sharingRoutes(deps))
    .use(mcpRoutes(deps, metrics.observeToolCall))
    .use(chatRoutes(deps))
    .use(sidecarRoutes(deps, [eventRoutes(deps, eventDelivery(deps)), jobCallbackRoutes(deps)]))
    .use(accountPages(deps))
    .use(importPages(deps))
    .use(projectPages(deps))
    .use(taskPages(deps))
    .use(completeOfferPages(deps))
    .use(savedViewPages(deps))
    .use(plannerPages(deps))
    .use(auditPages(deps))
    .use(reminderPages(deps))
    .use(chatPages(deps))
    .use(livePages(deps))
}

export type App = ReturnType<typeof createApp>
