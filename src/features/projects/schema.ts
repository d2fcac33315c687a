// Projects: the lists a user's tasks live in, and who else may reach them. Each account has exactly one Inbox; tasks
// are reached through their project, by its owner and by the members the owner invited.
import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { ownerId, users } from '../auth/schema'
import { PROJECT_COLORS, PROJECT_NAME_MAX } from './limits'

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey(),
    /** The owner: the project's tasks are theirs (their quota), whoever of its members made them. */
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

/** What a member may do in a project: an editor changes its tasks as the owner does; a viewer only reads them. */
export const memberRole = pgEnum('member_role', ['editor', 'viewer'])

/** The people a project is shared with (the owner is not a row here). A row goes when the member leaves or is removed. */
export const projectMembers = pgTable(
  'project_members',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: ownerId(),
    role: memberRole('role').notNull(),
    /** Who invited them (the owner at the time); null once that account is gone. */
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The primary key finds a member of a project; the user index finds every project shared with someone (each list).
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_members_user_idx').on(t.userId, t.projectId)],
)

/**
 * An invitation waiting for an answer, to an email address: the account with that address (now or once it signs up)
 * sees it and accepts or declines. Keyed by address, so inviting never tells whether an account exists.
 */
export const projectInvitations = pgTable(
  'project_invitations',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** Lower-cased and trimmed, as users.email is stored. */
    email: text('email').notNull(),
    role: memberRole('role').notNull(),
    invitedBy: ownerId('invited_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('project_invitations_project_email_key').on(t.projectId, t.email), index('project_invitations_email_idx').on(t.email)],
)

export type ProjectMember = typeof projectMembers.$inferSelect
export type ProjectInvitation = typeof projectInvitations.$inferSelect
export type MemberRole = (typeof memberRole.enumValues)[number]
