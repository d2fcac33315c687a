// Planning views: Today (overdue, due today, done today; overdue tasks moved one at a time or all at once) and
// Upcoming (the next 14 days by day, with recurring series' next instances projected; tasks moved by drag or keyboard),
// and the Calendar (a month grid with each day's count and first titles, navigable by keyboard and URL).
import type { PropsWithChildren } from '@elysiajs/html'
import { Html } from './html'
import type { TaskView } from '../src/features/tasks/model'
import { MOVE_MAX, type TodayView } from '../src/features/planner/today'
import { isoDay, type LocalDate } from '../src/lib/time'
import type { Projected, UpcomingDay } from '../src/features/planner/upcoming'
import type { MonthView } from '../src/features/planner/month'
import { describeRepeat, dueState, formatAbsolute, formatDue, formatRelative } from './format'
import { Layout } from './layout'
import { RepeatMark } from './task-row'
import { ProjectField, ProjectPicker, withProject, type PickerProject } from './project-picker'

export interface PlannerContext {
  csrf: string
  timezone: string
  now: Date
  /** The project the page shows (its `project` parameter), else all of them. */
  project?: string
  /** The projects the person only views (shared as a viewer): their tasks are listed with no control that changes them. */
  viewOnly?: ReadonlySet<string>
}

/** Whether the task is one the person only views. */
const readOnly = (task: TaskView, ctx: PlannerContext) => ctx.viewOnly?.has(task.project_id) ?? false

/** A viewed task's state in words where a checkbox would be, and its title as plain text (there is no edit). */
function ViewedMark({ task }: { task: TaskView }) {
  return <span class="check" role="img" aria-label={task.status === 'completed' ? 'Completed' : 'Open'}></span>
}

/** Whether the page's add box is offered: not on a project the person only views. */
const addable = (ctx: PlannerContext) => !(ctx.project && ctx.viewOnly?.has(ctx.project))

const DAY_TITLE = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })
const dayTitle = (d: LocalDate) => DAY_TITLE.format(new Date(Date.UTC(d.year, d.month - 1, d.day)))

function When({ task, ctx }: { task: TaskView; ctx: PlannerContext }) {
  const at = task.status === 'completed' ? task.completed_at : task.due_date
  if (!at) return ''
  const date = new Date(at)
  return (
    <span class={`due ${task.status === 'pending' ? dueState(date, true, ctx.timezone, ctx.now, task.all_day) : 'none'}`}>
      {task.status === 'completed' ? 'Done ' : ''}
      {task.status === 'pending' && task.all_day ? (
        <>
          <time datetime={task.due_day!} safe>
            {formatDue(task, ctx.timezone, ctx.now)}
          </time>
          <span class="relative">all day</span>
        </>
      ) : (
        <>
          <time datetime={at} safe>
            {formatAbsolute(date, ctx.timezone, ctx.now)}
          </time>
          <span class="relative" data-relative={at} safe>
            {formatRelative(date, ctx.now)}
          </span>
        </>
      )}
    </span>
  )
}

/**
 * The add box of Today and Upcoming ("n" focuses it): one line read as quick add reads it. On Today a line
 * that names no day is due today; the view is swapped in again, the box empty and focused.
 */
function AddBox({ ctx, action, target, placeholder }: { ctx: PlannerContext; action: string; target: string; placeholder: string }) {
  return (
    <form id="quick-add" class="card quick-add" method="post" action={action} hx-post={action} hx-target={target} hx-swap="outerHTML">
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      <ProjectField project={ctx.project} />
      <div class="line">
        <label for="qa-title" class="visually-hidden">New task</label>
        <input id="qa-title" name="title" placeholder={placeholder} autocomplete="off" required />
        <button type="submit" class="primary">Add</button>
      </div>
    </form>
  )
}

/** Where a task can be moved: today, tomorrow or a chosen day. */
function MoveControls({ ctx, today, label, ids }: { ctx: PlannerContext; today: LocalDate; label: string; ids?: string }) {
  const form = ids ? `move-${ids}` : 'move-all'
  return (
    <form id={form} method="post" action="/today/move" hx-post="/today/move" hx-target="#today" hx-swap="outerHTML" class="move">
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      <ProjectField project={ctx.project} />
      {ids ? <input type="hidden" name="ids" value={ids} /> : <input type="hidden" name="all" value="1" />}
      <button type="submit" name="to" value="today" class="ghost" aria-label={`${label} to today`}>Today</button>
      <button type="submit" name="to" value="tomorrow" class="ghost" aria-label={`${label} to tomorrow`}>Tomorrow</button>
      <input type="date" name="date" min={isoDay(today)} aria-label={`${label}: choose a day`} />
      <button type="submit" name="to" value="date" class="ghost" aria-label={`${label} to the chosen day`}>Move</button>
    </form>
  )
}

function Item({ task, ctx, today, movable }: { task: TaskView; ctx: PlannerContext; today: LocalDate; movable: boolean }) {
  const done = task.status === 'completed'
  const back = withProject('/today', ctx.project)
  const viewed = readOnly(task, ctx)
  return (
    <li id={`today-${task.id}`} class={`task${done ? ' done' : ''}${viewed ? ' view-only' : ''}`} data-id={task.id}>
      {viewed ? <ViewedMark task={task} /> : <TodayToggle task={task} ctx={ctx} back={back} />}
      <div class="body">
        {viewed ? (
          <span class="title" safe>
            {task.title}
          </span>
        ) : (
          <a class="title" href={`/tasks/${task.id}/edit?back=${encodeURIComponent(back)}`} safe>
            {task.title}
          </a>
        )}
        <div class="meta">
          {task.priority !== 'medium' ? <span class={`priority ${task.priority}`}>{task.priority === 'high' ? 'High' : 'Low'}</span> : ''}
          <When task={task} ctx={ctx} />
          {task.recurrence ? <RepeatMark recurrence={task.recurrence} /> : ''}
          {task.tags.map((tag) => (
            <a class="chip" href={`/tasks?tags=${encodeURIComponent(tag)}`} safe>
              #{tag}
            </a>
          ))}
          {viewed ? <span class="read-only">view only</span> : ''}
        </div>
      </div>
      {movable && !viewed ? <MoveControls ctx={ctx} today={today} label={`Move "${task.title}"`} ids={task.id} /> : ''}
    </li>
  )
}

/** Today's complete control for one task. */
function TodayToggle({ task, ctx, back }: { task: TaskView; ctx: PlannerContext; back: string }) {
  const done = task.status === 'completed'
  return (
    <form method="post" action={`/tasks/${task.id}/toggle`} class="toggle">
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" class="check" role="checkbox" aria-checked={done ? 'true' : 'false'} aria-label={`${done ? 'Reopen' : 'Complete'} "${task.title}"`}></button>
    </form>
  )
}

function Section({
  id,
  title,
  tasks,
  total = tasks.length,
  ctx,
  today,
  movable,
  empty,
  more,
  children,
}: PropsWithChildren<{ id: string; title: string; tasks: TaskView[]; total?: number; ctx: PlannerContext; today: LocalDate; movable?: boolean; empty: string; more?: string }>) {
  return (
    <section class="card planner-section" aria-labelledby={`${id}-heading`}>
      <div class="section-head">
        <h2 id={`${id}-heading`}>
          <span safe>{title}</span> <span class="count" safe>
            {total.toLocaleString('en-GB')}
          </span>
        </h2>
        {children}
      </div>
      {tasks.length ? (
        <ul class="tasks" id={id}>
          {tasks.map((task) => (
            <Item task={task} ctx={ctx} today={today} movable={Boolean(movable)} />
          ))}
        </ul>
      ) : (
        <p class="hint" safe>
          {empty}
        </p>
      )}
      {more && total > tasks.length ? (
        <p class="hint more">
          <span safe>{`Showing the ${tasks.length} oldest of ${total.toLocaleString('en-GB')}. `}</span>
          <a href={more}>See them all in the list</a>
        </p>
      ) : (
        ''
      )}
    </section>
  )
}

/** A task list link, of the page's project when it shows one. */
const inList = (path: string, project?: string) => (project ? `${path}&project_id=${encodeURIComponent(project)}` : path)

/** Up to this many overdue tasks, Today shows them unfolded. */
const OVERDUE_OPEN = 5

/** The list view of every open task due before `today`, oldest first. */
const overdueList = (today: LocalDate, project?: string) => {
  const yesterday = new Date(Date.UTC(today.year, today.month - 1, today.day - 1))
  return inList(`/tasks?status=pending&due_date_to=${yesterday.toISOString().slice(0, 10)}&sort=due_date&order=asc`, project)
}

/** The Today view's content: the swap target of every move. */
export function Today({ view, ctx, notice }: { view: TodayView; ctx: PlannerContext; notice?: string }) {
  return (
    <div id="today" data-live="tasks" data-live-url={withProject('/today', ctx.project)}>
      {notice ? (
        <p class="notice" role="status" safe>
          {notice}
        </p>
      ) : (
        ''
      )}
      {addable(ctx) ? <AddBox ctx={ctx} action="/today/add" target="#today" placeholder="Add a task for today: call mum 5pm !high #family (press n)" /> : ''}
      <Section id="due-today" title="Due today" tasks={view.dueToday} ctx={ctx} today={view.day} empty="Nothing else is due today." />
      {view.overdue.length ? (
        // Today comes first; what is overdue folds away below it (open when it is short).
        <details class="overdue-fold" open={view.overdueTotal <= OVERDUE_OPEN ? true : undefined}>
          <summary>
            <span safe>{`Overdue: ${view.overdueTotal.toLocaleString('en-GB')} ${view.overdueTotal === 1 ? 'task' : 'tasks'}`}</span>
          </summary>
          <Section id="overdue" title="Overdue" tasks={view.overdue} total={view.overdueTotal} ctx={ctx} today={view.day} movable empty="" more={overdueList(view.day, ctx.project)}>
            <MoveControls ctx={ctx} today={view.day} label={view.overdueTotal > MOVE_MAX ? `Move the ${MOVE_MAX} oldest overdue tasks` : 'Move all overdue tasks'} />
          </Section>
        </details>
      ) : (
        ''
      )}
      <Section id="done-today" title="Completed today" tasks={view.completedToday} ctx={ctx} today={view.day} empty="Nothing completed yet today." />
    </div>
  )
}

export function TodayPage({ view, ctx, nonce, email, notice, projects }: { view: TodayView; ctx: PlannerContext; nonce: string; email: string; notice?: string; projects: PickerProject[] }) {
  return (
    <Layout title="Today" nonce={nonce} csrf={ctx.csrf} email={email} active="today">
      <h1 safe>Today, {dayTitle(view.day)}</h1>
      <ProjectPicker action="/today" projects={projects} current={ctx.project} />
      <Today view={view} ctx={ctx} notice={notice} />
    </Layout>
  )
}

// Formatters are costly to build: one per shape (and zone), kept.
const SHORT_DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
const shortDay = (d: LocalDate) => SHORT_DAY.format(new Date(Date.UTC(d.year, d.month - 1, d.day)))
const clocks = new Map<string, Intl.DateTimeFormat>()
const timeOf = (at: string, timeZone: string) => {
  let clock = clocks.get(timeZone)
  if (!clock) clocks.set(timeZone, (clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })))
  return clock.format(new Date(at))
}

/**
 * A task of the Upcoming view on one line: complete, title, time. It is dragged onto another day, or moved with the
 * form behind its menu (the keyboard way), which drag and drop fills in and submits too.
 */
function UpcomingItem({ task, ctx, first }: { task: TaskView; ctx: PlannerContext; first: LocalDate }) {
  if (readOnly(task, ctx)) return <ViewedUpcomingItem task={task} ctx={ctx} />
  return (
    <li id={`upcoming-${task.id}`} class="task upcoming-item" data-id={task.id} draggable="true">
      <form method="post" action="/upcoming/complete" hx-post="/upcoming/complete" hx-target="#upcoming" hx-swap="outerHTML" class="toggle">
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <ProjectField project={ctx.project} />
        <input type="hidden" name="id" value={task.id} />
        <button type="submit" class="check" role="checkbox" aria-checked="false" aria-label={`Complete "${task.title}"`}></button>
      </form>
      <div class="body">
        <a class="title" href={`/tasks/${task.id}/edit?back=${encodeURIComponent(withProject('/upcoming', ctx.project))}`} safe>
          {task.title}
        </a>
        <UpcomingMeta task={task} ctx={ctx} />
      </div>
      <details class="row-menu">
        <summary>
          <span aria-hidden="true">⋯</span>
          <span class="visually-hidden" safe>{`Move "${task.title}"`}</span>
        </summary>
        <form method="post" action="/upcoming/move" hx-post="/upcoming/move" hx-target="#upcoming" hx-swap="outerHTML" class="move">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <ProjectField project={ctx.project} />
          <input type="hidden" name="id" value={task.id} />
          <input type="date" name="date" min={isoDay(first)} required aria-label={`Move "${task.title}" to the day`} />
          <button type="submit" class="ghost" aria-label={`Move "${task.title}"`}>Move</button>
        </form>
      </details>
    </li>
  )
}

/** An Upcoming task the person only views: listed on its day, neither completed, opened for editing, nor moved. */
function ViewedUpcomingItem({ task, ctx }: { task: TaskView; ctx: PlannerContext }) {
  return (
    <li id={`upcoming-${task.id}`} class="task upcoming-item view-only" data-id={task.id}>
      <ViewedMark task={task} />
      <div class="body">
        <span class="title" safe>
          {task.title}
        </span>
        <UpcomingMeta task={task} ctx={ctx} />
      </div>
    </li>
  )
}

function UpcomingMeta({ task, ctx }: { task: TaskView; ctx: PlannerContext }) {
  return (
    <div class="meta">
      {task.all_day ? (
        <span class="all-day">All day</span>
      ) : (
        <time datetime={task.due_date!} safe>
          {timeOf(task.due_date!, ctx.timezone)}
        </time>
      )}
      {task.priority !== 'medium' ? <span class={`priority ${task.priority}`}>{task.priority === 'high' ? 'High' : 'Low'}</span> : ''}
      {task.recurrence ? <RepeatMark recurrence={task.recurrence} /> : ''}
      {readOnly(task, ctx) ? <span class="read-only">view only</span> : ''}
    </div>
  )
}

/** The Upcoming view's content: the swap target of every move. */
export function Upcoming({ days, ctx, notice }: { days: UpcomingDay[]; ctx: PlannerContext; notice?: string }) {
  const first = days[0]!.day
  return (
    <div id="upcoming" class="upcoming" data-live="tasks" data-live-url={withProject('/upcoming', ctx.project)}>
      {notice ? (
        <p class="notice" role="status" safe>
          {notice}
        </p>
      ) : (
        ''
      )}
      {addable(ctx) ? <AddBox ctx={ctx} action="/upcoming/add" target="#upcoming" placeholder="Add a task: dentist friday 3pm #health (press n)" /> : ''}
      <p class="hint">Drag a task onto another day, or move it from its menu (⋯).</p>
      {days.map((d) => (
        <section class={`day${d.tasks.length || d.projected.length ? '' : ' free'}`} data-day={isoDay(d.day)} aria-labelledby={`day-${isoDay(d.day)}`}>
          <h2 id={`day-${isoDay(d.day)}`}>
            <span safe>{isoDay(d.day) === isoDay(first) ? `Today · ${shortDay(d.day)}` : shortDay(d.day)}</span>
            {d.tasks.length || d.projected.length ? '' : <span class="nothing"> · nothing planned</span>}
          </h2>
          {d.tasks.length || d.projected.length ? (
            <ul class="tasks">
              {d.tasks.map((task) => (
                <UpcomingItem task={task} ctx={ctx} first={first} />
              ))}
              {d.moreTasks ? (
                <li class="more">
                  <a href={dayList(d.day, ctx.project)}>+{d.moreTasks} more on this day</a>
                </li>
              ) : (
                ''
              )}
              {d.projected.map((p) => (
                <li class="task projected" data-series={p.task.id}>
                  <div class="body">
                    <span class="title" safe>
                      {p.task.title}
                    </span>
                    <div class="meta">
                      {p.task.all_day ? (
                        <span class="all-day">All day</span>
                      ) : (
                        <time datetime={p.due} safe>
                          {timeOf(p.due, ctx.timezone)}
                        </time>
                      )}
                      <span class="badge">projected</span>
                    </div>
                  </div>
                </li>
              ))}
              {d.moreProjected ? <li class="more hint">+{d.moreProjected} more projected</li> : ''}
            </ul>
          ) : (
            ''
          )}
        </section>
      ))}
    </div>
  )
}

export function UpcomingPage({ days, ctx, nonce, email, notice, projects }: { days: UpcomingDay[]; ctx: PlannerContext; nonce: string; email: string; notice?: string; projects: PickerProject[] }) {
  return (
    <Layout title="Upcoming" nonce={nonce} csrf={ctx.csrf} email={email} active="upcoming">
      <h1>Upcoming</h1>
      <ProjectPicker action="/upcoming" projects={projects} current={ctx.project} />
      <Upcoming days={days} ctx={ctx} notice={notice} />
    </Layout>
  )
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const MONTH_TITLE = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
const monthTitle = (m: { year: number; month: number }) => MONTH_TITLE.format(new Date(Date.UTC(m.year, m.month - 1, 1)))
const dayList = (d: LocalDate, project?: string) => inList(`/tasks?due_date_from=${isoDay(d)}&due_date_to=${isoDay(d)}&sort=due_date`, project)

/** The month grid: the swap target of month navigation. */
export function Month({ view, today, project }: { view: MonthView; today: LocalDate; project?: string }) {
  const nav = (month: string, label: string, rel: string) => (
    <a href={withProject(`/calendar?month=${month}`, project)} hx-get={withProject(`/calendar?month=${month}`, project)} hx-target="#month" hx-swap="outerHTML" hx-push-url="true" rel={rel} class="button ghost" data-month-nav={rel} safe>
      {label}
    </a>
  )
  return (
    <div id="month" class="month-view" data-live="tasks" data-live-url={withProject(`/calendar?month=${monthKey(view.month)}`, project)}>
      <div class="month-head">
        {nav(view.previous, '← Previous', 'prev')}
        <h2 id="month-title" safe>
          {monthTitle(view.month)}
        </h2>
        {nav(view.next, 'Next →', 'next')}
      </div>
      <p class="hint">Arrow keys move between days, Page Up and Page Down between months; Enter opens a day's tasks.</p>
      <table class="month" aria-labelledby="month-title">
        <thead>
          <tr>
            {WEEKDAYS.map((d) => (
              <th scope="col" safe>
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.weeks.map((week) => (
            <tr>
              {week.map((cell) => (
                <td class={`${cell.inMonth ? '' : 'outside'}${isoDay(cell.day) === isoDay(today) ? ' today' : ''}`} data-day={isoDay(cell.day)}>
                  <a class="day-link" href={dayList(cell.day, project)} aria-current={isoDay(cell.day) === isoDay(today) ? 'date' : undefined}>
                    <DayName day={cell.day} count={cell.count} />
                  </a>
                  {cell.tasks.length || cell.projected.length ? (
                    <ul class="titles">
                      {cell.tasks.map((t) => (
                        <li class={t.status === 'completed' ? 'done' : ''} safe>
                          {t.title}
                        </li>
                      ))}
                      {cell.count > cell.tasks.length ? <li class="more">+{cell.count - cell.tasks.length} more</li> : ''}
                      {cell.projected.map((p) => (
                        <ProjectedTitle projected={p} back={withProject(`/calendar?month=${monthKey(view.month)}`, project)} />
                      ))}
                      {cell.moreProjected ? <li class="more">+{cell.moreProjected} repeating</li> : ''}
                    </ul>
                  ) : (
                    ''
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

const monthKey = (m: { year: number; month: number }) => `${m.year}-${String(m.month).padStart(2, '0')}`

/**
 * A repeating task's instance that would fall on a calendar day: lighter, marked "↻", read as "Gym (projected: repeats
 * every week on Monday)"; it opens the series' current task (the one whose completion brings the next).
 */
function ProjectedTitle({ projected, back }: { projected: Projected; back: string }) {
  const { task } = projected
  return (
    <li class="projected" data-series={task.id}>
      <a href={`/tasks/${task.id}/edit?back=${encodeURIComponent(back)}`}>
        <span aria-hidden="true">↻ </span>
        <span safe>{task.title}</span>
        <span class="visually-hidden" safe>{` (projected: repeats ${describeRepeat(task.recurrence!)})`}</span>
      </a>
    </li>
  )
}

const WEEKDAY_SHORT = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' })
const MONTH_SHORT = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' })

/**
 * A calendar day's link text: the eye sees the day's number and its count ("12", "4"); a screen reader and voice
 * control get the same words with the rest hidden around them, "Sat 12 Dec: 4 tasks". The name is the content, so
 * it always holds the visible text (an aria-label would have to repeat it, and drifted from it).
 */
function DayName({ day, count }: { day: LocalDate; count: number }) {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day))
  return (
    <>
      <span class="visually-hidden" safe>{`${WEEKDAY_SHORT.format(date)} `}</span>
      <span class="num">{day.day}</span>
      <span class="visually-hidden" safe>{` ${MONTH_SHORT.format(date)}: ${count === 0 ? 'no tasks' : ''}`}</span>
      {count ? (
        <span class="count">
          {count}
          <span class="visually-hidden">{count === 1 ? ' task' : ' tasks'}</span>
        </span>
      ) : (
        ''
      )}
    </>
  )
}

export function MonthPage({ view, today, csrf, nonce, email, project, projects }: { view: MonthView; today: LocalDate; csrf: string; nonce: string; email: string; project?: string; projects: PickerProject[] }) {
  return (
    <Layout title="Calendar" nonce={nonce} csrf={csrf} email={email} active="calendar">
      <h1>Calendar</h1>
      <ProjectPicker action="/calendar" projects={projects} current={project} keep={{ month: monthKey(view.month) }} />
      <Month view={view} today={today} project={project} />
    </Layout>
  )
}
