// A task's row in the list: complete control, title, meta line (due, repeat, project, tags) and its actions.
import { Html } from './html'
import type { TaskRead, TaskView } from '../src/features/tasks/model'
import { describeRepeat, dueState, formatDue, formatRelative, repeatLabel } from './format'
import { MoveMenu, ProjectMark } from './task-projects'
import { FormKeys, listUrl, viewOnly, withParams, type ListContext, type RowPlace } from './task-context'
import { ParentHint, ProgressMark, SubtaskMenu, placeParam } from './task-subtasks'

const PRIORITY_LABEL = { high: 'High', medium: 'Medium', low: 'Low' } as const

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

/** A task's row; `place` says where it stands in the list (its indent, its parent), a row on its own without it. */
export function TaskItem({ task, ctx, place = { indent: 0, depth: task.parent_id ? 1 : 0 } }: { task: TaskRead; ctx: ListContext; place?: RowPlace }) {
  const done = task.status === 'completed'
  const state = task.due_date ? dueState(new Date(task.due_date), !done, ctx.timezone, ctx.now, task.all_day) : 'none'
  const back = listUrl(ctx.query)
  const edit = `/tasks/${task.id}/edit?${new URLSearchParams({ back, place: placeParam(place) })}`
  if (viewOnly(task, ctx.projects)) return <ReadOnlyItem task={task} ctx={ctx} place={place} state={state} />
  return (
    <li id={`task-${task.id}`} class={`task${done ? ' done' : ''} ${state}${place.indent ? ` indent-${place.indent}` : ''}`} data-id={task.id}>
      <input type="checkbox" form="bulk" name="ids" value={task.id} class="select" aria-label={`Select "${task.title}"`} />
      <form method="post" action={`/tasks/${task.id}/toggle`} hx-post={`/tasks/${task.id}/toggle`} hx-target="closest li" hx-swap="outerHTML" class="toggle">
        <FormKeys ctx={ctx} />
        <input type="hidden" name="place" value={placeParam(place)} />
        <button type="submit" class="check" role="checkbox" aria-checked={done ? 'true' : 'false'} aria-label={`${done ? 'Reopen' : 'Complete'} "${task.title}"`}></button>
      </form>
      <div class="body">
        <span class="title" safe>{task.title}</span>
        {task.description ? <p class="desc" safe>{task.description}</p> : ''}
        <div class="meta">
          <MetaMarks task={task} ctx={ctx} place={place} />
        </div>
      </div>
      <div class="actions">
        <SubtaskMenu task={task} place={place} ctx={ctx} />
        {/* A subtask lives in its parent's project: it moves with its parent, or after an outdent to the top. */}
        {ctx.projects && !task.parent_id ? <MoveMenu task={task} projects={ctx.projects} csrf={ctx.csrf} back={back} /> : ''}
        {/* The name a screen reader or voice control uses starts with the visible word, then says which task. */}
        <ReadLinks task={task} />
        <a href={edit} hx-get={edit} hx-target="closest li" hx-swap="outerHTML" class="button ghost">
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

/** The meta line's marks after the title: progress, parent, priority, due, repeat, project, tags. */
function MetaMarks({ task, ctx, place }: { task: TaskRead; ctx: ListContext; place: RowPlace }) {
  return (
    <>
      <ProgressMark task={task} />
      <ParentHint place={place} />
      {task.priority !== 'medium' ? <span class={`priority ${task.priority}`}>{PRIORITY_LABEL[task.priority]}</span> : ''}
      <Due task={task} ctx={ctx} />
      {task.recurrence ? <RepeatMark recurrence={task.recurrence} /> : ''}
      {ctx.projects && !ctx.params.project_id ? <ProjectMark task={task} projects={ctx.projects} /> : ''}
      {task.tags.map((tag) => (
        <TagChip tag={tag} ctx={ctx} />
      ))}
    </>
  )
}

/** What any reader of a task may do: set a reminder of their own, read its history. */
function ReadLinks({ task }: { task: TaskRead }) {
  return (
    <>
      {/* The name a screen reader or voice control uses starts with the visible word, then says which task. */}
      <a href={`/tasks/${task.id}/reminders`} class="button ghost">
        Remind<span class="visually-hidden" safe>{` about "${task.title}"`}</span>
      </a>
      <a href={`/audit?task_id=${task.id}`} class="button ghost">
        History<span class="visually-hidden" safe>{` of "${task.title}"`}</span>
      </a>
    </>
  )
}

/**
 * A task the user only views (a project shared with them as a viewer): its state said in words instead of a
 * checkbox, and no control that would change it; a reminder of their own and its history stay.
 */
function ReadOnlyItem({ task, ctx, place, state }: { task: TaskRead; ctx: ListContext; place: RowPlace; state: string }) {
  const done = task.status === 'completed'
  return (
    <li id={`task-${task.id}`} class={`task view-only${done ? ' done' : ''} ${state}${place.indent ? ` indent-${place.indent}` : ''}`} data-id={task.id}>
      <span class="check" role="img" aria-label={done ? 'Completed' : 'Open'}></span>
      <div class="body">
        <span class="title" safe>{task.title}</span>
        {task.description ? <p class="desc" safe>{task.description}</p> : ''}
        <div class="meta">
          <MetaMarks task={task} ctx={ctx} place={place} />
          <span class="read-only">view only</span>
        </div>
      </div>
      <div class="actions">
        <ReadLinks task={task} />
      </div>
    </li>
  )
}
