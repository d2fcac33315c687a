// The web UI's session: the `page` route option that requires a signed-in user.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../context'
import { noteUser } from '../lib/edge/request-context'
import { AppError } from '../lib/errors'
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
  /** The user the session cookie names, noted for the request's log line; null when signed out. */
  const signedIn = async (request: Request): Promise<AuthUser | null> => {
    const secret = sessionSecret(request)
    const user = secret ? await resolveToken({ db: deps.database.db, clock: deps.clock, tokens }, secret) : null
    if (user) noteUser(request, user.id)
    return user
  }
  return new Elysia({ name: 'web-session', seed: seedOf(deps) })
    .macro({
      /** `{ page: true }`: the handler gets the signed-in `user` (from the cookie) and the form `csrf` token; unsafe requests must carry it. */
      page: {
        async resolve({ request, body }): Promise<{ user: AuthUser; csrf: string }> {
          const user = await signedIn(request)
          if (!user) throw loginRedirect(request)
          verifyCsrf(request, body)
          return { user, csrf: csrfToken(request)! }
        },
      },
      /**
       * `{ stream: true }`: a GET a page's script opens by itself (the live stream): signed out is a 401, not a
       * redirect, since an EventSource cannot follow one to a page and the browser would report it as an error.
       */
      stream: {
        async resolve({ request }): Promise<{ user: AuthUser }> {
          const user = await signedIn(request)
          if (!user) throw new AppError('unauthorized', 'Sign in to get live updates')
          return { user }
        },
      },
    })
}
