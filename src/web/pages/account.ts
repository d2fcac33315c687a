// Account pages in the browser: sign-up, log-in, log-out and settings (time zone, API tokens).
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { clientAddress, isHttps, publicOrigin } from '../../lib/client-address'
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../../lib/cookies'
import { AppError, notFound } from '../../lib/errors'
import { redirect, safeLocalPath } from '../../lib/htmx'
import { parseWith } from '../../lib/validation'
import { createFeed, hasFeed, revokeFeed } from '../../features/calendar/service'
import { getWebhook, parseWebhookUrl, removeWebhook, setWebhook } from '../../features/reminders/webhooks'
import { field, withFormErrors, type Form } from '../forms'
import { respond } from '../respond'
import { AuthPage, SettingsPage, TokenList, type SettingsProps } from '../../../views/account'
import { exportAccount, exportTableCsv, exportTasks, isExportTable, tasksCsv } from '../../features/account/export'
import { ChangePasswordInput, CreateTokenInput, DeleteAccountInput, LogInInput, SignUpInput, UpdateAccountInput } from '../../features/auth/model'
import { changePassword, deleteAccount, logIn, logOut, resolveToken, signUp, updateAccount } from '../../features/auth/service'
import { createApiToken, listApiTokens, revokeApiToken } from '../../features/auth/tokens'
import { webSession } from '../session'
import { PRE_SESSION_COOKIE, sessionSecret, verifyCsrf, verifyPreSessionCsrf } from '../../features/auth/csrf'
import { authDepsOf } from '../../features/auth/deps'
import { myInvitations } from '../../features/projects/sharing'
import { putFlash, takeFlash } from '../../features/auth/flash'

let zones: string[] | undefined
/** Every IANA zone this runtime knows, plus UTC. */
const timezones = () => (zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')])

/** A file to save: the browser downloads it under `name` rather than showing it. */
const download = (name: string, type: string, body: string) =>
  new Response(body, { headers: { 'content-type': type, 'content-disposition': `attachment; filename="${name.replace(/[^\w.@-]/g, '_')}"`, 'cache-control': 'no-store' } })

export const accountPages = (deps: AppDeps) => {
  const authDeps = authDepsOf(deps)
  const maxAge = deps.env.sessionTtlDays * 86_400

  /** The sign-in form's CSRF token: the pre-session cookie's, minted on first visit. */
  function preSession(request: Request): { token: string; cookie?: string } {
    const existing = readCookie(request.headers.get('cookie'), PRE_SESSION_COOKIE)
    if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return { token: existing }
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url')
    const secure = isHttps(request, deps.env) ? '; Secure' : ''
    return { token, cookie: `${PRE_SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400${secure}` }
  }

  function authForm(
    request: Request,
    mode: 'login' | 'signup',
    next: string,
    status = 200,
    extra: { email?: string; error?: { field?: string; message: string }; notice?: string } = {},
  ) {
    const { token, cookie } = preSession(request)
    return respond(request, (nonce) => ({ html: AuthPage({ mode, nonce, csrf: token, next, ...extra }), status, headers: cookie ? { 'set-cookie': cookie } : undefined }))
  }

  /** GET /login and /signup: a signed-in visitor goes on to `next`; a dead session cookie is dropped with the form. */
  async function entry(request: Request, mode: 'login' | 'signup', nextParam: unknown) {
    const next = safeLocalPath(nextParam, '/tasks')
    const secret = sessionSecret(request)
    if (secret && (await resolveToken(authDeps, secret))) return redirect(request, next)
    const response = await authForm(request, mode, next)
    if (readCookie(request.headers.get('cookie'), SESSION_COOKIE) !== undefined) {
      response.headers.append('set-cookie', clearedSessionCookie(isHttps(request, deps.env)))
    }
    return response
  }

  function submit(mode: 'login' | 'signup') {
    return async ({ request, body }: { request: Request; body: unknown }) => {
      const form = (body ?? {}) as Form
      const next = safeLocalPath(field(form, 'next'), '/tasks')
      const email = field(form, 'email')
      try {
        verifyPreSessionCsrf(request, form)
        const ip = clientAddress(request, deps.env)
        const credentials = { email, password: field(form, 'password') }
        if (mode === 'signup') {
          // The same page whether or not the email had an account: the log-in form, the email filled in.
          const answer = await signUp(authDeps, parseWith(SignUpInput, { ...credentials, timezone: field(form, 'timezone') || undefined }), ip)
          return await authForm(request, 'login', next, 200, { email: answer.email, notice: answer.message })
        }
        const result = await logIn(authDeps, parseWith(LogInInput, credentials), ip)
        // A new session id at every sign-in; the old pre-session token is dropped.
        const response = redirect(request, next)
        response.headers.append('set-cookie', sessionCookie(result.token, maxAge, isHttps(request, deps.env)))
        response.headers.append('set-cookie', `${PRE_SESSION_COOKIE}=; Path=/; Max-Age=0`)
        return response
      } catch (failure) {
        if (!(failure instanceof AppError)) throw failure
        const error = { field: failure.field, message: failure.message }
        const headers = failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {}
        const response = await authForm(request, mode, next, failure.status, { email, error })
        for (const [k, v] of Object.entries(headers)) response.headers.set(k, v)
        return response
      }
    }
  }

  async function settings(
    request: Request,
    user: { id: string; email: string; timezone: string },
    csrf: string,
    extra: Pick<SettingsProps, 'created' | 'saved' | 'error' | 'passwordChanged' | 'passwordError' | 'deleteError'> & { status?: number; feedUrl?: string } = {},
  ) {
    const [tokens, feedOn, hook, invitations] = await Promise.all([listApiTokens(authDeps, user.id), hasFeed(authDeps.db, user.id), getWebhook(authDeps.db, user.id), myInvitations(authDeps, user)])
    return respond(request, (nonce) => ({
      html: SettingsPage({
        nonce,
        csrf,
        email: user.email,
        timezone: user.timezone,
        timezones: timezones(),
        tokens,
        invitations,
        now: authDeps.clock(),
        ...extra,
        feed: { enabled: feedOn, url: extra.feedUrl },
        webhook: hook ? { url: hook.url, secret: hook.secret } : undefined,
      }),
      status: extra.status ?? 200,
    }))
  }

  return new Elysia({ name: 'account-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get('/login', ({ request, query }) => entry(request, 'login', query.next))
    .get('/signup', ({ request, query }) => entry(request, 'signup', query.next))
    .post('/login', submit('login'))
    .post('/signup', submit('signup'))
    .post('/logout', async ({ request, body }) => {
      const secret = sessionSecret(request)
      if (secret) {
        verifyCsrf(request, body)
        await logOut(authDeps, secret)
      }
      const response = redirect(request, '/login')
      response.headers.append('set-cookie', clearedSessionCookie(isHttps(request, deps.env)))
      return response
    })
    .get(
      '/settings',
      async ({ request, user, csrf }) => {
        // A token created by the POST just before is shown this once (post/redirect/get): a reload shows it no more.
        const flash = await takeFlash(authDeps.db, sessionSecret(request)!, 'api-token', authDeps.clock())
        return settings(request, user, csrf, { created: flash ? (JSON.parse(flash) as { name: string; token: string }) : undefined })
      },
      { page: true },
    )
    .post(
      '/settings/timezone',
      ({ request, user, csrf, body }) =>
        withFormErrors(
          async () => {
            const account = await updateAccount(authDeps, user.id, parseWith(UpdateAccountInput, { timezone: field(body as Form, 'timezone') }))
            return settings(request, { ...user, timezone: account.timezone }, csrf, { saved: true })
          },
          (error) => settings(request, user, csrf, { status: 400, error }),
        ),
      { page: true },
    )
    .post(
      '/settings/tokens',
      ({ request, user, csrf, body }) =>
        withFormErrors(
          async () => {
            const created = await createApiToken(authDeps, user, parseWith(CreateTokenInput, { name: field(body as Form, 'name') }))
            // Never answered here, where a reload would post again: kept for the session's next GET /settings,
            // sealed (src/features/auth/flash.ts), and never in a URL.
            await putFlash(authDeps.db, sessionSecret(request)!, 'api-token', JSON.stringify({ name: created.name, token: created.token }), authDeps.clock())
            return redirect(request, '/settings#new-token')
          },
          (error) => settings(request, user, csrf, { status: 400, error }),
        ),
      { page: true },
    )
    .post(
      '/settings/password',
      ({ request, user, csrf, body }) =>
        withFormErrors(
          async () => {
            const form = body as Form
            await changePassword(authDeps, user.id, parseWith(ChangePasswordInput, { current_password: field(form, 'current_password'), password: field(form, 'password') }), sessionSecret(request))
            return settings(request, user, csrf, { passwordChanged: true })
          },
          (error) => settings(request, user, csrf, { status: 400, passwordError: error }),
        ),
      { page: true },
    )
    .post(
      '/settings/delete',
      ({ request, user, csrf, body }) =>
        withFormErrors(
          async () => {
            const form = body as Form
            await deleteAccount(authDeps, user.id, parseWith(DeleteAccountInput, { password: field(form, 'password'), confirm: field(form, 'confirm') }))
            const response = redirect(request, '/login?deleted=1')
            response.headers.append('set-cookie', clearedSessionCookie(isHttps(request, deps.env)))
            return response
          },
          (error) => settings(request, user, csrf, { status: 400, deleteError: error }),
        ),
      { page: true },
    )
    // Everything the account keeps, to take away: JSON whole, or as CSV a table a file (the tasks at export.csv).
    .get(
      '/settings/export.json',
      async ({ user }) => download(`todo-chatbot-${user.email}.json`, 'application/json', JSON.stringify(await exportAccount(authDeps.db, user), null, 2)),
      { page: true },
    )
    .get('/settings/export.csv', async ({ user }) => download(`todo-chatbot-${user.email}-tasks.csv`, 'text/csv; charset=utf-8', tasksCsv(await exportTasks(authDeps.db, user))), { page: true })
    .get(
      '/settings/export/:file',
      async ({ user, params }) => {
        const table = params.file.replace(/\.csv$/, '')
        if (!params.file.endsWith('.csv') || !isExportTable(table)) throw notFound('export')
        return download(`todo-chatbot-${user.email}-${table}.csv`, 'text/csv; charset=utf-8', await exportTableCsv(authDeps.db, user, table))
      },
      { page: true },
    )
    .post(
      '/settings/webhook',
      ({ request, user, csrf, body }) =>
        withFormErrors(
          async () => {
            await setWebhook(authDeps.db, user.id, parseWebhookUrl(field(body as Form, 'url'), deps.env.webhookAllowPrivate), authDeps.clock())
            return settings(request, user, csrf, { saved: true })
          },
          (error) => settings(request, user, csrf, { status: 400, error }),
        ),
      { page: true },
    )
    .post(
      '/settings/webhook/remove',
      async ({ request, user }) => {
        await removeWebhook(authDeps.db, user.id)
        return redirect(request, '/settings')
      },
      { page: true },
    )
    .post(
      '/settings/calendar',
      async ({ request, user, csrf }) => {
        const token = await createFeed(authDeps.db, user.id, authDeps.clock())
        return settings(request, user, csrf, { feedUrl: `${publicOrigin(request, deps.env)}/calendar/${token}.ics` })
      },
      { page: true },
    )
    .post(
      '/settings/calendar/revoke',
      async ({ request, user }) => {
        await revokeFeed(authDeps.db, user.id)
        return redirect(request, '/settings')
      },
      { page: true },
    )
    .post(
      '/settings/tokens/:id/revoke',
      async ({ request, user, csrf, params }) => {
        await revokeApiToken(authDeps, user.id, params.id)
        return respond(request, {
          htmx: async () => ({ html: TokenList({ tokens: await listApiTokens(authDeps, user.id), csrf, timezone: user.timezone, now: authDeps.clock() }) }),
          plain: () => redirect(request, '/settings'),
        })
      },
      { page: true },
    )
}
