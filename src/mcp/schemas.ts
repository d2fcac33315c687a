// The shapes tools return, as zod schemas (they become each tool's outputSchema).
import { z } from 'zod'

export const taskShape = {
  id: z.string().describe('Task id (UUID)'),
  title: z.string(),
  description: z.string(),
  status: z.enum(['pending', 'completed']),
  priority: z.enum(['high', 'medium', 'low']),
  due_date: z.string().nullable().describe('ISO 8601 in UTC, or null'),
  recurrence: z.string().nullable().describe('DAILY, WEEKLY, MONTHLY, an RRULE such as FREQ=WEEKLY;BYDAY=MO, or null'),
  recurrence_from: z.enum(['due', 'completion']),
  tags: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
}
export const Task = z.object(taskShape)

export const reminderShape = {
  id: z.string(),
  task_id: z.string(),
  remind_at: z.string().describe('ISO 8601 in UTC'),
  lead: z.string().nullable().describe('e.g. 15m, 1h, 1d before the due date; null for a set time'),
  status: z.enum(['pending', 'triggered', 'cancelled']),
}
export const Reminder = z.object(reminderShape)

/** Task input fields shared by add_task and update_task. */
export const taskFields = {
  description: z.string().max(4000).optional().describe('Longer notes, at most 4000 characters'),
  priority: z.enum(['high', 'medium', 'low']).optional().describe('Default medium'),
  due_date: z
    .string()
    .nullable()
    .optional()
    .describe("ISO 8601 date-time. With an offset (2026-12-01T17:00:00Z) it is exact; without one (2026-12-01T17:00) it is read in the user's time zone. null clears it"),
  recurrence: z.string().nullable().optional().describe('DAILY, WEEKLY, MONTHLY or an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=MO,WE,FR; null stops repeating'),
  recurrence_from: z.enum(['due', 'completion']).optional().describe('Whether the next date counts from the due date (default) or from the completion'),
  tags: z.array(z.string()).max(10).optional().describe('Up to 10 tags; lower-cased, without #'),
}
