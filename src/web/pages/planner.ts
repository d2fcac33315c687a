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
import { isHtmx } from '../../lib/htmx'
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
import { membershipsOf, projectFor } from '../../features/projects/access'
import { listProjects } from '../../features/projects/service'
import { withProject, type PickerProject } from '../../../views/project-picker'

export const plannerPages = (deps: AppDeps) => {
  const td: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }

  type Shown = { status?: number; notice?: string; error?: FormError }
  type Ctx = { csrf: string; timezone: string; now: Date; project?: string; viewOnly: ReadonlySet<string> }

  /** The projects the user only views (shared with them as a viewer): their tasks' rows offer no change. */
  async function viewedProjects(user: AuthUser): Promise<ReadonlySet<string>> {
    return new Set((await membershipsOf(td.db, user.id)).filter((m) => m.role === 'viewer').map((m) => m.projectId))
  }

  /** The page's `project` (a URL's or a form's): one of the user's projects, else a 404 like their task; blank is all. */
  async function projectOf(user: AuthUser, text: unknown): Promise<string | undefined> {
    if (typeof text !== 'string' || text.trim() === '') return undefined
    return (await projectFor(td.db, user, text.trim(), 'read')).project.id
  }

  /** The selector's choices: the open projects, and the one shown even when archived. */
  async function pickable(user: AuthUser, project: string | undefined): Promise<PickerProject[]> {
    const open = await listProjects(td, user)
    if (!project || open.some((p) => p.id === project)) return open
    return [...open, (await projectFor(td.db, user, project, 'read')).project]
  }

  /** A planning view: its content alone for htmx (the swap target), else the whole page. */
  async function view<T>(
    request: Request,
    user: AuthUser,
    csrf: string,
    shown: Shown,
    project: string | undefined,
    load: () => Promise<T>,
    content: (data: T, ctx: Ctx, notice?: string) => JSX.Element,
    page: (data: T, ctx: Ctx, notice: string | undefined, nonce: string, projects: PickerProject[]) => JSX.Element,
  ) {
    // A whole page reads the project picker's choices beside the view's data, not after it.
    const [data, viewOnly, choices] = await Promise.all([load(), viewedProjects(user), isHtmx(request) ? [] : pickable(user, project)])
    const ctx = { csrf, timezone: user.timezone, now: td.clock(), project, viewOnly }
    const notice = shown.error?.message ?? shown.notice
    const status = shown.status ?? 200
    return respond(request, {
      htmx: () => ({ html: content(data, ctx, notice), status }),
      plain: (nonce) => ({ html: page(data, ctx, notice, nonce, choices), status }),
    })
  }

  const today = (request: Request, user: AuthUser, csrf: string, project?: string, shown: Shown = {}) =>
    view(request, user, csrf, shown, project, () => todayView(td, user, project), (v, ctx, notice) => Today({ view: v, ctx, notice }), (v, ctx, notice, nonce, projects) => TodayPage({ view: v, ctx, nonce, email: user.email, notice, projects }))

  /** Upcoming's content alone, with a notice (to send beside a toast). */
  const upcomingContent = async (user: AuthUser, csrf: string, project: string | undefined, notice: string) =>
    Upcoming({ days: await upcomingView(td, user, project), ctx: { csrf, timezone: user.timezone, now: td.clock(), project, viewOnly: await viewedProjects(user) }, notice })

  const upcoming = (request: Request, user: AuthUser, csrf: string, project?: string, shown: Shown = {}) =>
    view(request, user, csrf, shown, project, () => upcomingView(td, user, project), (days, ctx, notice) => Upcoming({ days, ctx, notice }), (days, ctx, notice, nonce, projects) => UpcomingPage({ days, ctx, nonce, email: user.email, notice, projects }))

  type ViewOf = (request: Request, user: AuthUser, csrf: string, project?: string, shown?: Shown) => Promise<Response>

  /** The add box's line as quick add reads it (on Today, due today unless it names a day), then the view again. */
  async function add(request: Request, user: AuthUser, csrf: string, form: Form, again: ViewOf, path: string, dueToday: boolean) {
    // From a project's page the task goes into that project.
    const project = await projectOf(user, filled(form, 'project'))
    return withFormErrors(
      async () => {
        const day = dueToday ? isoDay(localDay(td.clock(), user.timezone)) : undefined
        const task = await createTask(td, user, parseWith(CreateTaskInput, quickAddInput({ ...form, project_id: project }, user.timezone, td.clock(), day)))
        return respond(request, { htmx: () => again(request, user, csrf, project, { notice: `Added "${task.title}".` }), plain: () => redirect(request, withProject(path, project)) })
      },
      (error) => again(request, user, csrf, project, { status: 400, error }),
    )
  }

  return new Elysia({ name: 'planner-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get('/today', async ({ request, user, csrf, query }) => today(request, user, csrf, await projectOf(user, query.project)), { page: true })
    .post(
      '/today/move',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        const project = await projectOf(user, filled(form, 'project'))
        const to = filled(form, 'to') === 'date' ? (filled(form, 'date') ?? '') : filled(form, 'to')
        const ids = filled(form, 'all') === '1' ? 'all' : all(form.ids)
        return withFormErrors(
          async () => {
            const moved = await moveOverdue(td, user, ids, parseField(MoveTarget, to, 'to'), project)
            const notice = moved.length === 1 ? `Moved "${moved[0]!.title}".` : `Moved ${moved.length} tasks.`
            return respond(request, { htmx: () => today(request, user, csrf, project, { notice }), plain: () => redirect(request, withProject('/today', project)) })
          },
          (error) => today(request, user, csrf, project, { status: 400, error }),
        )
      },
      { page: true },
    )
    .get('/upcoming', async ({ request, user, csrf, query }) => upcoming(request, user, csrf, await projectOf(user, query.project)), { page: true })
    .post('/today/add', ({ request, user, csrf, body }) => add(request, user, csrf, body as Form, today, '/today', true), { page: true })
    .post('/upcoming/add', ({ request, user, csrf, body }) => add(request, user, csrf, body as Form, upcoming, '/upcoming', false), { page: true })
    // The month is in the URL (?month=2026-12): reload, back and shared links keep it.
    .get(
      '/calendar',
      async ({ request, user, csrf, query }) => {
        const project = await projectOf(user, query.project)
        return view(
          request,
          user,
          csrf,
          {},
          project,
          () => monthView(td, user, typeof query.month === 'string' ? query.month : undefined, project),
          (month, ctx) => Month({ view: month, today: localDay(ctx.now, ctx.timezone), project }),
          (month, ctx, _notice, nonce, projects) => MonthPage({ view: month, today: localDay(ctx.now, ctx.timezone), csrf, nonce, email: user.email, project, projects }),
        )
      },
      { page: true },
    )
    // The period is in the URL (?days=7|30|90); anything else is a 400 naming `days`.
    .get(
      '/progress',
      async ({ request, user, csrf, query }) => {
        const project = await projectOf(user, query.project)
        return view(
          request,
          user,
          csrf,
          {},
          project,
          () => progressView(td, user, typeof query.days === 'string' ? query.days : undefined, project),
          (progress) => Progress({ view: progress, project }),
          (progress, _ctx, _notice, nonce, projects) => ProgressPage({ view: progress, csrf, nonce, email: user.email, project, projects }),
        )
      },
      { page: true },
    )
    // Completing from Upcoming: the task leaves the view (a repeating one's next instance takes its place); Undo in a toast.
    .post(
      '/upcoming/complete',
      async ({ request, user, csrf, body }) => {
        const project = await projectOf(user, filled(body as Form, 'project'))
        const id = filled(body as Form, 'id') ?? ''
        const back = withProject('/upcoming', project)
        return orOffer(request, [id], back, async () => {
          const task = await completeTask(td, user, id)
          const toast = ToastPartial({ message: `Completed "${task.title}".`, undo: { action: 'reopen', ids: [task.id] }, csrf })
          return respond(request, {
            htmx: async () => ({ html: [await upcomingContent(user, csrf, project, `Completed "${task.title}".`), toast] }),
            plain: () => redirect(request, back),
          })
        })
      },
      { page: true },
    )
    .post(
      '/upcoming/move',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        const project = await projectOf(user, filled(form, 'project'))
        return withFormErrors(
          async () => {
            const moved = await moveToDay(td, user, filled(form, 'id') ?? '', parseField(MoveDay, filled(form, 'date') ?? '', 'date'))
            return respond(request, { htmx: () => upcoming(request, user, csrf, project, { notice: `Moved "${moved.title}".` }), plain: () => redirect(request, withProject('/upcoming', project)) })
          },
          (error) => upcoming(request, user, csrf, project, { status: 400, error }),
        )
      },
      { page: true },
    )
}
