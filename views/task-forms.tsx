// The task forms: quick add, the inline edit of a row, and the edit page for browsers without JavaScript.
import { Html } from './html'
import { DESCRIPTION_MAX, RECURRENCE_MAX, TITLE_MAX, type TaskView } from '../src/features/tasks/model'
import { repeatLabel, toDueInputs } from './format'
import { Layout } from './layout'
import { ProjectSelect } from './task-projects'
import { FormKeys, hidden, listUrl, option, type ListContext } from './task-context'

const RECURRENCE_LABEL: Record<string, string> = { DAILY: 'Daily', WEEKLY: 'Weekly', MONTHLY: 'Monthly' }

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

/** A row being edited in place; `place` is the row's place in the list (task-subtasks.tsx), kept for the row it turns back into. */
export function TaskEdit({ task, ctx, values, error, place = '0:' }: { task: TaskView; ctx: ListContext; values?: TaskFormValues; error?: { field?: string; message: string }; place?: string }) {
  const v = values ?? formValuesOf(task, ctx.timezone)
  const prefix = `edit-${task.id.slice(-8)}`
  return (
    <li id={`task-${task.id}`} class="task editing">
      <form method="post" action={`/tasks/${task.id}`} hx-post={`/tasks/${task.id}`} hx-target="closest li" hx-swap="outerHTML" class="edit" aria-label={`Edit "${task.title}"`}>
        <FormKeys ctx={ctx} />
        {hidden('place', place)}
        <label for={`${prefix}-title`}>Title</label>
        <input id={`${prefix}-title`} name="title" value={v.title ?? ''} maxlength={TITLE_MAX} required autofocus aria-invalid={error?.field === 'title' ? 'true' : undefined} />
        {ctx.projects ? <ProjectSelect id={`${prefix}-project`} projects={ctx.projects} current={v.project_id ?? task.project_id} invalid={error?.field === 'project_id'} /> : ''}
        <TaskFields values={v} prefix={prefix} error={error} />
        <FieldError error={error} id={`${prefix}-error`} />
        <div class="line end">
          <a href={listUrl(ctx.query)} hx-get={`/tasks/${task.id}/item?${new URLSearchParams({ back: listUrl(ctx.query), place })}`} hx-target="closest li" hx-swap="outerHTML" class="button ghost" data-cancel>
            Cancel
          </a>
          <button type="submit" class="primary">Save</button>
        </div>
      </form>
    </li>
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
