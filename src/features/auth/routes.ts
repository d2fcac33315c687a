// REST routes for accounts: sign-up, log-in, log-out, the account itself and personal API tokens.
import { Elysia, t } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { ErrorBody } from '../../lib/api-schemas'
import { clientAddress, isHttps } from '../../lib/client-address'
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../../lib/cookies'
import { authGuard, bearerToken } from './guard'
import { verifyCsrf } from './csrf'
import { CreateTokenInput, LogInInput, SignUpInput, UpdateAccountInput } from './model'
import { logIn, logOut, signUp, toAccountView, updateAccount, type SignedIn } from './service'
import { createApiToken, listApiTokens, revokeApiToken } from './tokens'
import { authDepsOf } from './deps'

const Account = t.Object({ id: t.String({ format: 'uuid' }), email: t.String(), timezone: t.String() })
const SignedInBody = t.Object({
  user: Account,
  token: t.String({ description: 'Session token: send as "Authorization: Bearer <token>". Also set as the session cookie.' }),
  expires_at: t.String({ format: 'date-time' }),
})
const SignUpBody = t.Object({
  email: t.String({ description: 'The email as it is stored (trimmed, lower-case)' }),
  message: t.String(),
})
const Token = t.Object({
  id: t.String({ format: 'uuid' }),
  name: t.String(),
  token_prefix: t.String({ description: 'The first characters of the token, to tell tokens apart' }),
  created_at: t.String({ format: 'date-time' }),
  last_used_at: t.Nullable(t.String({ format: 'date-time' })),
})

export const authRoutes = (deps: AppDeps) => {
  const authDeps = authDepsOf(deps)
  const maxAge = deps.env.sessionTtlDays * 86_400
  const answer = (signedIn: SignedIn, request: Request, set: { headers: Record<string, unknown> }) => {
    set.headers['set-cookie'] = sessionCookie(signedIn.token, maxAge, isHttps(request, deps.env))
    set.headers['cache-control'] = 'no-store'
    return { user: signedIn.user, token: signedIn.token, expires_at: signedIn.expiresAt.toISOString() }
  }
  return new Elysia({ name: 'auth-routes', prefix: '/api/v1', seed: seedOf(deps), detail: { tags: ['Accounts'] } })
    .use(authGuard(deps))
    .post(
      '/auth/signup',
      async ({ body, request, status }) => status(202, await signUp(authDeps, body, clientAddress(request, deps.env))),
      {
        // JSON only, as the task routes: also what puts the body's schema in the OpenAPI document.
        parse: 'json',
        body: SignUpInput,
        response: { 202: SignUpBody, 400: ErrorBody, 429: ErrorBody, 503: ErrorBody },
        detail: {
          summary: 'Create an account (then log in)',
          description:
            'Answers 202 with the same body whether or not the email already had an account (an existing account is left untouched), ' +
            'so the answer never reveals who has one. Log in afterwards with POST /auth/login.',
          security: [],
        },
      },
    )
    .post(
      '/auth/login',
      async ({ body, request, set }) => {
        const ip = clientAddress(request, deps.env)
        return answer(await logIn(authDeps, body, ip), request, set)
      },
      {
        // JSON only, as the task routes: also what puts the body's schema in the OpenAPI document.
        parse: 'json',
        body: LogInInput,
        response: { 200: SignedInBody, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody, 503: ErrorBody },
        detail: {
          summary: 'Sign in with email and password',
          description:
            'Returns a session token. Attempts are limited per account and address, per address, and (briefly) per account (429 with Retry-After); ' +
            'when too many passwords are being checked at once, 503 with Retry-After.',
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
        set.headers['set-cookie'] = clearedSessionCookie(isHttps(request, deps.env))
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
      // JSON only, as the task routes: also what puts the body's schema in the OpenAPI document.
      parse: 'json',
      body: UpdateAccountInput,
      response: { 200: Account, 400: ErrorBody, 401: ErrorBody },
      detail: { summary: 'Change the account time zone' },
    })
    .get('/tokens', async ({ user }) => {
      const items = await listApiTokens(authDeps, user.id)
      return { items, total: items.length, total_is_exact: true, next_cursor: null }
    }, {
      auth: true,
      response: { 200: t.Object({ items: t.Array(Token), total: t.Integer(), total_is_exact: t.Boolean(), next_cursor: t.Null() }), 401: ErrorBody },
      detail: { summary: 'List active personal API tokens' },
    })
    .post('/tokens', async ({ user, body, set, status }) => {
      set.headers['cache-control'] = 'no-store'
      return status(201, await createApiToken(authDeps, user, body))
    }, {
      auth: true,
      // JSON only, as the task routes: also what puts the body's schema in the OpenAPI document.
      parse: 'json',
      body: CreateTokenInput,
      response: { 201: t.Composite([Token, t.Object({ token: t.String({ description: 'Shown only this once' }) })]), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      detail: { summary: 'Create a personal API token (its value is shown once); needs a session token, never an API token', description: 'At most API_TOKENS_PER_USER (default 50) active tokens per account; past it, 409 quota_exceeded.' },
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
