// Task rules in one place: limits, normalisation and validation of input from any face (REST, forms, MCP, agent).
import { RRule } from 'rrule'
import { invalid } from '../../lib/errors'
import { parseDateTime } from '../../lib/time'
import type { Task } from './schema'

export const TITLE_MAX = 200
export const DESCRIPTION_MAX = 4000
export const TAGS_MAX = 10
export const TAG_MAX = 32
export const RECURRENCE_MAX = 500
export const STATUSES = ['pending', 'completed'] as const
export const PRIORITIES = ['high', 'medium', 'low'] as const
export const RECURRENCE_PRESETS = ['DAILY', 'WEEKLY', 'MONTHLY'] as const
export const RECURRENCE_FROM = ['due', 'completion'] as const

export type TaskStatus = (typeof STATUSES)[number]
export type TaskPriority = (typeof PRIORITIES)[number]
export type RecurrenceFrom = (typeof RECURRENCE_FROM)[number]

/** What a create or update may set, already normalised and valid. */
export interface TaskFields {
  title: string
  description: string
  priority: TaskPriority
  dueDate: Date | null
  recurrence: string | null
  recurrenceFrom: RecurrenceFrom
  tags: string[]
}

/** A task as the API, MCP and events show it (docs/architecture.md, section 7 "Contracts"). */
export interface TaskView {
  id: string
  title: string
  description: string
  status: TaskStatus
  priority: TaskPriority
  due_date: string | null
  recurrence: string | null
  recurrence_from: RecurrenceFrom
  tags: string[]
  created_at: string
  updated_at: string
  completed_at: string | null
}

export function toTaskView(task: Task): TaskView {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    due_date: task.dueDate?.toISOString() ?? null,
    recurrence: task.recurrence,
    recurrence_from: task.recurrenceFrom,
    tags: task.tags,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    completed_at: task.completedAt?.toISOString() ?? null,
  }
}

// Control characters other than tab and newline never belong in user text (NUL breaks PostgreSQL).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

function text(field: string, value: unknown, max: number, min = 0): string {
  if (typeof value !== 'string') throw invalid(field, `${field} must be a string`)
  const trimmed = value.trim()
  if (CONTROL.test(trimmed)) throw invalid(field, `${field} must not contain control characters`)
  const length = [...trimmed].length
  if (length < min) throw invalid(field, min === 1 ? `${field} must not be empty` : `${field} must have at least ${min} characters`)
  if (length > max) throw invalid(field, `${field} must be at most ${max} characters (got ${length})`)
  return trimmed
}

function oneOf<T extends string>(field: string, value: unknown, values: readonly T[]): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw invalid(field, `${field} must be one of ${values.join(', ')}`)
  }
  return value as T
}

export const parseTitle = (value: unknown) => text('title', value, TITLE_MAX, 1)
export const parseDescription = (value: unknown) => text('description', value ?? '', DESCRIPTION_MAX)
export const parsePriority = (value: unknown) => oneOf('priority', value, PRIORITIES)
export const parseStatus = (value: unknown) => oneOf('status', value, STATUSES)
export const parseRecurrenceFrom = (value: unknown) => oneOf('recurrence_from', value, RECURRENCE_FROM)

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_\-./:+]*$/u

/** Lower-cases, trims and de-duplicates tags; at most 10, each at most 32 characters of letters, digits and - _ . / : +. */
export function parseTags(value: unknown, field = 'tags'): string[] {
  if (!Array.isArray(value)) throw invalid(field, `${field} must be an array of strings`)
  const out: string[] = []
  for (const item of value) {
    if (typeof item !== 'string') throw invalid(field, `${field} must be an array of strings`)
    const tag = item.trim().replace(/^#/, '').toLowerCase()
    if (tag === '') throw invalid(field, `${field} must not contain empty tags`)
    if ([...tag].length > TAG_MAX) throw invalid(field, `each tag must be at most ${TAG_MAX} characters ("${tag.slice(0, 40)}" is longer)`)
    if (!TAG.test(tag)) {
      throw invalid(field, `tag "${tag.slice(0, 40)}" may only contain letters, digits and - _ . / : + (no spaces or commas)`)
    }
    if (!out.includes(tag)) out.push(tag)
  }
  if (out.length > TAGS_MAX) throw invalid(field, `a task can have at most ${TAGS_MAX} tags (got ${out.length})`)
  return out
}

/** Parses a due date: ISO 8601 date-time with an offset, or a wall-clock date-time in the user's zone. */
export function parseDueDate(value: unknown, timeZone: string): Date | null {
  if (value === null) return null
  if (typeof value !== 'string') throw invalid('due_date', 'due_date must be an ISO 8601 date-time string or null')
  const parsed = parseDateTime(value, timeZone)
  if (!parsed || parsed.dateOnly) {
    throw invalid('due_date', 'due_date must be an ISO 8601 date-time such as 2026-12-01T17:00:00Z (a time without offset is read in your time zone)')
  }
  return parsed.date
}

const RRULE_KEYS = new Set([
  'FREQ', 'UNTIL', 'COUNT', 'INTERVAL', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY',
  'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST',
])
const FREQS = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'])

/**
 * Normalises a recurrence: null, a preset (DAILY, WEEKLY, MONTHLY, any case) or an RFC 5545 RRULE
 * body such as `FREQ=WEEKLY;BYDAY=MO,WE` (an `RRULE:` prefix is accepted and removed).
 */
export function parseRecurrence(value: unknown): string | null {
  if (value === null) return null
  if (typeof value !== 'string') throw invalid('recurrence', 'recurrence must be a string or null')
  const raw = value.trim()
  if (raw === '') return null
  const upper = raw.toUpperCase()
  if ((RECURRENCE_PRESETS as readonly string[]).includes(upper)) return upper
  if (raw.length > RECURRENCE_MAX) throw invalid('recurrence', `recurrence must be at most ${RECURRENCE_MAX} characters`)
  const body = upper.replace(/^RRULE:/, '')
  const fail = (why: string) =>
    invalid('recurrence', `recurrence must be DAILY, WEEKLY, MONTHLY or an RRULE like FREQ=WEEKLY;BYDAY=MO: ${why}`)
  const seen = new Set<string>()
  for (const part of body.split(';')) {
    const [key, val, ...rest] = part.split('=')
    if (!key || val === undefined || val === '' || rest.length > 0) throw fail(`"${part.slice(0, 40)}" is not KEY=VALUE`)
    if (!RRULE_KEYS.has(key)) throw fail(`${key.slice(0, 20)} is not an RRULE part (DTSTART is taken from the due date)`)
    if (seen.has(key)) throw fail(`${key} is given twice`)
    seen.add(key)
    if (key === 'FREQ' && !FREQS.has(val)) throw fail(`FREQ=${val.slice(0, 20)} is not a frequency`)
    if ((key === 'COUNT' || key === 'INTERVAL') && !/^[1-9]\d{0,3}$/.test(val)) throw fail(`${key} must be a whole number from 1 to 9999`)
    // A task is due to the minute: nothing may repeat more often than once a minute.
    if (key === 'FREQ' && val === 'SECONDLY') throw fail('it repeats more often than once a minute (the shortest is FREQ=MINUTELY)')
    if (key === 'BYSECOND' && val.includes(',')) throw fail('BYSECOND takes one value: it would repeat more often than once a minute')
  }
  if (!seen.has('FREQ')) throw fail('FREQ is required')
  if (seen.has('COUNT') && seen.has('UNTIL')) throw fail('COUNT and UNTIL cannot be combined')
  try {
    // Reading the rule catches values rrule accepts syntactically but cannot use. Walking it is left to
    // the series' start (seriesStart), on the real due date and within a bounded budget.
    new RRule({ ...RRule.parseString(body), dtstart: new Date(Date.UTC(2026, 0, 1)) }, true)
  } catch (error) {
    throw fail(error instanceof Error ? error.message.slice(0, 80) : 'it could not be read')
  }
  return body
}

type Input = Record<string, unknown>

function has(input: Input, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(input, key) && input[key] !== undefined
}

const CREATE_KEYS = ['title', 'description', 'priority', 'due_date', 'recurrence', 'recurrence_from', 'tags']

function assertObject(input: unknown, allowed: string[]): Input {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('body', 'the body must be a JSON object')
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) throw invalid(key, `${key} is not a task field (expected ${allowed.join(', ')})`)
  }
  return input as Input
}

/** Validates a create request; every field but `title` is optional. */
export function parseCreateTask(input: unknown, timeZone: string): TaskFields {
  const body = assertObject(input, CREATE_KEYS)
  if (!has(body, 'title')) throw invalid('title', 'title is required')
  return {
    title: parseTitle(body.title),
    description: has(body, 'description') && body.description !== null ? parseDescription(body.description) : '',
    priority: has(body, 'priority') ? parsePriority(body.priority) : 'medium',
    dueDate: has(body, 'due_date') ? parseDueDate(body.due_date, timeZone) : null,
    recurrence: has(body, 'recurrence') ? parseRecurrence(body.recurrence) : null,
    recurrenceFrom: has(body, 'recurrence_from') ? parseRecurrenceFrom(body.recurrence_from) : 'due',
    tags: has(body, 'tags') ? parseTags(body.tags) : [],
  }
}

export type TaskUpdate = Partial<TaskFields> & { status?: TaskStatus }

/**
 * Validates a partial update: only the fields present change; `null` clears an optional field.
 * `status` may be sent too, with the same effect as complete or reopen.
 */
export function parseUpdateTask(input: unknown, timeZone: string): TaskUpdate {
  const body = assertObject(input, [...CREATE_KEYS, 'status'])
  const out: TaskUpdate = {}
  if (has(body, 'status')) out.status = parseStatus(body.status)
  if (has(body, 'title')) out.title = parseTitle(body.title)
  if (has(body, 'description')) out.description = body.description === null ? '' : parseDescription(body.description)
  if (has(body, 'priority')) out.priority = parsePriority(body.priority)
  if (has(body, 'due_date')) out.dueDate = parseDueDate(body.due_date, timeZone)
  if (has(body, 'recurrence')) out.recurrence = parseRecurrence(body.recurrence)
  if (has(body, 'recurrence_from')) out.recurrenceFrom = parseRecurrenceFrom(body.recurrence_from)
  if (has(body, 'tags')) out.tags = body.tags === null ? [] : parseTags(body.tags)
  if (Object.keys(out).length === 0) throw invalid('body', `nothing to update: send at least one of ${CREATE_KEYS.join(', ')}, status`)
  return out
}
