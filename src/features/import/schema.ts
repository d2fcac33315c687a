// Rows already imported: a source's key per user, so importing the same file again creates nothing new.
import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { ownerId } from '../auth/schema'

export const importKeys = pgTable(
  'import_keys',
  {
    userId: ownerId(),
    /** The format the row came in (todoist-csv, ics). */
    source: text('source').notNull(),
    /** SHA-256 of the row's identity at its source: an ICS UID, or a Todoist row's content, section, parent tasks and ordinal among rows alike. */
    externalKey: text('external_key').notNull(),
    /** The task the row became. It may be deleted since; the key stays, so a re-import does not bring it back. */
    taskId: uuid('task_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.source, t.externalKey] })],
)
