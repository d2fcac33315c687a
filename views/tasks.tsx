// The task workspace: quick add, filters, the list with its items, inline edit and paging; each part is a swap target.
import { Html } from './html'
import { TOTAL_CAP } from '../src/db/capped-count'
import type { StatusCounts, TaskPage } from '../src/features/tasks/list'
import { dueGroupOf, type DueEdges, type DueGroup, type DueGroupCounts } from '../src/features/tasks/due-groups'
import { SEARCH_MAX } from '../src/features/tasks/list-query'
import { DESCRIPTION_MAX, RECURRENCE_MAX, TITLE_MAX, type TaskView } from '../src/features/tasks/model'
import { describeRepeat, dueState, formatDue, formatRelative, repeatLabel, toDueInputs, totalLabel } from './format'
import { Layout, Partial } from './layout'
import { SaveView } from './saved-views'
import { ProjectNav } from './projects'
import { MoveMenu, ProjectMark, ProjectSelect } from './task-projects'
import type { ProjectListItem } from '../src/features/projects/model'
import { FILTER_MAX } from '../src/features/tasks/filter'
import type { SavedFilterView } from '../src/features/filters/model'

/** What every list rendering needs to know. */
export interface ListContext {
  csrf: string
  timezone: string
  now: Date
  /** The list's canonical query string (no leading ?), e.g. `tags=home&sort=due_date`. */
  query: string
  /** The list parameters as given (only non-empty ones). */
  params: Record<string, string>
  /** The filter names a status itself (`completed`, `open`): without a status in the URL, no status tab is the list's. */
  filterStatus?: boolean
  /** The user's projects, when the rows offer them (the edit form's select, the row's Move menu, the project mark). */
  projects?: ProjectListItem[]
}

export interface ListData {
  page: TaskPage
  /** Per status, each counted up to TOTAL_CAP. */
  counts: StatusCounts
  /** The user's most used tags, for filter chips. */
  topTags: string[]
  /** The user's saved filters, shown as saved views. */
  views: SavedFilterView[]
  /** The user's projects (archived ones too), for the sidebar. */
  projects: ProjectListItem[]
  /** The project whose list this is, when the list is one project's. */
  project?: ProjectListItem
  /** Why the list is not the one asked for (a malformed filter), said above it. */
  error?: string
  /** Sorted by due date, the list reads in groups (Overdue, Today, Tomorrow, Later, No date). */
  groups?: DueGroups
}

export interface DueGroups {
  edges: DueEdges
  /** Each group's tasks under the list's filters, not just this page's. */
  counts: DueGroupCounts
  /** Only open tasks are listed, so what is due before today is overdue (else it is just earlier). */
  openOnly: boolean
  /** The group the previous page ended in (a later page starts by continuing it). */
  after: DueGroup | null
}

/**
 * The list a query string stands for: one project's page when it names a single project (`/projects/<id>`), else
 * the list of all tasks.
 */
export function listUrl(query: string): string {
  const params = new URLSearchParams(query)
  const project = params.get('project_id')
  if (!project || project.includes(',')) return query ? `/tasks?${query}` : '/tasks'
  params.delete('project_id')
  const rest = params.toString()
  return `/projects/${encodeURIComponent(project)}${rest ? `?${rest}` : ''}`
}

/** The list parameters a list URL carries, the project of a `/projects/<id>` path among them. */
export function paramsOfListUrl(url: URL): URLSearchParams {
  const params = new URLSearchParams(url.searchParams)
  const project = /^\/projects\/([^/]+)$/.exec(url.pathname)?.[1]
  if (project) params.set('project_id', decodeURIComponent(project))
  return params
}

/** The list URL with some parameters changed (a value of '' removes one); paging restarts. */
export function withParams(params: Record<string, string>, changes: Record<string, string>): string {
  const merged: Record<string, string> = { ...params, ...changes }
  if (!changes.cursor) delete merged.cursor
  const next = new URLSearchParams()
  for (const [k, v] of Object.entries(merged)) if (v) next.set(k, v)
  return listUrl(next.toString())
}

const hidden = (name: string, value: string) => <input type="hidden" name={name} value={value} />

function FormKeys({ ctx }: { ctx: ListContext }) {
  return (
    <>
      {hidden('_csrf', ctx.csrf)}
      {hidden('back', listUrl(ctx.query))}
    </>
  )
}

const PRIORITY_LABEL = { high: 'High', medium: 'Medium', low: 'Low' } as const
const RECURRENCE_LABEL: Record<string, string> = { DAILY: 'Daily', WEEKLY: 'Weekly', MONTHLY: 'Monthly' }

function Due({ task, ctx }: { task: TaskView; ctx: ListContext }) {
  if (!task.due_date) return ''
  const due = new Date(task.due_date)
  const state = dueState(due, task.status === 'pending', ctx.timezone, ctx.now, task.all_day)
  return (
    <span class={`due ${state}`}>
      {state === 'overdue' ? <strong class="mark">Overdue</strong> : state === 'today' ? <strong class="mark">Today</strong> : ''}
      <time datetime={task.due_day ?? task.due_date} title={task.due_day ?? task.due_date} safe>
        {formatDue(task, ctx.timezone, ctx.now)}
      </time>
      {task.all_day ? (
        <span class="relative">all day</span>
      ) : (
        <span class="relative" data-relative={task.due_date} safe>
          {formatRelative(due, ctx.now)}
        </span>
      )}
    </span>
  )
}

/** A tag that narrows the list to it when clicked. */
function TagChip({ tag, ctx }: { tag: string; ctx: ListContext }) {
  const href = withParams(ctx.params, { tags: tag })
  return (
    <a class="chip" href={href} hx-get={href} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true" safe>
      #{tag}
    </a>
  )
}

/**
 * A series' mark in a task's meta line: its rule in words ("↻ Every Mon and Wed"), the rule itself as the title.
 * The arrow and the short label are for the eye; a screen reader, which would read the arrow as nothing or as its
 * Unicode name, gets "Repeats every week on Monday, Wednesday" instead (visually hidden).
 */
export function RepeatMark({ recurrence }: { recurrence: string }) {
  return (
    <span class="repeat" title={recurrence}>
      <span aria-hidden="true" safe>
        ↻ {repeatLabel(recurrence)}
      </span>
      <span class="visually-hidden" safe>{`Repeats ${describeRepeat(recurrence)}`}</span>
    </span>
  )
}

export function TaskItem({ task, ctx }: { task: TaskView; ctx: ListContext }) {
  const done = task.status === 'completed'
  const state = task.due_date ? dueState(new Date(task.due_date), !done, ctx.timezone, ctx.now, task.all_day) : 'none'
  return (
    <li id={`task-${task.id}`} class={`task${done ? ' done' : ''} ${state}`} data-id={task.id}>
      <input type="checkbox" form="bulk" name="ids" value={task.id} class="select" aria-label={`Select "${task.title}"`} />
      <form method="post" action={`/tasks/${task.id}/toggle`} hx-post={`/tasks/${task.id}/toggle`} hx-target="closest li" hx-swap="outerHTML" class="toggle">
        <FormKeys ctx={ctx} />
        <button type="submit" class="check" role="checkbox" aria-checked={done ? 'true' : 'false'} aria-label={`${done ? 'Reopen' : 'Complete'} "${task.title}"`}></button>
      </form>
      <div class="body">
        <span class="title" safe>{task.title}</span>
        {task.description ? <p class="desc" safe>{task.description}</p> : ''}
        <div class="meta">
          {task.priority !== 'medium' ? <span class={`priority ${task.priority}`}>{PRIORITY_LABEL[task.priority]}</span> : ''}
          <Due task={task} ctx={ctx} />
          {task.recurrence ? <RepeatMark recurrence={task.recurrence} /> : ''}
          {ctx.projects && !ctx.params.project_id ? <ProjectMark task={task} projects={ctx.projects} /> : ''}
          {task.tags.map((tag) => (
            <TagChip tag={tag} ctx={ctx} />
          ))}
        </div>
      </div>
      <div class="actions">
        {ctx.projects ? <MoveMenu task={task} projects={ctx.projects} csrf={ctx.csrf} back={listUrl(ctx.query)} /> : ''}
        {/* The name a screen reader or voice control uses starts with the visible word, then says which task. */}
        <a href={`/tasks/${task.id}/reminders`} class="button ghost">
          Remind<span class="visually-hidden" safe>{` about "${task.title}"`}</span>
        </a>
        <a href={`/audit?task_id=${task.id}`} class="button ghost">
          History<span class="visually-hidden" safe>{` of "${task.title}"`}</span>
        </a>
        <a href={`/tasks/${task.id}/edit?back=${encodeURIComponent(listUrl(ctx.query))}`} hx-get={`/tasks/${task.id}/edit?back=${encodeURIComponent(listUrl(ctx.query))}`} hx-target="closest li" hx-swap="outerHTML" class="button ghost">
          Edit
        </a>
        <form method="post" action={`/tasks/${task.id}/delete`} hx-post={`/tasks/${task.id}/delete`} hx-target="closest li" hx-swap="delete" class="inline">
          <FormKeys ctx={ctx} />
          <button type="submit" class="ghost danger" aria-label={`Delete "${task.title}"`}>Delete</button>
        </form>
      </div>
    </li>
  )
}

/** Values a task form shows: a task being edited, or what a person typed (after a validation error). */
export interface TaskFormValues {
  title?: string
  description?: string
  priority?: string
  /** The due day, YYYY-MM-DD. */
  due?: string
  /** The due time, HH:MM; empty for an all-day task. */
  due_time?: string
  recurrence?: string
  rrule?: string
  recurrence_from?: string
  tags?: string
  project_id?: string
}

export function formValuesOf(task: TaskView, timezone: string): TaskFormValues {
  const preset = task.recurrence && RECURRENCE_LABEL[task.recurrence] ? task.recurrence : task.recurrence ? 'CUSTOM' : ''
  return {
    title: task.title,
    description: task.description,
    priority: task.priority,
    ...toDueInputs(task, timezone),
    recurrence: preset,
    rrule: preset === 'CUSTOM' ? task.recurrence! : '',
    recurrence_from: task.recurrence_from,
    tags: task.tags.join(', '),
    project_id: task.project_id,
  }
}

const option = (value: string, label: string, current: string | undefined) => (
  <option value={value} selected={value === (current ?? '')} safe>
    {label}
  </option>
)

/** The optional task fields, shared by quick add and inline edit. `prefix` keeps ids unique on the page. */
function TaskFields({ values, prefix, error }: { values: TaskFormValues; prefix: string; error?: { field?: string } }) {
  const invalid = (field: string) => (error?.field === field ? 'true' : undefined)
  return (
    <div class="fields">
      <label for={`${prefix}-description`}>Description</label>
      <textarea id={`${prefix}-description`} name="description" rows="2" maxlength={DESCRIPTION_MAX} aria-invalid={invalid('description')} safe>
        {values.description ?? ''}
      </textarea>
      <div class="row">
        <div>
          <label for={`${prefix}-priority`}>Priority</label>
          <select id={`${prefix}-priority`} name="priority">
            {option('high', 'High', values.priority)}
            {option('medium', 'Medium', values.priority ?? 'medium')}
            {option('low', 'Low', values.priority)}
          </select>
        </div>
        <div>
          <label for={`${prefix}-due`}>Due day</label>
          <input id={`${prefix}-due`} type="date" name="due" value={values.due ?? ''} aria-invalid={invalid('due_date')} />
        </div>
        <div>
          <label for={`${prefix}-due-time`}>Time</label>
          <input id={`${prefix}-due-time`} type="time" name="due_time" value={values.due_time ?? ''} aria-describedby={`${prefix}-due-hint`} aria-invalid={invalid('due_date')} />
          <small id={`${prefix}-due-hint`} class="hint">Leave empty for all day</small>
        </div>
      </div>
      <div class="row">
        <div>
          <label for={`${prefix}-recurrence`}>Repeats</label>
          <select id={`${prefix}-recurrence`} name="recurrence" aria-invalid={invalid('recurrence')}>
            {option('', 'Never', values.recurrence)}
            {option('DAILY', 'Daily', values.recurrence)}
            {option('WEEKLY', 'Weekly', values.recurrence)}
            {option('MONTHLY', 'Monthly', values.recurrence)}
            {option('CUSTOM', 'Custom rule…', values.recurrence)}
          </select>
        </div>
        <div>
          <label for={`${prefix}-from`}>Next date counts from</label>
          <select id={`${prefix}-from`} name="recurrence_from">
            {option('due', 'the due date', values.recurrence_from ?? 'due')}
            {option('completion', 'completion', values.recurrence_from)}
          </select>
        </div>
      </div>
      <label for={`${prefix}-rrule`}>Custom rule (RFC 5545, used when Repeats is “Custom rule”)</label>
      <input
        id={`${prefix}-rrule`}
        name="rrule"
        value={values.rrule ?? ''}
        placeholder="FREQ=WEEKLY;BYDAY=MO,WE,FR"
        maxlength={RECURRENCE_MAX}
        aria-invalid={invalid('recurrence')}
        aria-describedby={values.rrule ? `${prefix}-rrule-words` : undefined}
      />
      {values.rrule ? (
        <small id={`${prefix}-rrule-words`} class="hint" safe>
          {`In words: ${repeatLabel(values.rrule)}`}
        </small>
      ) : (
        ''
      )}
      <label for={`${prefix}-tags`}>Tags (comma-separated)</label>
      <input id={`${prefix}-tags`} name="tags" value={values.tags ?? ''} placeholder="home, errands" aria-invalid={invalid('tags')} />
    </div>
  )
}

function FieldError({ error, id }: { error?: { message: string }; id: string }) {
  return error ? (
    <p class="form-error" id={id} role="alert" safe>
      {error.message}
    </p>
  ) : (
    ''
  )
}

export function QuickAdd({ ctx, values = {}, error }: { ctx: ListContext; values?: TaskFormValues; error?: { field?: string; message: string } }) {
  return (
    <form id="quick-add" class="card quick-add" method="post" action="/tasks" hx-post="/tasks" hx-target="this" hx-swap="outerHTML">
      <FormKeys ctx={ctx} />
      {ctx.params.project_id ? hidden('project_id', ctx.params.project_id) : ''}
      <div class="line">
        <label for="qa-title" class="visually-hidden">New task title</label>
        <input
          id="qa-title"
          name="title"
          value={values.title ?? ''}
          placeholder="Add a task: call mum tomorrow 5pm !high #family (press n)"
          maxlength={TITLE_MAX}
          autocomplete="off"
          required
          aria-invalid={error?.field === 'title' ? 'true' : undefined}
          aria-describedby={error ? 'qa-error qa-preview' : 'qa-preview'}
          hx-get="/tasks/quick-preview"
          hx-trigger="input changed delay:250ms"
          hx-target="#qa-preview"
          hx-swap="innerHTML"
        />
        <button type="submit" class="primary">Add</button>
      </div>
      <div id="qa-preview" class="quick-preview" aria-live="polite" aria-atomic="true"></div>
      <details open={error && error.field !== 'title' ? true : undefined}>
        <summary>More options</summary>
        <TaskFields values={values} prefix="qa" error={error} />
      </details>
      <FieldError error={error} id="qa-error" />
    </form>
  )
}

export function TaskEdit({ task, ctx, values, error }: { task: TaskView; ctx: ListContext; values?: TaskFormValues; error?: { field?: string; message: string } }) {
  const v = values ?? formValuesOf(task, ctx.timezone)
  const prefix = `edit-${task.id.slice(-8)}`
  return (
    <li id={`task-${task.id}`} class="task editing">
      <form method="post" action={`/tasks/${task.id}`} hx-post={`/tasks/${task.id}`} hx-target="closest li" hx-swap="outerHTML" class="edit" aria-label={`Edit "${task.title}"`}>
        <FormKeys ctx={ctx} />
        <label for={`${prefix}-title`}>Title</label>
        <input id={`${prefix}-title`} name="title" value={v.title ?? ''} maxlength={TITLE_MAX} required autofocus aria-invalid={error?.field === 'title' ? 'true' : undefined} />
        {ctx.projects ? <ProjectSelect id={`${prefix}-project`} projects={ctx.projects} current={v.project_id ?? task.project_id} invalid={error?.field === 'project_id'} /> : ''}
        <TaskFields values={v} prefix={prefix} error={error} />
        <FieldError error={error} id={`${prefix}-error`} />
        <div class="line end">
          <a href={listUrl(ctx.query)} hx-get={`/tasks/${task.id}/item?back=${encodeURIComponent(listUrl(ctx.query))}`} hx-target="closest li" hx-swap="outerHTML" class="button ghost" data-cancel>
            Cancel
          </a>
          <button type="submit" class="primary">Save</button>
        </div>
      </form>
    </li>
  )
}

type Counts = ListData['counts']

function Counts({ ctx, counts }: { ctx: ListContext; counts: Counts }) {
  // Open tasks are the list's default: no status in the URL.
  const link = (status: string, label: string, n: number, exact: boolean) => {
    const href = withParams(ctx.params, { status })
    const current = ctx.params.status !== undefined ? ctx.params.status === status : status === '' && !ctx.filterStatus
    return (
      <a href={href} hx-get={href} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true" aria-current={current ? 'true' : undefined}>
        <span safe>{label}</span> <span class="count" safe>{totalLabel(n, exact)}</span>
      </a>
    )
  }
  // Past the cap on either side, All is just as capped: "1,000+".
  const exact = counts.pending.total_is_exact && counts.completed.total_is_exact
  const all = { total: exact ? counts.pending.total + counts.completed.total : TOTAL_CAP, total_is_exact: exact }
  return (
    <nav id="counts" class="counts" aria-label="Status">
      {link('', 'Open', counts.pending.total, counts.pending.total_is_exact)}
      {link('completed', 'Completed', counts.completed.total, counts.completed.total_is_exact)}
      {link('all', 'All', all.total, all.total_is_exact)}
    </nav>
  )
}

/** The counts, swapped on their own when a change moves a task between statuses. */
export const CountsPartial = (props: { ctx: ListContext; counts: Counts }) => (
  <Partial target="#counts" swap="outerHTML">
    <Counts {...props} />
  </Partial>
)

function Pager({ ctx, next }: { ctx: ListContext; next: string | null }) {
  if (!next) return <div id="pager"></div>
  const href = withParams(ctx.params, { cursor: next })
  return (
    <div id="pager" class="pager">
      <a href={href} hx-get={href} hx-target="#pager" hx-swap="outerHTML" class="button">
        Load more
      </a>
    </div>
  )
}

/** The next page of items appended to the list (in its groups, when it has them), and the pager replaced. */
export function MoreItems({ ctx, data }: { ctx: ListContext; data: ListData }) {
  return (
    <>
      <Pager ctx={ctx} next={data.page.next_cursor} />
      <Partial target="#task-items" swap="beforeend">
        {data.groups ? (
          <GroupSections ctx={ctx} items={data.page.items} groups={data.groups} />
        ) : (
          data.page.items.map((task) => <TaskItem task={task} ctx={ctx} />)
        )}
      </Partial>
    </>
  )
}

const GROUP_LABEL: Record<DueGroup, string> = { overdue: 'Overdue', today: 'Today', tomorrow: 'Tomorrow', later: 'Later', none: 'No date' }

/**
 * A page's tasks in their due-date groups, each under a heading with the group's count. A group that began on an
 * earlier page says "continued"; Overdue folds away with the button its heading holds (docs/ui.md, "Order on the page").
 */
function GroupSections({ ctx, items, groups }: { ctx: ListContext; items: TaskView[]; groups: DueGroups }) {
  const runs: Array<{ group: DueGroup; tasks: TaskView[] }> = []
  for (const task of items) {
    const group = dueGroupOf(task.due_date, groups.edges)
    const last = runs.at(-1)
    if (last?.group === group) last.tasks.push(task)
    else runs.push({ group, tasks: [task] })
  }
  return (
    <>
      {runs.map(({ group, tasks }, i) => {
        const key = `${group}-${tasks[0]!.id.slice(0, 8)}`
        const count = groups.counts[group]
        const label = group === 'overdue' && !groups.openOnly ? 'Earlier' : GROUP_LABEL[group]
        const title = (
          <>
            <span safe>{label}</span>
            {i === 0 && groups.after === group ? <span class="continued"> (continued)</span> : ''}{' '}
            <span class="count">
              <span safe>{totalLabel(count.total, count.total_is_exact)}</span>
              <span class="visually-hidden">{count.total === 1 && count.total_is_exact ? ' task' : ' tasks'}</span>
            </span>
          </>
        )
        return (
          <section class="task-group" data-group={group} aria-labelledby={`group-${key}`}>
            <h2 id={`group-${key}`} class="group-head">
              {group === 'overdue' ? (
                <button type="button" class="fold" aria-expanded="true" aria-controls={`group-list-${key}`} data-fold={group}>
                  <span class="chevron" aria-hidden="true"></span>
                  {title}
                </button>
              ) : (
                title
              )}
            </h2>
            <ul class="tasks" id={`group-list-${key}`}>
              {tasks.map((task) => (
                <TaskItem task={task} ctx={ctx} />
              ))}
            </ul>
          </section>
        )
      })}
    </>
  )
}

function EmptyState({ ctx, data }: { ctx: ListContext; data: ListData }) {
  const filtered = Object.keys(ctx.params).some((k) => k !== 'sort' && k !== 'order' && k !== 'project_id')
  if (filtered && data.counts.pending.total + data.counts.completed.total + data.page.total > 0) {
    const clear = withParams({}, { project_id: ctx.params.project_id ?? '' })
    return (
      <div id="empty-state" class="empty">
        <p>No tasks match these filters.</p>
        <a href={clear} hx-get={clear} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true" class="button">
          Clear filters
        </a>
      </div>
    )
  }
  return (
    <div id="empty-state" class="empty">
      <p>{filtered ? 'No tasks match these filters.' : data.project ? 'No tasks in this project yet. Add one above: press n to start typing.' : 'Nothing to do yet. Add your first task above: press n to start typing.'}</p>
    </div>
  )
}

/** The list region: counts, bulk actions, items, pager. Reloads itself when tasks change here or elsewhere (`data-live`). */
export function TaskList({ ctx, data }: { ctx: ListContext; data: ListData }) {
  return (
    <section id="task-list" aria-label="Tasks" hx-get={listUrl(ctx.query)} hx-trigger="tasks-changed from:body" hx-target="this" hx-swap="outerHTML" data-live="tasks">
      <div class="list-head">
        <Counts ctx={ctx} counts={data.counts} />
        <form id="bulk" method="post" action="/tasks/bulk" hx-post="/tasks/bulk" hx-swap="none" class="bulk">
          <FormKeys ctx={ctx} />
          <label class="select-all">
            <input type="checkbox" data-select-all /> <span>Select all</span>
          </label>
          <button type="submit" name="action" value="complete" class="ghost">Complete selected</button>
          <button type="submit" name="action" value="delete" class="ghost danger">Delete selected</button>
        </form>
      </div>
      {data.error ? (
        <p class="form-error" role="alert" safe>
          {data.error}
        </p>
      ) : (
        ''
      )}
      {ctx.params.filter && !data.views.some((view) => view.query === ctx.params.filter) ? <SaveView query={ctx.params.filter} csrf={ctx.csrf} /> : ''}
      {data.groups ? (
        <div id="task-items" class="task-groups">
          <GroupSections ctx={ctx} items={data.page.items} groups={data.groups} />
        </div>
      ) : (
        <ul id="task-items" class="tasks">
          {data.page.items.map((task) => (
            <TaskItem task={task} ctx={ctx} />
          ))}
        </ul>
      )}
      {data.page.items.length === 0 ? <EmptyState ctx={ctx} data={data} /> : ''}
      <Pager ctx={ctx} next={data.page.next_cursor} />
    </section>
  )
}

/** The tag chips: the active filters (each removes itself) and the most used tags (each adds itself). */
function TagFilters({ params, active, top }: { params: Record<string, string>; active: string[]; top: string[] }) {
  const others = top.filter((tag) => !active.includes(tag))
  if (active.length + others.length === 0) return ''
  // A group, so its name is allowed and read (an aria-label on a plain div is prohibited, and ignored).
  return (
    <div class="chips" role="group" aria-label="Filter by tag">
      {active.map((tag) => {
        const href = withParams(params, { tags: active.filter((t) => t !== tag).join(',') })
        return (
          <a class="chip active" href={href} hx-get={href} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true">
            <span safe>#{tag}</span> <span aria-hidden="true">×</span>
            <span class="visually-hidden">(remove this filter)</span>
          </a>
        )
      })}
      {others.map((tag) => {
        const href = withParams(params, { tags: [...active, tag].join(',') })
        return (
          <a class="chip" href={href} hx-get={href} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true" safe>
            #{tag}
          </a>
        )
      })}
    </div>
  )
}

function Filters({ ctx, data }: { ctx: ListContext; data: ListData }) {
  const p = ctx.params
  const activeTags = (p.tags ?? '').split(',').filter(Boolean)
  return (
    <form
      id="filters"
      class="filters"
      role="search"
      method="get"
      action="/tasks"
      hx-get="/tasks"
      hx-target="#task-list"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="input changed delay:300ms from:#search, change, submit"
    >
      <div class="line search-line">
        <label for="search" class="visually-hidden">Search tasks</label>
        <input id="search" type="search" name="search" value={p.search ?? ''} placeholder="Search tasks…" autocomplete="off" maxlength={SEARCH_MAX} />
        <label for="f-sort" class="visually-hidden">Sort by</label>
        <select id="f-sort" name="sort" class="fit">
          {option('', 'Newest first', p.sort)}
          {option('due_date', 'Due date', p.sort)}
          {option('priority', 'Priority', p.sort)}
          {option('title', 'Title', p.sort)}
        </select>
        <label for="f-order" class="visually-hidden">Order</label>
        <select id="f-order" name="order" class="fit">
          {option('', 'Natural order', p.order)}
          {option('asc', 'Ascending', p.order)}
          {option('desc', 'Descending', p.order)}
        </select>
      </div>
      <details open={p.priority || p.due_date_from || p.due_date_to || p.filter ? true : undefined}>
        <summary>Filters</summary>
        <div class="filter-query">
          <label for="f-filter">Filter</label>
          <input id="f-filter" type="text" name="filter" value={p.filter ?? ''} placeholder="today & p1, overdue | #work" autocomplete="off" spellcheck="false" maxlength={FILTER_MAX} aria-describedby="f-filter-help" />
          <p id="f-filter-help" class="hint">&amp; and, | or, ! not: today, overdue, p1, #tag, due before: +7d</p>
        </div>
        <div class="row">
          <div>
            <label for="f-priority">Priority</label>
            <select id="f-priority" name="priority">
              {option('', 'Any', p.priority)}
              {option('high', 'High', p.priority)}
              {option('medium', 'Medium', p.priority)}
              {option('low', 'Low', p.priority)}
            </select>
          </div>
          <div>
            <label for="f-from">Due from</label>
            <input id="f-from" type="date" name="due_date_from" value={p.due_date_from ?? ''} />
          </div>
          <div>
            <label for="f-to">Due to</label>
            <input id="f-to" type="date" name="due_date_to" value={p.due_date_to ?? ''} />
          </div>
        </div>
      </details>
      {p.status ? hidden('status', p.status) : ''}
      {p.tags ? hidden('tags', p.tags) : ''}
      {p.project_id ? hidden('project_id', p.project_id) : ''}
      <TagFilters params={p} active={activeTags} top={data.topTags} />
      <noscript>
        <button type="submit">Apply filters</button>
      </noscript>
    </form>
  )
}

/** Filters and list together: swapped whole when a link changes the filters themselves (a tag chip, a status). */
export function Workspace({ ctx, data }: { ctx: ListContext; data: ListData }) {
  return (
    <div id="workspace">
      <Filters ctx={ctx} data={data} />
      <TaskList ctx={ctx} data={data} />
    </div>
  )
}

export function WorkspacePage({
  ctx,
  data,
  nonce,
  email,
  quickAdd,
  error,
}: {
  ctx: ListContext
  data: ListData
  nonce: string
  email: string
  quickAdd?: { values: TaskFormValues; error: { field?: string; message: string } }
  error?: string
}) {
  const title = data.project?.name ?? 'Tasks'
  const archived = data.project?.archived
  return (
    <Layout title={title} nonce={nonce} csrf={ctx.csrf} email={email} active="tasks">
      <div class="board">
        <ProjectNav projects={data.projects} current={data.project?.id} views={data.views} filter={ctx.params.filter} csrf={ctx.csrf} back={listUrl(ctx.query)} />
        <div class="board-main">
          <div class="board-head">
            {data.project ? (
              <h1 class="board-title" safe>
                {data.project.name}
              </h1>
            ) : (
              <h1 class="board-title">All tasks</h1>
            )}
            {data.project ? (
              <a href={`/projects/${data.project.id}/settings`} class="button ghost">
                Edit project<span class="visually-hidden" safe>{` ${data.project.name}`}</span>
              </a>
            ) : (
              ''
            )}
          </div>
          {error ? (
            <p class="form-error" role="alert" safe>
              {error}
            </p>
          ) : (
            ''
          )}
          {archived ? (
            <p class="notice">
              This project is archived: <a href={`/projects/${data.project!.id}/settings`}>unarchive it</a> to add tasks to it.
            </p>
          ) : (
            <QuickAdd ctx={ctx} values={quickAdd?.values} error={quickAdd?.error} />
          )}
          <Workspace ctx={ctx} data={data} />
        </div>
      </div>
    </Layout>
  )
}

/** A task's edit form as a page of its own, for browsers without JavaScript. */
export function EditPage({ task, ctx, nonce, email, values, error }: { task: TaskView; ctx: ListContext; nonce: string; email: string; values?: TaskFormValues; error?: { field?: string; message: string } }) {
  return (
    <Layout title={`Edit: ${task.title}`} nonce={nonce} csrf={ctx.csrf} email={email} active="tasks">
      <h1>Edit task</h1>
      <ul class="tasks">
        <TaskEdit task={task} ctx={ctx} values={values} error={error} />
      </ul>
    </Layout>
  )
}
