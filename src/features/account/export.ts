// Everything an account keeps, to take away: its tasks, reminders, conversations, notifications, activity trail, saved
// filters and API tokens (their names, never their secrets), as one JSON document; its tasks alone as CSV for a spreadsheet.
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

/** The tasks as CSV: a header, then a line per task (tags separated by spaces). */
export function tasksCsv(list: readonly TaskView[]): string {
  const lines = [CSV_COLUMNS.join(','), ...list.map((t) => CSV_COLUMNS.map((c) => csvField(t[c as keyof TaskView])).join(','))]
  return `${lines.join('\r\n')}\r\n`
}
