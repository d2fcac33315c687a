// Progress at a glance: the streak, completions per day, overdue tasks over time, completion by priority and tag.
// The period is in the URL (?days=7|30|90), so reload, back and shared links keep it.
import { Html } from './html'
import { PERIODS, type ProgressView } from '../src/features/planner/progress'
import type { LocalDate } from '../src/lib/time'
import { ColumnChart, LineChart, ShareChart, type Point } from './charts'
import { Layout } from './layout'
import { ProjectPicker, withProject, type PickerProject } from './project-picker'

const LABEL = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
const asDate = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day))
const points = (series: Array<{ day: LocalDate; count: number }>): Point[] =>
  series.map(({ day, count }) => ({ label: LABEL.format(asDate(day)), tick: String(day.day), value: count }))
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function Stat({ id, value, label, hint }: { id: string; value: string; label: string; hint?: string }) {
  return (
    <div class="stat" id={id}>
      <span class="value" safe>
        {value}
      </span>
      <span class="label" safe>
        {label}
      </span>
      {hint ? (
        <span class="hint" safe>
          {hint}
        </span>
      ) : (
        ''
      )}
    </div>
  )
}

/** The Progress content: the swap target of the period links. */
export function Progress({ view, project }: { view: ProgressView; project?: string }) {
  const completed = points(view.completed)
  const overdue = points(view.overdue)
  const total = completed.reduce((sum, p) => sum + p.value, 0)
  const best = completed.reduce((a, b) => (b.value > a.value ? b : a), completed[0]!)
  const overdueNow = overdue.at(-1)!.value
  const overdueMax = overdue.reduce((a, b) => (b.value > a.value ? b : a), overdue[0]!)
  const period = `the last ${view.days} days`
  const { streak } = view
  const streakHint = streak.current === 0 ? 'Complete a task today to start one.' : streak.today ? 'Today counts already.' : 'Complete a task today to keep it going.'
  return (
    <div id="progress" class="progress-view">
      <nav class="periods" aria-label="Period">
        {PERIODS.map((days) => (
          <a
            href={withProject(`/progress?days=${days}`, project)}
            hx-get={withProject(`/progress?days=${days}`, project)}
            hx-target="#progress"
            hx-swap="outerHTML"
            hx-push-url="true"
            class={`button ${days === view.days ? '' : 'ghost'}`}
            aria-current={days === view.days ? 'true' : undefined}
            safe
          >
            {`${days} days`}
          </a>
        ))}
      </nav>
      <div class="stats">
        <Stat id="streak" value={String(streak.current)} label={`day streak (longest ${streak.longest})`} hint={streakHint} />
        <Stat id="completed-total" value={String(total)} label={`completed in ${period}`} />
        <Stat id="overdue-now" value={String(overdueNow)} label="overdue now" />
      </div>
      <section class="card">
        <h2>Completed per day</h2>
        <ColumnChart
          id="completed-chart"
          title={`Tasks completed per day, ${period}`}
          desc={total === 0 ? `No tasks completed in ${period}.` : `${plural(total, 'task')} completed in ${period}; the most on ${best.label} (${best.value}).`}
          unit="Completed"
          points={completed}
        />
      </section>
      <section class="card">
        <h2>Overdue over time</h2>
        <LineChart
          id="overdue-chart"
          title={`Tasks overdue at the end of each day, ${period}`}
          desc={`${plural(overdueNow, 'task')} overdue now; ${overdue[0]!.value} at the end of ${overdue[0]!.label}; the most, ${overdueMax.value}, on ${overdueMax.label}.`}
          unit="Overdue"
          points={overdue}
        />
      </section>
      <section class="card">
        <h2>By priority</h2>
        <ShareChart
          id="priority-chart"
          title={`Completion by priority: tasks done in ${period} and open now`}
          desc={view.byPriority.map((r) => `${r.key}: ${r.done} done in ${period}, ${r.open} open now`).join('; ') + '.'}
          rows={view.byPriority.map((r) => ({ label: r.key[0]!.toUpperCase() + r.key.slice(1), done: r.done, open: r.open }))}
          period={period}
        />
      </section>
      <section class="card">
        <h2>By tag</h2>
        {view.byTag.length ? (
          <ShareChart
            id="tag-chart"
            title={`Completion by tag: tasks done in ${period} and open now`}
            desc={view.byTag.map((r) => `#${r.key}: ${r.done} done in ${period}, ${r.open} open now`).join('; ') + '.'}
            rows={view.byTag.map((r) => ({ label: `#${r.key}`, done: r.done, open: r.open }))}
            period={period}
          />
        ) : (
          <p class="empty" safe>
            {`No tagged tasks open now or done in ${period}.`}
          </p>
        )}
        {view.moreTags ? (
          <p class="hint" safe>
            {`and ${plural(view.moreTags, 'more tag')}, with fewer tasks`}
          </p>
        ) : (
          ''
        )}
      </section>
    </div>
  )
}

export function ProgressPage({ view, csrf, nonce, email, project, projects }: { view: ProgressView; csrf: string; nonce: string; email: string; project?: string; projects: PickerProject[] }) {
  return (
    <Layout title="Progress" nonce={nonce} csrf={csrf} email={email} active="progress">
      <h1>Progress</h1>
      <ProjectPicker action="/progress" projects={projects} current={project} keep={{ days: String(view.days) }} />
      <Progress view={view} project={project} />
    </Layout>
  )
}
