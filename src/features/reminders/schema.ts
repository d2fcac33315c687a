// Reminders on tasks, and the in-app notifications they turn into.
import { sql } from 'drizzle-orm'
import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { ownerId, users } from '../auth/schema'

export const reminderStatus = pgEnum('reminder_status', ['pending', 'triggered', 'cancelled'])

export const reminders = pgTable(
  'reminders',
  {
    id: uuid('id').primaryKey(),
    userId: ownerId(),
    /** No foreign key: a deleted task's reminders stay, cancelled, so their jobs can be removed too. */
    taskId: uuid('task_id').notNull(),
    /** Minutes before the due date (a lead-time reminder follows the task); null for an absolute time. */
    leadMinutes: integer('lead_minutes'),
    remindAt: timestamp('remind_at', { withTimezone: true }).notNull(),
    status: reminderStatus('status').notNull().default('pending'),
    /** Set once, when the reminder fired (job callback or local scheduler): a second firing is a duplicate. */
    firedAt: timestamp('fired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    triggeredAt: timestamp('triggered_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** Who cancelled it: the person ('user'), the task's completion or deletion ('task', undone by reopening), or the end of the person's access to the task ('access'). */
    cancelledBy: text('cancelled_by'),
  },
  (t) => [
    // The local scheduler's query: the next pending reminders that have not fired.
    index('reminders_due_idx').on(t.remindAt).where(sql`${t.status} = 'pending' and ${t.firedAt} is null`),
    index('reminders_task_idx').on(t.taskId),
    index('reminders_user_idx').on(t.userId, t.remindAt, t.id),
    // A user's pending reminders: the upcoming list, and the count the per-user quota checks.
    index('reminders_user_pending_idx').on(t.userId, t.remindAt, t.id).where(sql`${t.status} = 'pending'`),
  ],
)

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: ownerId(),
    reminderId: uuid('reminder_id').notNull(),
    taskId: uuid('task_id').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.id), index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} is null`)],
)

export type Reminder = typeof reminders.$inferSelect
export type Notification = typeof notifications.$inferSelect

/** A user's webhook: fired reminders are POSTed to it, signed with its secret. */
export const webhooks = pgTable('webhooks', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  /** HMAC-SHA256 key the receiver verifies signatures with (shown in Settings). */
  secret: text('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
})

/** One POST to a webhook, kept until it is delivered or given up, retried with backoff. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    userId: ownerId(),
    url: text('url').notNull(),
    body: text('body').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** Set when the retries ran out. */
    failedAt: timestamp('failed_at', { withTimezone: true }),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`)],
)
