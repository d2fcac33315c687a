// A task's limits, named once: the zod contract (model.ts) and the table's checks (schema.ts) both read them.
export const TITLE_MAX = 200
export const DESCRIPTION_MAX = 4000
export const TAGS_MAX = 10
export const TAG_MAX = 32
export const RECURRENCE_MAX = 500
/** The longest text the task-text reader is handed (a title and its date words): it is superlinear in length. */
export const TASK_TEXT_MAX = 2 * TITLE_MAX
/** Levels of nesting: a task, its subtask and a sub-subtask. */
export const SUBTASK_LEVELS = 3
