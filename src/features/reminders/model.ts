// The reminder contract, once: what setting one takes and how one reads; REST, OpenAPI, MCP, the page and the service's types derive from it.
import { z } from 'zod'
import { dateTimeText, strictFields } from '../../lib/validation'
import type { Notification, Reminder } from './schema'

export const REMINDERS_PER_TASK = 10
export const LEAD_MAX_MINUTES = 365 * 24 * 60
export const REMINDER_STATUSES = ['pending', 'triggered', 'cancelled'] as const
/** Snoozing a reminder that went off: again in 10 minutes, in an hour, or tomorrow at 09:00 in the user's zone. */
export const SNOOZES = { '10m': 'in 10 minutes', '1h': 'in an hour', tomorrow: 'tomorrow at 09:00' } as const

/** Most notifications one request marks read. */
export const MARK_READ_MAX = 200

const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const

/** `15m`, `1h`, `2d` → minutes; null for anything else, or beyond LEAD_MAX_MINUTES. */
export function leadMinutes(value: string): number | null {
  const match = /^\s*(\d{1,6})\s*([mhd])\s*$/i.exec(value)
  const minutes = match ? Number(match[1]) * UNIT_MINUTES[match[2]!.toLowerCase() as keyof typeof UNIT_MINUTES] : NaN
  return minutes >= 1 && minutes <= LEAD_MAX_MINUTES ? minutes : null
}

/** `90` → `90m`, `60` → `1h`, `1440` → `1d`. */
export function formatLead(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`
  if (minutes % 60 === 0) return `${minutes / 60}h`
  return `${minutes}m`
}

/** A time before the task's due date. */
export const Lead = z
  .string({ error: 'lead must be a string such as 15m or 1h' })
  .refine((value) => leadMinutes(value) !== null, {
    error: 'lead must be a time before the due date such as 15m, 30m, 1h, 1d or <n>m|h|d (at most 365d)',
  })
  .describe('Before the due date: 15m, 30m, 1h, 1d or <n>m|h|d')

/** An absolute time; without an offset it is read in the user's zone. */
export const RemindAt = dateTimeText(
  'remind_at must be a date-time string',
  'remind_at must be an ISO 8601 date-time such as 2026-12-01T16:45:00Z',
).describe('An absolute ISO 8601 date-time (in your zone without an offset)')

/** Setting a reminder: exactly one of `lead` or `remind_at` (the service says so when both or neither come). */
export const CreateReminderInput = strictFields({ lead: Lead.optional(), remind_at: RemindAt.optional() }, 'reminder')
export type CreateReminder = z.output<typeof CreateReminderInput>

/** A reminder as the API, MCP and events show it (docs/architecture.md, section 7 "Contracts"). */
export const ReminderViewSchema = z.object({
  id: z.string(),
  task_id: z.string(),
  remind_at: z.string().describe('ISO 8601 in UTC'),
  lead: z.string().nullable().describe('e.g. 15m, 1h, 1d before the due date; null for a set time'),
  status: z.enum(REMINDER_STATUSES),
})
export type ReminderView = z.output<typeof ReminderViewSchema>

export const toReminderView = (r: Reminder): ReminderView => ({
  id: r.id,
  task_id: r.taskId,
  remind_at: r.remindAt.toISOString(),
  lead: r.leadMinutes === null ? null : formatLead(r.leadMinutes),
  status: r.status,
})

/** Marking notifications read: the given ids (one that is not the user's is skipped), or all of them. */
export const MarkReadInput = strictFields(
  { ids: z.array(z.string({ error: 'ids must be an array of strings' }), { error: 'ids must be an array of strings' }).max(MARK_READ_MAX, { error: `ids takes at most ${MARK_READ_MAX} ids at once` }).optional().describe('Omit to mark all read') },
  'request',
)

/** A notification as the API shows it. */
export const NotificationViewSchema = z.object({
  id: z.string(),
  task_id: z.string(),
  title: z.string(),
  body: z.string(),
  created_at: z.string(),
  read: z.boolean(),
})
export type NotificationView = z.output<typeof NotificationViewSchema>

export const toNotificationView = (n: Notification): NotificationView => ({
  id: n.id,
  task_id: n.taskId,
  title: n.title,
  body: n.body,
  created_at: n.createdAt.toISOString(),
  read: n.readAt !== null,
})
