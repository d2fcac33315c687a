// Everything an account keeps, to take away: its tasks, reminders, conversations, notifications, activity trail, saved
// filters and API tokens (their names, never their secrets), as one JSON document; and as CSV for a spreadsheet, a file per table.
import { asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { conversations, messages } from '../../chat/schema'
import { visibleCalls } from '../../chat/offline-state'
import { auditLog } from '../audit/schema'
import { toAuditView } from '../audit/service'
import { toAccountView } from '../auth/service'
import { apiTokens } from '../auth/schema'
import type { AuthUser } from '../auth/user'
import { notifications, reminders } from '../reminders/schema'
import { toNotificationView, toReminderView } from '../reminders/model'
import { tasks } from '../tasks/schema'
import { savedFilters } from '../filters/schema'
import { toSavedFilterView } from '../filters/model'
import { toTaskView, type TaskView } from '../tasks/model'

/** The export's format: a reader can tell which shape it holds. */
export const EXPORT_VERSION = 1

/** The account's tasks, oldest first, as the API shows them. */
export async function exportTasks(db: Db, user: Pick<AuthUser, 'id' | 'timezone'>): Promise<TaskView[]> {
  const rows = await db.select().from(tasks).where(eq(tasks.userId, user.id)).orderBy(asc(tasks.createdAt), asc(tasks.id))
  return rows.map((t) => toTaskView(t, user.timezone))
}

export async function exportAccount(db: Db, user: Pick<AuthUser, 'id' | 'email' | 'timezone'>) {
  const mine = <T extends { userId: unknown }>(table: T) => eq(table.userId as never, user.id)
  const [taskViews, reminderRows, notificationRows, auditRows, tokenRows, conversationRows, filterRows] = await Promise.all([
    exportTasks(db, user),
    db.select().from(reminders).where(mine(reminders)).orderBy(asc(reminders.id)),
    db.select().from(notifications).where(mine(notifications)).orderBy(asc(notifications.id)),
    db.select().from(auditLog).where(mine(auditLog)).orderBy(asc(auditLog.id)),
    db.select({ name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(mine(apiTokens)),
    db.select().from(conversations).where(mine(conversations)).orderBy(asc(conversations.createdAt)),
    db.select().from(savedFilters).where(mine(savedFilters)).orderBy(asc(savedFilters.position)),
  ])
  const messageRows = conversationRows.length
    ? await db.select().from(messages).where(inArray(messages.conversationId, conversationRows.map((c) => c.id))).orderBy(asc(messages.id))
    : []
  return {
    format: 'todo-chatbot export',
    version: EXPORT_VERSION,
    account: toAccountView(user),
    tasks: taskViews,
    reminders: reminderRows.map(toReminderView),
    notifications: notificationRows.map(toNotificationView),
    activity: auditRows.map(toAuditView),
    saved_filters: filterRows.map(toSavedFilterView),
    api_tokens: tokenRows.map((t) => ({ name: t.name, created_at: t.createdAt.toISOString(), last_used_at: t.lastUsedAt?.toISOString() ?? null })),
    conversations: conversationRows.map((c) => ({
      id: c.id,
      title: c.title,
      created_at: c.createdAt.toISOString(),
      messages: messageRows
        .filter((m) => m.conversationId === c.id)
        .map((m) => ({ role: m.role, content: m.content, tool_calls: visibleCalls(m.toolCalls), created_at: m.createdAt.toISOString() })),
    })),
  }
}

const CSV_COLUMNS = ['id', 'title', 'description', 'status', 'priority', 'due_date', 'due_day', 'all_day', 'recurrence', 'tags', 'created_at', 'completed_at'] as const

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

type AccountExport = Awaited<ReturnType<typeof exportAccount>>

/**
 * The export's other tables as CSV, one file each, so that each opens in a spreadsheet as a sheet with its own
 * columns (one file of several tables would not): what each holds, and its columns.
 */
const TABLES = {
  reminders: { columns: ['id', 'task_id', 'remind_at', 'lead', 'status'], rows: (data: AccountExport) => data.reminders },
  notifications: { columns: ['id', 'task_id', 'title', 'body', 'created_at', 'read'], rows: (data: AccountExport) => data.notifications },
  activity: { columns: ['id', 'task_id', 'action', 'title', 'changes', 'occurred_at'], rows: (data: AccountExport) => data.activity },
  messages: {
    columns: ['conversation_id', 'conversation_title', 'role', 'content', 'created_at'],
    rows: (data: AccountExport) => data.conversations.flatMap((c) => c.messages.map((m) => ({ conversation_id: c.id, conversation_title: c.title, ...m }))),
  },
  'saved-filters': { columns: ['id', 'name', 'query', 'position', 'created_at', 'updated_at'], rows: (data: AccountExport) => data.saved_filters },
  'api-tokens': { columns: ['name', 'created_at', 'last_used_at'], rows: (data: AccountExport) => data.api_tokens },
} as const

export type ExportTable = keyof typeof TABLES
export const EXPORT_TABLES = Object.keys(TABLES) as ExportTable[]
export const isExportTable = (name: string): name is ExportTable => Object.hasOwn(TABLES, name)

/** One of the account's tables (besides its tasks, `tasksCsv`) as CSV. */
export async function exportTableCsv(db: Db, user: Pick<AuthUser, 'id' | 'email' | 'timezone'>, table: ExportTable): Promise<string> {
  const { columns, rows } = TABLES[table]
  return csvTable(columns, rows(await exportAccount(db, user)) as ReadonlyArray<Record<string, unknown>>)
}
