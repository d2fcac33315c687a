// The web UI's session: the `page` route option that requires a signed-in user.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../context'
import { noteUser } from '../lib/edge/request-context'
import { Redirect } from '../lib/htmx'
import { resolveToken, type AuthUser } from '../features/auth/service'
import { tokenCacheOf } from '../features/auth/token-cache'
import { csrfToken, sessionSecret, verifyCsrf } from '../features/auth/csrf'

/** Where to send a signed-out visitor: the log-in page, coming back here afterwards. */
export function loginRedirect(request: Request): Redirect {
  const url = new URL(request.url)
  const back = request.method === 'GET' && request.headers.get('hx-request') !== 'true' ? url.pathname + url.search : '/tasks'
  return new Redirect(`/login?next=${encodeURIComponent(back)}`)
}

export const webSession = (deps: AppDeps) => {
  const tokens = tokenCacheOf(deps)
  return new Elysia({ name: 'web-session', seed: seedOf(deps) })
    .macro({
      /** `{ page: true }`: the handler gets the signed-in `user` (from the cookie) and the form `csrf` token; unsafe requests must carry it. */
      page: {
        async resolve({ request, body }): Promise<{ user: AuthUser; csrf: string }> {
          const secret = sessionSecret(request)
          const user = secret ? await resolveToken({ db: deps.database.db, clock: deps.clock, tokens }, secret) : null
          if (!user) throw loginRedirect(request)
          verifyCsrf(request, body)
          noteUser(request, user.id)
          return { user, csrf: csrfToken(request)! }
        },
      },
    })
}
