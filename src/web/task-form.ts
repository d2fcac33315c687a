// Task forms in the browser, read into the task schema's fields: the full form (add and edit) and the quick add's
// one line, which the assistant's parser reads. The schema (features/tasks/model.ts) then checks them as it does a
// REST body.
import { TASK_TEXT_MAX } from '../features/tasks/limits'
import { parseTaskText } from '../features/tasks/parse-text'
import { invalid } from '../lib/errors'
import { first, type Form } from './forms'

/**
 * The due date a form's day and time inputs name: a day alone makes the task all-day, a day and a time a timed
 * task (read in the user's zone), neither clears it. A full date-time in `due` (an older form) is taken as it is.
 */
function dueOf(day: string | undefined, time: string | undefined): string | null {
  const d = day?.trim() ?? ''
  const t = time?.trim() ?? ''
  if (d === '') {
    if (t !== '') throw invalid('due_date', 'choose a day for the due time (or clear the time)')
    return null
  }
  return t === '' || d.includes('T') ? d : `${d}T${t}`
}

/** What a task form sent, as the task schema's fields (still unchecked strings). */
interface TaskFormInput {
  title?: string
  description?: string
  priority?: string
  due_date?: string | null
  recurrence?: string | null
  recurrence_from?: string
  tags?: string[]
  project_id?: string
  parent_id?: string
}

/**
 * A task form's strings in the shape of the task schema (model.ts), which then validates them as it does a REST
 * body. For an edit (`partial`), only the fields the form sent change.
 */
export function taskInput(form: Form, partial: boolean): TaskFormInput {
  const sent = (...keys: string[]) => !partial || keys.some((k) => form[k] !== undefined)
  const input: TaskFormInput = {}
  if (sent('title')) input.title = first(form.title) ?? ''
  if (sent('description')) input.description = first(form.description) ?? ''
  if (sent('priority')) input.priority = first(form.priority) || 'medium'
  if (sent('due', 'due_time')) input.due_date = dueOf(first(form.due), first(form.due_time))
  if (sent('recurrence', 'rrule')) {
    const preset = first(form.recurrence) ?? ''
    input.recurrence = (preset === 'CUSTOM' ? first(form.rrule) : preset) || null
  }
  if (sent('recurrence_from')) input.recurrence_from = first(form.recurrence_from) || 'due'
  if (sent('tags')) input.tags = (first(form.tags) ?? '').split(',').map((t) => t.trim()).filter(Boolean)
  const project = first(form.project_id)?.trim()
  if (project) input.project_id = project
  // A subtask's add box names its parent; the task schema checks the id, the service the parent itself.
  const parent = first(form.parent_id)?.trim()
  if (parent) input.parent_id = parent
  return input
}

/**
 * A quick add reads its one line like the assistant does ("call mum tomorrow 5pm !high #family
 * every week"); fields set under "More options" win over what the line says. `defaultDay` is the day a line
 * without one is due (Today's add box: today).
 */
export function quickAddInput(form: Form, timeZone: string, now: Date, defaultDay?: string): TaskFormInput {
  const input = taskInput(form, false)
  // A line longer than a title and its date words is not read: the title check refuses it as it is.
  if ([...(input.title ?? '')].length > TASK_TEXT_MAX) return input
  const parsed = parseTaskText(input.title ?? '', timeZone, now)
  if (!parsed.title) return input
  return {
    ...input,
    title: parsed.title,
    priority: first(form.priority) && first(form.priority) !== 'medium' ? input.priority : (parsed.priority ?? input.priority),
    due_date: input.due_date ?? parsed.due_date ?? parsed.due_day ?? defaultDay ?? null,
    recurrence: input.recurrence ?? parsed.recurrence ?? null,
    tags: [...new Set([...parsed.tags, ...(input.tags ?? [])])],
  }
}
