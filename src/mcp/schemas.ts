// The shapes tools take and return, as zod schemas, all taken from the features' own schemas (they become each tool's input and output schema).
import { ReminderViewSchema } from '../features/reminders/model'
import { Description, DueDate, ParentId, Priority, Recurrence, RecurrenceFromField, Tags, TaskReadSchema } from '../features/tasks/model'

export const taskShape = TaskReadSchema.shape

export const reminderShape = ReminderViewSchema.shape
export const Reminder = ReminderViewSchema

/** Task input fields shared by add_task and update_task: the task schema's own (description and tags take no null here). */
export const taskFields = {
  description: Description.optional(),
  priority: Priority.optional(),
  due_date: DueDate.optional(),
  recurrence: Recurrence.optional(),
  recurrence_from: RecurrenceFromField.optional(),
  tags: Tags.optional(),
  parent_id: ParentId.optional(),
}
