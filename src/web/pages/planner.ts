// Planning views in the browser: Today (overdue, due today, done today), Upcoming (14 days) with tasks moved in
// place, the month Calendar and Progress (charts of completions, overdue tasks and the streak).
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { MoveDay, MoveTarget } from '../../features/planner/model'
import { parseField } from '../../lib/validation'
import { moveOverdue, todayView } from '../../features/planner/today'
import type { TaskDeps } from '../../features/tasks/service'
import type { AuthUser } from '../../features/auth/service'
import { redirect } from '../../lib/htmx'
import { all, filled, withFormErrors, type Form, type FormError } from '../forms'
import { respond } from '../respond'
import { orOffer } from './complete-offer'
import { webSession } from '../session'
import { Month, MonthPage, Today, TodayPage, Upcoming, UpcomingPage } from '../../../views/planner'
import { monthView } from '../../features/planner/month'
import { isoDay, localDay } from '../../lib/time'
import { completeTask, createTask } from '../../features/tasks/service'
import { ToastPartial } from '../../../views/layout'
import { CreateTaskInput } from '../../features/tasks/model'
import { parseWith } from '../../lib/validation'
import { quickAddInput } from '../task-form'
import { moveToDay, upcomingView } from '../../features/planner/upcoming'
import { progressView } from '../../features/planner/progress'
import { Progress, ProgressPage } from '../../../views/progress'

export const plannerPages = (deps: AppDeps) => {
  const td: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }

  type Shown = { status?: number; notice?: string; error?: FormError }
  type Ctx = { csrf: string; timezone: string; now: Date }

  /** A planning view: its content alone for htmx (the swap target), else the whole page. */
  async function view<T>(
    request: Request,
    user: AuthUser,
    csrf: string,
    shown: Shown,
    load: () => Promise<T>,
    content: (data: T, ctx: Ctx, notice?: string) => JSX.Element,
    page: (data: T, ctx: Ctx, notice: string | undefined, nonce: string) => JSX.Element,
  ) {
    const data = await load()
    const ctx = { csrf, timezone: user.timezone, now: td.clock() }
    const notice = shown.error?.message ?? shown.notice
    const status = shown.status ?? 200
    return respond(request, {
      htmx: () => ({ html: content(data, ctx, notice), status }),
      plain: (nonce) => ({ html: page(data, ctx, notice, nonce), status }),
    })
  }

  const today = (request: Request, user: AuthUser, csrf: string, shown: Shown = {}) =>
    view(request, user, csrf, shown, () => todayView(td, user), (v, ctx, notice) => Today({ view: v, ctx, notice }), (v, ctx, notice, nonce) => TodayPage({ view: v, ctx, nonce, email: user.email, notice }))

  /** Upcoming's content alone, with a notice (to send beside a toast). */
  const upcomingContent = async (user: AuthUser, csrf: string, notice: string) =>
    Upcoming({ days: await upcomingView(td, user), ctx: { csrf, timezone: user.timezone, now: td.clock() }, notice })

  const upcoming = (request: Request, user: AuthUser, csrf: string, shown: Shown = {}) =>
    view(request, user, csrf, shown, () => upcomingView(td, user), (days, ctx, notice) => Upcoming({ days, ctx, notice }), (days, ctx, notice, nonce) => UpcomingPage({ days, ctx, nonce, email: user.email, notice }))

  type ViewOf = (request: Request, user: AuthUser, csrf: string, shown?: Shown) => Promise<Response>

  /** The add box's line as quick add reads it (on Today, due today unless it names a day), then the view again. */
  function add(request: Request, user: AuthUser, csrf: string, form: Form, again: ViewOf, path: string, dueToday: boolean) {
    return withFormErrors(
      async () => {
        const day = dueToday ? isoDay(localDay(td.clock(), user.timezone)) : undefined
        const task = await createTask(td, user, parseWith(CreateTaskInput, quickAddInput(form, user.timezone, td.clock(), day)))
        return respond(request, { htmx: () => again(request, user, csrf, { notice: `Added "${task.title}".` }), plain: () => redirect(request, path) })
      },
      (error) => again(request, user, csrf, { status: 400, error }),
    )
  }

  return new Elysia({ name: 'planner-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get('/today', ({ request, user, csrf }) => today(request, user, csrf), { page: true })
    .post(
      '/today/move',
      ({ request, user, csrf, body }) => {
        const form = body as Form
        const to = filled(form, 'to') === 'date' ? (filled(form, 'date') ?? '') : filled(form, 'to')
        const ids = filled(form, 'all') === '1' ? 'all' : all(form.ids)
        return withFormErrors(
          async () => {
            const moved = await moveOverdue(td, user, ids, parseField(MoveTarget, to, 'to'))
            const notice = moved.length === 1 ? `Moved "${moved[0]!.title}".` : `Moved ${moved.length} tasks.`
            return respond(request, { htmx: () => today(request, user, csrf, { notice }), plain: () => redirect(request, '/today') })
          },
          (error) => today(request, user, csrf, { status: 400, error }),
        )
      },
      { page: true },
    )
    .get('/upcoming', ({ request, user, csrf }) => upcoming(request, user, csrf), { page: true })
    .post('/today/add', ({ request, user, csrf, body }) => add(request, user, csrf, body as Form, today, '/today', true), { page: true })
    .post('/upcoming/add', ({ request, user, csrf, body }) => add(request, user, csrf, body as Form, upcoming, '/upcoming', false), { page: true })
    // The month is in the URL (?month=2026-12): reload, back and shared links keep it.
    .get(
      '/calendar',
      ({ request, user, csrf, query }) =>
        view(
          request,
          user,
          csrf,
          {},
          () => monthView(td, user, typeof query.month === 'string' ? query.month : undefined),
          (month, ctx) => Month({ view: month, today: localDay(ctx.now, ctx.timezone) }),
          (month, ctx, _notice, nonce) => MonthPage({ view: month, today: localDay(ctx.now, ctx.timezone), csrf, nonce, email: user.email }),
        ),
      { page: true },
    )
    // The period is in the URL (?days=7|30|90); anything else is a 400 naming `days`.
    .get(
      '/progress',
      ({ request, user, csrf, query }) =>
        view(
          request,
          user,
          csrf,
          {},
          () => progressView(td, user, typeof query.days === 'string' ? query.days : undefined),
          (progress) => Progress({ view: progress }),
          (progress, _ctx, _notice, nonce) => ProgressPage({ view: progress, csrf, nonce, email: user.email }),
        ),
      { page: true },
    )
    // Completing from Upcoming: the task leaves the view (a repeating one's next instance takes its place); Undo in a toast.
    .post(
      '/upcoming/complete',
      async ({ request, user, csrf, body }) => {
        const id = filled(body as Form, 'id') ?? ''
        return orOffer(request, [id], '/upcoming', async () => {
          const task = await completeTask(td, user, id)
          const toast = ToastPartial({ message: `Completed "${task.title}".`, undo: { action: 'reopen', ids: [task.id] }, csrf })
          return respond(request, {
            htmx: async () => ({ html: [await upcomingContent(user, csrf, `Completed "${task.title}".`), toast] }),
            plain: () => redirect(request, '/upcoming'),
          })
        })
      },
      { page: true },
    )
    .post(
      '/upcoming/move',
      ({ request, user, csrf, body }) => {
        const form = body as Form
        return withFormErrors(
          async () => {
            const moved = await moveToDay(td, user, filled(form, 'id') ?? '', parseField(MoveDay, filled(form, 'date') ?? '', 'date'))
            return respond(request, { htmx: () => upcoming(request, user, csrf, { notice: `Moved "${moved.title}".` }), plain: () => redirect(request, '/upcoming') })
          },
          (error) => upcoming(request, user, csrf, { status: 400, error }),
        )
      },
      { page: true },
    )
}
