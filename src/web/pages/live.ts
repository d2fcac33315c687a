// GET /live: the signed-in user's change stream (server-sent events), which the pages refresh their parts from (docs/architecture.md, "Live updates").
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { liveHubOf } from '../../features/live/hub'
import { AppError } from '../../lib/errors'
import { webSession } from '../session'

const REFUSED = {
  user: new AppError('rate_limited', 'Too many live pages open; close a tab, or reload later', undefined, 30),
  replica: new AppError('unavailable', 'Live updates are busy; try again shortly', undefined, 30),
  down: new AppError('unavailable', 'Live updates are not available right now; try again shortly', undefined, 5),
}

/** The hub (and its LISTEN) starts with the first stream asked for. */
export const livePages = (deps: AppDeps) =>
  new Elysia({ name: 'live-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get(
      '/live',
      async ({ request, user }) => {
        const hub = liveHubOf(deps)
        await hub.ready
        const opened = hub.open(user, request.signal)
        if ('refused' in opened) throw REFUSED[opened.refused]
        // x-accel-buffering: a proxy such as nginx (ingress-nginx) would otherwise hold the events back.
        return new Response(opened.stream, {
          headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-accel-buffering': 'no' },
        })
      },
      { stream: true },
    )
