// The admin audit trail: who ran which operation (e.g. reloading secrets), when, and what it changed.
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { jsonb } from '../../db/jsonb'
import { users } from '../auth/schema'

export const adminActions = pgTable(
  'admin_actions',
  {
    /** UUIDv7: newest entries have the greatest ids. */
    id: uuid('id').primaryKey(),
    /** Kept when the admin's account is deleted: the trail outlives it. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    action: text('action').notNull(),
    /** Names only (e.g. of the settings that changed), never a secret value. */
    detail: jsonb<Record<string, unknown>>('detail').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('admin_actions_occurred_idx').on(t.occurredAt)],
)
