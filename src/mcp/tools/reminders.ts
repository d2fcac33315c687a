// Reminder tools: set, list and cancel.
import { z } from 'zod'
import { cancelReminder, createReminder, listReminders, listTaskReminders } from '../../features/reminders/service'
import { Lead, RemindAt } from '../../features/reminders/model'
import { REMINDER_WHEN } from '../../features/reminders/service'
import { pagingArgs } from '../../lib/paging'
import { Reminder, reminderShape } from '../schemas'
import { defineTool, WRITES, READ_ONLY } from '../tool'

export const setReminder = defineTool({
  name: 'set_reminder',
  title: 'Set a reminder',
  description:
    'Reminds the user about a task: either lead (a time before its due date: 15m, 30m, 1h, 1d or <n>m|h|d; the task needs a due date; for an all-day task it counts back from 09:00 of its day) or remind_at (an ISO 8601 date-time, read in the user\'s zone without an offset). Exactly one of the two.',
  input: {
    task_id: z.string().describe('The task to be reminded of'),
    lead: Lead.optional().describe('Before the due date, e.g. 15m or 1h'),
    remind_at: RemindAt.optional().describe('An absolute date-time'),
  },
  output: reminderShape,
  annotations: WRITES,
  run: (ctx, { task_id, ...when }) => createReminder(ctx, ctx.user, task_id, when),
})

export const listRemindersTool = defineTool({
  name: 'list_reminders',
  title: 'List reminders',
  description: 'Lists the reminders of one task (task_id), or all the user\'s upcoming reminders (or past ones with when=past), soonest first.',
  input: {
    task_id: z.string().optional().describe('Only this task\'s reminders'),
    when: z.enum(REMINDER_WHEN).optional().describe('Without task_id: upcoming (default) or past'),
    ...pagingArgs,
  },
  output: { items: z.array(Reminder), total: z.number().int(), total_is_exact: z.boolean(), next_cursor: z.string().nullable() },
  annotations: READ_ONLY,
  run: async (ctx, { task_id, when, limit, cursor }) => {
    if (task_id) {
      const items = await listTaskReminders(ctx, ctx.user, task_id)
      return { items, total: items.length, total_is_exact: true, next_cursor: null }
    }
    return listReminders(ctx, ctx.user, { ...(when ? { when } : {}), ...(limit ? { limit: String(limit) } : {}), ...(cursor ? { cursor } : {}) })
  },
})

export const cancelReminderTool = defineTool({
  name: 'cancel_reminder',
  title: 'Cancel a reminder',
  description: 'Cancels a pending reminder by id (no change if it already fired or was cancelled).',
  input: { reminder_id: z.string().describe('The reminder id (from set_reminder or list_reminders)') },
  output: reminderShape,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  run: (ctx, { reminder_id }) => cancelReminder(ctx, ctx.user, reminder_id),
})
