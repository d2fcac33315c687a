// The filter language, checked by properties: random filter trees print to text that parses back to the same tree, and over
// random task sets the database's answer to that text equals a reference evaluation in TypeScript (PGlite or PostgreSQL).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import fc from 'fast-check'
import { and, eq } from 'drizzle-orm'
import { users } from '../src/features/auth/schema'
import { inboxOf } from '../src/features/projects/access'
import { projects } from '../src/features/projects/schema'
import { filterCondition } from '../src/features/tasks/filter'
import { namesStatus, parseFilter, printFilter, type DateRef, type FilterAtom, type FilterNode } from '../src/features/tasks/filter-parse'
import { tasks } from '../src/features/tasks/schema'
import { addDays, isoDay, localDay, wallClock, zonedTimeToUtc, type LocalDate } from '../src/lib/time'
import { testDatabase, type TestDatabase } from './helpers/db'

// Sunday 1 November 2026, 23:10 in New York: the clocks went back at 02:00 that day, so this day is 25 hours long.
const NOW = new Date('2026-11-02T04:10:00Z')
const ZONE = 'America/New_York'
const USER = '00000000-0000-4000-8000-000000000001'
const TAGS = ['home', 'work', 'a.b', 'x+y']
const WORDS = ['milk', 'Report', 'call', '100%', 'a_b', 'zz']
// The user's projects: the Inbox and names that need quoting (spaces, operators, quotes, a backslash, non-ASCII).
const PROJECTS = ['Inbox', 'Work', 'Home & Garden', 'say "hi"', 'back\\slash', 'Ünïcode (x)!']

let storage: TestDatabase
const projectIds = new Map<string, string>()

beforeAll(async () => {
  storage = await testDatabase()
  await storage.database.db.insert(users).values({ id: USER, email: 'property@example.com', passwordHash: 'x', timezone: ZONE })
  projectIds.set('Inbox', (await inboxOf(storage.database.db, USER, NOW)).id)
  for (const [i, name] of PROJECTS.slice(1).entries()) {
    const id = crypto.randomUUID()
    await storage.database.db.insert(projects).values({ id, userId: USER, name, position: i + 1 })
    projectIds.set(name, id)
  }
})
afterAll(() => storage.dispose())

// ---------------------------------------------------------------------------------------------------------------
// The reference: the language's meaning read off each task's wall-clock day, with no SQL and no day bounds.

interface Row {
  id: string
  title: string
  description: string
  status: 'pending' | 'completed'
  priority: 'high' | 'medium' | 'low'
  dueDate: Date | null
  recurrence: string | null
  tags: string[]
  /** Its project's name. */
  project: string
}

const today = localDay(NOW, ZONE)
const dayKey = (day: LocalDate) => isoDay(day)

function refDay(date: DateRef): string {
  switch (date.kind) {
    case 'today':
      return dayKey(today)
    case 'tomorrow':
      return dayKey(addDays(today, 1))
    case 'offset':
      return dayKey(addDays(today, date.amount * (date.unit === 'w' ? 7 : 1)))
    case 'day':
      return date.day
  }
}

function refAtom(atom: FilterAtom, task: Row): boolean {
  const due = task.dueDate ? dayKey(wallClock(task.dueDate, ZONE)) : null
  switch (atom.kind) {
    case 'today':
      return due === dayKey(today)
    case 'tomorrow':
      return due === dayKey(addDays(today, 1))
    case 'overdue':
      return task.status === 'pending' && due !== null && due < dayKey(today)
    case 'this week': {
      const monday = addDays(today, -((wallClock(NOW, ZONE).weekday + 6) % 7))
      return due !== null && due >= dayKey(monday) && due <= dayKey(addDays(monday, 6))
    }
    case 'no date':
      return due === null
    case 'recurring':
      return task.recurrence !== null
    case 'status':
      return task.status === atom.status
    case 'priority':
      return task.priority === atom.priority
    case 'tag':
      return task.tags.includes(atom.tag)
    case 'due':
      return due !== null && (atom.when === 'before' ? due < refDay(atom.date) : due > refDay(atom.date))
    case 'search': {
      const text = `${task.title} ${task.description}`.toLowerCase()
      return atom.words.every((word) => text.includes(word.toLowerCase()))
    }
    case 'project':
      return task.project.toLowerCase() === atom.name.toLowerCase()
  }
}

function refEval(node: FilterNode, task: Row): boolean {
  switch (node.kind) {
    case 'and':
      return refEval(node.left, task) && refEval(node.right, task)
    case 'or':
      return refEval(node.left, task) || refEval(node.right, task)
    case 'not':
      return !refEval(node.operand, task)
    default:
      return refAtom(node, task)
  }
}

/** A filter that names no status shows open tasks. */
const refMatches = (node: FilterNode, task: Row) => refEval(node, task) && (namesStatus(node) || task.status === 'pending')

// ---------------------------------------------------------------------------------------------------------------
// Generators

const dateRef: fc.Arbitrary<DateRef> = fc.oneof(
  fc.constant({ kind: 'today' as const }),
  fc.constant({ kind: 'tomorrow' as const }),
  fc.record({ kind: fc.constant('offset' as const), amount: fc.integer({ min: -12, max: 12 }), unit: fc.constantFrom('d' as const, 'w' as const) }),
  fc.integer({ min: -20, max: 20 }).map((n) => ({ kind: 'day' as const, day: isoDay(addDays(today, n)) })),
)

const atom: fc.Arbitrary<FilterAtom> = fc.oneof(
  fc.constantFrom<FilterAtom>(
    { kind: 'today' }, { kind: 'tomorrow' }, { kind: 'overdue' }, { kind: 'no date' }, { kind: 'this week' }, { kind: 'recurring' },
    { kind: 'status', status: 'completed' }, { kind: 'status', status: 'pending' },
    { kind: 'priority', priority: 'high' }, { kind: 'priority', priority: 'medium' }, { kind: 'priority', priority: 'low' },
  ),
  fc.constantFrom(...TAGS).map((tag): FilterAtom => ({ kind: 'tag', tag })),
  fc.record({ kind: fc.constant('due' as const), when: fc.constantFrom('before' as const, 'after' as const), date: dateRef }),
  fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 2 }).map((words): FilterAtom => ({ kind: 'search', words })),
  // A project's name as written, or in capitals (ASCII letters only: the database's lower() may leave others), or a name no project has.
  fc
    .tuple(fc.constantFrom(...PROJECTS, 'Nowhere'), fc.boolean())
    .map(([name, shout]): FilterAtom => ({ kind: 'project', name: shout ? name.replace(/[a-z]/g, (c) => c.toUpperCase()) : name })),
)

const { node: filterTree } = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 5, withCrossShrink: true },
    atom,
    fc.record({ kind: fc.constant('and' as const), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant('or' as const), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('node') }),
  ),
}))

/** A due date: none, any minute within three weeks of now, or the very start of a local day (all-day tasks). */
const dueDate: fc.Arbitrary<Date | null> = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -21 * 24 * 60, max: 21 * 24 * 60 }).map((minutes) => new Date(NOW.getTime() + minutes * 60_000)),
  fc.integer({ min: -21, max: 21 }).map((n) => zonedTimeToUtc(addDays(today, n), ZONE)),
)

const taskRow: fc.Arbitrary<Omit<Row, 'id'>> = fc.record({
  title: fc.array(fc.constantFrom(...WORDS, 'the', 'MILKY'), { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
  description: fc.array(fc.constantFrom(...WORDS, 'and'), { maxLength: 2 }).map((w) => w.join(' ')),
  status: fc.constantFrom('pending' as const, 'completed' as const),
  priority: fc.constantFrom('high' as const, 'medium' as const, 'low' as const),
  dueDate,
  recurrence: fc.constantFrom(null, 'DAILY'),
  tags: fc.subarray(TAGS),
  project: fc.constantFrom(...PROJECTS),
})

// ---------------------------------------------------------------------------------------------------------------

test('printing a filter tree gives text that parses back to the same tree', () => {
  fc.assert(
    fc.property(filterTree, (node) => {
      expect(parseFilter(printFilter(node))).toEqual(node)
    }),
    { numRuns: 2_000 },
  )
})

test('over random task sets, the database matches exactly the tasks the reference evaluation picks', async () => {
  const db = storage.database.db
  let n = 0
  await fc.assert(
    fc.asyncProperty(fc.array(taskRow, { maxLength: 25 }), fc.array(filterTree, { minLength: 1, maxLength: 5 }), async (rows, filters) => {
      await db.delete(tasks).where(eq(tasks.userId, USER))
      const stored: Row[] = rows.map((row) => ({ ...row, id: crypto.randomUUID() }))
      if (stored.length) {
        await db.insert(tasks).values(stored.map(({ project, ...row }) => ({ ...row, userId: USER, projectId: projectIds.get(project)!, completedAt: row.status === 'completed' ? NOW : null })))
      }
      for (const node of filters) {
        const text = printFilter(node)
        const found = await db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.userId, USER), filterCondition(text, { now: NOW, timeZone: ZONE })))
        const expected = stored.filter((row) => refMatches(node, row)).map((row) => row.id).sort()
        expect({ text, ids: found.map((row) => row.id).sort() }).toEqual({ text, ids: expected })
        n++
      }
    }),
    { numRuns: 60 },
  )
  expect(n).toBeGreaterThanOrEqual(60)
}, 300_000)
