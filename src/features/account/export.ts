// Everything an account keeps, to take away: its tasks, projects, reminders, conversations, notifications, activity trail, saved
// filters and API tokens (their names, never their secrets), as one JSON document; and as CSV for a spreadsheet, a file per table.
import { asc, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { conversations, messages } from '../../chat/schema'
import { visibleCalls } from '../../chat/offline-state'
import { auditLog } from '../audit/schema'
import { toAuditView } from '../audit/service'
import { toAccountView } from '../auth/service'
import { apiTokens, users } from '../auth/schema'
import type { AuthUser } from '../auth/user'
import { notifications, reminders } from '../reminders/schema'
import { toNotificationView, toReminderView } from '../reminders/model'
import { tasks } from '../tasks/schema'
import { savedFilters } from '../filters/schema'
import { toProjectView } from '../projects/model'
import { projects } from '../projects/schema'
import { toSavedFilterView } from '../filters/model'
import { toTaskView, type TaskView } from '../tasks/model'

/** The export's format: a reader can tell which shape it holds. */
export const EXPORT_VERSION = 1

/** The account's tasks, oldest first, as the API shows them. */
export async function exportTasks(db: Db, user: Pick<AuthUser, 'id' | 'timezone'>): Promise<TaskView[]> {
  const rows = await db.select().from(tasks).where(eq(tasks.userId, user.id)).orderBy(asc(tasks.createdAt), asc(tasks.id))
  return rows.map((t) => toTaskView(t, user.timezone))
}

type Exported = Pick<AuthUser, 'id' | 'email' | 'timezone'>

const mine = <T extends { userId: unknown }>(table: T, user: Exported) => eq(table.userId as never, user.id)

/** Each of the account's other tables, read alone as the export shows it. */
const SECTIONS = {
  reminders: async (db: Db, user: Exported) => (await db.select().from(reminders).where(mine(reminders, user)).orderBy(asc(reminders.id))).map(toReminderView),
  notifications: async (db: Db, user: Exported) =>
    (await db.select().from(notifications).where(mine(notifications, user)).orderBy(asc(notifications.id))).map(toNotificationView),
  activity: async (db: Db, user: Exported) =>
    (await db.select({ entry: auditLog, actorEmail: users.email }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId)).where(mine(auditLog, user)).orderBy(asc(auditLog.id))).map(
      (r) => toAuditView(r.entry, r.actorEmail),
    ),
  projects: async (db: Db, user: Exported) =>
    (await db.select().from(projects).where(mine(projects, user)).orderBy(desc(projects.isInbox), asc(projects.position), asc(projects.id))).map(toProjectView),
  savedFilters: async (db: Db, user: Exported) =>
    (await db.select().from(savedFilters).where(mine(savedFilters, user)).orderBy(asc(savedFilters.position))).map(toSavedFilterView),
  apiTokens: async (db: Db, user: Exported) =>
    (await db.select({ name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(mine(apiTokens, user))).map((t) => ({
      name: t.name,
      created_at: t.createdAt.toISOString(),
      last_used_at: t.lastUsedAt?.toISOString() ?? null,
    })),
  conversations: async (db: Db, user: Exported) => {
    const conversationRows = await db.select().from(conversations).where(mine(conversations, user)).orderBy(asc(conversations.createdAt))
    const messageRows = conversationRows.length
      ? await db.select().from(messages).where(inArray(messages.conversationId, conversationRows.map((c) => c.id))).orderBy(asc(messages.id))
      : []
    return conversationRows.map((c) => ({
      id: c.id,
      title: c.title,
      created_at: c.createdAt.toISOString(),
      messages: messageRows
        .filter((m) => m.conversationId === c.id)
        .map((m) => ({ role: m.role, content: m.content, tool_calls: visibleCalls(m.toolCalls), created_at: m.createdAt.toISOString() })),
    }))
  },
}

export async function exportAccount(db: Db, user: Exported) {
  const [taskViews, projectViews, reminderViews, notificationViews, activity, apiTokenViews, conversationViews, filterViews] = await Promise.all([
    exportTasks(db, user),
    SECTIONS.projects(db, user),
    SECTIONS.reminders(db, user),
    SECTIONS.notifications(db, user),
    SECTIONS.activity(db, user),
    SECTIONS.apiTokens(db, user),
    SECTIONS.conversations(db, user),
    SECTIONS.savedFilters(db, user),
  ])
  return {
    format: 'todo-chatbot export',
    version: EXPORT_VERSION,
    account: toAccountView(user),
    tasks: taskViews,
    projects: projectViews,
    reminders: reminderViews,
    notifications: notificationViews,
    activity,
    saved_filters: filterViews,
    api_tokens: apiTokenViews,
    conversations: conversationViews,
  }
}

/** The tasks' columns; project_id comes last, so the columns before it stay where readers of older files find them. */
const CSV_COLUMNS = ['id', 'title', 'description', 'status', 'priority', 'due_date', 'due_day', 'all_day', 'recurrence', 'tags', 'created_at', 'completed_at', 'project_id'] as const

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; a leading =, +, - or @ is made text. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value)
  // A spreadsheet would run a cell that starts like a formula.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A table as CSV: a header of `columns`, then a line per row (a list, such as tags, separated by spaces). */
function csvTable(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))]
  return `${lines.join('\r\n')}\r\n`
}

/** The tasks as CSV: a header, then a line per task (tags separated by spaces). */
export const tasksCsv = (list: readonly TaskView[]): string => csvTable(CSV_COLUMNS, list)

/**
 * The export's other tables as CSV, one file each, so that each opens in a spreadsheet as a sheet with its own
 * columns (one file of several tables would not): what each holds, and its columns.
 */
const TABLES = {
  projects: { columns: ['id', 'name', 'color', 'is_inbox', 'archived_at', 'position', 'created_at', 'updated_at'], rows: SECTIONS.projects },
  reminders: { columns: ['id', 'task_id', 'remind_at', 'lead', 'status'], rows: SECTIONS.reminders },
  notifications: { columns: ['id', 'task_id', 'title', 'body', 'created_at', 'read'], rows: SECTIONS.notifications },
  activity: { columns: ['id', 'task_id', 'action', 'title', 'changes', 'actor_email', 'occurred_at'], rows: SECTIONS.activity },
  messages: {
    columns: ['conversation_id', 'conversation_title', 'role', 'content', 'created_at'],
    rows: async (db: Db, user: Exported) =>
      (await SECTIONS.conversations(db, user)).flatMap((c) => c.messages.map((m) => ({ conversation_id: c.id, conversation_title: c.title, ...m }))),
  },
  'saved-filters': { columns: ['id', 'name', 'query', 'position', 'created_at', 'updated_at'], rows: SECTIONS.savedFilters },
  'api-tokens': { columns: ['name', 'created_at', 'last_used_at'], rows: SECTIONS.apiTokens },
} as const

export type ExportTable = keyof typeof TABLES
export const isExportTable = (name: string): name is ExportTable => Object.hasOwn(TABLES, name)

/** One of the account's tables (besides its tasks, `tasksCsv`) as CSV, read alone. */
export async function exportTableCsv(db: Db, user: Exported, table: ExportTable): Promise<string> {
  const { columns, rows } = TABLES[table]
  return csvTable(columns, (await rows(db, user)) as ReadonlyArray<Record<string, unknown>>)
}
