// What only the Dapr sidecar calls (GET /dapr/subscribe, POST /events/*, the Jobs callback), behind one token check.
import { createHash, timingSafeEqual } from 'node:crypto'
import { Elysia, type AnyElysia } from 'elysia'
import { seedOf, type AppDeps } from '../context'
import { DEAD_LETTER_ROUTE } from './envelope'
import type { DeliveryOutcome, EventDelivery } from './delivery'

export { subscriptions } from './delivery'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** Whether `given` is `expected`, in time that does not depend on where they differ (both are hashed to equal length first). */
export function tokenMatches(given: string | null, expected: string): boolean {
  return given !== null && timingSafeEqual(digest(given), digest(expected))
}

/** The HTTP answer Dapr expects for each outcome: 200 with a status, 404 (dropped), 500 (retried). */
function answer(outcome: DeliveryOutcome, status: (code: 404 | 500, body: unknown) => unknown) {
  if (outcome === 'NO_ROUTE') return status(404, { error: { code: 'not_found', message: 'No such topic route' } })
  if (outcome === 'FAILED') return status(500, { status: 'RETRY' })
  return { status: outcome }
}

export const eventRoutes = (deps: AppDeps, delivery: EventDelivery) =>
  new Elysia({ name: 'event-routes', seed: seedOf(deps), detail: { tags: ['Events (Dapr)'] } })
    // With Subscription resources (DAPR_SUBSCRIPTIONS=declarative) Dapr would merge both lists, and the programmatic one wins.
    .get('/dapr/subscribe', () => (deps.env.daprSubscriptions === 'declarative' ? [] : delivery.subscriptions()), {
      detail: { summary: 'The topics this app subscribes to, for the Dapr sidecar ([] when the subscriptions are declarative)' },
    })
    .post(DEAD_LETTER_ROUTE, async ({ body, status }) => answer(await delivery.deliver(DEAD_LETTER_ROUTE, body), status), {
      detail: { summary: 'Records an event that could not be delivered (all .dlq topics); a large one as an excerpt with its size' },
    })
    .post('/events/:topic', async ({ params, body, status }) => answer(await delivery.deliver(`/events/${params.topic}`, body), status), {
      detail: { summary: 'Delivers one CloudEvent; answers SUCCESS, RETRY or DROP as Dapr expects' },
    })

/**
 * The routes a Dapr sidecar calls, mounted only when there is one (DAPR_HTTP_PORT): without it the
 * in-process bus calls the delivery directly and none of these paths exists. Every route inside,
 * whatever form of its path matched (a trailing slash, HEAD for GET), first checks `dapr-api-token`
 * against APP_API_TOKEN, which env.ts requires whenever a sidecar is configured.
 */
export function sidecarRoutes(deps: AppDeps, routes: AnyElysia[]) {
  const sidecar = new Elysia({ name: 'sidecar-routes', seed: seedOf(deps) })
  const token = deps.env.appApiToken
  if (!deps.env.daprHttpPort || !token) return sidecar
  const guarded = sidecar.onBeforeHandle(({ request, status }) => {
    if (!tokenMatches(request.headers.get('dapr-api-token'), token)) {
      return status(401, { error: { code: 'unauthorized', message: 'dapr-api-token missing or wrong' } })
    }
  })
  for (const plugin of routes) guarded.use(plugin)
  return guarded
}
