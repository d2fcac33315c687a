// The tasks table: one row per task, owned by one user; indexes serve list, sort and search.
import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { jsonb } from '../../db/jsonb'
import { ownerId } from '../auth/schema'
import { projects } from '../projects/schema'
import { DESCRIPTION_MAX, TAGS_MAX, TITLE_MAX } from './limits'

export const taskStatus = pgEnum('task_status', ['pending', 'completed'])
/** Declared low → high so that the enum's own order sorts by importance. */
export const taskPriority = pgEnum('task_priority', ['low', 'medium', 'high'])
export const recurrenceFrom = pgEnum('recurrence_from', ['due', 'completion'])

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey(),
    userId: ownerId(),
    /** The project it lives in (the owner's Inbox unless another is chosen); a project is emptied before it goes. */
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: taskStatus('status').notNull().default('pending'),
    priority: taskPriority('priority').notNull().default('medium'),
    dueDate: timestamp('due_date', { withTimezone: true }),
    /** Due on a day with no time: dueDate is then the start of that day in the owner's zone. */
    allDay: boolean('all_day').notNull().default(false),
    /** null, a preset (DAILY, WEEKLY, MONTHLY) or an RFC 5545 RRULE body (FREQ=...). */
    recurrence: text('recurrence'),
    recurrenceFrom: recurrenceFrom('recurrence_from').notNull().default('due'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** The recurring series this task belongs to (the id of its first instance). */
    seriesId: uuid('series_id'),
    /** The series' first due date: monthly rules keep its day (Jan 31 → Feb 28 → Mar 31). */
    seriesAnchor: timestamp('series_anchor', { withTimezone: true }),
    /** This instance's number in its series (1 for the first), for COUNT. */
    occurrence: integer('occurrence').notNull().default(1),
    /** The next instance, once completing this one has created it: a series never forks. */
    successorId: uuid('successor_id'),
    /**
     * The task this one is a subtask of (the same owner's; at most three levels). No cascade: the service deletes a
     * subtree itself, leaves first, so each task records its own event and lands in the trash.
     */
    parentId: uuid('parent_id').references((): AnyPgColumn => tasks.id),
  },
  (t) => [
    index('tasks_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('tasks_user_due_idx').on(t.userId, t.dueDate, t.id),
    // Open tasks by due date (Today, Upcoming, overdue counts) and completions by time (Progress): each view
    // reads only the rows it shows, however many of the other kind a user has.
    index('tasks_user_open_due_idx').on(t.userId, t.dueDate, t.id).where(sql`${t.status} = 'pending'`),
    index('tasks_user_completed_idx').on(t.userId, t.completedAt).where(sql`${t.completedAt} is not null`),
    // Open recurring series by due date: Upcoming projects each one's next instances.
    index('tasks_user_open_series_idx').on(t.userId, t.dueDate).where(sql`${t.status} = 'pending' and ${t.recurrence} is not null`),
    // One project's list (newest first by default) and its open tasks by due date (the sidebar's open and overdue counts).
    index('tasks_project_created_idx').on(t.projectId, t.createdAt, t.id),
    index('tasks_project_open_due_idx').on(t.projectId, t.dueDate, t.id).where(sql`${t.status} = 'pending'`),
    // A task's subtasks (progress, subtrees); most tasks have no parent, so only subtasks are indexed.
    index('tasks_parent_idx').on(t.parentId).where(sql`${t.parentId} is not null`),
    index('tasks_user_priority_idx').on(t.userId, t.priority, t.id),
    index('tasks_user_title_idx').on(t.userId, sql`lower(${t.title})`, t.id),
    // Tags and text are searched within one user's tasks: the user leads each index (btree_gin), so a rare match
    // is found among that user's rows, never among everyone's (or by a scan of the table).
    index('tasks_user_tags_idx').using('gin', t.userId, t.tags),
    index('tasks_user_search_idx').using('gin', t.userId, sql`(${t.title} || ' ' || ${t.description}) gin_trgm_ops`),
    // The database refuses a half-valid row even if a code path forgets to validate.
    // The limits are model.ts's: changing one there changes these too (`npm run db:generate` writes the migration).
    check('tasks_title_length', sql`char_length(${t.title}) between 1 and ${sql.raw(String(TITLE_MAX))}`),
    check('tasks_description_length', sql`char_length(${t.description}) <= ${sql.raw(String(DESCRIPTION_MAX))}`),
    check('tasks_tags_count', sql`cardinality(${t.tags}) <= ${sql.raw(String(TAGS_MAX))}`),
    check('tasks_completed_at', sql`(${t.status} = 'completed') = (${t.completedAt} is not null)`),
  ],
)

export type Task = typeof tasks.$inferSelect

/** Deleted tasks, kept for a while so a delete can be undone (restored with the same id). */
export const deletedTasks = pgTable(
  'deleted_tasks',
  {
    taskId: uuid('task_id').primaryKey(),
    userId: ownerId(),
    snapshot: jsonb<TaskSnapshot>('snapshot').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('deleted_tasks_user_idx').on(t.userId, t.deletedAt)],
)

/** A task row as JSON (dates as ISO strings). */
export type TaskSnapshot = Omit<Task, 'dueDate' | 'seriesAnchor' | 'createdAt' | 'updatedAt' | 'completedAt'> & {
  dueDate: string | null
  seriesAnchor: string | null
  createdAt: string
  updatedAt: string
  completedAt: string | null
}
