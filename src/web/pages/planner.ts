// Planning views in the browser: Today (overdue, due today, done today), with overdue tasks moved in place.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { moveOverdue, todayView } from '../../features/planner/today'
import type { TaskDeps } from '../../features/tasks/service'
import type { AuthUser } from '../../features/auth/service'
import { isHtmx, redirect } from '../../lib/htmx'
import { withFormErrors, type FormError } from '../forms'
import { htmlResponse, newNonce } from '../html'
import { webSession } from '../session'
import { Today, TodayPage } from '../../../views/planner'

type Form = Record<string, string | string[] | undefined>
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const first = (v: string | string[] | undefined) => all(v)[0]?.trim() || undefined

export const plannerPages = (deps: AppDeps) => {
  const td: TaskDeps = { db: deps.database.db, clock: deps.clock ?? (() => new Date()) }

  async function today(request: Request, user: AuthUser, csrf: string, options: { status?: number; notice?: string; error?: FormError } = {}) {
    const view = await todayView(td, user)
    const ctx = { csrf, timezone: user.timezone, now: td.clock() }
    const notice = options.error?.message ?? options.notice
    const nonce = newNonce()
    // htmx swaps the content only; a plain visit gets the page.
    const body = isHtmx(request) ? (Today({ view, ctx, notice }) as string) : (TodayPage({ view, ctx, nonce, email: user.email, notice }) as string)
    return htmlResponse(request, body, { nonce, status: options.status ?? 200 })
  }

  return new Elysia({ name: 'planner-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get('/today', ({ request, user, csrf }) => today(request, user, csrf), { page: true })
    .post(
      '/today/move',
      ({ request, user, csrf, body }) => {
        const form = body as Form
        const to = first(form.to) === 'date' ? (first(form.date) ?? '') : first(form.to)
        const ids = first(form.all) === '1' ? 'all' : all(form.ids)
        return withFormErrors(
          async () => {
            const moved = await moveOverdue(td, user, ids, to)
            const notice = moved.length === 1 ? `Moved "${moved[0]!.title}".` : `Moved ${moved.length} tasks.`
            return isHtmx(request) ? today(request, user, csrf, { notice }) : redirect(request, '/today')
          },
          (error) => today(request, user, csrf, { status: 400, error }),
        )
      },
      { page: true },
    )
}
