// The task contract, once: fields, limits and rules as zod schemas. REST bodies, OpenAPI, MCP tools, forms and the services' types derive from them.
import { RRule } from 'rrule'
import { z } from 'zod'
import { parseField, strictFields } from '../../lib/validation'
import { dayBounds, isoDay, localDay, parseDateTime, parseDay } from '../../lib/time'
import type { Task } from './schema'

import { UUID } from '../../lib/secrets'
import { DESCRIPTION_MAX, RECURRENCE_MAX, SUBTASK_LEVELS, TAG_MAX, TAGS_MAX, TITLE_MAX } from './limits'

export { DESCRIPTION_MAX, RECURRENCE_MAX, SUBTASK_LEVELS, TAG_MAX, TAGS_MAX, TITLE_MAX }
export const STATUSES = ['pending', 'completed'] as const
export const PRIORITIES = ['high', 'medium', 'low'] as const
export const RECURRENCE_PRESETS = ['DAILY', 'WEEKLY', 'MONTHLY'] as const
export const RECURRENCE_FROM = ['due', 'completion'] as const

export type TaskStatus = (typeof STATUSES)[number]
export type TaskPriority = (typeof PRIORITIES)[number]
export type RecurrenceFrom = (typeof RECURRENCE_FROM)[number]

// Control characters other than tab and newline never belong in user text (NUL breaks PostgreSQL).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/**
 * Trimmed user text of `min` to `max` characters (code points, as JSON Schema's maxLength counts them), with no
 * control characters.
 */
export function userText(field: string, max: number, min = 0) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`) })
    .trim()
    .superRefine((value, ctx) => {
      const length = [...value].length
      if (CONTROL.test(value)) ctx.addIssue({ code: 'custom', message: `${field} must not contain control characters` })
      else if (length < min) ctx.addIssue({ code: 'custom', message: min === 1 ? `${field} must not be empty` : `${field} must have at least ${min} characters` })
      else if (length > max) ctx.addIssue({ code: 'custom', message: `${field} must be at most ${max} characters (got ${length})` })
    })
    .meta(min > 0 ? { minLength: min, maxLength: max } : { maxLength: max })
}

const oneOf = <const T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, { error: `${field} must be one of ${values.join(', ')}` })

export const Title = userText('title', TITLE_MAX, 1).describe(`1 to ${TITLE_MAX} characters`)
export const Description = userText('description', DESCRIPTION_MAX).describe(`Longer notes, at most ${DESCRIPTION_MAX} characters`)
export const Status = oneOf('status', STATUSES)
export const Priority = oneOf('priority', PRIORITIES).describe('Default medium')
export const RecurrenceFromField = oneOf('recurrence_from', RECURRENCE_FROM).describe(
  'Whether the next date counts from the due date (default) or from the completion',
)

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_\-./:+]*$/u
const TAGS_TYPE = 'tags must be an array of strings'

/** Lower-case, trimmed, without a leading #, de-duplicated in order. */
const normaliseTags = (tags: string[]) => [...new Set(tags.map((tag) => tag.trim().replace(/^#/, '').toLowerCase()))]

/** Tags: at most TAGS_MAX once de-duplicated, each at most TAG_MAX characters of letters, digits and - _ . / : +. */
export const Tags = z
  .array(z.string({ error: TAGS_TYPE }), { error: TAGS_TYPE })
  .overwrite(normaliseTags)
  .superRefine((tags, ctx) => {
    for (const tag of tags) {
      const problem =
        tag === ''
          ? 'tags must not contain empty tags'
          : [...tag].length > TAG_MAX
            ? `each tag must be at most ${TAG_MAX} characters ("${tag.slice(0, 40)}" is longer)`
            : !TAG.test(tag)
              ? `tag "${tag.slice(0, 40)}" may only contain letters, digits and - _ . / : + (no spaces or commas)`
              : undefined
      if (problem) return ctx.addIssue({ code: 'custom', message: problem })
    }
  })
  .max(TAGS_MAX, { error: (issue) => `a task can have at most ${TAGS_MAX} tags (got ${(issue.input as unknown[]).length})` })
  .describe(`Up to ${TAGS_MAX} tags; lower-cased, without #`)

/**
 * A due date as sent: an ISO 8601 date-time (without an offset it is a wall-clock time in the user's zone), or a
 * plain day `YYYY-MM-DD`, which makes the task all-day on that day (see dueDateIn).
 */
export const DueDate = z
  .string({ error: 'due_date must be an ISO 8601 date-time, a YYYY-MM-DD day or null' })
  .refine((value) => {
    const parsed = parseDateTime(value, 'UTC')
    return parsed !== null && (!parsed.dateOnly || parseDay(value.trim()) !== null)
  }, {
    error: 'due_date must be an ISO 8601 date-time such as 2026-12-01T17:00:00Z (a time without offset is read in your time zone), or a day such as 2026-12-01 for an all-day task',
  })
  .nullable()
  .describe(
    "ISO 8601 date-time: with an offset (2026-12-01T17:00:00Z) it is exact; without one (2026-12-01T17:00) it is read in the user's time zone. A plain day (2026-12-01) makes the task all-day on that day. null clears it",
  )

/**
 * The instant a due date names and whether it is all-day. A wall-clock time is read in `timeZone`; a plain day is
 * stored as the start of that day in `timeZone` (local midnight), so every day-bound query (Today, overdue,
 * Upcoming, the calendar, list filters) treats it like any task due that day.
 */
export function dueDateIn(value: string | null, timeZone: string): { dueDate: Date | null; allDay: boolean } {
  if (value === null) return { dueDate: null, allDay: false }
  const parsed = parseDateTime(value, timeZone)!
  return parsed.dateOnly ? { dueDate: dayBounds(parseDay(value.trim())!, timeZone).start, allDay: true } : { dueDate: parsed.date, allDay: false }
}

const RRULE_KEYS = new Set([
  'FREQ', 'UNTIL', 'COUNT', 'INTERVAL', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY',
  'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST',
])
const FREQS = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'])

/** Why an upper-cased RRULE body cannot be used, or undefined when it can. */
function ruleProblem(body: string): string | undefined {
  const seen = new Set<string>()
  for (const part of body.split(';')) {
    const [key, val, ...rest] = part.split('=')
    if (!key || val === undefined || val === '' || rest.length > 0) return `"${part.slice(0, 40)}" is not KEY=VALUE`
    if (!RRULE_KEYS.has(key)) return `${key.slice(0, 20)} is not an RRULE part (DTSTART is taken from the due date)`
    if (seen.has(key)) return `${key} is given twice`
    seen.add(key)
    if (key === 'FREQ' && !FREQS.has(val)) return `FREQ=${val.slice(0, 20)} is not a frequency`
    if ((key === 'COUNT' || key === 'INTERVAL') && !/^[1-9]\d{0,3}$/.test(val)) return `${key} must be a whole number from 1 to 9999`
    // A task is due to the minute: nothing may repeat more often than once a minute.
    if (key === 'FREQ' && val === 'SECONDLY') return 'it repeats more often than once a minute (the shortest is FREQ=MINUTELY)'
    if (key === 'BYSECOND' && val.includes(',')) return 'BYSECOND takes one value: it would repeat more often than once a minute'
  }
  if (!seen.has('FREQ')) return 'FREQ is required'
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'COUNT and UNTIL cannot be combined'
  try {
    // Reading the rule catches values rrule accepts syntactically but cannot use. Walking it is left to
    // the series' start (seriesStart), on the real due date and within a bounded budget.
    new RRule({ ...RRule.parseString(body), dtstart: new Date(Date.UTC(2026, 0, 1)) }, true)
  } catch (error) {
    return error instanceof Error ? error.message.slice(0, 80) : 'it could not be read'
  }
  return undefined
}

/**
 * A recurrence, normalised: null (or blank), a preset (DAILY, WEEKLY, MONTHLY, any case) or an RFC 5545 RRULE
 * body such as `FREQ=WEEKLY;BYDAY=MO,WE` (an `RRULE:` prefix is accepted and removed).
 */
export const Recurrence = z
  .string({ error: 'recurrence must be a string or null' })
  .transform((value, ctx): string | null => {
    const raw = value.trim()
    if (raw === '') return null
    const upper = raw.toUpperCase()
    if ((RECURRENCE_PRESETS as readonly string[]).includes(upper)) return upper
    const fail = (message: string) => {
      ctx.issues.push({ code: 'custom', input: value, message })
      return z.NEVER
    }
    if (raw.length > RECURRENCE_MAX) return fail(`recurrence must be at most ${RECURRENCE_MAX} characters`)
    const body = upper.replace(/^RRULE:/, '')
    const problem = ruleProblem(body)
    return problem ? fail(`recurrence must be DAILY, WEEKLY, MONTHLY or an RRULE like FREQ=WEEKLY;BYDAY=MO: ${problem}`) : body
  })
  .nullable()
  .describe('DAILY, WEEKLY, MONTHLY or an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=MO,WE,FR; null stops repeating')

/** The task a subtask belongs to: one of the same user's tasks, at most three levels deep in all. */
export const ParentId = z
  .string({ error: 'parent_id must be a task id or null' })
  .trim()
  .regex(UUID, { error: 'parent_id must be a task id (a UUID) or null' })
  .nullable()
  .describe(`The id of the task this one is a subtask of (at most ${SUBTASK_LEVELS} levels in all); null makes it a top-level task`)

/** The fields a task is written with. Every one but `title` is optional on create; null clears an optional one. */
export const taskFields = {
  title: Title,
  description: Description.nullable(),
  priority: Priority,
  due_date: DueDate,
  recurrence: Recurrence,
  recurrence_from: RecurrenceFromField,
  tags: Tags.nullable(),
  parent_id: ParentId,
}

const { title, ...optional } = taskFields

/** The project a task goes in (one of the user's, not archived); without it a new task goes to the Inbox. */
export const ProjectId = z
  .string({ error: 'project_id must be a project id (a UUID)' })
  .describe('The project (its id) the task lives in; on create, default the Inbox. It has to be one of yours and not archived')

/** A create request; every field but `title` is optional (the service applies the defaults). */
export const CreateTaskInput = strictFields(
  {
    title,
    description: optional.description.optional(),
    priority: optional.priority.optional(),
    due_date: optional.due_date.optional(),
    recurrence: optional.recurrence.optional(),
    recurrence_from: optional.recurrence_from.optional(),
    tags: optional.tags.optional(),
    project_id: ProjectId.optional(),
    parent_id: optional.parent_id.optional(),
  },
  'task',
)

/** What completing a task with open subtasks does to them: complete them all, or keep them open. */
export const CHILDREN_CHOICES = ['complete', 'keep'] as const
export type ChildrenChoice = (typeof CHILDREN_CHOICES)[number]
export const ChildrenChoiceField = oneOf('children', CHILDREN_CHOICES)

/** A partial update: only the fields sent change. `status` may be sent too, with the effect of complete or reopen. */
export const UpdateTaskInput = strictFields(
  {
    ...CreateTaskInput.partial().shape,
    status: Status.describe('pending or completed: the same as reopen or complete').optional(),
    children: ChildrenChoiceField.describe('With status completed: complete the open subtasks too, or keep them open (needed when there are any)').optional(),
  },
  'task',
)

export type CreateTask = z.output<typeof CreateTaskInput>
export type UpdateTask = z.output<typeof UpdateTaskInput>

/** A task as the API, MCP and events show it (docs/architecture.md, section 7 "Contracts"). */
export const TaskViewSchema = z.object({
  id: z.string().describe('Task id (UUID)'),
  title: z.string(),
  description: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  due_date: z.string().nullable().describe('ISO 8601 in UTC, or null. For an all-day task, the start of its day in the user\'s time zone'),
  all_day: z.boolean().describe('True when the task is due on a day with no time (due_day names the day)'),
  due_day: z.string().nullable().describe('The day (YYYY-MM-DD) of an all-day task, or null'),
  recurrence: z.string().nullable().describe('DAILY, WEEKLY, MONTHLY, an RRULE such as FREQ=WEEKLY;BYDAY=MO, or null'),
  recurrence_from: z.enum(RECURRENCE_FROM),
  tags: z.array(z.string()),
  project_id: z.string().describe('The project the task lives in'),
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
  parent_id: z.string().nullable().describe('The task this one is a subtask of, or null for a top-level task'),
})
export type TaskView = z.output<typeof TaskViewSchema>

/** How many of a task's direct subtasks there are, and how many of them are completed ("2/5"). */
export const SubtaskProgressSchema = z.object({ total: z.number().int(), done: z.number().int() })
export type SubtaskProgress = z.output<typeof SubtaskProgressSchema>

/** A task as the API and the tools return it: its fields (what events carry) and its subtasks' progress. */
export const TaskReadSchema = TaskViewSchema.extend({ subtasks: SubtaskProgressSchema.describe("Progress of the task's direct subtasks") })
export type TaskRead = z.output<typeof TaskReadSchema>


/** A page of tasks: `total` is exact up to a cap (then `total_is_exact` is false); `next_cursor` is opaque. */
export const TaskPageSchema = z.object({
  items: z.array(TaskReadSchema),
  total: z.number().int(),
  total_is_exact: z.boolean(),
  next_cursor: z.string().nullable(),
})

/** A task row as the API shows it; `timeZone` (the owner's) names an all-day task's day. */
export function toTaskView(task: Task, timeZone: string): TaskView {
  const allDay = task.allDay && task.dueDate !== null
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    due_date: task.dueDate?.toISOString() ?? null,
    all_day: allDay,
    due_day: allDay ? isoDay(localDay(task.dueDate!, timeZone)) : null,
    recurrence: task.recurrence,
    recurrence_from: task.recurrenceFrom,
    tags: task.tags,
    project_id: task.projectId,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    completed_at: task.completedAt?.toISOString() ?? null,
    parent_id: task.parentId,
  }
}

// One field at a time, for callers that hold a single value (list filters, stored rows).
export const parseTitle = (value: unknown): string => parseField(Title, value, 'title')
export const parseDescription = (value: unknown): string => parseField(Description, value ?? '', 'description')
export const parseRecurrence = (value: unknown): string | null => parseField(Recurrence, value, 'recurrence')
export const parseTags = (value: unknown, field = 'tags'): string[] => parseField(Tags, value, field)
