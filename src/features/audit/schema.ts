// The audit log: an append-only record of who changed which task, when, and its fields before and after.
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { jsonb } from '../../db/jsonb'
import { ownerId } from '../auth/schema'
import type { TaskView } from '../tasks/model'

export const auditLog = pgTable(
  'audit_log',
  {
    /** The event's UUIDv7, taken when the change committed: the latest change has the greatest id, whenever it arrived. */
    id: uuid('id').primaryKey(),
    /** The event it was built from: one entry per event. */
    eventId: text('event_id').notNull(),
    /** The task's owner at the time (whose trail it is). */
    userId: ownerId(),
    /** Who made the change: the owner or a member of the task's project; null when the app did (a repeating task's next instance). No foreign key: an entry outlives the account that made it. */
    actorId: uuid('actor_id'),
    /** The task's project at the time: the project's members read the entry too. No foreign key: the entry outlives the project. */
    projectId: uuid('project_id'),
    taskId: uuid('task_id').notNull(),
    /** created, updated, completed, reopened, deleted, restored, recurred. */
    action: text('action').notNull(),
    /** The task's title at the time, so the entry reads well after a deletion. */
    title: text('title').notNull(),
    changes: text('changes').array().notNull(),
    before: jsonb<TaskView | null>('before'),
    after: jsonb<TaskView | null>('after'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('audit_log_event_key').on(t.eventId),
    index('audit_log_user_idx').on(t.userId, t.id),
    index('audit_log_task_idx').on(t.userId, t.taskId, t.id),
    // Members' reads: a shared project's entries, newest first. Built concurrently after the migration commits
    // (finishAuditActors in src/db/backfill-projects.ts), so the table is not locked while it builds.
    index('audit_log_project_idx').on(t.projectId, t.id),
  ],
)

export type AuditEntry = typeof auditLog.$inferSelect
