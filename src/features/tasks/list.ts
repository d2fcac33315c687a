// Listing tasks: search, filters, sort and keyset paging with an opaque, stable cursor.
import { and, arrayContains, arrayOverlaps, asc, count, desc, eq, fillPlaceholders, gte, inArray, isNull, lte, ne, sql, type SQL } from 'drizzle-orm'
import { cappedCount, cappedTotal, type CappedTotal } from '../../db/capped-count'
import type { Db } from '../../db/client'
import { unprepared } from '../../db/instrument'
import { encodeCursor } from '../../lib/paging'
import type { Cursor, ListQuery, Order, Sort } from './list-query'
import { STATUSES, toTaskView, type TaskRead, type TaskStatus } from './model'
import { inScope, type TaskScope } from './owned'
import { tasks } from './schema'

export interface TaskPage extends CappedTotal {
  items: TaskRead[]
  next_cursor: string | null
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c)

/** The text searched: the same expression the trigram index is built on. */
const searchable = sql`(${tasks.title} || ' ' || ${tasks.description})`

/** A row's direct subtasks, counted with their completed ones as `total/done`: one index probe per row of the page, no N+1. */
// The outer id is named with its table: in a select list drizzle leaves columns bare, which the subquery would take as its own.
const progress = sql<string>`(select count(*) || '/' || count(*) filter (where c.status = 'completed') from ${tasks} c where c.parent_id = ${tasks}.${sql.identifier('id')})`

function progressOf(counted: string): { total: number; done: number } {
  const [total, done] = counted.split('/').map(Number)
  return { total: total ?? 0, done: done ?? 0 }
}

/** The sort key as text PostgreSQL can read back exactly (timestamps keep their microseconds). */
function sortKey(sort: Sort): SQL<string | null> {
  const stamp = (col: typeof tasks.createdAt | typeof tasks.dueDate) =>
    sql<string | null>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
  switch (sort) {
    case 'created_at':
      return stamp(tasks.createdAt)
    case 'due_date':
      return stamp(tasks.dueDate)
    case 'priority':
      return sql<string>`${tasks.priority}::text`
    case 'title':
      return sql<string>`lower(${tasks.title})`
  }
}

function orderBy(sort: Sort, order: Order): SQL[] {
  const dir = order === 'asc' ? asc : desc
  switch (sort) {
    case 'created_at':
      return [dir(tasks.createdAt), dir(tasks.id)]
    case 'due_date':
      // Tasks without a due date come last in both directions.
      return [order === 'asc' ? sql`${tasks.dueDate} asc nulls last` : sql`${tasks.dueDate} desc nulls last`, dir(tasks.id)]
    case 'priority':
      return [dir(tasks.priority), dir(tasks.id)]
    case 'title':
      return [dir(sql`lower(${tasks.title})`), dir(tasks.id)]
  }
}

const P = sql.placeholder

/** Rows strictly after the cursor in the chosen order (its key and id are the placeholders `ck` and `cid`). */
function after(cursor: Cursor, order: Order): SQL {
  const cmp = order === 'asc' ? sql.raw('>') : sql.raw('<')
  const id = sql`${P('cid')}::uuid`
  switch (cursor.s) {
    case 'created_at':
      return sql`(${tasks.createdAt}, ${tasks.id}) ${cmp} (${P('ck')}::timestamptz, ${id})`
    case 'priority':
      return sql`(${tasks.priority}, ${tasks.id}) ${cmp} (${P('ck')}::task_priority, ${id})`
    case 'title':
      return sql`(lower(${tasks.title}), ${tasks.id}) ${cmp} (${P('ck')}::text, ${id})`
    case 'due_date':
      if (cursor.k === null) return sql`(${tasks.dueDate} is null and ${tasks.id} ${cmp} ${id})`
      return sql`(${tasks.dueDate} is null or (${tasks.dueDate}, ${tasks.id}) ${cmp} (${P('ck')}::timestamptz, ${id}))`
  }
}

/**
 * The filters of `query` over placeholders: `user` and `sh0`… (the projects shared with them), `k0`… (keywords), `s0`… (statuses), `p0`… (priorities), `pj0`… (projects), `tags`,
 * `from` and `to`. Their number, not their values, shapes the SQL; `valuesOf` fills them.
 */
function filtersOf(query: ListQuery, withStatus: boolean, half: Half = 'own'): SQL | undefined {
  const filters: SQL[] = [half === 'own' ? eq(tasks.userId, P('user')) : and(inArray(tasks.projectId, (query.shared ?? []).map((_, i) => P(`sh${i}`))), ne(tasks.userId, P('user')))!]
  query.keywords.forEach((_, i) => filters.push(sql`${searchable} ilike ${P(`k${i}`)}`))
  if (withStatus && query.statuses.length) filters.push(inArray(tasks.status, query.statuses.map((_, i) => P(`s${i}`))))
  if (query.priorities.length) filters.push(inArray(tasks.priority, query.priorities.map((_, i) => P(`p${i}`))))
  if (query.projects?.length) filters.push(inArray(tasks.projectId, query.projects.map((_, i) => P(`pj${i}`))))
  if (query.tags.length) filters.push((query.allTags ? arrayContains : arrayOverlaps)(tasks.tags, P('tags')))
  if (query.noDue) filters.push(isNull(tasks.dueDate))
  if (query.parentId) filters.push(eq(tasks.parentId, P('parent')))
  if (query.topLevel) filters.push(isNull(tasks.parentId))
  if (query.dueFrom) filters.push(gte(tasks.dueDate, P('from')))
  if (query.dueTo) filters.push(lte(tasks.dueDate, P('to')))
  if (query.where) filters.push(query.where)
  return and(...filters)
}

/** `query` over the tasks `scope` lets its user see. */
const scoped = (scope: TaskScope, query: ListQuery): ListQuery => ({ ...query, shared: scope.shared })

/** What fills the placeholders of `query`'s statements, encoded as the columns encode them. */
function valuesOf(userId: string, query: ListQuery): Record<string, unknown> {
  const values: Record<string, unknown> = { user: userId, limit: query.limit + 1 }
  query.shared?.forEach((id, i) => (values[`sh${i}`] = id))
  query.keywords.forEach((k, i) => (values[`k${i}`] = '%' + escapeLike(k) + '%'))
  query.statuses.forEach((s, i) => (values[`s${i}`] = s))
  query.priorities.forEach((p, i) => (values[`p${i}`] = p))
  query.projects?.forEach((id, i) => (values[`pj${i}`] = id))
  if (query.tags.length) values.tags = tasks.tags.mapToDriverValue(query.tags)
  if (query.parentId) values.parent = query.parentId
  if (query.dueFrom) values.from = query.dueFrom.toISOString()
  if (query.dueTo) values.to = query.dueTo.toISOString()
  if (query.cursor) {
    values.ck = query.cursor.k
    values.cid = query.cursor.id
  }
  return values
}

/** The parts of a query that change its SQL (not its values): queries of one shape share prepared statements. */
function shapeOf(query: ListQuery): string {
  const cursor = query.cursor ? (query.cursor.k === null ? 'null' : 'key') : 'none'
  const counts = [query.keywords, query.statuses, query.priorities, query.projects ?? [], query.shared ?? []].map((list) => list.length)
  return [query.sort, query.order, cursor, ...counts, query.tags.length > 0, Boolean(query.allTags), Boolean(query.noDue), Boolean(query.parentId), Boolean(query.topLevel), Boolean(query.dueFrom), Boolean(query.dueTo)].join(':')
}

/**
 * The halves of a list: the user's own tasks, and (when projects are shared with them) the tasks of those projects.
 * Each half reads through its own indexes (user-led, project-led).
 */
type Half = 'own' | 'shared'
const halvesOf = (query: ListQuery): Half[] => (query.shared?.length ? ['own', 'shared'] : ['own'])

/** How many tasks of one half match, up to TOTAL_CAP + 1 (`also` narrows it further). */
function halfCount(db: Db, query: ListQuery, half: Half, also?: SQL, order: 'created_at' | 'due_date' = 'created_at') {
  // Keywords and tags count through the user's GIN index, stopping at the cap; other filters walk the user's index in
  // order, which the planner might otherwise trade for a sequential scan.
  const indexed = query.keywords.length > 0 || query.tags.length > 0
  return cappedCount(db, tasks, and(filtersOf(query, true, half), also), indexed ? [] : orderBy(order, order === 'created_at' ? 'desc' : 'asc'))
}

/** The count of both halves in one statement: each capped, so their sum tells "over the cap" as one count would. */
function totalOf(db: Db, query: ListQuery, also?: SQL, order?: 'created_at' | 'due_date') {
  const parts = halvesOf(query).map((half) => sql`(${halfCount(db, query, half, also, order)})`)
  return db.select({ n: sql<number>`${sql.join(parts, sql` + `)}`.mapWith(Number) }).from(sql`(select 1) as one`)
}

/**
 * Whether a list counts its matches beside its page rather than in it: a search's page and its count each recheck the
 * rows the trigram index offers, which for a rare match beside a common word (or a word too short to index) are
 * thousands, so the two run at once on two connections instead of one after the other in one statement.
 */
const countsApart = (query: ListQuery): boolean => query.keywords.length > 0

/**
 * A list's two statements over placeholders. The page (one extra row, to know if more follow) carries the total,
 * counted up to TOTAL_CAP, in the same round trip; `total` alone is for a page that comes back empty. With projects
 * shared with the user, each half reads its first page in the list's order through its own index, and the page is
 * the first of the two merged (an OR of the halves would sort every one of the user's tasks for each page).
 */
function buildStatements(db: Db, query: ListQuery) {
  const halves = halvesOf(query)
  const total = halves.length === 1 ? halfCount(db, query, 'own') : totalOf(db, query)
  const fields = { task: tasks, key: sortKey(query.sort), total: (countsApart(query) ? sql`null` : sql`(${total})`).mapWith((n: unknown) => (n === null ? null : Number(n))), subtasks: progress }
  const whereOf = (half: Half) => {
    const where = filtersOf(query, true, half)
    return query.cursor ? and(where, after(query.cursor, query.order)) : where
  }
  const order = orderBy(query.sort, query.order)
  if (halves.length === 1) {
    return { page: db.select(fields).from(tasks).where(whereOf('own')).orderBy(...order).limit(P('limit')), total }
  }
  const [own, shared] = halves.map((half) => db.select().from(tasks).where(whereOf(half)).orderBy(...order).limit(P('limit')))
  const merged = own!.unionAll(shared!).as('tasks')
  return { page: db.select(fields).from(merged).orderBy(...order).limit(P('limit')), total }
}

/**
 * Runs the statements of `query`: unprepared when it has a filter, whose SQL text varies with the filter's shape
 * (the driver would keep a plan per connection for each shape ever seen, with no limit).
 */
const byFilter = <T>(query: ListQuery, run: () => Promise<T>): Promise<T> => (query.where ? unprepared(run) : run())

type Statements = ReturnType<typeof buildStatements>
type Prepared = { page: ReturnType<Statements['page']['prepare']>; total: ReturnType<Statements['total']['prepare']> }

/** Prepared statements a connection pool keeps, by shape; the oldest goes when a new shape would pass the limit. */
const PREPARED_MAX = 500
const preparedByDb = new WeakMap<Db, Map<string, Prepared>>()
let preparedCount = 0

/**
 * The statements for `query`'s shape, built and prepared once: a list request then only fills in its values. A
 * filter's condition carries its own bound values (its days move with the clock), so its statements are not kept,
 * and they run unprepared (`byFilter`).
 */
function prepared(db: Db, query: ListQuery): Prepared {
  if (query.where) {
    const built = buildStatements(db, query)
    const name = `tasks_filter_${++preparedCount}`
    return { page: built.page.prepare(name), total: built.total.prepare(`${name}_total`) }
  }
  let byShape = preparedByDb.get(db)
  if (!byShape) preparedByDb.set(db, (byShape = new Map()))
  const shape = shapeOf(query)
  let found = byShape.get(shape)
  if (!found) {
    const built = buildStatements(db, query)
    const name = `tasks_list_${++preparedCount}`
    found = { page: built.page.prepare(name), total: built.total.prepare(`${name}_total`) }
    if (byShape.size >= PREPARED_MAX) byShape.delete(byShape.keys().next().value!)
    byShape.set(shape, found)
  }
  return found
}

/** The SQL and bound values a list runs (EXPLAIN, and the bench's direct SQL): the page with its total, and the total alone (run beside the page when `apart`). */
export function listStatements(db: Db, scope: TaskScope, unscoped: ListQuery) {
  const query = scoped(scope, unscoped)
  const built = buildStatements(db, query)
  const values = valuesOf(scope.userId, query)
  const bound = (statement: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql: text, params } = statement.toSQL()
    return { sql: text, params: fillPlaceholders(params, values) }
  }
  return { page: bound(built.page), total: bound(built.total), apart: countsApart(query) }
}

/** How many of the user's tasks match `query` (status included), counted up to TOTAL_CAP + 1. */
export async function matchCount(db: Db, scope: TaskScope, unscoped: ListQuery): Promise<number> {
  const query = scoped(scope, unscoped)
  const [row] = await byFilter(query, () => prepared(db, query).total.execute(valuesOf(scope.userId, query)))
  return row?.n ?? 0
}

/**
 * How many of the user's tasks match `query` (status included) and `also` too, counted up to TOTAL_CAP + 1: a part of
 * the list, such as one due-date group. Not prepared: `also` carries its own values.
 */
export async function matchCountWhere(db: Db, scope: TaskScope, unscoped: ListQuery, also: SQL): Promise<number> {
  const query = scoped(scope, unscoped)
  const counting = totalOf(db, query, also, 'due_date')
  const [row] = await byFilter(query, () => counting.execute(valuesOf(scope.userId, query)))
  return row?.n ?? 0
}

export type StatusCounts = Record<TaskStatus, CappedTotal>

/** How many tasks match the query's other filters, per status (the status filter itself is ignored), each counted up to TOTAL_CAP. */
export async function statusCounts(db: Db, scope: TaskScope, query: ListQuery): Promise<StatusCounts> {
  const [pending, completed] = await Promise.all(STATUSES.map((status) => matchCount(db, scope, { ...query, statuses: [status] })))
  return { pending: cappedTotal([{ n: pending! }]), completed: cappedTotal([{ n: completed! }]) }
}

/** The most used tags of the tasks the user sees, most used first. */
export async function topTags(db: Db, scope: TaskScope, limit: number): Promise<string[]> {
  const rows = await db
    .select({ tag: sql<string>`t.tag`, n: count() })
    .from(sql`${tasks}, unnest(${tasks.tags}) as t(tag)`)
    .where(inScope(scope))
    .groupBy(sql`t.tag`)
    .orderBy(desc(count()), sql`t.tag`)
    .limit(limit)
  return rows.map((r) => r.tag)
}

/** One page of the tasks the user sees (`scope`) matching `query`, with the count of matches up to TOTAL_CAP (the cursor never depends on it). */
export async function listTasks(db: Db, scope: TaskScope, unscoped: ListQuery): Promise<TaskPage> {
  const query = scoped(scope, unscoped)
  const values = valuesOf(scope.userId, query)
  const statements = prepared(db, query)
  const [rows, counted] = await Promise.all([
    byFilter(query, () => statements.page.execute(values)),
    countsApart(query) ? byFilter(query, () => statements.total.execute(values)) : undefined,
  ])
  // Every row carries the total (unless it is counted apart); past the last page there is no row to carry it.
  const carried = counted ? counted[0]?.n : rows[0]?.total
  const n = carried ?? (query.cursor ? (await byFilter(query, () => statements.total.execute(values)))[0]?.n : 0) ?? 0
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    items: page.map((r) => ({ ...toTaskView(r.task, query.timeZone), subtasks: progressOf(r.subtasks) })),
    ...cappedTotal([{ n }]),
    next_cursor:
      rows.length > query.limit && last
        ? encodeCursor({ s: query.sort, o: query.order, k: last.key, id: last.task.id } satisfies Cursor)
        : null,
  }
}
