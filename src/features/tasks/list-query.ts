// The task list's parameters: search, filters, sort and paging, read from query strings and checked field by field.
import type { SQL } from 'drizzle-orm'
import { invalid } from '../../lib/errors'
import { decodeCursor as decodePosition, forgedCursor, onlyParams, parseLimit } from '../../lib/paging'
import { UUID } from '../../lib/secrets'
import { endOfLocalDay, LAST_INSTANT, parseDateTime } from '../../lib/time'
import { PRIORITIES, STATUSES, TITLE_MAX, parseTags, type TaskPriority, type TaskStatus } from './model'
import { filterCondition } from './filter'

export const SORTS = ['created_at', 'due_date', 'priority', 'title'] as const
export const ORDERS = ['asc', 'desc'] as const
export type Sort = (typeof SORTS)[number]
export type Order = (typeof ORDERS)[number]

/** The order each sort takes when none is given: newest, soonest, most important, A to Z. */
export const DEFAULT_ORDER: Record<Sort, Order> = { created_at: 'desc', due_date: 'asc', priority: 'desc', title: 'asc' }
export const SEARCH_MAX = 200
export const LIST_PARAMS = [
  'search', 'status', 'priority', 'tags', 'project_id', 'due_date_from', 'due_date_to', 'filter', 'parent_id', 'top_level', 'sort', 'order', 'limit', 'cursor',
] as const

export interface ListQuery {
  keywords: string[]
  statuses: TaskStatus[]
  priorities: TaskPriority[]
  tags: string[]
  /** Only tasks in these projects (ids); another user's project matches none of the actor's tasks. */
  projects?: string[]
  /** Whether a task needs every tag of `tags` (find_tasks' `#a & #b`) rather than any of them. */
  allTags?: boolean
  /** Only tasks without a due date. */
  noDue?: boolean
  /** Only the direct subtasks of this task. */
  parentId?: string
  /** Only top-level tasks (no parent). */
  topLevel?: boolean
  /** The filter language's condition (filter.ts), its values bound. */
  where?: SQL
  dueFrom: Date | null
  dueTo: Date | null
  sort: Sort
  order: Order
  limit: number
  cursor: Cursor | null
  /** The user's zone: it names an all-day task's day in the results. */
  timeZone: string
  /** The projects shared with the user, whose tasks the list shows besides their own (set from their TaskScope by list.ts). */
  shared?: string[]
}

export interface Cursor {
  s: Sort
  o: Order
  /** The sort key of the last row, as PostgreSQL printed it (null for a task without a due date). */
  k: string | null
  id: string
}


function list<T extends string>(field: string, raw: string, allowed: readonly T[]): T[] {
  const values = raw.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean)
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v)) throw invalid(field, `${field} must be one of ${allowed.join(', ')} (comma-separated for several); got "${v.slice(0, 40)}"`)
  }
  return [...new Set(values)] as T[]
}

export function dueBound(field: string, raw: string, timeZone: string, end: boolean): Date {
  const parsed = parseDateTime(raw, timeZone)
  if (!parsed) throw invalid(field, `${field} must be a date (2026-12-01) or an ISO 8601 date-time`)
  // A bare date covers that whole day in the user's zone: "to" is inclusive.
  const bound = parsed.dateOnly && end ? endOfLocalDay(parsed.date, timeZone) : parsed.date
  if (bound > LAST_INSTANT) throw invalid(field, `${field} must be before the year 10000`)
  return bound
}

/** A sort key of a timestamp, exactly as sortKey prints it (microseconds, UTC). */
const STAMP_KEY = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/

function validStamp(key: string): boolean {
  const m = STAMP_KEY.exec(key)
  if (!m) return false
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number]
  // Out-of-range parts roll over (month 13, hour 99): a key that reads back differently was never printed.
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, se)
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === se
}

/** Whether `k` can be the sort key of a row under `sort`: anything else would reach the database as a bad cast. */
function validKey(sort: Sort, k: unknown): boolean {
  if (k === null) return sort === 'due_date'
  if (typeof k !== 'string') return false
  switch (sort) {
    case 'created_at':
    case 'due_date':
      return validStamp(k)
    case 'priority':
      return (PRIORITIES as readonly string[]).includes(k)
    case 'title':
      return [...k].length <= TITLE_MAX && !k.includes('\u0000')
  }
}

/** The cursor a page handed out, checked field by field: a forged one is a 400 naming cursor, never a failed query. */
function decodeCursor(raw: string, sort: Sort, order: Order): Cursor {
  const { s, o, k, id } = decodePosition(raw)
  if (typeof id !== 'string' || !UUID.test(id) || !(SORTS as readonly unknown[]).includes(s) || !(ORDERS as readonly unknown[]).includes(o)) throw forgedCursor()
  if (s !== sort || o !== order) {
    throw invalid('cursor', 'cursor belongs to another sort or order; keep sort and order the same while paging')
  }
  if (!validKey(sort, k)) throw forgedCursor()
  return { s: sort, o: order, k: k as string | null, id }
}

/** The project_id parameter: comma-separated project ids, at most PROJECT_IDS_MAX. */
function projectIds(raw: string): string[] {
  const ids = [...new Set(raw.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean))]
  const bad = ids.find((id) => !UUID.test(id))
  if (bad !== undefined) throw invalid('project_id', `project_id must be project ids (UUIDs), comma-separated; got "${bad.slice(0, 40)}"`)
  if (ids.length > PROJECT_IDS_MAX) throw invalid('project_id', `project_id takes at most ${PROJECT_IDS_MAX} projects`)
  return ids
}

export const PROJECT_IDS_MAX = 50

/**
 * Reads list parameters as they arrive in a query string (all strings). Unknown parameters and
 * bad values are refused naming the parameter. A `filter`'s days are read at `now` in `timeZone`.
 */
export function parseListQuery(params: Record<string, string | undefined>, timeZone: string, now: Date): ListQuery {
  onlyParams(params, LIST_PARAMS)
  const get = (k: (typeof LIST_PARAMS)[number]) => {
    const v = params[k]?.trim()
    return v === undefined || v === '' ? undefined : v
  }
  const search = get('search')
  if (search !== undefined && search.length > SEARCH_MAX) throw invalid('search', `search must be at most ${SEARCH_MAX} characters`)
  const sortRaw = get('sort')
  if (sortRaw !== undefined && !(SORTS as readonly string[]).includes(sortRaw)) throw invalid('sort', `sort must be one of ${SORTS.join(', ')}`)
  const sort = (sortRaw ?? 'created_at') as Sort
  const orderRaw = get('order')
  if (orderRaw !== undefined && !(ORDERS as readonly string[]).includes(orderRaw)) throw invalid('order', 'order must be asc or desc')
  const order = (orderRaw ?? DEFAULT_ORDER[sort]) as Order
  const limit = parseLimit(get('limit'))
  const tagsRaw = get('tags')
  const dueFrom = get('due_date_from')
  const dueTo = get('due_date_to')
  const query: ListQuery = {
    // Keywords all have to match (AND); each may sit in the title or the description.
    keywords: search ? search.split(/\s+/).filter(Boolean).slice(0, 10) : [],
    statuses: get('status') ? list('status', get('status')!, STATUSES) : [],
    priorities: get('priority') ? list('priority', get('priority')!, PRIORITIES) : [],
    tags: tagsRaw ? parseTags(tagsRaw.split(',').filter((t) => t.trim() !== ''), 'tags') : [],
    dueFrom: dueFrom ? dueBound('due_date_from', dueFrom, timeZone, false) : null,
    dueTo: dueTo ? dueBound('due_date_to', dueTo, timeZone, true) : null,
    sort,
    order,
    limit,
    cursor: null,
    timeZone,
  }
  const projects = get('project_id')
  if (projects !== undefined) query.projects = projectIds(projects)
  const parentId = get('parent_id')
  if (parentId !== undefined) {
    if (!UUID.test(parentId)) throw invalid('parent_id', 'parent_id must be a task id (a UUID)')
    query.parentId = parentId
  }
  const topLevel = get('top_level')
  if (topLevel !== undefined) {
    if (topLevel !== 'true' && topLevel !== 'false') throw invalid('top_level', 'top_level must be true or false')
    if (topLevel === 'true' && parentId !== undefined) throw invalid('top_level', 'top_level=true cannot be combined with parent_id')
    query.topLevel = topLevel === 'true'
  }
  const filter = get('filter')
  if (filter !== undefined) query.where = filterCondition(filter, { now, timeZone }, query.statuses.length > 0)
  const cursor = get('cursor')
  if (cursor) query.cursor = decodeCursor(cursor, sort, order)
  if (query.dueFrom && query.dueTo && query.dueFrom > query.dueTo) throw invalid('due_date_from', 'due_date_from must not be after due_date_to')
  return query
}
