// Saved filters: a user's named queries in the filter language (docs/filters.md), in the order they list them.
import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { ownerId } from '../auth/schema'
import { FILTER_MAX } from '../tasks/filter-parse'
import { FILTER_NAME_MAX } from './limits'

export const savedFilters = pgTable(
  'saved_filters',
  {
    id: uuid('id').primaryKey(),
    userId: ownerId(),
    name: text('name').notNull(),
    query: text('query').notNull(),
    /** Where it stands in the user's list, from 1. */
    position: integer('position').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // One name once per user, whatever its case.
    uniqueIndex('saved_filters_user_name_key').on(t.userId, sql`lower(${t.name})`),
    index('saved_filters_user_position_idx').on(t.userId, t.position),
    check('saved_filters_name_length', sql`char_length(${t.name}) between 1 and ${sql.raw(String(FILTER_NAME_MAX))}`),
    check('saved_filters_query_length', sql`char_length(${t.query}) between 1 and ${sql.raw(String(FILTER_MAX))}`),
  ],
)

export type SavedFilter = typeof savedFilters.$inferSelect
