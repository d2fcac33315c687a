// The shapes tools take and return, as zod schemas, all taken from the features' own schemas (they become each tool's input and output schema).
import { z } from 'zod'
import { Description, DueDate, Priority, Recurrence, RecurrenceFromField, Tags, TaskViewSchema } from '../features/tasks/model'

export const taskShape = TaskViewSchema.shape

export const reminderShape = {
  id: z.string(),
  task_id: z.string(),
  remind_at: z.string().describe('ISO 8601 in UTC'),
  lead: z.string().nullable().describe('e.g. 15m, 1h, 1d before the due date; null for a set time'),
  status: z.enum(['pending', 'triggered', 'cancelled']),
}
export const Reminder = z.object(reminderShape)

/** Task input fields shared by add_task and update_task: the task schema's own (description and tags take no null here). */
export const taskFields = {
  description: Description.optional(),
  priority: Priority.optional(),
  due_date: DueDate.optional(),
  recurrence: Recurrence.optional(),
  recurrence_from: RecurrenceFromField.optional(),
  tags: Tags.optional(),
}
