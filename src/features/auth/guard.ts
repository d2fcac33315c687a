// The `auth` route option: resolves `Authorization: Bearer` to the user, or answers 401.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { AppError } from '../../lib/errors'
import { noteUser } from '../../lib/edge/request-context'
import { resolveToken, type AuthUser } from './service'
import { tokenCacheOf } from './token-cache'

/** The bearer token of a request, if it sent one. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization')
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match?.[1]
}

export const authGuard = (deps: AppDeps) => {
  const tokens = tokenCacheOf(deps)
  return new Elysia({ name: 'auth-guard', seed: seedOf(deps) })
    .macro({
      /** `{ auth: true }` on a route: the handler gets `user`, or the request gets 401. */
      auth: {
        async resolve({ request }): Promise<{ user: AuthUser }> {
          const token = bearerToken(request)
          if (!token) throw new AppError('unauthorized', 'Send an API token or session token as "Authorization: Bearer <token>"')
          const user = await resolveToken({ db: deps.database.db, clock: deps.clock, tokens }, token)
          if (!user) throw new AppError('unauthorized', 'The token is invalid, expired or revoked')
          noteUser(request, user.id)
          return { user }
        },
      },
    })
}
