// Projects: the lists a user's tasks live in. Each account has exactly one Inbox; tasks are reached through their project.
import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { ownerId } from '../auth/schema'
import { PROJECT_COLORS, PROJECT_NAME_MAX } from './limits'

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey(),
    /** The owner. Members (sharing) will get a table of their own; access stays through the project. */
    userId: ownerId(),
    name: text('name').notNull(),
    color: text('color').notNull().default('grey'),
    /** The account's Inbox: it cannot be renamed, archived or deleted. */
    isInbox: boolean('is_inbox').notNull().default(false),
    /** Where it stands in the user's list, from 1 (the Inbox is listed first whatever its position). */
    position: integer('position').notNull().default(0),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One name once per user, whatever its case (a deleted project's row is gone, so its name is free again).
    uniqueIndex('projects_user_name_key').on(t.userId, sql`lower(${t.name})`),
    // Exactly one Inbox per user: the tasks trigger and sign-up both rely on it.
    uniqueIndex('projects_user_inbox_key').on(t.userId).where(sql`${t.isInbox}`),
    index('projects_user_position_idx').on(t.userId, t.position),
    check('projects_name_length', sql`char_length(${t.name}) between 1 and ${sql.raw(String(PROJECT_NAME_MAX))}`),
    check('projects_color', sql`${t.color} in (${sql.raw(PROJECT_COLORS.map((c) => `'${c}'`).join(', '))})`),
  ],
)

export type Project = typeof projects.$inferSelect
