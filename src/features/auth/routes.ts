// REST routes for accounts: sign-up, log-in, log-out, the account itself and personal API tokens.
import { Elysia, t } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { ErrorBody } from '../../lib/api-schemas'
import { clearedSessionCookie, clientIp, isHttps, readCookie, SESSION_COOKIE, sessionCookie } from '../../lib/cookies'
import { authGuard, bearerToken } from './guard'
import { verifyCsrf } from './csrf'
import {
  createApiToken,
  listApiTokens,
  logIn,
  logOut,
  PASSWORD_MAX,
  PASSWORD_MIN,
  revokeApiToken,
  signUp,
  toAccountView,
  updateAccount,
  type SignedIn,
} from './service'

const Account = t.Object({ id: t.String({ format: 'uuid' }), email: t.String(), timezone: t.String() })
const SignedInBody = t.Object({
  user: Account,
  token: t.String({ description: 'Session token: send as "Authorization: Bearer <token>". Also set as the session cookie.' }),
  expires_at: t.String({ format: 'date-time' }),
})
const Token = t.Object({
  id: t.String({ format: 'uuid' }),
  name: t.String(),
  token_prefix: t.String({ description: 'The first characters of the token, to tell tokens apart' }),
  created_at: t.String({ format: 'date-time' }),
  last_used_at: t.Nullable(t.String({ format: 'date-time' })),
})
const Credentials = {
  email: t.String({ maxLength: 254, error: 'email must be an address like name@example.com' }),
  password: t.String({ maxLength: PASSWORD_MAX * 4, error: `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters` }),
}

export const authRoutes = (deps: AppDeps) => {
  const authDeps = { db: deps.database.db, clock: deps.clock ?? (() => new Date()), sessionTtlDays: deps.env.sessionTtlDays, quotas: deps.env.quotas }
  const maxAge = deps.env.sessionTtlDays * 86_400
  const answer = (signedIn: SignedIn, request: Request, set: { headers: Record<string, unknown> }) => {
    set.headers['set-cookie'] = sessionCookie(signedIn.token, maxAge, isHttps(request, deps.env.trustProxy))
    set.headers['cache-control'] = 'no-store'
    return { user: signedIn.user, token: signedIn.token, expires_at: signedIn.expiresAt.toISOString() }
  }
  return new Elysia({ name: 'auth-routes', prefix: '/api/v1', seed: seedOf(deps), detail: { tags: ['Accounts'] } })
    .use(authGuard(deps))
    .post(
      '/auth/signup',
      async ({ body, request, server, set, status }) => {
        const ip = clientIp(request, server?.requestIP(request)?.address, deps.env.trustProxy)
        return status(201, answer(await signUp(authDeps, body, ip), request, set))
      },
      {
        body: t.Object(
          {
            ...Credentials,
            timezone: t.Optional(t.String({ maxLength: 64, description: 'IANA zone, e.g. Europe/Berlin; defaults to UTC' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SignedInBody, 400: ErrorBody, 409: ErrorBody, 429: ErrorBody },
        detail: { summary: 'Create an account and sign in', security: [] },
      },
    )
    .post(
      '/auth/login',
      async ({ body, request, server, set }) => {
        const ip = clientIp(request, server?.requestIP(request)?.address, deps.env.trustProxy)
        return answer(await logIn(authDeps, body, ip), request, set)
      },
      {
        body: t.Object(Credentials, { additionalProperties: false }),
        response: { 200: SignedInBody, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
        detail: {
          summary: 'Sign in with email and password',
          description: 'Returns a session token. Failed attempts are limited per account and per address (429 with Retry-After).',
          security: [],
        },
      },
    )
    .post(
      '/auth/logout',
      async ({ request, set, status }) => {
        const bearer = bearerToken(request)
        const cookie = bearer ? undefined : readCookie(request.headers.get('cookie'), SESSION_COOKIE)
        // A browser sends its cookie wherever a request comes from: log-out by cookie must prove it came from us.
        if (cookie) verifyCsrf(request, undefined)
        const token = bearer ?? cookie
        if (token) await logOut(authDeps, token)
        set.headers['set-cookie'] = clearedSessionCookie(isHttps(request, deps.env.trustProxy))
        return status(204, undefined)
      },
      { response: { 204: t.Undefined() }, detail: { summary: 'End the current session (from the bearer token, or the cookie with its X-CSRF-Token)', security: [] } },
    )
    .get('/me', ({ user }) => toAccountView(user), {
      auth: true,
      response: { 200: Account, 401: ErrorBody },
      detail: { summary: 'The signed-in account' },
    })
    .patch('/me', ({ user, body }) => updateAccount(authDeps, user.id, body), {
      auth: true,
      body: t.Object({ timezone: t.String({ maxLength: 64 }) }, { additionalProperties: false }),
      response: { 200: Account, 400: ErrorBody, 401: ErrorBody },
      detail: { summary: 'Change the account time zone' },
    })
    .get('/tokens', async ({ user }) => {
      const items = await listApiTokens(authDeps, user.id)
      return { items, total: items.length, next_cursor: null }
    }, {
      auth: true,
      response: { 200: t.Object({ items: t.Array(Token), total: t.Integer(), next_cursor: t.Null() }), 401: ErrorBody },
      detail: { summary: 'List active personal API tokens' },
    })
    .post('/tokens', async ({ user, body, set, status }) => {
      set.headers['cache-control'] = 'no-store'
      return status(201, await createApiToken(authDeps, user.id, body))
    }, {
      auth: true,
      body: t.Object({ name: t.String({ maxLength: 100, error: 'name must be 1 to 100 characters' }) }, { additionalProperties: false }),
      response: { 201: t.Composite([Token, t.Object({ token: t.String({ description: 'Shown only this once' }) })]), 400: ErrorBody, 401: ErrorBody, 409: ErrorBody },
      detail: { summary: 'Create a personal API token (its value is shown once)', description: 'At most API_TOKENS_PER_USER (default 50) active tokens per account; past it, 409 quota_exceeded.' },
    })
    .delete('/tokens/:id', async ({ user, params, status }) => {
      await revokeApiToken(authDeps, user.id, params.id)
      return status(204, undefined)
    }, {
      auth: true,
      response: { 204: t.Undefined(), 401: ErrorBody, 404: ErrorBody },
      detail: { summary: 'Revoke a personal API token; it stops working at once' },
    })
}
